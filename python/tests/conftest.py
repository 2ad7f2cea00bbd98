"""Shared helpers: the `warta` binary the Python results are compared with."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TESTS = Path(__file__).resolve().parent
sys.path.insert(0, str(TESTS))


def warta_binary() -> Path:
    """The CLI built from this checkout (`WARTA_BIN` overrides it).

    Missing, it fails the test: parity with the CLI is what is tested.
    """
    path = Path(os.environ.get("WARTA_BIN", ROOT / "target" / "release" / "warta"))
    if not path.is_file():
        pytest.fail(f"{path} is missing: run `cargo build --release -p warta-cli` first")
    return path


@pytest.fixture(scope="session")
def warta_bin() -> Path:
    return warta_binary()


def run_cli(binary: Path, *args: str, input: bytes) -> list[str]:
    """`warta ARGS` on `input`; its output lines. Fails on a fatal error."""
    done = subprocess.run(
        [str(binary), *args], input=input, capture_output=True, check=False
    )
    assert done.returncode in (0, 2), done.stderr.decode(errors="replace")
    return done.stdout.decode().splitlines()


def to_code_points(text: str, value):
    """A copy of `value` (CLI output) with every `start` and `end` turned
    from bytes into UTF-8 `text` into indices into `text` as a Python str."""
    data = text.encode()

    def convert(v):
        if isinstance(v, dict):
            return {
                k: len(data[:x].decode()) if k in ("start", "end") and isinstance(x, int) else convert(x)
                for k, x in v.items()
            }
        if isinstance(v, list):
            return [convert(x) for x in v]
        return v

    return convert(value)


def spans(value):
    """Every object in `value` that has `start` and `end`, with the key it
    stands under (`evidence`, `paragraphs`, `dateline`, ...)."""
    def walk(v, key):
        if isinstance(v, dict):
            if isinstance(v.get("start"), int) and isinstance(v.get("end"), int):
                yield key, v
            for k, x in v.items():
                yield from walk(x, k)
        elif isinstance(v, list):
            for x in v:
                yield from walk(x, key)

    yield from walk(value, None)
