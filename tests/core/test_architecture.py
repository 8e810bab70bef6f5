"""The engine stays GUI-free: core never imports Qt, the window, the CLI or the app root."""
import ast
import subprocess
import sys
from pathlib import Path

CORE = Path(__file__).resolve().parents[2] / "evidence_app" / "core"
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
