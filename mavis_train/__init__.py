"""mavis_train: the four MAVIS training stages on mavis-engine's Parquet shards.

It reads only the shards (the data contract), never the engine's internals.
"""

__version__ = "0.1.0"
