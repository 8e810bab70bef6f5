"""Stage 1, indexing: source folders, the scan, extraction of untrusted files in limited worker
processes (extract_pool.py, the parent's side, and extract_worker.py, what runs in a worker; the
readers in extractors/; other kinds of work for the same workers, such as drawing a PDF page,
named in task_kinds.py), chunking and the indexer that keeps the store in step (outcome_writer.py:
writing what the workers send back; followers.py: what must follow a document's new text); the
live watcher."""
