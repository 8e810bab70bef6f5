"""Starting the window: the QApplication, the error hook, and which workspace opens first.

`launch(workspace)` opens the given workspace, else the last one used, else the start screen.
`Shell` owns the one top-level window at a time and switches between workspaces.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import (QApplication, QFileDialog, QInputDialog, QLineEdit, QMessageBox,
                               QWidget)

from evidence_app import __version__
from evidence_app.ui import app_settings
from evidence_app.ui.errorhook import ErrorReporter
from evidence_app.core.base.errors import EvidenceError
from evidence_app.paths import app_home

DEMO_DOCUMENTS = 150


def create_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance()
    if app is None:
        QApplication.setHighDpiScaleFactorRoundingPolicy(
            Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
        app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setOrganizationName(app_settings.ORG)
    app.setOrganizationDomain("evidence-organiser.invalid")
    app.setApplicationName(app_settings.APP)
    app.setApplicationDisplayName("Evidence Organiser")
    app.setApplicationVersion(__version__)
    # start-up: loaded when first used, not when the window opens
    from evidence_app.ui.style import app_icon

    app.setWindowIcon(app_icon())
    return app  # type: ignore[return-value]


class Shell(QObject):
    """Shows the start screen or one workspace's window, and switches between them."""

    def __init__(self, reporter: ErrorReporter | None = None, index_jobs: int = 2,
                 watch: bool = True) -> None:
        super().__init__()
        self.reporter = reporter
        self.index_jobs = index_jobs
        self.watch = watch
        self.window = None  # MainWindow
        self.ask_identity = True  # first run in a workspace: who is preparing the evidence?
        self.start_view = None
        self._demo_task = None
        self.pending_pack: str | None = None  # a double-clicked .evpack: imported once open

    # -- what opens first ----------------------------------------------------------------------
    def start(self, workspace: str | Path | None = None) -> QWidget:
        candidates = [Path(workspace)] if workspace else []
        if not workspace:
            last = app_settings.last_workspace()
            if last is not None:
                candidates.append(last)
        for root in candidates:
            if self.open_workspace(root, create=bool(workspace), quiet=not workspace):
                return self.window
        return self.show_start()

    def show_start(self) -> QWidget:
        # start-up: loaded when first used, not when the window opens
        from evidence_app.ui.views.start_view import StartView

        if self.start_view is None:
            view = StartView(app_settings.recent_workspaces())
            view.createRequested.connect(lambda: self.create_workspace_dialog(view))
            view.openRequested.connect(lambda: self.open_workspace_dialog(view))
            view.demoRequested.connect(lambda: self.open_demo(view))
            view.recentChosen.connect(lambda p: self.open_workspace(Path(p)))
            self.start_view = view
        self.start_view.show()
        self.start_view.raise_()
        return self.start_view

    # -- opening -------------------------------------------------------------------------------
    def open_workspace(self, root: Path, create: bool = False, name: str | None = None,
                       quiet: bool = False, start_indexing: bool = True) -> bool:
        # start-up: loaded when first used, not when the window opens
        from evidence_app.core.workspace import Workspace
        from evidence_app.ui.context import UiContext
        from evidence_app.ui.main_window import MainWindow

        root = Path(root).expanduser().resolve()
        try:
            ws = (Workspace.create(root, name) if create
                  else Workspace.open(root, access="read", prompt=self._passphrase_prompt(root)))
        except EvidenceError as exc:
            if not quiet:
                self._message(str(exc))
            return False
        old = self.window
        if old is not None:
            old.shutdown()
            old.hide()
            old.deleteLater()
        if self.reporter is not None:
            self.reporter.set_log_dir(ws.logs_dir)
        ctx = UiContext(ws)
        window = MainWindow(ctx, self, self.index_jobs, self.watch)
        window.closed.connect(lambda w=window: self._on_window_closed(w))
        self.window = window
        app_settings.remember_workspace(root)
        window.show()
        if self.start_view is not None:
            self.start_view.close()
            self.start_view.deleteLater()
            self.start_view = None
        if start_indexing:
            QTimer.singleShot(0, window.start_indexing)  # after the first paint
        if self.ask_identity:
            QTimer.singleShot(0, window.ask_identity)
        if self.pending_pack:
            pack, self.pending_pack = self.pending_pack, None
            QTimer.singleShot(0, lambda: window.import_packs([str(Path(pack).resolve())]))
        return True

    def _passphrase_prompt(self, root: Path):  # noqa: ANN202
        """Ask for an encrypted workspace's passphrase (only called when it is needed)."""

        def ask() -> str:
            text, ok = QInputDialog.getText(
                None, "Encrypted workspace", f"Passphrase for {root.name}:",
                QLineEdit.EchoMode.Password)
            return text if ok else ""

        return ask

    def _on_window_closed(self, window) -> None:  # noqa: ANN001
        if window is self.window:
            window.ctx.ws.close()

    def create_workspace_dialog(self, parent: QWidget | None = None) -> bool:
        folder = QFileDialog.getExistingDirectory(
            parent, "Choose an empty folder for the new workspace")
        if not folder:
            return False
        name, ok = QInputDialog.getText(parent, "New workspace",
                                        "Name of the service (shown in the window and exports):",
                                        text="Children's Services")
        if not ok:
            return False
        return self.create_workspace(Path(folder), name.strip() or None)

    def create_workspace(self, root: Path, name: str | None = None) -> bool:
        if (root / "evidence.db").exists():
            return self.open_workspace(root)
        return self.open_workspace(root, create=True, name=name)

    def open_workspace_dialog(self, parent: QWidget | None = None) -> bool:
        folder = QFileDialog.getExistingDirectory(parent, "Open a workspace folder")
        if not folder:
            return False
        return self.open_workspace(Path(folder))

    # -- the demo ------------------------------------------------------------------------------
    def demo_root(self) -> Path:
        return app_home() / "demo"

    def open_demo(self, parent: QWidget | None = None, n_documents: int = DEMO_DOCUMENTS) -> None:
        """Write the fictional corpus (once) in the background, then open it; it indexes there."""
        # start-up: loaded when first used, not when the window opens
        from evidence_app.samples.demo import demo_workspace_path, prepare_demo
        from evidence_app.ui.workers import run_task

        root = self.demo_root()
        if (root / "files" / ".complete").exists() and \
                (demo_workspace_path(root) / "evidence.db").exists():
            self.open_workspace(demo_workspace_path(root))
            return
        if self._demo_task is not None:
            return
        view = self.start_view if self.start_view is not None and self.start_view.isVisible() \
            else None
        if view is not None:
            view.set_busy("Writing fictional case files and policies…")
        elif self.window is not None:
            self.window.status.set_busy("Writing the demo files")
        root.mkdir(parents=True, exist_ok=True)

        def work(io):  # noqa: ANN001, ANN202
            ws = prepare_demo(root, n_documents)
            ws.close()
            return demo_workspace_path(root)

        def done(path: Path) -> None:
            self._demo_task = None
            self.open_workspace(path)

        def failed(message: str) -> None:
            self._demo_task = None
            if view is not None:
                view.set_idle(message)
            else:
                self._message(message)

        self._demo_task = run_task(root, work, done, failed)

    def after_first_pass(self, window, summary) -> None:  # noqa: ANN001
        """In the demo, tag a few passages once the index is ready (where evidence exists)."""
        ws = window.ctx.ws
        if ws.get_meta("demo") != "1" or ws.get_meta("demo_tagged") or summary.cancelled:
            return
        window.ctx.write(lambda w: w.set_meta("demo_tagged", "1"))

        def work(io):  # noqa: ANN001, ANN202
            # start-up: loaded when first used, not when the window opens
            from evidence_app.samples.demo import tag_demo_passages

            return io.write(tag_demo_passages)

        def done(n: int) -> None:
            if n:
                window.ctx.changed({"evidence"})

        window.ctx.run(work, done)

    def _message(self, text: str) -> None:
        parent = self.window or self.start_view
        box = QMessageBox(QMessageBox.Icon.Warning, "Evidence Organiser", text,
                          QMessageBox.StandardButton.Ok, parent)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.show()

    def shutdown(self) -> None:
        if self.window is not None:
            self.window.shutdown()


def launch(workspace: str | None = None, pack: str | None = None) -> int:
    """Run the window until it closes; returns the exit code. `pack`: an evidence pack opened
    by double-click, whose import starts once a workspace is open."""
    if sys.platform.startswith("linux") and not os.environ.get("QT_QPA_PLATFORM") and \
            not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        print("No display found: the window needs a desktop session. The command line works "
              "without one: evidence-app --help", file=sys.stderr)
        return 2
    app = create_application()
    reporter = ErrorReporter()
    reporter.install()
    shell = Shell(reporter)
    shell.pending_pack = pack
    shell.start(workspace)
    app.aboutToQuit.connect(shell.shutdown)
    interrupted = _quit_on_ctrl_c(app)
    code = app.exec()
    reporter.uninstall()
    if interrupted:
        print("stopped.", file=sys.stderr)  # Ctrl+C in the terminal: one line, work saved
        return 130
    return int(code)


def _quit_on_ctrl_c(app) -> list:  # noqa: ANN001
    """Ctrl+C in the terminal that started the window closes it cleanly (backups, workers)
    instead of a traceback; Qt's event loop lets Python see the signal every 200 ms."""
    import signal  # start-up: loaded when first used, not when the window opens

    from PySide6.QtCore import QTimer  # start-up: loaded when first used, not when the window opens

    interrupted: list = []

    def on_sigint(*_args) -> None:  # noqa: ANN002
        interrupted.append(True)
        app.closeAllWindows()
        app.quit()

    try:
        signal.signal(signal.SIGINT, on_sigint)
    except ValueError:  # not the main thread (tests)
        return interrupted
    timer = QTimer(app)
    timer.timeout.connect(lambda: None)
    timer.start(200)
    return interrupted
