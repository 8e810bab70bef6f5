"""Safety, beside every stage: the workspace lock, backups, integrity checks, the journal of people's
work and its replay, encryption at rest, the audit log and where a workspace may live."""
