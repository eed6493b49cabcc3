"""Dependencies point inward: the pure core imports no I/O, no Telegram and no clock."""

from __future__ import annotations

import ast
from pathlib import Path

DOMAIN = Path(__file__).resolve().parent.parent / "bot" / "domain"
FORBIDDEN = (
    *(
        "telegram",
        "aiosqlite",
        "sqlite3",
        "apscheduler",
        "httpx",
        "aiohttp",
        "tornado",
        "os",
        "time",
    ),
    *("matplotlib", "icalendar", "bot.charts"),  # drawing and file formats stay at the edge
    *("bot.tg", "bot.storage", "bot.services", "bot.app", "bot.config"),
)


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_domain_imports_nothing_from_the_shell() -> None:
    files = sorted(DOMAIN.rglob("*.py"))
    assert files
    for path in files:
        for name in imported_modules(path):
            bad = [f for f in FORBIDDEN if name == f or name.startswith(f + ".")]
            assert not bad, f"{path.name} imports {name}"


def test_domain_never_reads_the_clock() -> None:
    for path in sorted(DOMAIN.rglob("*.py")):
        text = path.read_text()
        for call in ("datetime.now(", "datetime.utcnow(", "date.today(", "time.time("):
            assert call not in text, f"{path.name} reads the clock via {call}"


BOT = DOMAIN.parent
# The wiring: the only modules of bot/tg/ that build or name storage (bot/app.py is outside).
TG_WIRING = {"context.py"}
# Handlers of the set-log slice (s3-b1) that still name storage types; that slice removes
# these imports, and this list goes with them at merge.
TG_STORAGE_PENDING: set[str] = set()
# A cycle another slice removes: the card views (s3-b1).
CYCLES_PENDING: list[set[str]] = []


def module_name(path: Path) -> str:
    parts = path.relative_to(BOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph() -> dict[str, set[str]]:
    """bot/'s modules and the modules of bot/ each imports, type-only and local ones included."""
    modules = {module_name(p): p for p in BOT.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Import):
                found.update(a.name for a in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:  # relative: resolve against the package
                    up = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*up, *([node.module] if node.module else [])])
                found.add(base)
                found.update(f"{base}.{a.name}" for a in node.names)  # `from pkg import mod`
        graph[name] = {m for m in found if m in modules and m != name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[set[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    out: list[set[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = set()
            while True:
                w = stack.pop()
                component.add(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(component)

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_the_telegram_shell_reaches_storage_only_through_the_wiring() -> None:
    tg = BOT / "tg"
    for path in sorted(tg.glob("*.py")):
        if path.name in TG_WIRING | TG_STORAGE_PENDING:
            continue
        for name in imported_modules(path):
            assert not name.startswith("bot.storage"), f"tg/{path.name} imports {name}"
    for name in TG_WIRING | TG_STORAGE_PENDING:
        assert (tg / name).exists(), f"tg/{name} is gone: take it off the list"


# BotData's repositories: the wiring fills them; handlers reach storage through use cases only.
REPO_ATTRIBUTES = {"repo", "db", "workouts", "schedules", "userdata", "safety_store"}
# Handlers of the set-log slice (s4, the LOG engineer) that still reach repositories through
# BotData; that slice moves those calls into use cases, and the lead empties this at merge.
REPO_PENDING: set[str] = set()


def _is_bot_data(node: ast.expr) -> bool:
    """`context.bot_data`, `app.bot_data`, or a local named `bot_data` or `data`."""
    if isinstance(node, ast.Attribute):
        return node.attr == "bot_data"
    return isinstance(node, ast.Name) and node.id in ("bot_data", "data")


def repository_uses(source: str) -> list[str]:
    """Where `source` touches a repository of BotData: `data.repo`, `bot_data.journal.repo`..."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Attribute):
            continue
        journal_repo = (
            node.attr == "repo"
            and isinstance(node.value, ast.Attribute)
            and node.value.attr == "journal"
            and _is_bot_data(node.value.value)
        )
        if journal_repo or (node.attr in REPO_ATTRIBUTES and _is_bot_data(node.value)):
            found.append((node.lineno, f"line {node.lineno}: {ast.unparse(node)}"))
    return [text for _line, text in sorted(found)]


def test_handlers_reach_repositories_only_through_use_cases() -> None:
    tg = BOT / "tg"
    for path in sorted(tg.glob("*.py")):
        if path.name in TG_WIRING | REPO_PENDING:
            continue
        uses = repository_uses(path.read_text())
        assert not uses, f"tg/{path.name} calls storage past the use cases: {uses}"
    for name in REPO_PENDING:
        assert (tg / name).exists(), f"tg/{name} is gone: take it off REPO_PENDING"


def test_the_repository_check_finds_each_spelling() -> None:
    handler = """
async def h(update, context):
    data = context.bot_data
    await data.repo.get_user(1)
    await context.bot_data.schedules.schedule(1)
    await app.bot_data.journal.repo.prune(now)
    await bot_data.db.write("x")
    await data.progress.chart(1, "back")  # a use case: fine
    await self.repo.record(1)  # not BotData: fine
"""
    assert repository_uses(handler) == [
        "line 4: data.repo",
        "line 5: context.bot_data.schedules",
        "line 6: app.bot_data.journal.repo",
        "line 7: bot_data.db",
    ]


def test_bot_has_no_import_cycles() -> None:
    unexpected = [c for c in cycles(import_graph()) if c not in CYCLES_PENDING]
    assert not unexpected, f"import cycles: {unexpected}"


def test_the_cycle_finder_finds_a_cycle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [{"a", "b", "c"}]
    assert cycles({"a": {"b"}, "b": set()}) == []


MAX_LINES = 400
CHECKED = ("bot", "standin", "bench", "tests")


def long_modules(root: Path) -> dict[str, int]:
    """Every Python module under root's checked folders with more than MAX_LINES lines."""
    found = {}
    for folder in CHECKED:
        for path in sorted((root / folder).rglob("*.py")):
            if (n := len(path.read_text().splitlines())) > MAX_LINES:
                found[path.relative_to(root).as_posix()] = n
    return found


def test_no_module_over_400_lines() -> None:
    """Issue #13 point 7: the house stays easy to read, everywhere, with no pending list."""
    assert long_modules(BOT.parent) == {}


def test_the_length_check_finds_a_long_module(tmp_path: Path) -> None:
    (tmp_path / "bench").mkdir()
    (tmp_path / "bot" / "domain").mkdir(parents=True)
    (tmp_path / "bench" / "ok.py").write_text("x = 1\n" * MAX_LINES)
    (tmp_path / "bot" / "domain" / "long.py").write_text("x = 1\n" * (MAX_LINES + 1))
    assert long_modules(tmp_path) == {"bot/domain/long.py": MAX_LINES + 1}
