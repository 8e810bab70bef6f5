"""Encryption at rest (optional per workspace): SQLCipher for the store, AES-GCM for the journal.

An encrypted workspace has `WORKSPACE/encryption.json` (no secret in it: a workspace id for the OS
keystore, and the journal's data key *wrapped* by a key derived from the passphrase with scrypt).
The database, its WAL, its search index and every backup made with VACUUM INTO are SQLCipher
files keyed with the passphrase. The passphrase comes from, in order: the caller,
`EVIDENCE_PASSPHRASE`, the OS keystore (keyring: Windows Credential Manager, macOS Keychain,
Secret Service) if the person chose "remember", or a prompt. It is never written to a file.

Not protected: the source folders (the app only reads them), exports (Word/Excel files the person
saves), the lock file (pid/host) and this marker. Full-disk encryption is still expected.

Encryption cannot silently vanish (issue 11). A workspace records that it is encrypted in several
places: the marker, a copy of it in `backups/encryption.json`, the database file itself (its first
16 bytes are not SQLite's plain header), every backup, and every journal line (`enc`). Opening
(`refuse_if_key_missing`) refuses, and changes nothing, when the marker is missing or malformed
while any of the others says "encrypted", or when the database is not plain SQLite and nothing
says the workspace was ever plain: the file is never taken for damage and set aside. And a marker
beside a plain database is refused too (someone swapped the database for an unencrypted one).
An existing plain workspace is encrypted completely or not at all by `init --encrypt`
(core/safety/crypto_convert.py).
"""
from __future__ import annotations

import base64
import json
import os
from pathlib import Path

from evidence_app.core.base.errors import PassphraseError, WorkspaceError
from evidence_app.core.store import cipher
from evidence_app.core.store.cipher import connect  # re-exported for callers here
from evidence_app.core.base.fsutil import PRIVATE_FILE, private_dir
import sys

MARKER = "encryption.json"
ENV = "EVIDENCE_PASSPHRASE"
KEYRING_SERVICE = "Evidence Organiser workspace"
SQLITE_HEADER = b"SQLite format 3\x00"

# SQLCipher's driver and the DB-API error classes of both drivers (`DB_ERRORS`,
# `INTEGRITY_ERRORS`) live with the connection that uses them (core/store/cipher.py), loaded on
# first use; they are reachable here as before (`crypto.DB_ERRORS`).


def __getattr__(name: str):
    if name in cipher.LAZY:
        return getattr(cipher, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def marker_path(root: Path) -> Path:
    return Path(root) / MARKER


def is_encrypted(root: Path) -> bool:
    return marker_path(root).exists() or copy_path(root).exists()


def copy_path(root: Path) -> Path:
    return Path(root) / "backups" / MARKER


def read_marker(root: Path, path: Path | None = None) -> dict:
    """The marker's content, or {} when it is missing or not a valid marker."""
    try:
        data = json.loads((path or marker_path(root)).read_text("utf-8"))
    except (OSError, ValueError, UnicodeDecodeError):
        return {}
    return data if marker_is_valid(data) else {}


def marker_is_valid(data) -> bool:
    if not isinstance(data, dict) or data.get("encrypted") is not True:
        return False
    key = data.get("journal_key")  # without it journal lines would be written in clear
    return isinstance(data.get("workspace_id", ""), str) and isinstance(key, dict) and all(
        isinstance(key.get(k), str) for k in ("salt", "nonce", "wrapped"))


def _write_marker(root: Path, data: dict) -> None:
    for path in (marker_path(root), copy_path(root)):
        private_dir(path.parent)
        tmp = path.with_name(path.name + ".tmp")
        fd = os.open(str(tmp), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(data, f, indent=2)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)


def _not_plain(path: Path) -> bool:
    """A non-empty file whose first 16 bytes are not SQLite's plain header (encrypted, or
    damaged: from the bytes alone the two cannot be told apart)."""
    try:
        with open(path, "rb") as f:
            head = f.read(16)
    except OSError:
        return False
    return bool(head) and head != SQLITE_HEADER


def encryption_signs(root: Path, db_path: Path) -> dict:
    """Where this workspace says it is encrypted, or plain (see the module notes)."""
    root = Path(root)
    signs = {"marker": marker_path(root).exists(), "marker_valid": bool(read_marker(root)),
             "copy": bool(read_marker(root, copy_path(root))),
             "database_not_plain": _not_plain(db_path), "journal_encrypted": False,
             "journal_plain": False, "backups_encrypted": False, "backups_plain": False}
    folder = root / "journal"
    if folder.is_dir():
        for path in sorted(folder.glob("*.jsonl"))[-2:]:
            try:
                with open(path, "rb") as f:
                    first = f.readline(1 << 20)
                obj = json.loads(first.decode("utf-8"))
                if isinstance(obj, dict):
                    signs["journal_encrypted" if "enc" in obj else "journal_plain"] = True
            except (OSError, ValueError, UnicodeDecodeError):
                continue
    for path in sorted((root / "backups").glob("*.db"))[-3:]:
        if path.stat().st_size:
            signs["backups_encrypted" if _not_plain(path) else "backups_plain"] = True
    return signs


def refuse_if_key_missing(root: Path, db_path: Path) -> None:
    """Refuse to open (PassphraseError, nothing changed) a workspace whose encryption would
    otherwise be lost or whose database would be taken for damage: see the module notes."""
    root = Path(root)
    if marker_path(root).exists() and read_marker(root):
        if db_path.exists() and db_path.stat().st_size and not _not_plain(db_path):
            raise PassphraseError(
                f"The workspace {root} is marked as encrypted ({MARKER}) but its database "
                f"{db_path.name} is not encrypted: it may have been replaced by an unencrypted "
                "copy. Nothing was changed and it was not opened. Put back the encrypted "
                f"database (see {root / 'backups'}), or, if you meant to stop encrypting, move "
                "the workspace's data to a new workspace.")
        return
    signs = encryption_signs(root, db_path)
    others = [name for name, key in (
        ("a copy of the key file in backups/", "copy"),
        ("encrypted journal lines", "journal_encrypted"),
        ("encrypted backups", "backups_encrypted")) if signs[key]]
    if not (signs["marker"] or others or signs["database_not_plain"]):
        return  # a plain workspace
    if not signs["marker"] and not others and signs["database_not_plain"] and (
            signs["backups_plain"] or signs["journal_plain"]):
        return  # a plain workspace whose database header is damaged: recovery handles it
    state = "damaged or not a key file" if signs["marker"] else "missing"
    where = (f"A copy is kept at {copy_path(root)}: copy it back to {marker_path(root)}"
             if signs["copy"] else f"Copy {MARKER} back from a copy of the workspace folder "
             "(or from another computer that has it)")
    raise PassphraseError(
        f"The workspace database {db_path} cannot be read as an ordinary database: it is "
        f"encrypted (or damaged) and the workspace's key file {MARKER} is {state}"
        + (f" (the workspace has {', '.join(others)})" if others else "")
        + f". Nothing was changed and nothing was set aside. {where}, then try again; the "
        "passphrase alone is not enough without it.")


def looks_plain_sqlite(db_path: Path) -> bool:
    try:
        with open(db_path, "rb") as f:
            return f.read(16) == SQLITE_HEADER
    except OSError:
        return False


# -- the passphrase -------------------------------------------------------------------------------
def _keyring():
    try:
        import keyring  # start-up: keyring is loaded only when this runs

        return keyring
    except Exception:  # noqa: BLE001
        return None


def keystore_get(workspace_id: str) -> str | None:
    kr = _keyring()
    if kr is None or not workspace_id:
        return None
    try:
        return kr.get_password(KEYRING_SERVICE, workspace_id)
    except Exception:  # noqa: BLE001 - no keystore on this machine
        return None


def keystore_set(workspace_id: str, passphrase: str) -> bool:
    kr = _keyring()
    if kr is None:
        return False
    try:
        kr.set_password(KEYRING_SERVICE, workspace_id, passphrase)
        return True
    except Exception:  # noqa: BLE001
        return False


def keystore_delete(workspace_id: str) -> None:
    kr = _keyring()
    if kr is None:
        return
    try:
        kr.delete_password(KEYRING_SERVICE, workspace_id)
    except Exception:  # noqa: BLE001
        pass


def find_passphrase(root: Path, prompt=None) -> str:
    """The passphrase for an encrypted workspace: env, keystore, then `prompt()` (may be None)."""
    value = os.environ.get(ENV)
    if value:
        return value
    value = keystore_get(read_marker(root).get("workspace_id", ""))
    if value:
        return value
    if prompt is not None:
        value = prompt()
        if value:
            return value
    raise PassphraseError(
        f"The workspace {root} is encrypted. Give its passphrase (set {ENV}, or run from a "
        "terminal to be asked for it).")


def terminal_prompt(label: str = "Workspace passphrase: "):
    """A prompt for the CLI: getpass when there is a terminal, else None."""
    if not sys.stdin or not sys.stdin.isatty():
        return None

    def ask() -> str:
        import getpass  # start-up: getpass is loaded only when this runs

        return getpass.getpass(label)

    return ask


def check_passphrase_strength(passphrase: str) -> None:
    if len(passphrase or "") < 8:
        raise PassphraseError("Choose a passphrase of at least 8 characters (a few words is best).")


# -- SQLCipher connections ----------------------------------------------------------------------
def rekey(conn, new_passphrase: str) -> None:
    cipher.rekey(conn, new_passphrase)


def backup_plaintext_check(path: Path, needle: bytes) -> bool:
    """True if `needle` appears in the raw bytes of `path` (tests: a backup must not leak)."""
    with open(path, "rb") as f:
        return needle in f.read()


# -- the journal's data key ---------------------------------------------------------------------
def _kdf(passphrase: str, salt: bytes) -> bytes:
    import hashlib  # start-up: hashlib is loaded only when this runs

    return hashlib.scrypt(passphrase.encode("utf-8"), salt=salt, n=2 ** 14, r=8, p=1, dklen=32)


def _wrap(data_key: bytes, passphrase: str) -> dict:
    import secrets  # start-up: secrets is loaded only when this runs

    # start-up: cryptography is loaded only when this runs
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    salt, nonce = secrets.token_bytes(16), secrets.token_bytes(12)
    wrapped = AESGCM(_kdf(passphrase, salt)).encrypt(nonce, data_key, b"journal-key")
    b64 = lambda b: base64.b64encode(b).decode("ascii")  # noqa: E731
    return {"kdf": "scrypt-n16384-r8-p1", "salt": b64(salt), "nonce": b64(nonce),
            "wrapped": b64(wrapped)}


def unwrap_journal_key(root: Path, passphrase: str) -> bytes | None:
    # start-up: cryptography is loaded only when this runs
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    marker = read_marker(root)
    wraps = [marker[k] for k in ("journal_key", "journal_key_previous") if marker.get(k)]
    if not wraps:
        return None
    damaged = False
    for info in wraps:  # during a passphrase change both the old and the new one open it
        d = lambda k: base64.b64decode(info[k], validate=True)  # noqa: E731
        try:
            return AESGCM(_kdf(passphrase, d("salt"))).decrypt(d("nonce"), d("wrapped"),
                                                               b"journal-key")
        except InvalidTag:
            continue
        except (ValueError, TypeError, KeyError, OverflowError):  # not base64, wrong sizes
            damaged = True
    if damaged or _database_opens(Path(root) / "evidence.db", passphrase):
        raise PassphraseError(
            f"The passphrase opens the database but the journal key in {MARKER} is damaged, "
            "so the workspace was not opened and nothing was changed. Copy "
            f"{copy_path(root)} (or {MARKER} from a copy of the workspace folder) back to "
            f"{marker_path(root)} and try again.")
    raise PassphraseError("That passphrase does not open this workspace. Check it and try again "
                          "(letters, spaces and capitals all count).")


def _database_opens(db_path: Path, passphrase: str) -> bool:
    try:
        connect(db_path, passphrase, readonly=True).close()
        return True
    except Exception:  # noqa: BLE001 - the wrong passphrase, or no database
        return False


def new_marker_data(passphrase: str) -> dict:
    """A new workspace id and journal key (wrapped by the passphrase); no secret in clear."""
    # start-up: secrets is loaded only when this runs
    import secrets
    import uuid

    return {"encrypted": True, "cipher": "SQLCipher 4 (AES-256)",
            "workspace_id": str(uuid.uuid4()),
            "journal_key": _wrap(secrets.token_bytes(32), passphrase),
            "note": "No secret is stored here: the journal key is wrapped by the passphrase."}


def unwrap_key_from(data: dict, passphrase: str) -> bytes:
    # start-up: cryptography is loaded only when this runs
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    info = data["journal_key"]
    d = lambda k: base64.b64decode(info[k])  # noqa: E731
    return AESGCM(_kdf(passphrase, d("salt"))).decrypt(d("nonce"), d("wrapped"), b"journal-key")


def setup_marker(root: Path, passphrase: str, remember: bool = False) -> dict:
    """Write the marker of a new encrypted workspace (journal key wrapped by the passphrase)."""
    data = new_marker_data(passphrase)
    _write_marker(root, data)
    if remember:
        keystore_set(data["workspace_id"], passphrase)
    return data


def change_passphrase(ws, new: str, remember: bool = False) -> dict:
    """Re-key the database (PRAGMA rekey), the journal key's wrapping and every backup.

    Crash-safe order: the marker first wraps the journal key for both passphrases, then the
    database is re-keyed, then the old wrapping is dropped; either passphrase opens the journal
    in between, and the database needs exactly one of them."""
    check_passphrase_strength(new)
    old = ws.passphrase
    root = Path(ws.root)
    data = read_marker(root)
    key = unwrap_journal_key(root, old)
    if key is not None:
        data["journal_key_previous"] = data.get("journal_key")
        data["journal_key"] = _wrap(key, new)
        _write_marker(root, data)
    conn = ws.db.conn
    rekey(conn, new)
    ws.passphrase = new
    ws.close_all()
    data.pop("journal_key_previous", None)
    _write_marker(root, data)
    wid = data.get("workspace_id", "")
    if remember or keystore_get(wid):
        keystore_set(wid, new)
    done = failed = 0
    for path in sorted((root / "backups").glob("*.db")):
        try:
            c = connect(path, old)
            try:
                rekey(c, new)
            finally:
                c.close()
            done += 1
        except Exception:  # noqa: BLE001 - a backup made with another passphrase, or damaged
            failed += 1
    return {"backups": done, "failed": failed}


def encrypt_line(key: bytes, text: str) -> str:
    import secrets  # start-up: secrets is loaded only when this runs

    # start-up: cryptography is loaded only when this runs
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    nonce = secrets.token_bytes(12)
    ct = AESGCM(key).encrypt(nonce, text.encode("utf-8"), None)
    return json.dumps({"enc": "aes-256-gcm", "n": base64.b64encode(nonce).decode("ascii"),
                       "c": base64.b64encode(ct).decode("ascii")})


def decrypt_line(key: bytes, obj: dict) -> str:
    # start-up: cryptography is loaded only when this runs
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    return AESGCM(key).decrypt(base64.b64decode(obj["n"]), base64.b64decode(obj["c"]),
                               None).decode("utf-8")
