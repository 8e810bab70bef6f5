"""One fast writer per format: `Doc` -> bytes.

The office formats are written by hand (zipfile + string templates) because python-docx and
openpyxl are far too slow for thousands of files, and because hand-written output is fully
deterministic: zip entry dates, document properties, PDF IDs and MIME boundaries are all derived
from the document itself, so the same `Doc` always gives the same bytes. One module per format; .pptx goes through python-pptx
(re-zipped with fixed dates) and the 97-2003 binaries through a small OLE2 writer (`cfb.py`).
"""
from __future__ import annotations

from evidence_app.samples.writers.docx import write_docx
from evidence_app.samples.writers.eml import write_eml
from evidence_app.samples.writers.legacy_office import write_doc, write_xls
from evidence_app.samples.writers.odt import write_odt
from evidence_app.samples.writers.pdf import write_pdf
from evidence_app.samples.writers.plain import write_csv, write_html, write_md, write_txt
from evidence_app.samples.writers.pptx import write_pptx
from evidence_app.samples.writers.rtf import write_rtf
from evidence_app.samples.writers.xlsx import write_xlsx
from evidence_app.samples.writers.scan import write_fax, write_photo, write_scan

WRITERS = {
    "docx": write_docx,
    "pdf": write_pdf,
    "eml": write_eml,
    "txt": write_txt,
    "md": write_md,
    "xlsx": write_xlsx,
    "odt": write_odt,
    "rtf": write_rtf,
    "html": write_html,
    "csv": write_csv,
    "doc": write_doc,
    "xls": write_xls,
    "pptx": write_pptx,
    "scan": write_scan,   # scanned-looking: an image-only PDF
    "jpg": write_photo,   # a photographed letter
    "tif": write_fax,     # a multi-page fax
}

__all__ = ["WRITERS", "write_csv", "write_doc", "write_docx", "write_eml", "write_html",
           "write_md", "write_odt", "write_pdf", "write_pptx", "write_rtf", "write_txt",
           "write_xls", "write_xlsx"]
