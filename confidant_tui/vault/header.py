"""Provides the vault header: the wrapped data key and the parameters to unwrap it.

The header is a small JSON file beside the database (`<vault>.header`). It holds no secret
in the clear: the random 256-bit data key (SQLCipher's raw key) is wrapped with AES-256-GCM
under a key derived from the passphrase with Argon2id. A key check value tells a wrong
passphrase apart from a damaged header. The exact format is in `docs/vault-format.md`.

Changing the passphrase rewrites only this file, atomically (temp file, fsync, rename,
fsync of the folder), so at every instant exactly one of the old and new passphrases opens
the vault.

Version 2 adds three fields: a second wrap of the same data key under a recovery key
(`recovery`), the commit counter of the database with its MAC (`commit`, mirrored by the
writer after every save; see `vault.freshness`), and a mark that the pair is a backup
(`backup`). Version 1 is still read; the first write upgrades it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import re
import secrets
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from confidant_tui.atomic_file import write_private_atomically
from confidant_tui.errors import (
    DamagedHeader,
    NotAVault,
    StorageError,
    VaultTooNew,
    WrongPassphrase,
    WrongRecoveryKey,
)
from confidant_tui.i18n import _
from confidant_tui.vault import kdf

HEADER_FORMAT = "confidant-vault-header"
HEADER_VERSION = 2
WRAP_AAD_VERSION = 1
"""The version named in the passphrase wrap's associated data. It stays 1 in header
version 2, so a version 1 header is upgraded by rewriting its JSON, not by re-wrapping."""
MAX_HEADER_BYTES = 64 * 1024
WRAP_ALGORITHM = "AES-256-GCM"
KCV_LABEL = b"confidant-kcv"
NONCE_BYTES = 12
_LOWER_HEX_32 = re.compile(r"[0-9a-f]{32}")
"""The form of `vault_id` and `kcv`: 32 lowercase hex digits, as documented."""
_LOWER_HEX_64 = re.compile(r"[0-9a-f]{64}")
_UTC_MOMENT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z")
RECOVERY_KDF = "hkdf-sha256"
RECOVERY_INFO = b"confidant-recovery-kek"
RECOVERY_SALT_BYTES = 16
MAX_COUNTER = 2**63 - 1


@dataclass(frozen=True)
class RecoveryWrap:
    """The data key wrapped a second time, under a key derived from the recovery key.

    Attributes:
        salt: HKDF salt (16 random bytes, new for every recovery key).
        kcv: key check value of the derived key, as for the passphrase.
        nonce: AES-GCM nonce.
        wrapped_key: the data key encrypted with its tag (48 bytes).
    """

    salt: bytes
    kcv: bytes
    nonce: bytes
    wrapped_key: bytes


@dataclass(frozen=True)
class CommitMark:
    """The database's commit counter as the writer last saw it, with its MAC.

    Attributes:
        counter: the number of write transactions the database has seen.
        mac: HMAC-SHA256 over the vault id, the counter and the head
            (`vault.freshness.commit_mac`).
        head: the audit chain's head at that counter (the last entry's MAC; 32 zero
            bytes when the log is empty).
    """

    counter: int
    mac: bytes
    head: bytes = bytes(32)


@dataclass(frozen=True)
class BackupMark:
    """Says that a header belongs to a backup, not to a vault in use.

    Attributes:
        made_at: when the backup was made, UTC, `YYYY-MM-DDTHH:MM:SSZ`.
    """

    made_at: str


@dataclass(frozen=True)
class Header:
    """The parsed header.

    Attributes:
        vault_id: random id, also stored inside the database, binding the two files.
        kdf_params: Argon2id parameters and salt.
        kcv: key check value of the passphrase-derived key (16 bytes).
        nonce: AES-GCM nonce of the wrapped data key.
        wrapped_key: the data key encrypted and authenticated with AES-GCM (48 bytes).
        recovery: the recovery key's wrap of the same data key (None: no recovery key).
        commit: the commit counter last mirrored by the writer (None: none yet, as in a
            version 1 header).
        backup: set when the pair is a backup made by `confidant backup`.
    """

    vault_id: str
    kdf_params: kdf.KdfParams
    kcv: bytes
    nonce: bytes
    wrapped_key: bytes
    recovery: RecoveryWrap | None = None
    commit: CommitMark | None = None
    backup: BackupMark | None = None

    def with_commit(self, commit: CommitMark) -> Header:
        """The same header with another commit mark."""
        return replace(self, commit=commit)

    def to_json(self) -> str:
        """Serialises the header (always the current version) as stable, human-readable
        JSON, with its checksum last."""
        document: dict[str, Any] = {
            "format": HEADER_FORMAT,
            "version": HEADER_VERSION,
            "vault_id": self.vault_id,
            "kdf": {
                "name": kdf.KDF_NAME,
                "version": 19,
                "memory_kib": self.kdf_params.memory_kib,
                "time_cost": self.kdf_params.time_cost,
                "parallelism": self.kdf_params.parallelism,
                "salt": _b64(self.kdf_params.salt),
            },
            "kcv": self.kcv.hex(),
            "wrapped_key": {
                "algorithm": WRAP_ALGORITHM,
                "nonce": _b64(self.nonce),
                "ciphertext": _b64(self.wrapped_key),
            },
            "recovery": _recovery_json(self.recovery),
            "commit": None
            if self.commit is None
            else {
                "counter": self.commit.counter,
                "head": self.commit.head.hex(),
                "mac": self.commit.mac.hex(),
            },
            "backup": None if self.backup is None else {"made_at": self.backup.made_at},
        }
        document["checksum"] = checksum(document)
        return json.dumps(document, indent=2) + "\n"


def _recovery_json(recovery: RecoveryWrap | None) -> dict[str, Any] | None:
    if recovery is None:
        return None
    return {
        "kdf": RECOVERY_KDF,
        "salt": _b64(recovery.salt),
        "kcv": recovery.kcv.hex(),
        "wrapped_key": {
            "algorithm": WRAP_ALGORITHM,
            "nonce": _b64(recovery.nonce),
            "ciphertext": _b64(recovery.wrapped_key),
        },
    }


def checksum(document: dict[str, Any]) -> str:
    """SHA-256 (hex) of the header's canonical JSON without its `checksum` field.

    The checksum tells accidental damage (a flipped bit in the salt or the costs) apart
    from a wrong passphrase; it is no protection against deliberate tampering, which the
    key check value and AES-GCM already detect.
    """
    rest = {key: value for key, value in document.items() if key != "checksum"}
    canonical = json.dumps(rest, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(canonical.encode("ascii")).hexdigest()


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _aad(vault_id: str) -> bytes:
    return f"{HEADER_FORMAT}/{WRAP_AAD_VERSION}/{vault_id}".encode()


def _recovery_aad(vault_id: str) -> bytes:
    return f"{HEADER_FORMAT}/recovery/{vault_id}".encode()


def key_check_value(kek: bytes | bytearray) -> bytes:
    """First 16 bytes of HMAC-SHA256(kek, "confidant-kcv")."""
    return hmac.new(bytes(kek), KCV_LABEL, hashlib.sha256).digest()[:16]


def wrap(
    data_key: bytes | bytearray, passphrase: str, params: kdf.KdfParams, vault_id: str
) -> Header:
    """Wraps the data key under a key derived from `passphrase` with `params`."""
    kek = kdf.derive_key(passphrase, params)
    try:
        nonce = secrets.token_bytes(NONCE_BYTES)
        wrapped = AESGCM(bytes(kek)).encrypt(nonce, bytes(data_key), _aad(vault_id))
        return Header(vault_id, params, key_check_value(kek), nonce, wrapped)
    finally:
        kdf.zero(kek)


def unwrap(header: Header, passphrase: str) -> bytearray:
    """Derives the key from `passphrase` and unwraps the data key.

    Raises:
        WrongPassphrase: the key check value does not match.
        DamagedHeader: the passphrase is right but the wrapped key fails authentication.
    """
    kdf.check_params(kdf.KDF_NAME, 19, header.kdf_params)
    kek = kdf.derive_key(passphrase, header.kdf_params)
    wrong = WrongPassphrase(_("The passphrase is not correct."))
    return _unwrap_with(
        kek, header.kcv, header.nonce, header.wrapped_key, _aad(header.vault_id), wrong
    )


def _unwrap_with(
    kek: bytearray, kcv: bytes, nonce: bytes, wrapped: bytes, aad: bytes, wrong: Exception
) -> bytearray:
    """Unwraps a data key with `kek` (zeroed afterwards): `wrong` when the key check value
    differs, DamagedHeader when the key is right but the wrapped key fails authentication."""
    try:
        if not hmac.compare_digest(key_check_value(kek), kcv):
            raise wrong
        try:
            plain = AESGCM(bytes(kek)).decrypt(nonce, wrapped, aad)
        except InvalidTag:
            raise DamagedHeader(
                _("The vault header is damaged: the stored key fails its check.")
            ) from None
        return bytearray(plain)
    finally:
        kdf.zero(kek)


def replace_recovery(header: Header, recovery: RecoveryWrap | None) -> Header:
    """The header with another recovery wrap (None: without a recovery key)."""
    return replace(header, recovery=recovery)


def replace_commit(header: Header, commit: CommitMark) -> Header:
    """The header of a vault in use with a new commit mark (a backup mark is dropped: a
    written pair is no longer the backup it was)."""
    return replace(header, commit=commit, backup=None)


def rewrapped(
    header: Header, data_key: bytes | bytearray, passphrase: str, params: kdf.KdfParams
) -> Header:
    """The header with the data key wrapped under a new passphrase (or new costs); the
    recovery wrap, commit mark and backup mark stay as they were."""
    fresh = wrap(data_key, passphrase, params, header.vault_id)
    return replace(fresh, recovery=header.recovery, commit=header.commit, backup=header.backup)


def _recovery_kek(recovery_key: bytes, salt: bytes) -> bytearray:
    derived = HKDF(
        algorithm=hashes.SHA256(), length=kdf.KEY_BYTES, salt=salt, info=RECOVERY_INFO
    ).derive(bytes(recovery_key))
    return bytearray(derived)


def wrap_recovery(data_key: bytes | bytearray, recovery_key: bytes, vault_id: str) -> RecoveryWrap:
    """Wraps the data key under a key derived from the 128-bit recovery key.

    The recovery key is random, not chosen by a person, so a fast derivation (HKDF-SHA256
    with a random salt) suffices: guessing 2^128 keys is out of reach without Argon2.
    """
    salt = secrets.token_bytes(RECOVERY_SALT_BYTES)
    kek = _recovery_kek(recovery_key, salt)
    try:
        nonce = secrets.token_bytes(NONCE_BYTES)
        wrapped = AESGCM(bytes(kek)).encrypt(nonce, bytes(data_key), _recovery_aad(vault_id))
        return RecoveryWrap(salt, key_check_value(kek), nonce, wrapped)
    finally:
        kdf.zero(kek)


def unwrap_recovery(header: Header, recovery_key: bytes) -> bytearray:
    """Unwraps the data key with the recovery key.

    Raises:
        WrongRecoveryKey: the vault has no recovery key, or this one is not it.
        DamagedHeader: the key is right but the wrapped key fails authentication.
    """
    recovery = header.recovery
    if recovery is None:
        raise WrongRecoveryKey(
            _("This vault has no recovery key, so it cannot be opened with one.")
        )
    kek = _recovery_kek(recovery_key, recovery.salt)
    wrong = WrongRecoveryKey(
        _(
            "This recovery key does not open this vault. It may belong to another "
            "vault, or a newer recovery key replaced it."
        )
    )
    aad = _recovery_aad(header.vault_id)
    return _unwrap_with(kek, recovery.kcv, recovery.nonce, recovery.wrapped_key, aad, wrong)


class _DuplicateField(ValueError):
    """A JSON object of the header names the same field twice."""


def _refuse_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    document: dict[str, Any] = {}
    for key, value in pairs:
        if key in document:
            raise _DuplicateField(key)
        document[key] = value
    return document


def _is_positive_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def parse(raw: bytes) -> Header:
    """Parses and validates header bytes, strictly as `docs/vault-format.md` describes them.
    Runs no key derivation.

    The steps common to every header version come first: size, JSON without duplicate
    fields, `format`, then `version` (a positive integer; higher than this release knows
    is "too new"). Then the reader of that version checks its checksum, exactly its own
    fields and their types. A new header version adds its reader to `_READERS` and keeps
    the older ones, so vaults with an older header still open.

    Raises:
        NotAVault: the bytes are not a Confidant header at all.
        VaultTooNew: the header comes from a newer version.
        DamagedHeader: a field is missing, unknown, duplicated, malformed or outside the
            safe range.
    """
    if len(raw) > MAX_HEADER_BYTES:
        raise DamagedHeader(_("The vault header is damaged (too large)."))
    try:
        document = json.loads(raw.decode("utf-8"), object_pairs_hook=_refuse_duplicates)
    except _DuplicateField:
        raise DamagedHeader(_("The vault header is damaged (a field appears twice).")) from None
    except (UnicodeDecodeError, ValueError, RecursionError):
        # ValueError covers JSONDecodeError and integers beyond Python's digit limit;
        # RecursionError a hostile, deeply nested document.
        raise DamagedHeader(_("The vault header is damaged (unreadable).")) from None
    if not isinstance(document, dict) or document.get("format") != HEADER_FORMAT:
        raise NotAVault(_("The file beside the vault is not a Confidant vault header."))
    version = document.get("version")
    if version is None:
        raise DamagedHeader(_("The vault header is damaged (no version)."))
    if not _is_positive_int(version):
        raise DamagedHeader(
            _("The vault header is damaged (its version is not a positive whole number).")
        )
    if version > HEADER_VERSION:
        raise VaultTooNew(
            _("This vault was made by a newer version of Confidant. Update Confidant to open it.")
        )
    return _READERS[version](document)


_V1_FIELDS = frozenset({"format", "version", "vault_id", "kdf", "kcv", "wrapped_key", "checksum"})
_V1_KDF_FIELDS = frozenset({"name", "version", "memory_kib", "time_cost", "parallelism", "salt"})
_V1_WRAP_FIELDS = frozenset({"algorithm", "nonce", "ciphertext"})


def _read_v1(document: dict[str, Any]) -> Header:
    """Reads a version 1 header (format and version already checked)."""
    if document.get("checksum") != checksum(document):
        raise DamagedHeader(_("The vault header is damaged (its checksum does not match)."))
    kdf_doc = document.get("kdf")
    wrapped = document.get("wrapped_key")
    if not (
        set(document) <= _V1_FIELDS
        and (not isinstance(kdf_doc, dict) or set(kdf_doc) <= _V1_KDF_FIELDS)
        and (not isinstance(wrapped, dict) or set(wrapped) <= _V1_WRAP_FIELDS)
    ):
        raise DamagedHeader(
            _("The vault header is damaged (it has a field this version does not know).")
        )
    try:
        header = _fields(document)
    except (KeyError, TypeError, ValueError, binascii.Error):
        raise DamagedHeader(
            _("The vault header is damaged (a field is missing or malformed).")
        ) from None
    kdf.check_params(document["kdf"]["name"], document["kdf"]["version"], header.kdf_params)
    return header


_V2_FIELDS = _V1_FIELDS | {"recovery", "commit", "backup"}
_V2_RECOVERY_FIELDS = frozenset({"kdf", "salt", "kcv", "wrapped_key"})
_V2_COMMIT_FIELDS = frozenset({"counter", "head", "mac"})
_V2_BACKUP_FIELDS = frozenset({"made_at"})


def _read_v2(document: dict[str, Any]) -> Header:
    """Reads a version 2 header: version 1's fields, and `recovery`, `commit` and `backup`
    (each required, each an object or null)."""
    if document.get("checksum") != checksum(document):
        raise DamagedHeader(_("The vault header is damaged (its checksum does not match)."))
    unknown = _("The vault header is damaged (it has a field this version does not know).")
    if set(document) != _V2_FIELDS:
        if set(document) <= _V2_FIELDS:
            raise DamagedHeader(_("The vault header is damaged (a field is missing or malformed)."))
        raise DamagedHeader(unknown)
    v1_part = {key: value for key, value in document.items() if key in _V1_FIELDS}
    kdf_doc, wrapped = v1_part.get("kdf"), v1_part.get("wrapped_key")
    if (isinstance(kdf_doc, dict) and not set(kdf_doc) <= _V1_KDF_FIELDS) or (
        isinstance(wrapped, dict) and not set(wrapped) <= _V1_WRAP_FIELDS
    ):
        raise DamagedHeader(unknown)
    try:
        header = _fields(v1_part)
        recovery = _recovery_fields(document["recovery"], unknown)
        commit = _commit_fields(document["commit"], unknown)
        backup = _backup_fields(document["backup"], unknown)
    except (KeyError, TypeError, ValueError, binascii.Error):
        raise DamagedHeader(
            _("The vault header is damaged (a field is missing or malformed).")
        ) from None
    kdf.check_params(kdf_doc["name"], kdf_doc["version"], header.kdf_params)  # type: ignore[index]
    return replace(header, recovery=recovery, commit=commit, backup=backup)


def _exact(value: Any, fields: frozenset[str], unknown: str) -> dict[str, Any]:
    """`value` as an object with exactly `fields` (an extra one is "unknown field")."""
    document = _dict(value)
    if not set(document) <= fields:
        raise DamagedHeader(unknown)
    if set(document) != fields:
        raise KeyError("missing field")
    return document


def _recovery_fields(value: Any, unknown: str) -> RecoveryWrap | None:
    if value is None:
        return None
    document = _exact(value, _V2_RECOVERY_FIELDS, unknown)
    wrapped = _exact(document["wrapped_key"], _V1_WRAP_FIELDS, unknown)
    if _str(document["kdf"]) != RECOVERY_KDF or _str(wrapped["algorithm"]) != WRAP_ALGORITHM:
        raise ValueError("unknown recovery derivation or wrap")
    salt = base64.b64decode(_str(document["salt"]), validate=True)
    kcv_hex = _str(document["kcv"])
    nonce = base64.b64decode(_str(wrapped["nonce"]), validate=True)
    ciphertext = base64.b64decode(_str(wrapped["ciphertext"]), validate=True)
    if (
        len(salt) != RECOVERY_SALT_BYTES
        or not _LOWER_HEX_32.fullmatch(kcv_hex)
        or len(nonce) != NONCE_BYTES
        or len(ciphertext) != 48
    ):
        raise ValueError("wrong recovery field")
    return RecoveryWrap(salt, bytes.fromhex(kcv_hex), nonce, ciphertext)


def _commit_fields(value: Any, unknown: str) -> CommitMark | None:
    if value is None:
        return None
    document = _exact(value, _V2_COMMIT_FIELDS, unknown)
    counter = _int(document["counter"])
    mac_hex, head_hex = _str(document["mac"]), _str(document["head"])
    if (
        not 0 <= counter <= MAX_COUNTER
        or not _LOWER_HEX_64.fullmatch(mac_hex)
        or not _LOWER_HEX_64.fullmatch(head_hex)
    ):
        raise ValueError("wrong commit field")
    return CommitMark(counter, bytes.fromhex(mac_hex), bytes.fromhex(head_hex))


def _backup_fields(value: Any, unknown: str) -> BackupMark | None:
    if value is None:
        return None
    document = _exact(value, _V2_BACKUP_FIELDS, unknown)
    made_at = _str(document["made_at"])
    if not _UTC_MOMENT.fullmatch(made_at):
        raise ValueError("wrong backup moment")
    return BackupMark(made_at)


_READERS = {1: _read_v1, 2: _read_v2}
"""The reader of each header version this release opens (see `parse`)."""


def _int(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError("not an integer")
    return value


def _str(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError("not a string")
    return value


def _dict(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise TypeError("not an object")
    return value


def _fields(document: dict[str, Any]) -> Header:
    kdf_doc = _dict(document["kdf"])
    wrapped = _dict(document["wrapped_key"])
    if _str(wrapped["algorithm"]) != WRAP_ALGORITHM:
        raise ValueError("unknown wrap algorithm")
    _str(kdf_doc["name"])
    _int(kdf_doc["version"])
    params = kdf.KdfParams(
        memory_kib=_int(kdf_doc["memory_kib"]),
        time_cost=_int(kdf_doc["time_cost"]),
        parallelism=_int(kdf_doc["parallelism"]),
        salt=base64.b64decode(_str(kdf_doc["salt"]), validate=True),
    )
    kcv_hex = _str(document["kcv"])
    if not _LOWER_HEX_32.fullmatch(kcv_hex):
        raise ValueError("kcv is not 32 lowercase hex digits")
    kcv = bytes.fromhex(kcv_hex)
    nonce = base64.b64decode(_str(wrapped["nonce"]), validate=True)
    ciphertext = base64.b64decode(_str(wrapped["ciphertext"]), validate=True)
    if len(nonce) != NONCE_BYTES or len(ciphertext) != 48:
        raise ValueError("wrong field length")
    vault_id = _str(document["vault_id"])
    if not _LOWER_HEX_32.fullmatch(vault_id):
        raise ValueError("malformed vault id")
    return Header(vault_id, params, kcv, nonce, ciphertext)


def read(path: Path) -> Header:
    """Reads and parses the header file at `path` (at most 64 KiB are read)."""
    if path.exists() and not path.is_file():
        raise DamagedHeader(_("The vault header is not a regular file."))
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_HEADER_BYTES + 1)
    except FileNotFoundError:
        raise NotAVault(
            _("There is no vault header beside this file, so it is not a Confidant vault.")
        ) from None
    except OSError:
        raise StorageError(
            _("The vault header cannot be read; check the permissions of the vault folder.")
        ) from None
    return parse(raw)


def _temp_prefix(path: Path) -> str:
    return f".{path.name}."


def write_atomically(path: Path, header: Header, *, sync_folder: bool = True) -> None:
    """Replaces the header file atomically: temp file, fsync, rename, fsync the folder.

    A crash at any instant leaves either the old or the new header in place (at worst an
    orphaned temp file, removed by `remove_stale_temps`).

    Args:
        path: the header file.
        header: its new content.
        sync_folder: also fsync the folder, so the rename itself survives a power loss.
            The writer's mirror of the commit counter after every save skips it: losing
            that rename only leaves the header one save behind the database, which the
            next writer repairs.

    Raises:
        StorageError: the disk refused the write; the old header is unchanged.
    """
    data = header.to_json().encode("utf-8")
    try:
        write_private_atomically(
            path, data, temp_prefix=_temp_prefix(path), sync_folder=sync_folder
        )
    except OSError:
        raise StorageError(
            _("The vault header could not be written. Nothing was changed.")
        ) from None


def remove_stale_temps(path: Path) -> None:
    """Removes temp files a killed passphrase change left beside the header `path`.

    Call only while holding the writer lock, so no live change is disturbed.
    """
    prefix = _temp_prefix(path)
    try:
        for item in path.parent.iterdir():
            if item.name.startswith(prefix) and item.name.endswith(".tmp"):
                item.unlink(missing_ok=True)
    except OSError:
        pass
