"""The Spark job of examples/spark/ on local[2], in both modes.

Needs pyspark and Java: without them these tests fail (the import below
fails the module), they never skip. Each run gets 200 of our own fixture
articles in three files (so three partitions), with blank lines and a line
that is not an article, and must write exactly `warta classify`'s records.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pyarrow.parquet as pq
import pyspark  # noqa: F401  (fails the module when pyspark is missing)
import pytest

from conftest import ROOT, run_cli
from fixtures import articles, jsonl

JOB = ROOT / "examples" / "spark" / "classify.py"
ARTICLES = 200


@pytest.fixture(scope="module")
def spark_input(tmp_path_factory) -> tuple[Path, bytes]:
    """A folder of three JSON Lines files, and all of it as one input."""
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        pytest.fail("Java is missing: Spark needs a JRE (apt-get install openjdk-17-jre-headless)")
    folder = tmp_path_factory.mktemp("spark") / "in"
    folder.mkdir()
    records = articles(ARTICLES)
    parts = [records[:70], records[70:140], records[140:]]
    whole = b""
    for i, part in enumerate(parts):
        data = jsonl(part)
        if i == 1:
            # A blank line and a line that is no article: one error record.
            data += '\n{"id": "bad-text", "text": 12}\n'
        (folder / f"part{i}.jsonl").write_text(data)
        whole += data.encode()
    return folder, whole


def run_job(*args: str, submit: bool = False) -> None:
    """The job on local[2]: as a Python script, or under spark-submit."""
    env = dict(os.environ, PYSPARK_PYTHON=sys.executable, SPARK_LOCAL_IP="127.0.0.1")
    if submit:
        spark_submit = Path(sys.executable).parent / "spark-submit"
        command = [str(spark_submit), "--master", "local[2]", str(JOB), *args]
    else:
        command = [sys.executable, str(JOB), "--master", "local[2]", *args]
    done = subprocess.run(
        command,
        capture_output=True, text=True, env=env, cwd=ROOT, check=False,
    )
    assert done.returncode == 0, done.stderr[-5000:]


def output_lines(folder: Path) -> list[str]:
    assert (folder / "_SUCCESS").is_file()
    parts = sorted(folder.glob("part-*"))
    assert parts
    return [line for part in parts for line in part.read_text().splitlines()]


def comparable(line: str):
    """A record as JSON; error records without their line number (Spark
    counts lines per batch or partition, the CLI per file)."""
    record = json.loads(line)
    if "error" in record:
        record.pop("line")
    return json.dumps(record, sort_keys=True)


def check_same_records(got: list[str], expected: list[str]) -> None:
    assert len(expected) == ARTICLES + 1
    assert len(got) == len(expected), "records lost or duplicated"
    ids = [json.loads(line)["id"] for line in got]
    assert len(set(map(str, ids))) == len(ids), "duplicated ids"
    assert Counter(map(comparable, got)) == Counter(map(comparable, expected))
    # Every article record is byte for byte the CLI's line.
    articles_only = [line for line in expected if '"error"' not in line]
    assert set(articles_only) <= set(got)


@pytest.mark.parametrize("mode, submit", [("pandas", False), ("pipe", True)])
def test_the_job_writes_the_cli_records(mode, submit, spark_input, tmp_path, warta_bin):
    folder, whole = spark_input
    expected = run_cli(warta_bin, "classify", "--quiet", input=whole)
    out = tmp_path / "out"
    run_job("--mode", mode, "--warta", str(warta_bin), str(folder), str(out), submit=submit)
    got = output_lines(out)
    # Spark orders the files of a folder by size, so the records of
    # different files may come out in another order; within a file the
    # order is kept.
    check_same_records(got, expected)


def test_the_job_writes_parquet(spark_input, tmp_path, warta_bin):
    folder, whole = spark_input
    lines = run_cli(warta_bin, "classify", "--quiet", "--offsets", "chars", input=whole)
    expected = [json.loads(line) for line in lines]
    out = tmp_path / "parquet"
    run_job("--format", "parquet", "--offsets", "chars", str(folder), str(out))
    table = pq.read_table(out).to_pylist()
    assert len(table) == len(expected)
    by_id = {str(row["id"]): row for row in table}
    for record in expected:
        row = by_id[str(record["id"])]
        if "error" in record:
            assert row["error"] == record["error"]
            continue
        assert row["offsets"] == record["offsets"] == "chars"
        assert row["labels"] == record["labels"]
        assert len(row["paragraphs"]) == len(record["paragraphs"])

        def spans(article):
            return [
                (s["start"], s["end"], s["text"])
                for p in article["paragraphs"] for e in p["evidence"] for s in e["spans"]
            ]

        assert spans(row) == spans(record)
