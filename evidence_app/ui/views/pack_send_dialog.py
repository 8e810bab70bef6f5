"""File ▸ Send evidence pack…: write a `.evpack` of this workspace's evidence (everything, or
some cases and/or lines of enquiry; with file copies; without real names; only what changed
since the last pack) on a worker, into Documents/Evidence Organiser by default."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QCheckBox, QDialog, QFileDialog, QFormLayout, QHBoxLayout, QLabel,
                               QLineEdit, QProgressBar, QPushButton, QVBoxLayout, QWidget)

from evidence_app.ui import save_location
from evidence_app.ui.views.evidence_common import MessageBar, muted_label, name


def default_name(person: str | None) -> str:
    who = re.sub(r"[^\w -]+", "", person or "").strip() or "My"
    return f"{who} evidence {dt.date.today():%Y-%m-%d}.evpack"


def _split(text: str) -> list[str]:
    return [t for t in re.split(r"[,\s;]+", text.strip()) if t]


class PackSendDialog(QDialog):
    exported = Signal(object)

    def __init__(self, ctx, parent: QWidget | None = None) -> None:  # noqa: ANN001
        super().__init__(parent)
        # start-up: loaded when first used, not when the window opens
        from evidence_app.core.settings import person_name

        self.ctx = ctx
        self.busy = False
        self.result_info = None
        self.setWindowTitle("Send an evidence pack")
        self.setAccessibleName(self.windowTitle())
        lay = QVBoxLayout(self)
        lay.addWidget(muted_label(
            "A pack carries your evidence, cases and deletions to a colleague's workspace (by "
            "e-mail, USB stick or SharePoint). Importing it twice, or in any order with others, "
            "loses and duplicates nothing."))
        form = QFormLayout()
        self.cases = QLineEdit()
        self.cases.setPlaceholderText("All cases (or e.g. CH-004512, CH-000777)")
        name(self.cases, "Only these cases", "Case references separated by commas; empty: all")
        form.addRow("&Cases:", self.cases)
        self.enquiries = QLineEdit()
        self.enquiries.setPlaceholderText("All lines of enquiry (or e.g. HP-06, CIC-02)")
        name(self.enquiries, "Only these lines of enquiry", "Ids separated by commas; empty: all")
        form.addRow("&Lines of enquiry:", self.enquiries)
        self.with_files = QCheckBox("Include copies of the documents (for colleagues who do not "
                                    "have the files)")
        name(self.with_files, "Include copies of the documents")
        self.no_names = QCheckBox("Leave children's real names out")
        name(self.no_names, "Leave children's real names out",
             "Names, other names, relatives and dates of birth stay on this machine")
        self.since_last = QCheckBox("Only what changed since my last pack")
        name(self.since_last, "Only what changed since my last pack")
        for box in (self.with_files, self.no_names, self.since_last):
            form.addRow("", box)
        row = QHBoxLayout()
        folder = save_location.default_folder()
        self.path = QLineEdit(str(folder / default_name(person_name(ctx.ws))))
        name(self.path, "Save as", "Where the pack is written")
        browse = QPushButton("C&hoose…")
        name(browse, "Choose where to save")
        browse.clicked.connect(self._browse)
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        label = QLabel("&Save as:")
        label.setBuddy(self.path)
        form.addRow(label, row)
        lay.addLayout(form)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        name(self.progress, "Export progress")
        self.progress.hide()
        lay.addWidget(self.progress)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        name(self.status, "Export status")
        lay.addWidget(self.status)
        self.message = MessageBar(self, listen=False)
        lay.addWidget(self.message)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.send_button = QPushButton("&Write pack")
        name(self.send_button, "Write the pack")
        self.send_button.setDefault(True)
        self.send_button.clicked.connect(self.start)
        close = QPushButton("Close")
        name(close, "Close")
        close.clicked.connect(self.reject)
        buttons.addWidget(self.send_button)
        buttons.addWidget(close)
        lay.addLayout(buttons)
        self.resize(640, 360)

    def _browse(self) -> None:
        chosen, _ = QFileDialog.getSaveFileName(self, "Save the evidence pack", self.path.text(),
                                                "Evidence packs (*.evpack)")
        if chosen:
            if not chosen.lower().endswith(".evpack"):
                chosen += ".evpack"
            self.path.setText(chosen)

    def start(self) -> None:
        if self.busy:
            return
        target = Path(self.path.text().strip()).expanduser()
        if not target.name:
            self.message.show_message("Say where to save the pack.")
            return
        if target.suffix.lower() != ".evpack":
            target = target.with_name(target.name + ".evpack")
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            self.message.show_message(f"Cannot use the folder {target.parent}: {exc.strerror}.")
            return
        if target.exists():
            n = 2
            while target.with_name(f"{target.stem} ({n}){target.suffix}").exists():
                n += 1
            target = target.with_name(f"{target.stem} ({n}){target.suffix}")
        self.busy = True
        self.send_button.setEnabled(False)
        self.message.hide()
        self.progress.show()
        self.status.setText("Writing the pack…")
        cases, enquiries = _split(self.cases.text()), _split(self.enquiries.text())
        opts = dict(with_files=self.with_files.isChecked(), no_names=self.no_names.isChecked(),
                    since_last=self.since_last.isChecked())

        def work(io):  # noqa: ANN001, ANN202
            # start-up: loaded when first used, not when the window opens
            from evidence_app.core.packs.export import export_pack

            return export_pack(io.ws, target, cases=cases, enquiries=enquiries,
                               on_progress=io.progress, write=io.write, **opts)

        self.ctx.run(work, self._done, self._failed)

    def _done(self, result) -> None:  # noqa: ANN001
        self.busy = False
        self.result_info = result
        self.progress.hide()
        self.send_button.setEnabled(True)
        save_location.remember_folder(Path(result.path))
        self.status.setText(result.line() + " Send this file to your colleague; it was "
                                            "recorded in the audit log.")
        self.ctx.changed({"packs"})
        self.exported.emit(result)

    def _failed(self, message: str) -> None:
        self.busy = False
        self.progress.hide()
        self.send_button.setEnabled(True)
        self.status.setText("No pack was written.")
        self.message.show_message(message)
