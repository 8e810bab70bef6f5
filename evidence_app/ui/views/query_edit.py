"""The search box: completion for filters (case:, kind:, type:, path:, after:, before:) and help."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QStringListModel, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QCompleter, QFrame, QLabel, QLineEdit, QVBoxLayout, QWidget

FILTERS = ["case:", "kind:", "type:", "path:", "after:", "before:"]
KINDS = ["case-files", "policies", "other"]
TYPES = ["pdf", "docx", "doc", "xlsx", "odt", "rtf", "txt", "eml", "msg", "html", "csv", "word",
         "email", "spreadsheet"]

HELP_HTML = """
<h3 style="margin-top:0">Searching</h3>
<table cellspacing="4">
<tr><td><b>strategy meeting</b></td><td>both words, anywhere in the document</td></tr>
<tr><td><b>"strategy meeting"</b></td><td>the exact phrase</td></tr>
<tr><td><b>superv*</b></td><td>words starting with superv (supervision, supervisor)</td></tr>
<tr><td><b>neglect OR abuse</b></td><td>either word</td></tr>
<tr><td><b>visit NOT virtual</b>, <b>visit -virtual</b></td><td>leave out documents with a word</td></tr>
<tr><td><b>(police OR health) strategy</b></td><td>group with brackets</td></tr>
</table>
<h3>Filters</h3>
<table cellspacing="4">
<tr><td><b>case:CH-004512</b></td><td>one child's case files</td></tr>
<tr><td><b>kind:policies</b></td><td>case-files, policies or other</td></tr>
<tr><td><b>type:pdf</b></td><td>file type: pdf, docx, xlsx, email…</td></tr>
<tr><td><b>path:Visits</b></td><td>folder or file name contains</td></tr>
<tr><td><b>after:01/04/2025</b></td><td>changed on or after a date (dd/mm/yyyy)</td></tr>
<tr><td><b>before:31/03/2026</b></td><td>changed before a date</td></tr>
</table>
<p>Words match their other forms too: <i>assessment</i> finds <i>assessments</i>.</p>
"""


class SearchHelp(QFrame):
    """A popover explaining the search syntax (closes on click outside or Esc)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(14, 12, 14, 12)
        label = QLabel(HELP_HTML)
        label.setTextFormat(Qt.TextFormat.RichText)
        label.setWordWrap(True)
        label.setMinimumWidth(460)
        label.setAccessibleName("How to search")
        lay.addWidget(label)


class QueryEdit(QLineEdit):
    """A line edit whose completer completes the word at the cursor, not the whole text."""

    submitted = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText('Search case files and policies, e.g. "strategy meeting" case:CH-004512')
        self.setClearButtonEnabled(True)
        self.setAccessibleName("Search")
        self.setAccessibleDescription("Type words, phrases in quotes, or filters such as case:, "
                                      "kind:, type:, path:, after: and before:")
        self.case_refs: list[str] = []
        self._model = QStringListModel(self)
        self.completer_ = QCompleter(self._model, self)
        self.completer_.setWidget(self)
        self.completer_.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer_.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.completer_.setMaxVisibleItems(10)
        self.completer_.activated[str].connect(self.insert_completion)
        self.textEdited.connect(self._update_completion)
        self.returnPressed.connect(lambda: self.submitted.emit(self.text()))

    def set_case_refs(self, refs: list[str]) -> None:
        self.case_refs = refs

    def current_token(self) -> tuple[int, str]:
        """(start, text) of the word being typed at the cursor."""
        text = self.text()[:self.cursorPosition()]
        start = max(text.rfind(" "), text.rfind("("), text.rfind("-") if text.endswith("-") else -1) + 1
        return start, text[start:]

    def suggestions(self, token: str) -> list[str]:
        low = token.lower()
        if ":" not in token:
            return [f for f in FILTERS if f.startswith(low)] if len(low) >= 1 else []
        name, _, value = token.partition(":")
        name = name.lower()
        if name == "case":
            return [f"case:{r}" for r in self.case_refs if r.lower().startswith(value.lower())][:200]
        if name == "kind":
            return [f"kind:{k}" for k in KINDS if k.startswith(value.lower())]
        if name == "type":
            return [f"type:{t}" for t in TYPES if t.startswith(value.lower())]
        if name in ("after", "before") and not value:
            today = dt.date.today()
            start_year = dt.date(today.year if today.month >= 4 else today.year - 1, 4, 1)
            return [f"{name}:{start_year:%d/%m/%Y}", f"{name}:{today:%d/%m/%Y}"]
        return []

    def _update_completion(self, _text: str = "") -> None:
        _, token = self.current_token()
        items = self.suggestions(token) if token else []
        if not items or items == [token]:
            self.completer_.popup().hide()
            return
        self._model.setStringList(items)
        self.completer_.setCompletionPrefix(token)
        rect = self.cursorRect()
        rect.setWidth(max(220, self.completer_.popup().sizeHintForColumn(0) + 30))
        self.completer_.complete(rect)

    def insert_completion(self, completion: str) -> None:
        start, token = self.current_token()
        cursor = self.cursorPosition()
        text = self.text()
        add_space = not completion.endswith(":")
        new = text[:start] + completion + (" " if add_space else "")
        rest = text[cursor:]
        self.setText(new + rest.lstrip() if add_space else new + rest)
        self.setCursorPosition(len(new))
        self.textEdited.emit(self.text())
        if completion.endswith(":"):
            self._update_completion()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self.completer_.popup().isVisible() and event.key() in (
                Qt.Key.Key_Enter, Qt.Key.Key_Return, Qt.Key.Key_Tab, Qt.Key.Key_Escape,
                Qt.Key.Key_Backtab):
            event.ignore()  # the completer chooses (or closes) the suggestion
            return
        super().keyPressEvent(event)
