"""The command line's bounds on counts and text, in a module of their own: the quick path of
`search` (cli/fast.py) checks arguments against them without loading argparse, which the full
checks (cli/argtypes.py) are written in."""

MAX_LIMIT = 100_000
MAX_TEXT = 100_000  # characters in one argument (a quote may be long; not a novel)
