"""Provides the vault header: the wrapped data key and the parameters to unwrap it.

The header is a small JSON file beside the database (`<vault>.header`). It holds no secret
in the clear: the random 256-bit data key (SQLCipher's raw key) is wrapped with AES-256-GCM
under a key derived from the passphrase with Argon2id. A key check value tells a wrong
passphrase apart from a damaged header. The exact format is in `docs/vault-format.md`.

Changing the passphrase rewrites only this file, atomically (temp file, fsync, rename,
fsync of the folder), so at every instant exactly one of the old and new passphrases opens
the vault.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import re
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from confidant_tui.atomic_file import write_private_atomically
from confidant_tui.errors import (
    DamagedHeader,
    NotAVault,
    StorageError,
    VaultTooNew,
    WrongPassphrase,
)
from confidant_tui.i18n import _
from confidant_tui.vault import kdf

HEADER_FORMAT = "confidant-vault-header"
HEADER_VERSION = 1
MAX_HEADER_BYTES = 64 * 1024
WRAP_ALGORITHM = "AES-256-GCM"
KCV_LABEL = b"confidant-kcv"
NONCE_BYTES = 12
_LOWER_HEX_32 = re.compile(r"[0-9a-f]{32}")
"""The form of `vault_id` and `kcv`: 32 lowercase hex digits, as documented."""


@dataclass(frozen=True)
class Header:
    """The parsed header.

    Attributes:
        vault_id: random id, also stored inside the database, binding the two files.
        kdf_params: Argon2id parameters and salt.
        kcv: key check value of the passphrase-derived key (16 bytes).
        nonce: AES-GCM nonce of the wrapped data key.
        wrapped_key: the data key encrypted and authenticated with AES-GCM (48 bytes).
    """

    vault_id: str
    kdf_params: kdf.KdfParams
    kcv: bytes
    nonce: bytes
    wrapped_key: bytes

    def to_json(self) -> str:
        """Serialises the header as stable, human-readable JSON, with its checksum last."""
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
        }
        document["checksum"] = checksum(document)
        return json.dumps(document, indent=2) + "\n"


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
    return f"{HEADER_FORMAT}/{HEADER_VERSION}/{vault_id}".encode()


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
    try:
        if not hmac.compare_digest(key_check_value(kek), header.kcv):
            raise WrongPassphrase(_("The passphrase is not correct."))
        try:
            plain = AESGCM(bytes(kek)).decrypt(
                header.nonce, header.wrapped_key, _aad(header.vault_id)
            )
        except InvalidTag:
            raise DamagedHeader(
                _("The vault header is damaged: the stored key fails its check.")
            ) from None
        return bytearray(plain)
    finally:
        kdf.zero(kek)


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


_READERS = {1: _read_v1}
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


def write_atomically(path: Path, header: Header) -> None:
    """Replaces the header file atomically: temp file, fsync, rename, fsync the folder.

    A crash at any instant leaves either the old or the new header in place (at worst an
    orphaned temp file, removed by `remove_stale_temps`).

    Raises:
        StorageError: the disk refused the write; the old header is unchanged.
    """
    data = header.to_json().encode("utf-8")
    try:
        write_private_atomically(path, data, temp_prefix=_temp_prefix(path))
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
