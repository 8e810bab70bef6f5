"""The self-evaluation's claims as a tree: area (when all areas show), question, claim with its
strength chip, warnings and accessible text.

Kept apart from `sef_view.py` because filling the tree is the view's largest piece of work and
reads only the document and the filter, not the rest of the view: here it can be read (and
changed) in one place."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem

from evidence_app.core.sef import document as sef_document
from evidence_app.core.sef.model import (
    QUESTION_SHORT, QUESTION_TITLES, QUESTIONS, TYPE_LABELS, claim_ref,
)
from evidence_app.ui.views.sef_widgets import ALL, CHIPS, CLAIM_ROLE, STRENGTH_ROLE


def visible(view, filter_key: str) -> bool:  # noqa: ANN001
    """Whether a claim passes the "Show:" filter (all, needing evidence, with warnings)."""
    if filter_key == "needing":
        return view.needs_evidence
    if filter_key == "warnings":
        return bool(view.warnings)
    return True


def fill(tree: QTreeWidget, doc: sef_document.SefDocument, area_id: str, filter_key: str,
         keep: int | None) -> QTreeWidgetItem | None:
    """Refill `tree` with the claims of `area_id` (or every area, grouped) that pass the filter;
    returns the item of claim `keep` when it is still shown. The caller blocks the tree's
    signals around this."""
    tree.clear()
    bold = QFont(tree.font())
    bold.setBold(True)
    areas = [a for a in doc.areas if area_id in (ALL, a.id)]
    chosen = None
    for a in areas:
        parent = None
        any_shown = any(visible(v, filter_key) for v in doc.claims_in(a.id))
        if area_id == ALL and not any_shown and filter_key != "all":
            continue                        # a filter lists only where it finds something
        if area_id == ALL:
            parent = QTreeWidgetItem([a.short_title if a.id != "OVERVIEW" else "Overview"])
            parent.setToolTip(0, a.title)
            parent.setFont(0, bold)
            parent.setFirstColumnSpanned(True)
            tree.addTopLevelItem(parent)
        for q in QUESTIONS:
            views = [v for v in doc.claims_in(a.id, q) if visible(v, filter_key)]
            if area_id == ALL and not views:
                continue
            qi = QTreeWidgetItem([QUESTION_SHORT[q]])
            qi.setToolTip(0, QUESTION_TITLES[q])
            qi.setFont(0, bold)
            qi.setForeground(0, QBrush(QColor("#1f3864")))
            qi.setFirstColumnSpanned(True)
            qi.setData(0, CLAIM_ROLE + 10, q)
            (parent.addChild(qi) if parent else tree.addTopLevelItem(qi))
            if not views:
                empty = QTreeWidgetItem(["Nothing written yet." if filter_key == "all"
                                         else "None here."])
                empty.setForeground(0, QBrush(QColor("#6b6b6b")))
                qi.addChild(empty)
            for v in views:
                ci = _claim_item(v)
                qi.addChild(ci)
                if v.claim.id == keep:
                    chosen = ci
        if parent is not None:
            if not any_shown:
                empty = QTreeWidgetItem(["Nothing written yet."])
                empty.setForeground(0, QBrush(QColor("#6b6b6b")))
                parent.addChild(empty)
            parent.setExpanded(True)
    tree.expandAll()
    return chosen


def _claim_item(v) -> QTreeWidgetItem:  # noqa: ANN001
    """One claim's row: reference and words, type, strength chip; warnings in its tooltip."""
    c = v.claim
    ci = QTreeWidgetItem([f"{claim_ref(c.id)}  {c.text}", TYPE_LABELS[c.type], ""])
    ci.setData(0, CLAIM_ROLE, c.id)
    ci.setData(2, STRENGTH_ROLE, v.strength)
    tip = f"{c.text}\n\nEvidence: {CHIPS[v.strength][0].lower()}"
    if v.warnings:
        tip += "\n" + "\n".join(f"⚠ {w}" for w in v.warnings)
        ci.setText(0, f"⚠ {ci.text(0)}")
    ci.setToolTip(0, tip)
    ci.setData(0, Qt.ItemDataRole.AccessibleTextRole,
               f"{claim_ref(c.id)}, {TYPE_LABELS[c.type]}, evidence "
               f"{CHIPS[v.strength][0].lower()}: {c.text}")
    return ci


def first_claim(tree: QTreeWidget) -> QTreeWidgetItem | None:
    """The first claim in reading order (headings and "Nothing written yet." skipped)."""
    it = tree.invisibleRootItem()
    stack = [it.child(i) for i in range(it.childCount())]
    while stack:
        node = stack.pop(0)
        if node.data(0, CLAIM_ROLE):
            return node
        stack[:0] = [node.child(i) for i in range(node.childCount())]
    return None
