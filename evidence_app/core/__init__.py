"""The engine: everything the app does, with no window and no command line (no Qt here).

Grouped by stage, each a folder: index/ (files to text) → search/ → evidence/ (framework, cases,
items, coverage, requests) → bundles/ (and export/) → sef/ and packs/ on top; safety/ (lock,
journal, backups, integrity, encryption, audit) beside the index; store/ (all SQL) below them all
and base/ (leaves) at the bottom. workspace.py and opening.py sit above every stage: a stage is
handed an open Workspace, and only the opening knows how to make one. The import contract in
pyproject.toml states these layers and tests/core/test_architecture.py checks it.
"""
