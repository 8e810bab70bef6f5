"""One family of exceptions whose messages a social worker can read.

The CLI prints `str(error)` as a single line; the window shows it in a message box. Anything that
is not an `EvidenceError` is a bug, and is logged with its traceback instead.
"""


class EvidenceError(Exception):
    """A problem the user can understand and act on."""


class WorkspaceError(EvidenceError):
    """The workspace cannot be opened, created or written."""


class QueryError(EvidenceError):
    """A search query that cannot be understood."""


class NotFound(EvidenceError):
    """A document, case, item or other record that does not exist."""


class InvalidInput(EvidenceError):
    """An argument or file that is not acceptable, with what would be."""


class Cancelled(EvidenceError):
    """Work stopped because the person asked; nothing half-done was kept."""


class ReadOnlyWorkspace(WorkspaceError):
    """A change was attempted on a workspace opened read-only."""


class PassphraseError(WorkspaceError):
    """No passphrase, or the wrong one, for an encrypted workspace."""
