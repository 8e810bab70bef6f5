"""What can be dragged onto a self-evaluation claim, in one place for the lists that start a
drag (search results, evidence lists) and the panel that takes the drop."""
from __future__ import annotations

from PySide6.QtCore import QByteArray, QMimeData

EVIDENCE_MIME = "application/x-evidence-organiser-evidence-items"
DOCUMENTS_MIME = "application/x-evidence-organiser-documents"


def _ids(values) -> bytes:
    return ",".join(str(int(v)) for v in values if v is not None).encode()


def evidence_data(item_ids) -> QMimeData:
    data = QMimeData()
    data.setData(EVIDENCE_MIME, QByteArray(_ids(item_ids)))
    data.setText(", ".join(f"E-{int(i):03d}" for i in item_ids if i is not None))
    return data


def documents_data(document_ids) -> QMimeData:
    data = QMimeData()
    data.setData(DOCUMENTS_MIME, QByteArray(_ids(document_ids)))
    return data


def _read(data: QMimeData, mime: str) -> list[int]:
    if not data.hasFormat(mime):
        return []
    raw = bytes(data.data(mime)).decode("ascii", "replace")
    return [int(x) for x in raw.split(",") if x.strip().isdigit()]


def dropped(data: QMimeData) -> tuple[list[int], list[int]]:
    """(evidence item ids, document ids) carried by a drop."""
    return _read(data, EVIDENCE_MIME), _read(data, DOCUMENTS_MIME)


def accepts(data: QMimeData) -> bool:
    return data.hasFormat(EVIDENCE_MIME) or data.hasFormat(DOCUMENTS_MIME)
