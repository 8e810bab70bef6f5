"""Stage 4, bundles and export: ordered bundles, the plain data handed to the exporters, the
pseudonymisation rules and gate, and the Word/spreadsheet writers (export/), which never see the
store."""
