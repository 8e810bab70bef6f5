"""Stage 1, indexing: source folders, the scan, extraction of untrusted files in limited worker
processes (extractors/), chunking and the indexer that keeps the store in step; the live watcher."""
