"""A generated corpus, indexed once for the search tests of this folder (real files, real index)."""
from __future__ import annotations

from pathlib import Path

import pytest

N_DOCUMENTS = 160


@pytest.fixture(scope="package")
def corpus_ws(tmp_path_factory):
    """(workspace root, corpus folder): a fictional corpus of every format, indexed."""
    from evidence_app.core.index.indexer import index_workspace
    from evidence_app.samples import generate_corpus
    from evidence_app.core.index.sources import add_source
    from evidence_app.core.workspace import Workspace

    base = tmp_path_factory.mktemp("search-corpus")
    corpus = base / "corpus"
    generate_corpus(corpus, N_DOCUMENTS, seed=9, manifest=False)
    root = base / "ws"
    ws = Workspace.create(root, "Search tests")
    for folder, kind in (("case-files", "case-files"), ("policies", "policies"),
                         ("performance", "other")):
        if (corpus / folder).is_dir():
            add_source(ws, corpus / folder, kind)
    index_workspace(ws, jobs=1)
    ws.close()
    return Path(root), corpus
