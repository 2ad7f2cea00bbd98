"""Classify JSON Lines articles with warta on Spark.

Reads JSON Lines records ({"id", "text"}, one per line) from any path
Hadoop reads (a file, a folder, a glob; local, hdfs://, s3a://, gzip
included) and writes, for every non-blank input line, the line
`warta classify` writes for it, as JSON Lines part files (default) or
Parquet in OUTPUT_DIR. Two ways to run warta on the executors:

  --mode pandas  (default) `mapInPandas` with the Python package `warta`
                 installed on every executor (a wheel; see README.md).
  --mode pipe    `RDD.pipe` through the `warta` binary, which the job
                 ships to the executors itself (SparkContext.addFile), for
                 clusters without the wheel: `--warta PATH` names it on the
                 driver (default: `target/release/warta` of this checkout,
                 else `warta` on PATH).

Both write the same records as `warta classify` on the same lines: the
input's ids, offsets in bytes into the UTF-8 text (or in code points with
`--offsets chars`, as the CLI's option); a line that cannot be read
becomes {"id", "line", "error"}, its line number counted from the start of
its Arrow batch (pandas) or partition (pipe), not of the file.

    python examples/spark/classify.py --master 'local[2]' [--mode pandas|pipe] INPUT OUTPUT_DIR
    spark-submit examples/spark/classify.py [--mode ...] INPUT OUTPUT_DIR
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import sys
import time
from pathlib import Path

from pyspark import SparkFiles
from pyspark.sql import SparkSession

ROOT = Path(__file__).resolve().parents[2]


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("input", help="JSON Lines: a file, folder or glob, any Hadoop path")
    parser.add_argument("output", help="output folder (must not exist unless --overwrite)")
    parser.add_argument("--master", help="Spark master, such as 'local[2]' (default: spark-submit's)")
    parser.add_argument("--mode", choices=["pandas", "pipe"], default="pandas")
    parser.add_argument("--format", choices=["jsonl", "parquet"], default="jsonl")
    parser.add_argument(
        "--offsets", choices=["bytes", "chars"], default="bytes",
        help="unit of the records' offsets, as `warta classify --offsets`",
    )
    parser.add_argument("--lexicon", help="a lexicon TOML file on the driver, shipped to the executors")
    parser.add_argument("--warta", help="the warta binary on the driver (pipe mode)")
    parser.add_argument(
        "--threads", type=int,
        help="warta threads per Spark task (default: spark.task.cpus, 1 unless set)",
    )
    parser.add_argument("--overwrite", action="store_true", help="replace OUTPUT_DIR")
    return parser.parse_args(argv)


def find_warta(given: str | None) -> str:
    """The warta binary on the driver."""
    if given:
        return given
    built = ROOT / "target" / "release" / "warta"
    if built.is_file():
        return str(built)
    found = shutil.which("warta")
    if not found:
        sys.exit("no warta binary: pass --warta PATH (cargo build --release -p warta-cli)")
    return found


def classify_pandas(lines, lexicon: str | None, threads: int, offsets: str):
    """`mapInPandas`: each Arrow batch of lines through `Classifier.classify_jsonl`."""

    def classify_batches(batches):
        import pandas as pd
        import warta

        classifier = warta.Classifier(SparkFiles.get(lexicon)) if lexicon else warta.Classifier()
        for batch in batches:
            data = "\n".join(batch["value"])
            out = classifier.classify_jsonl(data, threads=threads, offsets=offsets)
            yield pd.DataFrame({"value": out}, dtype=object)

    return lines.mapInPandas(classify_batches, schema="value string")


def classify_pipe(spark, lines, binary: str, lexicon: str | None, threads: int, offsets: str):
    """`RDD.pipe`: each partition's lines through one `warta classify` process.

    The binary (and lexicon) go to the executors with `addFile`, which
    leaves them in an executor's working directory; in local mode they stay
    at the driver's path. Exit status 2 (some lines were error records) is
    success; any other failure fails the task.
    """
    spark.sparkContext.addFile(binary)
    args = [Path(binary).name, SparkFiles.get(Path(binary).name)]
    script = 'w="./$1"; [ -x "$w" ] || w="$2"; '
    flags = f"--quiet --threads {threads} --offsets {offsets}"
    if lexicon:
        spark.sparkContext.addFile(lexicon)
        args += [Path(lexicon).name, SparkFiles.get(Path(lexicon).name)]
        script += 'l="./$3"; [ -f "$l" ] || l="$4"; '
        flags += ' --lexicon "$l"'
    script += f'"$w" classify {flags}; s=$?; [ "$s" -eq 2 ] && exit 0; exit "$s"'
    command = shlex.join(["sh", "-c", script, "warta-pipe", *args])
    out = lines.rdd.map(lambda row: row.value).pipe(command, checkCode=True)
    return spark.createDataFrame(out.map(lambda line: (line,)), "value string")


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    builder = SparkSession.builder.appName("warta-classify")
    if args.master:
        builder = builder.master(args.master)
    # Python workers use the driver's interpreter unless told otherwise.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    spark = builder.getOrCreate()
    try:
        threads = args.threads or int(spark.conf.get("spark.task.cpus", "1"))
        lexicon = None
        if args.lexicon:
            if args.mode == "pandas":
                spark.sparkContext.addFile(args.lexicon)
            lexicon = Path(args.lexicon).name if args.mode == "pandas" else args.lexicon
        started = time.perf_counter()
        lines = spark.read.text(args.input)
        if args.mode == "pandas":
            classified = classify_pandas(lines, lexicon, threads, args.offsets)
        else:
            binary = find_warta(args.warta)
            classified = classify_pipe(spark, lines, binary, lexicon, threads, args.offsets)
        mode = "overwrite" if args.overwrite else "errorifexists"
        if args.format == "jsonl":
            classified.write.mode(mode).text(args.output)
        else:
            # Parquet columns from the records themselves (one pass to infer
            # the schema over the classified lines, kept in memory).
            classified = classified.persist()
            records = spark.read.json(classified.rdd.map(lambda row: row.value))
            records.write.mode(mode).parquet(args.output)
            classified.unpersist()
        seconds = time.perf_counter() - started
        print(f"warta-classify: {args.mode} mode wrote {args.output} in {seconds:.2f} s", file=sys.stderr)
    finally:
        spark.stop()


if __name__ == "__main__":
    main()
