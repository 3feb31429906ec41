"""Quick start: the Python API of mavis-engine.

    python examples/quickstart.py [OUT_DIR]

Makes a few plane-geometry samples, saves one diagram, prints its caption and facts, and
streams samples into a Hugging Face dataset if `datasets` is installed.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from mavis_engine import PlaneGeometry, arrow_schema


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "quickstart-out")
    out.mkdir(parents=True, exist_ok=True)

    gen = PlaneGeometry(depth=(2, 3), image_size=512)
    sample = gen.sample(seed=0, index=17)  # the same bytes on any machine, any worker count
    (out / "sample.png").write_bytes(sample.image)
    print("caption:", sample.caption)
    print("construction:", sample.construction)
    for fact in sample.facts[:6]:
        print(f"  {fact['kind']} of {fact['of']}: {fact['exact']} = {fact['value']:.4f}")
    print("shapes:", [s["name"] for s in sample.figure["shapes"]])
    print("points in pixels:", json.dumps(sample.figure["pixels"])[:80], "...")

    # Plug into any pipeline: iter() yields samples; rows follow the data contract.
    try:
        import datasets
    except ImportError:
        print("(install datasets to build a Dataset from the generator)")
        return
    ds = datasets.Dataset.from_generator(
        lambda: (s.caption_row() for s in gen.iter(seed=0, n=20)),
        features=datasets.Features.from_arrow_schema(arrow_schema("caption")),
    )
    print(ds)
    ds[0]["image"].save(out / "from_dataset.png")
    print(f"wrote {out / 'sample.png'} and {out / 'from_dataset.png'}")


if __name__ == "__main__":
    main()
