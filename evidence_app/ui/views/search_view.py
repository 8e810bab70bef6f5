"""The Search place: results as you type (off the UI thread), a virtualised list, the preview."""
from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtWidgets import (QComboBox, QHBoxLayout, QLabel, QListView, QPushButton, QSplitter,
                               QStackedWidget, QVBoxLayout, QWidget)

from evidence_app.core.search.search import search
from evidence_app.ui.context import UiContext
from evidence_app.ui.lookups import case_refs, example_cases
from evidence_app.ui.models.results_model import PAGE_SIZE, HitRole, ResultsModel
from evidence_app.ui.style import icon, muted
from evidence_app.ui.workers import SerialRunner
from evidence_app.ui.views.preview_pane import PreviewPane
from evidence_app.ui.views.query_edit import QueryEdit
from evidence_app.ui.views.result_delegate import ResultDelegate
from evidence_app.core.store.document_reads import counts_by_status
from evidence_app.core.store.records import IndexOverview

DEBOUNCE_MS = 150


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def run_search(ws, query: str, offset: int = 0, exact: bool = False,  # noqa: ANN001, ANN201
               order: str = "relevance"):
    return search(ws, query, limit=PAGE_SIZE, offset=offset, exact=exact, order=order)


class SearchView(QWidget):
    addSourceRequested = Signal()
    resultsShown = Signal(int)  # number of documents found (after each new search)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.runner = SerialRunner(ctx.root, "search", self)
        self.runner.finished.connect(self._on_result)
        self.runner.failed.connect(self._on_failed)
        self.preview_runner = SerialRunner(ctx.root, "preview", self)
        self._search_number = 0
        self._fetch: tuple[int, str, int] | None = None  # (request, query, offset)
        self.document_count: int | None = None
        self.indexing = False  # the indexer is reading files now
        self.overview: IndexOverview | None = None  # files by status, attachments, folders
        self.case_examples: list[str] = []

        self.query_box = QueryEdit()  # the main window puts it in the top bar
        self.query_box.textChanged.connect(self._schedule)
        self.query_box.submitted.connect(lambda _: self.search_now())
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(DEBOUNCE_MS)
        self.timer.timeout.connect(self.search_now)

        self.model = ResultsModel(self)
        self.model.fetchRequested.connect(self._fetch_more)

        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(8, 8, 0, 0)
        ll.setSpacing(4)
        self.count_label = QLabel("Results")
        f = self.count_label.font()
        f.setBold(True)
        self.count_label.setFont(f)
        self.count_label.setAccessibleName("Number of results")
        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Search message")
        self.message.hide()
        self.list = QListView()
        self.list.setModel(self.model)
        self.list.setItemDelegate(ResultDelegate(self.list))
        self.list.setUniformItemSizes(True)
        self.list.setVerticalScrollMode(QListView.ScrollMode.ScrollPerPixel)
        self.list.setAccessibleName("Search results")
        self.list.setDragEnabled(True)     # onto a self-evaluation claim's citations
        self.list.setDragDropMode(QListView.DragDropMode.DragOnly)
        self.list.setAlternatingRowColors(False)
        self.list.selectionModel().currentChanged.connect(self._on_current)

        self.empty = QWidget()
        el = QVBoxLayout(self.empty)
        el.addStretch(1)
        self.empty_text = QLabel("")
        self.empty_text.setWordWrap(True)
        self.empty_text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_text.setTextFormat(Qt.TextFormat.RichText)
        self.empty_text.setAccessibleName("How to start")
        self.empty_text.setStyleSheet(f"color: {muted().name()}")
        self.empty_text.setOpenExternalLinks(False)
        self.empty_text.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse
                                                | Qt.TextInteractionFlag.LinksAccessibleByKeyboard)
        self.empty_text.linkActivated.connect(self._try_example)
        self.add_button = QPushButton(icon("add-folder"), "Add source folder…")
        self.add_button.setAccessibleName("Add source folder")
        self.add_button.clicked.connect(self.addSourceRequested)
        el.addWidget(self.empty_text)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.add_button)
        row.addStretch(1)
        el.addLayout(row)
        el.addStretch(2)
        self.list_stack = QStackedWidget()
        self.list_stack.addWidget(self.empty)
        self.list_stack.addWidget(self.list)
        head = QHBoxLayout()
        head.setContentsMargins(0, 0, 4, 0)
        head.addWidget(self.count_label, 1)
        sort_label = QLabel("S&ort:")
        self.sort = QComboBox()
        self.sort.addItem("Best match", "relevance")
        self.sort.addItem("Newest first", "date")
        self.sort.setAccessibleName("Sort results")
        self.sort.setToolTip("Best match first, or the newest files first")
        sort_label.setBuddy(self.sort)
        self.sort.currentIndexChanged.connect(lambda _i: self.search_now())
        head.addWidget(sort_label)
        head.addWidget(self.sort)
        ll.addLayout(head)
        ll.addWidget(self.message)
        ll.addWidget(self.list_stack, 1)

        self.preview = PreviewPane(self.preview_runner)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.preview)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setSizes([420, 620])
        self.splitter.setChildrenCollapsible(False)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.splitter)
        self.setTabOrder(self.list, self.preview.text)

        ctx.hub.changed.connect(self._on_changed)
        self._update_empty_state()
        self.refresh_lookups()

    # -- searching -----------------------------------------------------------------------------
    def _schedule(self, _text: str = "") -> None:
        self.model.frozen = True
        self.timer.start()

    def search_now(self) -> None:
        self.timer.stop()
        query = self.query_box.text().strip()
        if not query:
            self.runner.forget()
            self.model.clear()
            self.preview.clear()
            self.message.hide()
            self._update_count()
            self._update_empty_state()
            return
        self.model.frozen = True
        order = self.sort.currentData()
        self._search_number = self.runner.submit(lambda ws: run_search(ws, query, order=order))

    def _on_result(self, number: int, result) -> None:  # noqa: ANN001
        if self._fetch is not None and number == self._fetch[0]:
            _, query, offset = self._fetch
            self._fetch = None
            self.model.append(query, offset, result.hits)
            return
        if number != self._search_number or number != self.runner.latest:
            return  # stale: the person has typed on
        previous = self.current_hit()
        self.message.hide()
        self.model.set_result(result.query, result.hits, result.total, result.exact, result.terms)
        self._update_count()
        self._update_empty_state()
        row = 0
        if previous is not None:
            for i, h in enumerate(self.model.hits):
                if h.document_id == previous.document_id:
                    row = i
                    break
        if self.model.hits:
            self.list.setCurrentIndex(self.model.index(row))
        else:
            self.preview.clear()
        self.resultsShown.emit(result.total)

    def _on_failed(self, number: int, message: str) -> None:
        if self._fetch is not None and number == self._fetch[0]:
            self._fetch = None
            self.model.fetch_failed()
            return
        if number != self._search_number:
            return
        # a malformed query: the message says how to fix it, and the old results go (they
        # answered a different question)
        self.model.clear()
        self.model.frozen = False
        self.preview.clear()
        self.message.setText(message)
        self.message.setAccessibleDescription(message)
        self.message.show()
        self._update_count()
        self._update_empty_state()

    def _fetch_more(self, offset: int) -> None:
        query = self.model.query
        order = self.sort.currentData()
        number = self.runner.submit(lambda ws: run_search(ws, query, offset, order=order))
        self._search_number = number  # a fetch replaces nothing newer: the model was not frozen
        self._fetch = (number, query, offset)

    def _update_count(self) -> None:
        self.count_label.setText(self.model.count_text())
        self.count_label.setAccessibleDescription(self.count_label.text())

    def _update_empty_state(self) -> None:
        has_results = bool(self.model.hits)
        query = self.query_box.text().strip()
        if has_results:
            self.list_stack.setCurrentWidget(self.list)
            return
        self.list_stack.setCurrentWidget(self.empty)
        n = self.document_count
        self.add_button.setVisible(n == 0 and not self.indexing)
        if n == 0 and self.indexing:
            self.empty_text.setText(
                "<p><b>Reading your files…</b></p><p>Results appear as soon as the first files "
                "are indexed; the progress is in the status bar at the bottom of the window.</p>")
        elif n == 0:
            self.empty_text.setText(
                "<p><b>No documents yet.</b></p><p>Add a folder of case files or policies, or "
                "drop a folder onto this window. Indexing runs in the background.</p>")
        elif query and not self.message.isHidden():
            self.empty_text.setText("<p>No results: the search above needs fixing first.</p>")
        elif query and self.model.query == query:
            self.empty_text.setText(
                "<p><b>Nothing found.</b></p><p>Try fewer words, a word's start with * "
                "(superv*), or OR between alternatives.</p>")
        elif query:
            self.empty_text.setText("<p>Searching…</p>")
        else:
            self.empty_text.setText(self._welcome(n))

    def _welcome(self, n: int | None) -> str:
        """'Search 150 files' with examples that work in this workspace (links fill the box)."""
        ov = self.overview
        if ov is not None:
            # start-up: loaded when first used, not when the window opens
            from evidence_app.ui.plain_words import plural

            files, docs = ov.present_files, ov.searchable_documents
            count = plural(files, "file") + (
                f" ({plural(docs, 'document')}: each attachment inside an e-mail or archive is "
                "searched on its own)" if docs != files else "")
        else:
            count = f"{n:,} documents" if n else "the documents"
        examples = ['"strategy meeting"']
        ref = self.case_examples[0] if self.case_examples else None
        examples.append(f"case:{ref} visit" if ref else "visit")
        examples.append("kind:policies supervision")
        links = "<br>".join(f'<a href="{i}">{_html(e)}</a>' for i, e in enumerate(examples))
        self._examples = examples
        busy = "<p>Still reading files: more results will appear.</p>" if self.indexing else ""
        return (f"<p><b>Search {count}</b></p><p>Type in the search box above (Ctrl+F), "
                f"for example (click one to try it):</p><p>{links}</p>{busy}"
                "<p>The ? button explains the rest.</p>")

    def _try_example(self, link: str) -> None:
        examples = getattr(self, "_examples", [])
        if link.isdigit() and int(link) < len(examples):
            self.query_box.setText(examples[int(link)])
            self.search_now()

    def set_indexing(self, busy: bool) -> None:
        self.indexing = busy
        if busy and not self.document_count:
            self.refresh_lookups()
        self._update_empty_state()

    def set_overview(self, overview: IndexOverview) -> None:
        self.overview = overview
        self._update_empty_state()

    # -- results and preview -------------------------------------------------------------------
    def current_hit(self):  # noqa: ANN201
        index = self.list.currentIndex()
        return index.data(HitRole) if index.isValid() else None

    def _on_current(self, current, _previous) -> None:  # noqa: ANN001
        hit = current.data(HitRole) if current.isValid() else None
        if hit is None:
            return
        self.preview.show_hit(hit, self.model.terms)

    def select_row(self, row: int) -> None:
        self.list.selectionModel().setCurrentIndex(
            self.model.index(row), QItemSelectionModel.SelectionFlag.ClearAndSelect)

    # -- refresh -------------------------------------------------------------------------------
    def _on_changed(self, areas: set) -> None:
        if "evidence" in areas:
            self.preview.reload_tagged()
        if "documents" in areas or "sources" in areas:
            self.refresh_lookups()
            if self.query_box.text().strip() and not self.timer.isActive():
                self._schedule()

    def refresh_lookups(self) -> None:
        def lookups(io):  # noqa: ANN001, ANN202

            return (sum(counts_by_status(io.ws.db).values()), case_refs(io.ws),
                    example_cases(io.ws))
        self.ctx.run(lookups, self._on_lookups)

    def _on_lookups(self, values) -> None:  # noqa: ANN001
        self.document_count, refs, examples = values
        self.case_examples = examples
        self.query_box.set_case_refs(refs)
        self._update_empty_state()

    def shutdown(self) -> None:
        self.timer.stop()
        self.runner.stop()
        self.preview_runner.stop()
