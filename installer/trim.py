"""What the frozen build leaves out, in one place (used by evidence_app.spec, checked by tests).

The window uses QtCore, QtGui, QtWidgets and QtSvg, in English, and never the network. PyInstaller's
Qt hook would otherwise collect every plugin of every type those modules can load (KMS/EGL
framebuffers, VNC, TLS backends, network-information probes, a dozen image formats) and the Qt
translations for 30-odd languages. Plugins are filtered *before* PyInstaller follows their
shared-library dependencies, so the libraries only a dropped plugin needed are not collected
either. Babel (pulled in by docxcompose for a date-formatting path the app never takes) keeps
its English and Welsh locale data only.
"""
from __future__ import annotations

import os
import re

# Plugin type -> plugin names kept (file name without "lib"/"q" prefixes and extension).
# A type that is not listed is dropped whole.
QT_PLUGINS_KEEP: dict[str, set[str] | None] = {
    "platforms": {"xcb", "wayland", "wayland-generic", "wayland-egl", "windows", "cocoa",
                  "offscreen"},
    "platformthemes": {"xdgdesktopportal"},
    "platforminputcontexts": None,  # None: every plugin of this type (compose keys, ibus)
    "iconengines": {"svgicon"},
    "imageformats": {"svg", "ico", "jpeg"},
    "styles": None,  # Windows 11 style
    "xcbglintegrations": None,
    "wayland-decoration-client": None,
    "wayland-graphics-integration-client": None,
    "wayland-shell-integration": None,
}

# Python modules never imported by the app (some are pulled in by optional imports of libraries).
EXCLUDED_MODULES = [
    "tkinter", "_tkinter", "PySide6.QtNetwork", "PySide6.QtQml", "PySide6.QtQuick",
    "PySide6.QtOpenGL", "PySide6.QtOpenGLWidgets", "PySide6.QtPrintSupport", "PySide6.QtSql",
    "PySide6.QtTest", "PySide6.QtXml", "PySide6.QtConcurrent", "PySide6.QtUiTools",
    "PySide6.QtDesigner", "PySide6.QtHelp", "PySide6.QtSvgWidgets", "PySide6.QtDBus",
    "IPython", "matplotlib", "numpy", "pandas", "pytest", "hypothesis", "pydoc_data",
]

# Babel locale data kept: English (the app's language; British English chains to en_001 and en)
# and Welsh, plus the root every locale inherits from.
BABEL_LOCALES_KEEP = {"root", "en", "en_001", "en_GB", "cy", "cy_GB"}

# Windows: Mesa's software OpenGL (about 20 MB), a fallback for OpenGL the window never uses
# (it draws with Qt's raster engine).
DROPPED_FILES = {"opengl32sw.dll"}

_PREFIX = re.compile(r"^(lib)?q")


def plugin_name(filename: str) -> str:
    """'libqxcb.so' -> 'xcb'; 'qwindows.dll' -> 'windows'; 'libqsvgicon.dylib' -> 'svgicon'."""
    stem = os.path.basename(filename).split(".", 1)[0]
    return _PREFIX.sub("", stem, count=1)


def keep_plugin(plugin_type: str, filename: str) -> bool:
    if plugin_type not in QT_PLUGINS_KEEP:
        return False
    names = QT_PLUGINS_KEEP[plugin_type]
    return names is None or plugin_name(filename) in names


def keep_file(dest: str) -> bool:
    """Whether a collected file (its path inside the bundle) stays in the build."""
    parts = dest.replace("\\", "/").split("/")
    if parts[-1].lower() in DROPPED_FILES:
        return False
    if "PySide6" in parts and "translations" in parts:
        return False
    if "plugins" in parts and "PySide6" in parts:
        i = parts.index("plugins")
        if len(parts) > i + 2:
            return keep_plugin(parts[i + 1], parts[-1])
    if parts[:2] == ["babel", "locale-data"] and parts[-1].endswith(".dat"):
        return parts[-1][:-4] in BABEL_LOCALES_KEEP
    return True


def patch_qt_hook() -> bool:
    """Make PyInstaller's Qt hook collect only the plugins kept and no translations.

    Returns False if this PyInstaller has no such hook API (the TOC filter still trims)."""
    try:
        from PyInstaller.utils.hooks.qt import QtLibraryInfo
    except ImportError:
        return False
    if getattr(QtLibraryInfo, "_evidence_trimmed", False):
        return True
    collect_plugins = QtLibraryInfo.collect_plugins
    collect_module = QtLibraryInfo.collect_module

    def plugins(self, plugin_type):
        return [(src, dst) for src, dst in collect_plugins(self, plugin_type)
                if keep_plugin(plugin_type, src)]

    def module(self, module_name):
        hiddenimports, binaries, datas = collect_module(self, module_name)
        datas = [(src, dst) for src, dst in datas if not src.endswith(".qm")]
        return hiddenimports, binaries, datas

    QtLibraryInfo.collect_plugins = plugins
    QtLibraryInfo.collect_module = module
    QtLibraryInfo._evidence_trimmed = True
    return True
