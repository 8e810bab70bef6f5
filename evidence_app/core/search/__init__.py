"""Stage 2, search: the query language, full-text search over the index, prefixes, snippets and
saved searches. Reads only."""
