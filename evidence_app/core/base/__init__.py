"""Leaves every stage stands on and that import nothing of ours: a record's new id (ids), time
(clock), reading dates (dates), the error classes (errors), a document's statuses (doc_status),
progress, text safety (user_text), file names and small file-system guarantees (fsnames, fsutil),
and what a write changed (changes)."""
