"""Evidence packs: one file (`.evpack`) carrying evidence from one workspace into another, offline.

pack_file (the zip: manifest, checks, atomic write) · revisions (the merge rules' arithmetic,
pure) · local_state (this workspace's items and cases as versions) · export · merge/ (the preview
and the import run the same code; one module per kind of record) · importer
(backup, one transaction, reports, audit) · conflicts (mine / theirs / both; likely duplicates) ·
team (who contributed what). SQL lives in core/store/packs/ and core/store/pack_payload.py.
"""
