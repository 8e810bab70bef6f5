"""SQL for evidence packs (core/packs/): item revisions, fixed facts, case field stamps, imports,
conflicts, likely duplicates, exports and the team view. Schema: m008_packs.

Everything here runs on a plain DB-API connection inside the caller's transaction; the callers
in core/packs/ decide what to write and when.

One module per family the packs touch (items and their revisions, documents, cases, the
framework and requests, bundles), plus the packs' own history (imports, conflicts, duplicates,
exports) and the team view. The callers in core/packs/ read it as one store (`store.item_rows`,
`store.insert_conflict` ...), so this package names every public function once here.
"""
from __future__ import annotations

from evidence_app.core.store.packs.records import (  # noqa: F401
    PackImport,
    Conflict,
    Duplicate,
    Sender,
    as_json,
)
from evidence_app.core.store.packs.items import (  # noqa: F401
    ITEM_ROWS,
    item_rows,
    insert_item,
    update_item,
    set_links,
    item_states,
    item_ids,
    heads,
    precise_now,
    put_heads,
    changed_since,
    fixed,
    put_fixed,
)
from evidence_app.core.store.packs.documents import (  # noqa: F401
    docs_by_sha,
    docs_needing_text_hash,
    chunk_texts,
    put_text_hash,
    text_hash_of,
    docs_by_text_sha,
    doc_by_path,
    insert_document,
)
from evidence_app.core.store.packs.cases import (  # noqa: F401
    case_rows,
    case_stamps,
    put_case_stamp,
    insert_case,
    update_case,
    alias_owner,
    used_aliases,
    readiness_ticks,
    put_tick,
)
from evidence_app.core.store.packs.framework import (  # noqa: F401
    REQUEST_SYNC,
    requests_owned,
    request_row,
    update_request,
    framework_rows,
    known_framework_ids,
    insert_area,
)
from evidence_app.core.store.packs.history import (  # noqa: F401
    insert_import,
    imports,
    get_import,
    import_touched,
    imported_sha,
    open_conflict_rows,
    insert_conflict,
    close_conflict,
    conflict_rows,
    conflict_row,
    insert_duplicate,
    duplicate_rows,
    decide_duplicate,
    passages_on,
    insert_export,
    last_export_at,
    exports,
)
from evidence_app.core.store.packs.team import (  # noqa: F401
    senders,
    items_from,
    item_ids_by_sender,
    sender_names,
    coverage_from,
)
from evidence_app.core.store.packs.bundles import (  # noqa: F401
    BUNDLE_FIELDS,
    bundle_states,
    replace_bundle,
    put_pack_bundle,
    pending_bundles,
    forget_pack_bundle,
)
