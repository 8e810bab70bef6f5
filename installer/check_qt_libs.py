"""Before `make run`: are the system libraries Qt's window (xcb) needs installed? (Debian/Ubuntu)

PySide6 brings Qt itself but not the X11/xcb libraries the desktop provides. Without them Qt aborts
with "Could not load the Qt platform plugin xcb". This prints the one apt-get line that fixes it
and exits 1; anywhere else (Windows, macOS, no dpkg, Wayland-only or offscreen) it says nothing.
The list was found by running the window under Xvfb on a fresh Debian 12 (ldd of libqxcb.so and
the libraries Qt loads at run time, such as libxcb-cursor0).
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys

PACKAGES = (
    "libxcb-cursor0", "libxcb-icccm4", "libxcb-keysyms1", "libxcb-image0", "libxcb-randr0",
    "libxcb-render-util0", "libxcb-shape0", "libxcb-shm0", "libxcb-sync1", "libxcb-util1",
    "libxcb-xfixes0", "libxcb-xkb1", "libxkbcommon-x11-0", "libxkbcommon0", "libx11-xcb1",
    "libegl1", "libgl1", "libfontconfig1", "libdbus-1-3", "libglib2.0-0",
)


def missing(packages: tuple[str, ...] = PACKAGES) -> list[str]:
    """The packages dpkg does not list as installed (empty where dpkg is absent)."""
    if shutil.which("dpkg-query") is None:
        return []
    out = []
    for package in packages:
        result = subprocess.run(["dpkg-query", "-W", "-f=${Status}", package],
                                capture_output=True, text=True, check=False)
        if "install ok installed" not in result.stdout:
            out.append(package)
    return out


def main() -> int:
    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM") == "offscreen":
        return 0
    absent = missing()
    if not absent:
        return 0
    sudo = "" if hasattr(os, "geteuid") and os.geteuid() == 0 else "sudo "
    print("The window needs system libraries that are not installed. Install them with:\n\n"
          f"    {sudo}apt-get install -y {' '.join(absent)}\n\n"
          "then run 'make run' again. (The command line works without them: "
          ".venv/bin/evidence-app --help)", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
