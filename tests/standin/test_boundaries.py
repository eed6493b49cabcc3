"""The stand-in is its own package: the product never leans on it, and it has no import cycle."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
STANDIN = ROOT / "standin"
PRODUCT = ROOT / "bot"
# The terminal demo is the one part of the product that talks to the stand-in.
ALLOWED_IN_PRODUCT = {PRODUCT / "cli" / "demo.py"}


def imports(path: Path) -> set[str]:
    """Every module a file imports, type-only imports included."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_the_stand_in_imports_nothing_from_the_bot() -> None:
    files = sorted(STANDIN.glob("*.py"))
    assert len(files) > 5
    for path in files:
        bad = {n for n in imports(path) if n == "bot" or n.startswith("bot.")}
        assert not bad, f"standin/{path.name} imports {sorted(bad)}"


def test_only_the_demo_in_the_product_uses_the_stand_in() -> None:
    users = {
        path
        for path in PRODUCT.rglob("*.py")
        if any(n == "standin" or n.startswith("standin.") for n in imports(path))
    }
    assert users == ALLOWED_IN_PRODUCT


def test_the_stand_in_has_no_import_cycle() -> None:
    graph = {
        path.stem: {n.split(".")[1] for n in imports(path) if n.startswith("standin.")}
        for path in STANDIN.glob("*.py")
        if path.stem != "__init__"
    }
    assert graph
    done: set[str] = set()

    def visit(module: str, trail: tuple[str, ...]) -> None:
        assert module not in trail, "import cycle: " + " -> ".join((*trail, module))
        if module in done:
            return
        for nxt in sorted(graph.get(module, set())):
            visit(nxt, (*trail, module))
        done.add(module)

    for module in sorted(graph):
        visit(module, ())
