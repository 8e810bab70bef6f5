"""The command line: main.py parses; each module registers the commands of one thing it handles
(workspace, sources, index, search, evidence, cases, framework, requests, settings, audit,
bundles, sef, packs, safety: `evidence_app.cli.main.PARTS`) and takes the helpers they share from
common.py."""
