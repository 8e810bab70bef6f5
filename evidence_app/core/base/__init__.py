"""Leaves every stage stands on and that import nothing of ours: time, errors, progress, text safety
and small file-system guarantees."""
