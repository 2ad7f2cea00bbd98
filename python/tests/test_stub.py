"""The typing stub agrees with the extension module it describes."""

from __future__ import annotations

import ast

import warta
from conftest import ROOT

STUB = ROOT / "python" / "warta" / "_warta.pyi"


def literal_values(stub: str, name: str) -> list[str]:
    """The strings of `NAME = Literal[...]` in the stub's source, in order."""
    for node in ast.parse(stub).body:
        if (
            isinstance(node, ast.Assign)
            and [t.id for t in node.targets if isinstance(t, ast.Name)] == [name]
            and isinstance(node.value, ast.Subscript)
            and isinstance(node.value.value, ast.Name)
            and node.value.value.id == "Literal"
        ):
            items = node.value.slice
            elements = items.elts if isinstance(items, ast.Tuple) else [items]
            return [ast.literal_eval(e) for e in elements]
    raise AssertionError(f"{STUB} has no `{name} = Literal[...]`")


def test_the_stub_lists_the_topics_of_the_library_in_its_order():
    # warta.TOPICS is `warta::Topic::ALL` with the ids output uses.
    topics = literal_values(STUB.read_text(encoding="utf-8"), "Topic")
    assert topics == list(warta.TOPICS)
    assert len(topics) == 8
