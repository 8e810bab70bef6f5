"""What the evidence places share: calm inline messages, core writes (`Done`) on the undo
stack, and British date formats.

Small writes a person makes one at a time (tag, tick, rename, move) go to the window's one serial
writer through `ctx.write` (ui/context.py), which the UI thread waits for without freezing: an
undo command must know at once whether it worked, and a write queued behind the indexer must not
stop the window painting. Anything that reads or writes in bulk goes through `ctx.run`.
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Callable

import shiboken6
from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QUndoCommand
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QToolButton, QWidget

from evidence_app.core.base.changes import Done
from evidence_app.core.base.errors import EvidenceError
from evidence_app.ui.style import muted


class Notices(QObject):
    """Messages from undo/redo (which has no caller to return to) for any message bar to show."""

    message = Signal(str)


NOTICES = Notices()


def core_call(fn: Callable[..., Any], *args, **kwargs) -> tuple[Any, str | None]:
    """(result, None) or (None, a message a person can read) for one core call."""
    try:
        return fn(*args, **kwargs), None
    except EvidenceError as exc:
        return None, str(exc)


class CoreCommand(QUndoCommand):
    """One entry of the window's undo stack: a core write (`Done`) already made.

    Undo calls `done.undo(ws)` and keeps the `Done` it returns, whose own undo does the write
    again, so redo is the same call; the views showing what changed refresh by
    `done.changes.areas`. `push_done` has made the write once already, so the first redo
    (which QUndoStack.push calls) is skipped."""

    def __init__(self, ctx, done: Done, text: str | None = None) -> None:  # noqa: ANN001
        super().__init__(text or done.label or "Change")
        self.ctx, self.done = ctx, done
        self._skip = True

    def redo(self) -> None:
        if self._skip:
            self._skip = False
            return
        self._flip("redo")

    def undo(self) -> None:
        self._flip("undo")

    def _flip(self, verb: str) -> None:
        areas = set(self.done.changes.areas)
        back, error = (None, "it cannot be taken back") if self.done.undo is None else \
            core_call(self.ctx.write, self.done.undo)
        if error:
            NOTICES.message.emit(f"Could not {verb} “{self.text()}”: {error}")
            self.setObsolete(True)
        else:
            self.done = back
            areas |= set(back.changes.areas)
        self.ctx.changed(areas)


def push_done(ctx, write: Callable[[], Done], text: str | None = None  # noqa: ANN001
              ) -> tuple[Any, str | None]:
    """Make a core write now; when it works, put it on the undo stack (if it can be undone) and
    tell the views. Returns (its value, None) or (None, a message a person can read)."""
    done, error = core_call(ctx.write, lambda _ws: write())
    if error:
        return None, error
    if done.undo is not None:
        ctx.undo.push(CoreCommand(ctx, done, text))
    ctx.changed(set(done.changes.areas))
    return done.value, None


def undo_keys(widget: QWidget, ctx, bar: MessageBar | None = None) -> None:  # noqa: ANN001
    """Ctrl+Z / Ctrl+Y (and Ctrl+Shift+Z) on the window's undo stack from inside a dialog (a
    dialog's keys do not reach the window's Edit menu): what the dialog did is undone there,
    and `bar` shows why an undo could not be done."""
    stack = ctx.undo
    for action, keys in ((stack.createUndoAction(widget, "Undo"), ("Ctrl+Z",)),
                         (stack.createRedoAction(widget, "Redo"), ("Ctrl+Y", "Ctrl+Shift+Z"))):
        action.setShortcuts([QKeySequence(k) for k in keys])
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        widget.addAction(action)
    if bar is not None:
        NOTICES.message.connect(bar._from_undo)


class MessageBar(QWidget):
    """A calm one-line message above a view's content (never a modal box for routine trouble)."""

    def __init__(self, parent: QWidget | None = None, listen: bool = True) -> None:
        super().__init__(parent)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(8, 4, 4, 4)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.label.setAccessibleName("Message")
        close = QToolButton()
        close.setText("✕")
        close.setAutoRaise(True)
        close.setToolTip("Dismiss the message")
        close.setAccessibleName("Dismiss message")
        close.clicked.connect(self.hide)
        lay.addWidget(self.label, 1)
        lay.addWidget(close)
        self.setStyleSheet("MessageBar { background: palette(alternate-base); border-radius: 4px; }")
        self.setAutoFillBackground(True)
        self.hide()
        if listen:
            NOTICES.message.connect(self._from_undo)

    def _from_undo(self, text: str) -> None:
        if self.isVisible() or self.window().isVisible():
            self.show_message(text)

    def show_message(self, text: str, seconds: int = 0) -> None:
        self.label.setText(text)
        self.label.setAccessibleDescription(text)
        self.show()
        if seconds:
            QTimer.singleShot(seconds * 1000, self.hide)

    def text(self) -> str:
        return "" if self.isHidden() else self.label.text()


def name(widget: QWidget, accessible: str, description: str = "", tip: str = "") -> QWidget:
    widget.setAccessibleName(accessible)
    if description:
        widget.setAccessibleDescription(description)
    if tip:
        widget.setToolTip(tip)
    return widget


def button(text: str, description: str, slot) -> QPushButton:  # noqa: ANN001
    """A push button with its accessible name, description and tooltip, wired to `slot`."""
    b = QPushButton(text)
    name(b, text.replace("&", "").rstrip("…"), description, description)
    b.clicked.connect(slot)
    return b


def muted_label(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet(f"color: {muted().name()}")
    return label


# -- dates -------------------------------------------------------------------------------------
def _parse(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        when = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    if when.tzinfo is not None:  # stored in UTC: show in local time
        when = when.astimezone().replace(tzinfo=None)
    return when


def uk_date(value: str | None) -> str:
    when = _parse(value)
    return when.strftime("%d/%m/%Y") if when else ""


def uk_datetime(value: str | None) -> str:
    when = _parse(value)
    return when.strftime("%d/%m/%Y %H:%M") if when else ""


def _span(minutes: int) -> str:
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return f"{days} d {hours} h" if hours else f"{days} d"
    if hours:
        return f"{hours} h {mins} min" if mins else f"{hours} h"
    return f"{mins} min"


def countdown(due_at: str | None, now: dt.datetime | None = None, sent: bool = False) -> str:
    """'due in 3 h 20 min', 'overdue by 40 min', 'due now'; '' without a due time or once sent."""
    due = _parse(due_at)
    if due is None or sent:
        return ""
    now = (now or dt.datetime.now()).replace(second=0, microsecond=0)
    minutes = int((due - now).total_seconds() // 60)
    if minutes == 0:
        return "due now"
    return f"due in {_span(minutes)}" if minutes > 0 else f"overdue by {_span(-minutes)}"


class Place(QWidget):
    """A place of the window: refreshes when one of its `AREAS` changes (at once when shown,
    else the next time it is shown). Loads run on a worker; `loaded` fires after each."""

    AREAS: set[str] = set()
    loaded = Signal()

    def __init__(self, ctx, parent: QWidget | None = None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self.ctx = ctx
        self._dirty = True
        self._numbers: dict[str, int] = {}
        self._busy: set[str] = set()
        ctx.hub.changed.connect(self._on_changed)

    def _on_changed(self, areas: set) -> None:
        if not (set(areas) & self.AREAS):
            return
        self._dirty = True
        if self.isVisible():
            self.refresh()

    def showEvent(self, event) -> None:  # noqa: ANN001, N802
        super().showEvent(event)
        if self._dirty:
            self.refresh()

    def refresh(self) -> None:
        raise NotImplementedError

    @property
    def loading(self) -> bool:
        return bool(self._busy)

    def load(self, fn: Callable[[Any], Any], done: Callable[[Any], None],
             channel: str = "main") -> None:
        """Run `fn(ws)` on a worker with its own connection; `done(result)` on the UI thread if no
        newer load on the same channel started meanwhile."""
        if channel == "main":
            self._dirty = False
        number = self._numbers[channel] = self._numbers.get(channel, 0) + 1
        self._busy.add(channel)

        def finished(result: Any) -> None:
            if not shiboken6.isValid(self) or number != self._numbers[channel]:
                return
            self._busy.discard(channel)
            try:
                done(result)
            finally:
                self.loaded.emit()

        def failed(message: str) -> None:
            if not shiboken6.isValid(self) or number != self._numbers[channel]:
                return
            self._busy.discard(channel)
            bar = getattr(self, "message", None)
            if isinstance(bar, MessageBar):
                bar.show_message(message)
            self.loaded.emit()

        self.ctx.run(lambda io: fn(io.ws), finished, failed)
