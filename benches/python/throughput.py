"""Throughput of the Python package against the CLI, the Python baseline and Spark.

Measures on the benches' input (`cargo run --release --example bench_corpus`:
the shared corpus when ../shared is there, else our generated articles):

- `warta classify` (the CLI) on the JSON Lines file, one thread and all cores;
- `Classifier.classify_jsonl` on the same bytes (the CLI's work, in-process);
- `Classifier.classify_many` on the texts, parsed from the file beforehand,
  returning a dict per article;
- with `--baseline PYTHON`: `benches/python_baseline.py` run by that Python
  (one with spaCy and PySastrawi installed);
- with `--spark`: `examples/spark/classify.py --master local[2]` in both
  modes on ten copies of the input (wall time of the whole command, and the
  time the job itself reports from reading to written output, without the
  JVM's start-up), and the CLI on the same ten copies.

MB/s are megabytes (10^6) of JSON Lines input per second of wall time, best
of `--runs` runs. Prints a Markdown table.

    python benches/python/throughput.py [--runs 3] [--baseline /tmp/warta-pyenv/bin/python] [--spark]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import warta

ROOT = Path(__file__).resolve().parents[2]
WARTA = ROOT / "target" / "release" / "warta"


def best(runs: int, run) -> float:
    """The shortest wall time of `runs` calls of `run`, in seconds."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def cli(path: Path, threads: int | None) -> None:
    flags = ["--threads", str(threads)] if threads else []
    with open(os.devnull, "wb") as null:
        subprocess.run([str(WARTA), "classify", "--quiet", *flags, str(path)], stdout=null, check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--baseline", help="a Python with spaCy and PySastrawi for benches/python_baseline.py")
    parser.add_argument("--spark", action="store_true", help="also time the Spark job on local[2]")
    args = parser.parse_args()

    subprocess.run(["cargo", "build", "--release", "--quiet", "-p", "warta-cli"], cwd=ROOT, check=True)
    tmp = Path(tempfile.mkdtemp(prefix="warta-bench-"))
    try:
        corpus = tmp / "1x.jsonl"
        with open(corpus, "wb") as out:
            subprocess.run(
                ["cargo", "run", "--release", "--quiet", "--example", "bench_corpus"],
                cwd=ROOT, stdout=out, stderr=subprocess.DEVNULL, check=True,
            )
        data = corpus.read_bytes()
        texts = [json.loads(line)["text"] for line in data.splitlines() if line.strip()]
        mb = len(data) / 1e6
        cores = os.cpu_count() or 1
        classifier = warta.Classifier()
        # Warm up: lexicon, boilerplate rules, thread pools.
        classifier.classify_many(texts[:50])
        classifier.classify_many(texts[:50], threads=1)

        rows = []
        for threads, label in ((1, "1"), (None, f"all ({cores})")):
            rows.append(("`warta classify` (CLI)", label, mb / best(args.runs, lambda: cli(corpus, threads))))
            rows.append((
                "`Classifier.classify_jsonl` (same bytes, same output lines)", label,
                mb / best(args.runs, lambda: classifier.classify_jsonl(data, threads=threads)),
            ))
            rows.append((
                "`Classifier.classify_many` (parsed texts, dicts out)", label,
                mb / best(args.runs, lambda: classifier.classify_many(texts, threads=threads)),
            ))
        # Same check as the tests, on the bench input: the package writes the CLI's lines.
        done = subprocess.run([str(WARTA), "classify", "--quiet", str(corpus)], capture_output=True, check=True)
        assert classifier.classify_jsonl(data) == done.stdout.decode().splitlines()

        if args.baseline:
            done = subprocess.run(
                [args.baseline, str(ROOT / "benches" / "python_baseline.py"), str(corpus)],
                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=True,
            )
            print(done.stderr.strip(), file=sys.stderr)
            rate = float(re.search(r"= ([0-9.]+) MB/s", done.stderr).group(1))
            rows.append(("`python_baseline.py` (spaCy + PySastrawi)", "1", rate))

        spark_rows = []
        if args.spark:
            big = tmp / "10x"
            big.mkdir()
            (big / "articles.jsonl").write_bytes(data * 10)
            big_mb = 10 * mb
            env = dict(os.environ, PYSPARK_PYTHON=sys.executable, SPARK_LOCAL_IP="127.0.0.1")
            job = ROOT / "examples" / "spark" / "classify.py"

            job_seconds: dict[str, list[float]] = {}

            def spark(mode: str) -> None:
                out = tmp / f"out-{mode}"
                shutil.rmtree(out, ignore_errors=True)
                done = subprocess.run(
                    [sys.executable, str(job), "--master", "local[2]", "--mode", mode, str(big), str(out)],
                    env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=True,
                )
                seconds = re.search(r"warta-classify: .* in ([0-9.]+) s", done.stderr).group(1)
                job_seconds.setdefault(mode, []).append(float(seconds))

            for mode in ("pandas", "pipe"):
                total = best(args.runs, lambda: spark(mode))
                spark_rows.append((
                    f"Spark job, `--mode {mode}`, local[2]",
                    f"{big_mb / total:.2f} ({big_mb / min(job_seconds[mode]):.2f} without start-up)",
                ))
            rate = big_mb / best(args.runs, lambda: cli(big / "articles.jsonl", None))
            spark_rows.append(("`warta classify` (CLI), all cores", f"{rate:.2f}"))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    load = " ".join(Path("/proc/loadavg").read_text().split()[:3]) if Path("/proc/loadavg").exists() else "?"
    print(f"{platform.processor() or platform.machine()}, {cores} cores; load average {load}; best of {args.runs} runs")
    print()
    print(f"Input: {len(texts)} articles, {mb:.2f} MB of JSON Lines")
    print()
    print("| program | threads | MB/s |")
    print("|---|---|---|")
    for name, threads, rate in rows:
        print(f"| {name} | {threads} | {rate:.2f} |")
    if spark_rows:
        print()
        print(f"Ten copies ({10 * mb:.2f} MB of JSON Lines):")
        print()
        print("| program | MB/s |")
        print("|---|---|")
        for name, rate in spark_rows:
            print(f"| {name} | {rate} |")


if __name__ == "__main__":
    main()
