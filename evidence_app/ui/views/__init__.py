"""The window's places and dialogs: each shows what a core call returns and asks the core to
change it (through the window's one writer); none holds SQL or a business rule.

Places (one per Ctrl+number): start_view, search_view with preview_pane, coverage_view,
requests_view, cases_view with case_page, bundles_view, sef_view. The rest are dialogs and the
small widgets they share (view_header, export_base, evidence_common)."""
