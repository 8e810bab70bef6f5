"""What a person changes in the self-evaluation view: claims, citations, figures, improvement
actions, frozen versions and the Word export.

A mixin of `SefView` (ui/views/sef_view.py), which supplies `ctx`, `doc`, `area_id`,
`claim_id`, `current_view()`, the message bar and the lists these read; kept in its own file so
the view's file holds how the place is laid out and filled, and this one what each button does.
Every edit is one core write returning a `Done`, put on the window's undo stack (Ctrl+Z);
exporting runs on a worker."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog

from evidence_app.core.base.changes import Done
from evidence_app.core.evidence import framework
from evidence_app.core.sef import actions as sef_actions
from evidence_app.core.sef import claims as sef_claims
from evidence_app.core.sef import versions as sef_versions
from evidence_app.core.sef.model import claim_ref
from evidence_app.ui.views.evidence_common import push_done
from evidence_app.ui.views.sef_widgets import ALL, CITE_ROLE, CLAIM_ROLE


class SefEdits:
    """The self-evaluation view's writes (each a core write with its undo on the window's
    stack), its versions and its export."""

    def _do(self, write, text: str | None = None):  # noqa: ANN001, ANN202
        value, error = push_done(self.ctx, write, text)
        if error:
            self.message.show_message(error)
        return value

    def _enquiries(self) -> list:
        return [(e.id, e.area_id, e.title) for e in framework.enquiries(self.ctx.ws)]

    def new_claim(self) -> None:
        # start-up: loaded when first used, not when the window opens
        from evidence_app.ui.views.sef_dialogs import ClaimDialog

        if self.doc is None:
            return
        area = None if self.area_id == ALL else self.area_id
        dlg = ClaimDialog(list(self.doc.areas), self._enquiries(), area=area, parent=self)
        if dlg.exec() != ClaimDialog.DialogCode.Accepted:
            return
        v = dlg.values()
        made = self._do(lambda: sef_claims.add(self.ctx.ws, v.area, v.question, v.text,
                                               type=v.type, enquiries=list(v.enquiries)))
        if made is not None:
            self.claim_id = made.id
            self.message.show_message(f"Added {claim_ref(made.id)}. Drag evidence onto its "
                                      "citations to show what proves it.", 8)

    def edit_claim(self) -> None:
        # start-up: loaded when first used, not when the window opens
        from evidence_app.ui.views.sef_dialogs import ClaimDialog

        v = self.current_view()
        if v is None:
            return
        c = v.claim
        dlg = ClaimDialog(list(self.doc.areas), self._enquiries(), claim=c, parent=self)
        if dlg.exec() != ClaimDialog.DialogCode.Accepted:
            return
        new = dlg.values()
        self._do(lambda: sef_claims.edit(
            self.ctx.ws, c.id, text=new.text, type=new.type, area=new.area,
            question=new.question,
            enquiries=[e for e in new.enquiries if e not in c.enquiries],
            drop_enquiries=[e for e in c.enquiries if e not in new.enquiries]))

    def delete_claim(self) -> None:
        v = self.current_view()
        if v is None:
            return
        ref = claim_ref(v.claim.id)
        if self._do(lambda: sef_claims.delete(self.ctx.ws, v.claim.id)) is not None:
            self.message.show_message(f"Deleted {ref}. Ctrl+Z brings it back.", 8)

    def cite_dropped(self, item_ids: list[int], document_ids: list[int]) -> bool:
        """A drop on the citations: evidence items are cited; documents through their evidence
        (or tagged whole under the claim's lines first). One undo step."""
        v = self.current_view()
        if v is None or not (item_ids or document_ids):
            return False
        cid = v.claim.id

        def write():  # noqa: ANN202
            if document_ids:
                done = sef_claims.cite_documents(self.ctx.ws, cid, document_ids)
                if item_ids:
                    more = sef_claims.edit(self.ctx.ws, cid, cites=[f"E-{i}" for i in item_ids])
                    return _pair(done, more)
                return done
            return sef_claims.edit(self.ctx.ws, cid, cites=[f"E-{i}" for i in item_ids])

        done = self._do(write, f"Cite evidence in {claim_ref(cid)}")
        return done is not None

    def uncite(self) -> None:
        v = self.current_view()
        chosen = [i.data(CITE_ROLE) for i in self.citations.selectedItems()]
        if v is None or not chosen:
            return
        typed = [f"E-{ref}" if kind == "evidence" else f"{kind}:{ref}" if kind == "search"
                 else f"figure:{ref}" for kind, ref in chosen]
        self._do(lambda: sef_claims.edit(self.ctx.ws, v.claim.id, uncite=typed))

    def cite_figure(self) -> None:
        v = self.current_view()
        if v is None:
            return
        figure = self.figure.currentData()  # read here: the write runs on the window's writer
        self._do(lambda: sef_claims.edit(self.ctx.ws, v.claim.id, figures=[figure]))

    def add_action(self) -> None:
        # start-up: loaded when first used, not when the window opens
        from evidence_app.ui.views.sef_dialogs import ActionDialog

        v = self.current_view()
        if v is None:
            return
        dlg = ActionDialog(parent=self)
        if dlg.exec() != ActionDialog.DialogCode.Accepted:
            return
        a = dlg.values()
        self._do(lambda: sef_actions.add(self.ctx.ws, v.claim.id, a.what, owner=a.owner,
                                         due=a.due or None, status=a.status))

    def edit_action(self) -> None:
        # start-up: loaded when first used, not when the window opens
        from evidence_app.ui.views.sef_dialogs import ActionDialog

        v, item = self.current_view(), self.plan.currentItem()
        if v is None or item is None:
            return
        action = next((a for a in v.actions if a.id == item.data(CLAIM_ROLE)), None)
        if action is None:
            return
        dlg = ActionDialog(action, parent=self)
        if dlg.exec() != ActionDialog.DialogCode.Accepted:
            return
        a = dlg.values()
        self._do(lambda: sef_actions.set_action(self.ctx.ws, action.id, what=a.what,
                                                owner=a.owner, due=a.due, status=a.status))

    def freeze(self) -> None:
        # start-up: loaded when first used, not when the window opens
        from PySide6.QtWidgets import QInputDialog

        suggested = f"v{len(self.doc.versions) + 1 if self.doc else 1}"
        text, ok = QInputDialog.getText(self, "Freeze a version", "Name of this version (e.g. "
                                        "v1 for the annual engagement meeting):", text=suggested)
        if not ok:
            return
        made = self._do(lambda: sef_versions.freeze(self.ctx.ws, text))
        if made is not None:
            self.message.show_message(f"Froze “{made.name}”: its text and figures stay as they "
                                      "are now.", 8)

    def compare(self) -> None:
        # start-up: loaded when first used, not when the window opens
        from evidence_app.ui.views.sef_dialogs import CompareDialog

        names = [v.name for v in self.doc.versions] if self.doc else []
        if not names:
            self.message.show_message("Nothing to compare yet: freeze a version first (it keeps "
                                      "the text and figures as they are now).", 8)
            return
        self.compare_dialog = CompareDialog(self.ctx, names, self)
        self.compare_dialog.show()

    def export(self) -> None:
        # start-up: loaded when first used, not when the window opens
        from evidence_app.ui.save_location import default_folder
        from evidence_app.ui.views.sef_dialogs import ExportDialog

        dlg = ExportDialog(self)
        if dlg.exec() != ExportDialog.DialogCode.Accepted:
            return
        with_bundle, pseudo = dlg.bundle.isChecked(), dlg.pseudo.isChecked()
        start = str(default_folder() / "Self-evaluation.docx")
        path, _ = QFileDialog.getSaveFileName(self, "Export the self-evaluation", start,
                                              "Word document (*.docx)")
        if path:
            # start-up: loaded when first used, not when the window opens
            from evidence_app.ui.save_location import remember_folder

            remember_folder(Path(path).parent)
            self.export_to(Path(path), with_bundle=with_bundle, pseudonymise=pseudo, force=True)

    def export_to(self, path: Path, *, with_bundle: bool = False, pseudonymise: bool = False,
                  force: bool = False, on_done=None) -> None:  # noqa: ANN001
        """Write the export on a worker; the result (or the reason it was refused) is shown."""
        # start-up: loaded when first used, not when the window opens
        from evidence_app.core.sef import export as sef_export

        self.export_button.setEnabled(False)
        self.message.show_message(f"Exporting to {path.name}…")

        def work(io):  # noqa: ANN001, ANN202
            return sef_export.export(io.ws, path, with_bundle=with_bundle,
                                     pseudonymise=pseudonymise, force=force, cancel=io.cancel,
                                     write=io.write)

        def finished(r) -> None:  # noqa: ANN001
            self.export_button.setEnabled(True)
            self.message.show_message(
                f"Wrote {r.path.name} ({r.claims} claims, {r.citations} citations)"
                + (f" and {r.bundle.name}" if r.bundle else "")
                + (", pseudonymised and checked" if r.pseudonymised else "") + ".")
            if on_done:
                on_done(r)

        def failed(message: str) -> None:
            self.export_button.setEnabled(True)
            self.message.show_message(message)
            if on_done:
                on_done(None)

        self.ctx.run(work, finished, failed)


def _pair(first, second):  # noqa: ANN001, ANN202
    """Two writes as one undo step (newest undone first)."""
    def undo(ws):  # noqa: ANN001, ANN202
        b = second.undo(ws)
        a = first.undo(ws)
        return Done(a.value, a.changes | b.changes, lambda w: _pair(a.undo(w), b.undo(w)),
                    "Undo citations")

    return Done(second.value, first.changes | second.changes, undo, second.label)
