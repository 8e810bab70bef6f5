"""Reading scanned pages (OCR), the second pass of indexing.

The fast pass marks the pages without a usable text layer (PDF pages that are pictures, image
files, multi-page TIFFs); this package reads them with Tesseract inside the extraction workers,
page by page under the workers' limits, and merges the text into the index with its page, the
engine's confidence and a status reason. `engine` wraps Tesseract, `pages` draws page images,
`worker` runs in the worker process, `ocr_pass` drives a pass from the parent and `planning`
links the fast pass to it.
"""
