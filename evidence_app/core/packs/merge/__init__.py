"""Merging packs into this workspace (the rules are in items.py's docstring for now)."""
