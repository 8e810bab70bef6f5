"""Evidence packs: one file (`.evpack`) carrying evidence from one workspace into another, offline.

pack_file (the zip: manifest, checks, atomic write) · payload (the SQLite inside) · revisions (the
merge rules' arithmetic, pure) · local_state (this workspace's items and cases as revisions) ·
export · merge (plan = preview, apply = import) · documents (matching a pack's documents here) ·
conflicts · team (who contributed what). SQL lives in core/store/packs.py.
"""
