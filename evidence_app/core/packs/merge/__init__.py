"""Merging packs into this workspace: the preview (nothing written) and the import (one
transaction, after a backup), by the same code so the preview is exactly what the import does.

The rules (also in the README, "Evidence packs"):
- evidence items by uuid, versions merged as in revisions.py: newer versions replace older ones,
  versions changed on both sides are a conflict (both kept until someone chooses), deletions
  travel as versions so an older pack cannot bring a deleted item back;
- an item new here that quotes a passage overlapping one already here on the same document
  (same file or text hash) is kept and flagged as a likely duplicate;
- cases by reference, field by field: the newer change wins, the overwritten value is listed in
  the report (real names only as "changed"); readiness ticks are unioned, keeping who ticked first;
- week-one requests the sender owns: the newer change to their status wins;
- documents: matched by file hash, then extracted-text hash, to files indexed here; otherwise a
  carried copy (--with-files) stored in the workspace's pack-files/ folder, or a reference marked
  "not on this machine" (it links up by itself when the file is indexed here);
- framework ids by id: an id unknown here is mapped (`--map OLD=NEW`) or added as a custom
  line of enquiry / request under its own id and title, and reported; never dropped.

One module per part: check (every record readable before anything is written; --map parsing),
state (this workspace as the merge sees it), apply (one pack, in order), items, documents, cases,
requests, bundles, framework_ids (ids unknown here), report (what a pack did), journal (the
crash journal's picture of an import).
"""
