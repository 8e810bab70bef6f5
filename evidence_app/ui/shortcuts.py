"""Every keyboard shortcut of the window, as listed in the design (Help ▸ Keyboard shortcuts)."""
from __future__ import annotations

SHORTCUTS: list[tuple[str, str]] = [
    ("Ctrl+F", "Focus the search box"),
    ("Ctrl+T", "Tag the selected passage as evidence"),
    ("Ctrl+Shift+T", "Tag the whole document as evidence"),
    ("F3", "Next hit in the preview"),
    ("Shift+F3", "Previous hit in the preview"),
    ("Ctrl+1", "Search"),
    ("Ctrl+2", "Framework & coverage"),
    ("Ctrl+3", "Cases"),
    ("Ctrl+4", "Week-one requests"),
    ("Ctrl+5", "Bundles"),
    ("Ctrl+6", "Self-evaluation"),
    ("Ctrl+Z", "Undo"),
    ("Ctrl+Shift+Z", "Redo"),
    ("Ctrl+Y", "Redo"),
    ("Ctrl+E", "Export the bundle"),
    ("Ctrl+O", "Open a workspace"),
    ("F5", "Re-index now"),
    ("Alt+P", "Paragraph tagging mode (↑/↓ move, Enter tag)"),
    ("Ctrl+Q", "Quit"),
]
