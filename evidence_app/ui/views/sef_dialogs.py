"""Dialogs of the Self-evaluation place: writing a claim, an improvement action, freezing a
version, and choosing how to export. Each only gathers what the person typed; the view makes the
core write (with undo)."""
from __future__ import annotations


from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDateEdit, QDialog, QDialogButtonBox,
                               QFormLayout, QLabel, QLineEdit, QListWidget, QListWidgetItem,
                               QPlainTextEdit, QVBoxLayout, QWidget)

from evidence_app.core.base.frozen import frozen
from evidence_app.core.sef.model import (
    ACTION_STATUSES, CLAIM_TYPES, QUESTION_SHORT, QUESTIONS, TYPE_LABELS,
)
from evidence_app.ui.views.evidence_common import name


@frozen
class ClaimForm:
    """What the claim dialog was filled in with: where the claim goes, its type, its words and
    the lines of enquiry it speaks to."""

    area: str
    question: str
    type: str
    text: str
    enquiries: tuple[str, ...]


@frozen
class ActionForm:
    """What the action dialog was filled in with; `due` is "" when no date was ticked."""

    what: str
    owner: str
    due: str
    status: str


def _buttons(dialog: QDialog, ok_text: str) -> QDialogButtonBox:
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok |
                           QDialogButtonBox.StandardButton.Cancel)
    box.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
    box.accepted.connect(dialog.accept)
    box.rejected.connect(dialog.reject)
    return box


class ClaimDialog(QDialog):
    """A claim's area, question, type, text and lines of enquiry (ticked from the area's)."""

    def __init__(self, areas: list, enquiries: list, claim=None, area: str | None = None,  # noqa: ANN001
                 question: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Edit claim" if claim else "New claim")
        self.setAccessibleName(self.windowTitle())
        self._enquiries = enquiries          # [(id, area, title)]
        form = QFormLayout()
        self.area = QComboBox()
        for a in areas:
            self.area.addItem(a.title, a.id)
        self.question = QComboBox()
        for q in QUESTIONS:
            self.question.addItem(QUESTION_SHORT[q], q)
        self.type = QComboBox()
        for t in CLAIM_TYPES:
            self.type.addItem(TYPE_LABELS[t], t)
        self.text = QPlainTextEdit()
        self.text.setTabChangesFocus(True)
        self.text.setPlaceholderText("What the service knows, in a sentence or two: e.g. "
                                     "“Children are seen alone and their views shape their "
                                     "plans.”")
        self.text.setMinimumHeight(90)
        self.lines = QListWidget()
        self.lines.setMinimumHeight(140)
        for w, label, desc in ((self.area, "Area", "Which part of the self-evaluation"),
                               (self.question, "Question", "Which of the three questions"),
                               (self.type, "Type", "Strength, area for development or impact"),
                               (self.text, "Claim", "The claim's words"),
                               (self.lines, "Lines of enquiry", "Tick the lines it speaks to")):
            name(w, label, desc)
        form.addRow("&Area:", self.area)
        form.addRow("&Question:", self.question)
        form.addRow("&Type:", self.type)
        form.addRow("&Claim:", self.text)
        form.addRow("&Lines of enquiry:", self.lines)
        self.area.currentIndexChanged.connect(lambda _: self._fill_lines())
        self.ticked: set[str] = set(claim.enquiries) if claim else set()
        if claim is not None:
            self.area.setCurrentIndex(max(0, self.area.findData(claim.area)))
            self.question.setCurrentIndex(max(0, self.question.findData(claim.question)))
            self.type.setCurrentIndex(max(0, self.type.findData(claim.type)))
            self.text.setPlainText(claim.text)
        else:
            if area:
                self.area.setCurrentIndex(max(0, self.area.findData(area)))
            if question:
                self.question.setCurrentIndex(max(0, self.question.findData(question)))
        self._fill_lines()
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(_buttons(self, "Save claim" if claim else "Add claim"))
        self.resize(560, 480)
        self.text.setFocus()

    def _fill_lines(self) -> None:
        self.ticked |= self._checked()
        area = self.area.currentData()
        self.lines.clear()
        for eid, earea, title in self._enquiries:
            if area not in (None, "OVERVIEW") and earea != area and eid not in self.ticked:
                continue
            item = QListWidgetItem(f"{eid}  {title}")
            item.setData(Qt.ItemDataRole.UserRole, eid)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if eid in self.ticked else
                               Qt.CheckState.Unchecked)
            self.lines.addItem(item)

    def _checked(self) -> set[str]:
        out = set()
        for i in range(self.lines.count()):
            it = self.lines.item(i)
            if it.checkState() == Qt.CheckState.Checked:
                out.add(it.data(Qt.ItemDataRole.UserRole))
        return out

    def values(self) -> ClaimForm:
        shown = {self.lines.item(i).data(Qt.ItemDataRole.UserRole)
                 for i in range(self.lines.count())}
        chosen = self._checked() | (self.ticked - shown)
        return ClaimForm(self.area.currentData(), self.question.currentData(),
                         self.type.currentData(), self.text.toPlainText(), tuple(sorted(chosen)))


class ActionDialog(QDialog):
    """An improvement action: what, owner, due date, status."""

    def __init__(self, action=None, parent: QWidget | None = None) -> None:  # noqa: ANN001
        super().__init__(parent)
        # start-up: loaded when first used, not when the window opens
        from PySide6.QtCore import QDate

        self.setWindowTitle("Edit action" if action else "New improvement action")
        self.setAccessibleName(self.windowTitle())
        form = QFormLayout()
        self.what = QLineEdit(action.what if action else "")
        self.owner = QLineEdit(action.owner if action else "")
        self.has_due = QCheckBox("Due by")
        self.due = QDateEdit()
        self.due.setCalendarPopup(True)
        self.due.setDisplayFormat("dd/MM/yyyy")
        self.due.setDate(QDate.currentDate().addMonths(3))
        if action is not None and action.due:
            self.due.setDate(QDate.fromString(action.due[:10], "yyyy-MM-dd"))
            self.has_due.setChecked(True)
        self.has_due.toggled.connect(self.due.setEnabled)
        self.due.setEnabled(self.has_due.isChecked())
        self.status = QComboBox()
        for s in ACTION_STATUSES:
            self.status.addItem(s.capitalize(), s)
        if action is not None:
            self.status.setCurrentIndex(max(0, self.status.findData(action.status)))
        for w, label in ((self.what, "What will be done"), (self.owner, "Owner"),
                         (self.has_due, "Has a due date"), (self.due, "Due date"),
                         (self.status, "Status")):
            name(w, label)
        form.addRow("&What:", self.what)
        form.addRow("&Owner:", self.owner)
        form.addRow(self.has_due, self.due)
        form.addRow("&Status:", self.status)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(_buttons(self, "Save action" if action else "Add action"))
        self.resize(480, 200)

    def values(self) -> ActionForm:
        due = self.due.date().toString("yyyy-MM-dd") if self.has_due.isChecked() else ""
        return ActionForm(self.what.text(), self.owner.text(), due, self.status.currentData())


class ExportDialog(QDialog):
    """How to export: with the evidence bundle alongside, pseudonymised."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export the self-evaluation")
        self.setAccessibleName(self.windowTitle())
        self.bundle = QCheckBox("Also write the evidence bundle its [E-…] references point into")
        self.bundle.setChecked(True)
        self.pseudo = QCheckBox("Pseudonymise (children's names to their aliases; the file is "
                                "checked after writing)")
        name(self.bundle, "With the evidence bundle")
        name(self.pseudo, "Pseudonymise")
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel("Word, in the same style as the bundles: cover with marking, "
                             "contents, the three questions per area, the improvement plan and "
                             "the figures with their dates."))
        lay.addWidget(self.bundle)
        lay.addWidget(self.pseudo)
        lay.addWidget(_buttons(self, "Choose where…"))


class CompareDialog(QDialog):
    """Two versions side by side, claim by claim (what `sef diff` prints), computed on a
    worker each time a version is chosen."""

    def __init__(self, ctx, names: list[str], parent: QWidget | None = None) -> None:  # noqa: ANN001
        # start-up: loaded when first used, not when the window opens
        from PySide6.QtWidgets import QHBoxLayout, QTextBrowser

        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Compare versions")
        self.setAccessibleName(self.windowTitle())
        self.old, self.new = QComboBox(), QComboBox()
        for box in (self.old, self.new):
            for n in names + ["current"]:
                box.addItem("Now (not frozen)" if n == "current" else n, n)
        self.old.setCurrentIndex(max(0, len(names) - 1))
        self.new.setCurrentIndex(self.new.count() - 1)
        name(self.old, "Compare from", "The earlier version")
        name(self.new, "Compare to", "The later version, or now")
        row = QHBoxLayout()
        row.addWidget(QLabel("From"))
        row.addWidget(self.old, 1)
        row.addWidget(QLabel("to"))
        row.addWidget(self.new, 1)
        self.result = QTextBrowser()
        name(self.result, "Differences", "Claims added, removed, changed, or whose evidence "
             "changed strength")
        lay = QVBoxLayout(self)
        lay.addLayout(row)
        lay.addWidget(self.result, 1)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        box.rejected.connect(self.reject)
        lay.addWidget(box)
        self.old.currentIndexChanged.connect(lambda _: self.compare())
        self.new.currentIndexChanged.connect(lambda _: self.compare())
        self.resize(720, 520)
        self.compare()

    def compare(self) -> None:
        # start-up: loaded when first used, not when the window opens
        from evidence_app.core.sef import versions

        a, b = self.old.currentData(), self.new.currentData()
        self.result.setPlainText("Comparing…")
        self.ctx.run(lambda io: versions.diff(io.ws, a, b), self._show,
                     lambda message: self.result.setPlainText(message))

    def _show(self, data) -> None:  # noqa: ANN001  (a versions.SefDiff)
        import html  # start-up: loaded when first used, not when the window opens

        s = data.summary
        out = [f"<p><b>{html.escape(str(data.older))} → {html.escape(str(data.newer))}</b>: "
               f"{s.added} added, {s.removed} removed, {s.changed} changed, "
               f"{s.strength_changed} with a different strength of evidence.</p>"]
        signs = {"added": ("+", "#1e6b34"), "removed": ("−", "#9c0006"),
                 "changed": ("~", "#1f3864"), "strength": ("~", "#9c5700")}
        for c in data.changes:
            sign, colour = signs[c.change]
            line = (f"<p><span style='color:{colour}'><b>{sign} {c.ref}</b></span> "
                    f"({c.area}, {c.question}): {html.escape(c.text or '')}")
            if c.change == "changed":
                line += f"<br/><i>changed: {', '.join(c.fields)}</i>"
                if "text" in c.fields:
                    line += f"<br/>was: {html.escape(c.text_before or '')}"
            if c.strength_changed:
                line += (f"<br/>evidence: {c.strength_before} → {c.strength_after}")
            out.append(line + "</p>")
        if not data.changes:
            out.append("<p>No claim differs.</p>")
        self.result.setHtml("".join(out))
