"""The README's pandas example runs and prints what the README shows."""

from __future__ import annotations

import contextlib
import io
import re

from conftest import ROOT


def readme_example() -> tuple[str, str]:
    """The Python block after `<!-- pandas example -->` and the text block
    after it."""
    readme = (ROOT / "README.md").read_text()
    match = re.search(
        r"<!-- pandas example -->\n```python\n(.*?)```\n\n```text\n(.*?)```", readme, re.S
    )
    assert match, "README.md has no pandas example followed by its output"
    return match.group(1), match.group(2)


def test_the_pandas_example_prints_what_the_readme_shows():
    code, shown = readme_example()
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "README.md (pandas example)", "exec"), {"__name__": "readme"})
    assert out.getvalue() == shown


def test_the_package_docstring_examples_run():
    import doctest

    import warta

    result = doctest.testmod(warta)
    assert result.attempted >= 5 and result.failed == 0
