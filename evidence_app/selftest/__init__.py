"""`evidence-app --self-test`: the engine's steps (engine.py) plus the window's parts.

The window is never shown: Qt is started on its offscreen platform, which proves that an
installed build carries the Qt libraries and plugins the window needs (the platform plugin, the
SVG icon engine, fonts) and that every window module loads. This module is the only part of the
self-test that imports Qt, so core stays free of it.

The self-test checks both faces, so it sits above them: the app root (app.py) hands it to the
command line, which only parses `--self-test` (the command line never imports the window).
The files it indexes come from the sample writers (files.py), so it also sits above the samples,
outside the core.
"""
from __future__ import annotations

import importlib
import os
import pkgutil

from evidence_app.selftest.engine import Run, StepFailed, run_self_test

ICON_SIZES = (16, 32, 48, 256)


def step_window_parts(run: Run) -> str:
    if "PySide6.QtWidgets" not in __import__("sys").modules:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # no window, also on a desktop
    # each step loads its own parts: a broken one fails that step, with its name
    from PySide6.QtGui import QFontDatabase
    from PySide6.QtWidgets import QApplication

    # each step loads its own parts: a broken one fails that step, with its name
    from evidence_app import ui
    from evidence_app.ui.launch import create_application
    from evidence_app.ui.style import app_icon

    app = QApplication.instance() or create_application(["evidence-app"])
    modules = 0
    for info in pkgutil.walk_packages(ui.__path__, f"{ui.__name__}."):
        importlib.import_module(info.name)
        modules += 1
    icon = app_icon()
    blank = [s for s in ICON_SIZES if icon.pixmap(s, s).isNull()]
    if icon.isNull() or blank:
        raise StepFailed(f"the app icon (icons/app.svg) cannot be drawn at {blank or ICON_SIZES} px"
                         " (the SVG icon plugin or the icons folder is missing)")
    if not QFontDatabase.families():
        raise StepFailed("Qt finds no fonts on this machine")
    return (f"Qt {__import__('PySide6').__version__} on the {app.platformName()} platform, "
            f"{modules} window modules loaded, app icon drawn")


def run(out=print) -> int:
    """What `evidence-app --self-test` runs: exit code 0 when every step passed."""
    return run_self_test(out, extra_steps=[("window parts", step_window_parts)])
