"""The engine stays GUI-free: core never imports Qt, the window, the CLI or the app root."""
import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CORE = ROOT / "evidence_app" / "core"
FORBIDDEN = ("PySide6", "shiboken6", "evidence_app.ui", "evidence_app.cli", "evidence_app.app")


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against the package
                pkg = path.relative_to(CORE.parent.parent).with_suffix("").parts[:-node.level]
                base = ".".join(pkg)
                names.append(f"{base}.{node.module}" if node.module else base)
                for alias in node.names:
                    names.append(f"{base}.{alias.name}" if not node.module else f"{base}.{node.module}")
            elif node.module:
                names.append(node.module)
    return names


def test_core_source_never_imports_gui_cli_or_app():
    offenders = []
    for path in CORE.rglob("*.py"):
        for name in _imports(path):
            if any(name == f or name.startswith(f + ".") for f in FORBIDDEN):
                offenders.append(f"{path.relative_to(CORE)}: {name}")
    assert not offenders, offenders


def test_importing_every_core_module_loads_no_qt():
    code = (
        "import importlib, pkgutil, sys\n"
        "import evidence_app.core as core\n"
        "for m in pkgutil.walk_packages(core.__path__, 'evidence_app.core.'):\n"
        "    if '__main__' in m.name: continue\n"
        "    importlib.import_module(m.name)\n"
        "bad = [m for m in sys.modules if m.startswith(('PySide6', 'evidence_app.ui', "
        "'evidence_app.cli', 'evidence_app.app'))]\n"
        "print(bad)\n"
        "raise SystemExit(1 if bad else 0)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_import_contract_holds():
    """The layers in pyproject.toml's [tool.importlinter] (README "Architecture"): each layer
    imports only the layers below it, the window and the command line never import each other,
    and the core imports no face, samples or Qt. Imports inside functions count too."""
    code = ("import sys; from importlinter.cli import lint_imports; "
            "sys.exit(lint_imports(no_cache=True))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=CORE.parents[1])
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    assert "0 broken" in proc.stdout


def test_no_module_imports_itself_round_a_cycle():
    """No import cycles between the app's modules (each module's imports, in functions too;
    annotations under TYPE_CHECKING excepted): every module can be read from the bottom up."""
    import grimp

    graph = grimp.build_graph("evidence_app", exclude_type_checking_imports=True, cache_dir=None)
    cycles = []
    for module in sorted(graph.modules):
        for imported in graph.find_modules_directly_imported_by(module):
            if module in graph.find_upstream_modules(imported):
                cycles.append(f"{module} <-> {imported}")
    assert not cycles, cycles


def test_every_kind_of_worker_task_names_a_task_field_and_a_handler():
    """The pool's workers find the handler of each kind of task by name (task_kinds.py), so a
    mistyped entry would only show when that task first runs: check them all here."""
    import dataclasses
    import inspect

    from evidence_app.core.index import task_kinds
    from evidence_app.core.index.extract_worker import Task

    fields = {f.name for f in dataclasses.fields(Task)}
    for kind in task_kinds.KINDS:
        assert kind in fields, kind
        assert inspect.isfunction(task_kinds.handler(kind)), kind
        assert task_kinds.kind_of(Task("x", **{kind: (1, 1.0)})) == kind
    assert task_kinds.kind_of(Task("x")) is None


def test_cli_parts_take_their_helpers_from_common_not_from_the_parser():
    """cli/main.py imports every part (by name, to register its commands); a part importing
    cli/main.py back would close a cycle. Parts share helpers through cli/common.py."""
    cli = CORE.parent / "cli"
    offenders = [f"{path.name}: {name}" for path in sorted(cli.glob("*.py"))
                 if path.name != "main.py"
                 for name in _imports(path) if name == "evidence_app.cli.main"]
    assert not offenders, offenders


def _imports_inside_functions(path: Path) -> list[tuple[int, int]]:
    """(first line, indent) of each import statement inside a function, outside TYPE_CHECKING."""
    found = []

    def visit(node, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                continue
            inside = in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef))
            if in_function and isinstance(child, (ast.Import, ast.ImportFrom)):
                found.append((child.lineno, child.col_offset))
            visit(child, inside)

    visit(ast.parse(path.read_text(encoding="utf-8")), False)
    return found


def test_every_import_inside_a_function_says_why_it_is_there():
    """Imports inside functions stay only where they keep start-up short (or, in the self-test,
    let a broken part fail its own step); each says so in a comment, on its line or just above
    its group of imports. Anything else belongs at the top of its module."""
    unexplained = []
    for path in sorted((CORE.parent).rglob("*.py")):
        lines = path.read_text(encoding="utf-8").splitlines()
        for lineno, indent in _imports_inside_functions(path):
            i = lineno - 1
            if "#" in lines[i]:
                continue
            k = i - 1  # walk up over the imports of the same group
            while k >= 0 and lines[k].startswith(" " * indent) and \
                    lines[k].strip().startswith(("import ", "from ", ")")) or \
                    k >= 0 and lines[k].startswith(" " * (indent + 4)) and "import" not in lines[k]:
                k -= 1
            if k >= 0 and lines[k].strip().startswith("#"):
                continue
            unexplained.append(f"{path.relative_to(CORE.parents[1])}:{lineno}")
    assert not unexplained, unexplained


def test_only_the_store_imports_a_migration():
    """Migrations (core/store/m0*.py) are frozen history: a constant the app uses lives in the
    core module that owns it (evidence.STRENGTHS, requests.REQUEST_STATUSES, bundles.GROUPINGS,
    cases.CASE_STATUSES …), so changing it never means editing a migration."""
    app = CORE.parent
    offenders = []
    for path in sorted(app.rglob("*.py")):
        if (CORE / "store") in path.parents:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [f"{node.module}.{a.name}" for a in node.names] + [node.module or ""] \
                if isinstance(node, ast.ImportFrom) else []
            offenders += [f"{path.relative_to(app.parent)}: {n}" for n in names
                          if n.startswith("evidence_app.core.store.m0")]
    assert not offenders, offenders


def test_every_module_says_why_it_is_there():
    """Every module of the app opens with a docstring (the guide: names that say what they
    hold, docstrings that say why), package files included."""
    bare = [str(p.relative_to(ROOT)) for p in sorted((ROOT / "evidence_app").rglob("*.py"))
            if not ast.get_docstring(ast.parse(p.read_text(encoding="utf-8")))]
    assert bare == [], f"modules without a docstring: {bare}"


SQL_METHODS = {"execute", "executemany", "executescript", "query"}


def _sql_calls(source: str) -> list[int]:
    """Lines calling `.execute(`, `.executemany(`, `.executescript(` or `.query(` on anything
    (a DB-API connection or cursor, a sqlite-utils Database)."""
    return sorted(node.lineno for node in ast.walk(ast.parse(source))
                  if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                  and node.func.attr in SQL_METHODS)


def test_sql_runs_only_in_the_store():
    """Issue 12: every SQL statement lives in core/store/ (one module per table family); the
    stages keep the rules and call the store, the faces never touch a connection. No allow-list:
    a module outside core/store/ that runs SQL itself fails here."""
    assert _sql_calls("conn.execute('SELECT 1')\nws.db.conn.executemany(sql, rows)\n"
                      "c.executescript(s)\ndb.query('SELECT 1')\nexecute(x)\nc.executed\n"
                      ) == [1, 2, 3, 4]  # the check itself finds every form, and only those
    store = CORE / "store"
    offenders = [f"{path.relative_to(CORE.parents[1])}:{line}"
                 for path in sorted(CORE.parent.rglob("*.py")) if store not in path.parents
                 for line in _sql_calls(path.read_text(encoding="utf-8"))]
    assert not offenders, offenders
