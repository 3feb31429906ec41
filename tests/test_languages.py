"""Rows in several languages (data contract 3.1): the ``language`` column, ``@zh`` ids,
the same figure, facts and numbers in every language, English rows unchanged by adding
another language, and bad languages refused before anything is written."""

from __future__ import annotations

import pyarrow.parquet as pq
import pytest
from pydantic import ValidationError

from mavis_engine import PlaneGeometry, generate
from mavis_engine.cli import main
from mavis_engine.generator import parse_languages


def test_languages_parse_in_one_order_each_once() -> None:
    assert parse_languages("zh,en") == ("en", "zh")
    assert parse_languages(" zh , zh ") == ("zh",)
    assert parse_languages(["en"]) == ("en",)
    for bad in ("fr", "en,", "", "EN"):
        with pytest.raises(ValueError, match="known: en, zh"):
            parse_languages(bad)


def test_config_takes_languages_or_language() -> None:
    assert PlaneGeometry(language="en,zh").config.languages == ("en", "zh")
    assert PlaneGeometry(languages=["zh"]).config.language == "zh"
    assert "language" not in PlaneGeometry().config.model_dump()
    with pytest.raises(ValidationError, match="languages"):
        PlaneGeometry(languages="de")
    with pytest.raises(ValidationError, match="not both"):
        PlaneGeometry(language="en", languages="zh")


@pytest.mark.parametrize("value", ["fr", "en,xx", ",", "english"])
def test_a_bad_language_is_refused_in_one_line_and_nothing_is_written(
    tmp_path, capsys, value: str
) -> None:
    out = tmp_path / "run"
    argv = ["generate", "plane-geometry", "--n", "2", "--out", str(out), "--quiet"]
    assert main([*argv, "--language", value]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "languages" in err, err
    assert not out.exists()


def test_english_rows_carry_the_language_column(tmp_path) -> None:
    generate("function", n=2, seed=1, out=tmp_path, kind="caption", progress=False)
    table = pq.read_table(next((tmp_path / "caption").glob("*.parquet")))
    assert table.column("language").to_pylist() == ["en", "en"]
    assert not any(i.endswith("@zh") for i in table.column("id").to_pylist())


def test_the_python_api_refuses_a_language_as_the_cli_does(tmp_path) -> None:
    with pytest.raises(ValidationError):
        generate("function", n=1, seed=0, out=tmp_path / "a", languages="fr", progress=False)
    assert not (tmp_path / "a").exists()
