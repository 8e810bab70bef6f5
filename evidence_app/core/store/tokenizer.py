"""The tokenizer of every full-text table, in a module of its own so that prefix search
(core/search/prefixes.py) can stem words exactly as the index did without loading the migrations
(the `search` command's start-up time). m001 writes it into the schema: never change it, or the
index would no longer match its own queries.

Stems English words ("assessments" finds "assessment"), folds accents, keeps digits (case
references and dates are searchable as phrases)."""

TOKENIZE = "porter unicode61 remove_diacritics 2"
