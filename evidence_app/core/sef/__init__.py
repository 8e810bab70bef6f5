"""The self-evaluation (issue 15): the service's own assessment, written claim by claim, where
every claim cites what proves it.

- `model`: the words it is built from (areas, the three questions, claim types, action statuses);
- `figures`: numbers taken from the workspace, each with its definition and date;
- `strength`: how well a claim is evidenced, and what is wrong with what it cites;
- `claims`, `actions`, `versions`: the writes (each returns a `Done` with its undo);
- `document`: the whole self-evaluation as read (what `sef show` and the window show);
- `export`: the Word document, in the bundles' house style, optionally with its bundle.
"""
