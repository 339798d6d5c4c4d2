"""Hostile or broken headers are refused before Argon2 runs.

The header is plaintext that anyone with the laptop can edit. Absurd costs must not hang or
exhaust the machine, nor weaken the vault below the floor; malformed fields must give a clean
error. "Before Argon2" is proven by making Argon2 fail the test if it is called.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import PASSPHRASE

from confidant_tui.errors import (
    ConfidantError,
    DamagedHeader,
    ExitCode,
    NotAVault,
    VaultTooNew,
)
from confidant_tui.paths import header_path
from confidant_tui.services import vaults
from confidant_tui.vault import header, kdf
from confidant_tui.vault.maintenance import change_passphrase
from confidant_tui.vault.store import Vault

Edit = Callable[[dict[str, Any]], None]


@pytest.fixture
def no_argon2(monkeypatch: pytest.MonkeyPatch) -> None:
    def forbidden(*args: object, **kwargs: object) -> bytes:
        pytest.fail("Argon2 ran on a header that should have been refused first")

    monkeypatch.setattr(kdf, "hash_secret_raw", forbidden)


def _set_kdf(field: str, value: Any) -> Edit:
    def edit(document: dict[str, Any]) -> None:
        document["kdf"][field] = value

    return edit


def _set(path: tuple[str, ...], value: Any) -> Edit:
    def edit(document: dict[str, Any]) -> None:
        target = document
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return edit


def _drop(key: str) -> Edit:
    def edit(document: dict[str, Any]) -> None:
        del document[key]

    return edit


def _upper(key: str) -> Edit:
    def edit(document: dict[str, Any]) -> None:
        document[key] = document[key].upper()

    return edit


HOSTILE_EDITS: dict[str, Edit] = {
    "memory 1 TiB": _set_kdf("memory_kib", 2**30),
    "memory just above the cap": _set_kdf("memory_kib", kdf.MAX_MEMORY_KIB + 1),
    "memory below the floor": _set_kdf("memory_kib", 1024),
    "memory negative": _set_kdf("memory_kib", -65536),
    "memory as text": _set_kdf("memory_kib", "65536"),
    "memory as float": _set_kdf("memory_kib", 65536.0),
    "memory as boolean": _set_kdf("memory_kib", True),
    "time one million": _set_kdf("time_cost", 10**6),
    "time below the floor": _set_kdf("time_cost", 1),
    "parallelism zero": _set_kdf("parallelism", 0),
    "parallelism 10000": _set_kdf("parallelism", 10_000),
    "empty salt": _set_kdf("salt", ""),
    "short salt": _set_kdf("salt", "AAAAAAAAAAA="),
    "huge salt": _set_kdf("salt", "A" * 4000),
    "salt not base64": _set_kdf("salt", "%%%%"),
    "unknown kdf": _set_kdf("name", "scrypt"),
    "argon2i instead of argon2id": _set_kdf("name", "argon2i"),
    "old argon2 version": _set_kdf("version", 16),
    "kdf missing": _drop("kdf"),
    "unknown wrap": _set(("wrapped_key", "algorithm"), "ROT13"),
    "short nonce": _set(("wrapped_key", "nonce"), "AAAA"),
    "short ciphertext": _set(("wrapped_key", "ciphertext"), "AAAA"),
    "kcv not hex": _set(("kcv",), "zz" * 16),
    "kcv short": _set(("kcv",), "00"),
    "vault id odd": _set(("vault_id",), "../../etc/passwd"),
    "version as text": _set(("version",), "1"),
    "version zero": _set(("version",), 0),
    "version negative": _set(("version",), -1),
    "version as boolean": _set(("version",), True),
    "version as float": _set(("version",), 1.0),
    "version as list": _set(("version",), [1]),
    "version null": _set(("version",), None),
    "version missing": _drop("version"),
    "unknown top-level field": _set(("comment",), "hello"),
    "unknown kdf field": _set_kdf("secret", "x"),
    "unknown wrapped_key field": _set(("wrapped_key", "tag"), "AAAA"),
    "kcv in uppercase": _upper("kcv"),
    "vault id in uppercase": _upper("vault_id"),
    "kdf not an object": _set(("kdf",), [1, 2]),
    "wrapped_key not an object": _set(("wrapped_key",), "AES"),
    "kdf version as text": _set_kdf("version", "19"),
}


def _rewrite(path: Path, edit: Edit, *, fix_checksum: bool = True) -> None:
    document = json.loads(path.read_text())
    edit(document)
    if fix_checksum:
        document["checksum"] = header.checksum(document)
    path.write_text(json.dumps(document))


def _refused(vault_path: Path) -> ConfidantError:
    with pytest.raises(ConfidantError) as caught:
        Vault.open(vault_path, PASSPHRASE)
    with pytest.raises(ConfidantError):
        vaults.check_vault(vault_path, PASSPHRASE)
    with pytest.raises(ConfidantError):
        change_passphrase(vault_path, PASSPHRASE, PASSPHRASE + " new")
    return caught.value


@pytest.mark.parametrize("name", sorted(HOSTILE_EDITS))
def test_hostile_field_is_refused_before_argon2(
    vault_path: Path, no_argon2: None, name: str
) -> None:
    _rewrite(header_path(vault_path), HOSTILE_EDITS[name])
    assert isinstance(_refused(vault_path), DamagedHeader)


RAW_HEADERS: dict[str, bytes] = {
    "empty file": b"",
    "binary garbage": bytes(range(256)) * 4,
    "huge file": b'{"format": "confidant-vault-header", "pad": "' + b"x" * 200_000 + b'"}',
    "deep nesting": b"[" * 50_000 + b"]" * 50_000,
    "integer with 5000 digits": b'{"version": ' + b"9" * 5000 + b"}",
    "truncated": b'{"format": "confidant-vault-header", "version": 1, "kdf": {',
    "json array": b"[1, 2, 3]",
    "not utf-8": b'{"format": "\xff\xfe"}',
}


@pytest.mark.parametrize("name", sorted(RAW_HEADERS))
def test_malformed_header_file_is_refused_before_argon2(
    vault_path: Path, no_argon2: None, name: str
) -> None:
    header_path(vault_path).write_bytes(RAW_HEADERS[name])
    assert isinstance(_refused(vault_path), DamagedHeader | NotAVault)


def test_foreign_json_is_not_a_vault(vault_path: Path, no_argon2: None) -> None:
    header_path(vault_path).write_text('{"format": "something-else", "version": 1}')
    assert isinstance(_refused(vault_path), NotAVault)


def test_changed_field_without_matching_checksum_is_damage(
    vault_path: Path, no_argon2: None
) -> None:
    # A flipped digit in the costs must read as damage, not as a wrong passphrase.
    _rewrite(header_path(vault_path), _set_kdf("time_cost", 4), fix_checksum=False)
    error = _refused(vault_path)
    assert isinstance(error, DamagedHeader)
    assert "controlegetal" in error.message


@pytest.mark.parametrize("version", [header.HEADER_VERSION + 1, 2**40])
@pytest.mark.parametrize("fix_checksum", [True, False])
def test_newer_header_version_is_refused_as_too_new(
    vault_path: Path, no_argon2: None, version: int, fix_checksum: bool
) -> None:
    # A newer header may have other fields and another checksum: "too new" comes first.
    def newer(document: dict[str, Any]) -> None:
        document["version"] = version
        document["recovery"] = {"wrapped_key": "AAAA"}

    _rewrite(header_path(vault_path), newer, fix_checksum=fix_checksum)
    error = _refused(vault_path)
    assert isinstance(error, VaultTooNew)
    assert error.exit_code == ExitCode.VAULT_UNUSABLE


def _duplicate(raw: str, key: str) -> str:
    """The header text with the first `"key": value` line written twice."""
    lines = raw.splitlines()
    index = next(i for i, line in enumerate(lines) if line.strip().startswith(f'"{key}"'))
    first = lines[index].rstrip(",") + ","
    return "\n".join([*lines[:index], first, lines[index], *lines[index + 1 :]])


@pytest.mark.parametrize("key", ["version", "vault_id", "kcv", "memory_kib", "salt", "nonce"])
def test_a_field_written_twice_is_damage(vault_path: Path, no_argon2: None, key: str) -> None:
    # json.loads would silently keep the last value; the header must not have two readings.
    head = header_path(vault_path)
    head.write_text(_duplicate(head.read_text(), key))
    error = _refused(vault_path)
    assert isinstance(error, DamagedHeader)
    assert "twee keer" in error.message


def test_an_untouched_header_still_opens(vault_path: Path) -> None:
    # The strict parser accepts exactly what Confidant writes.
    raw = header_path(vault_path).read_bytes()
    assert header.parse(raw).to_json().encode() == raw
    Vault.open(vault_path, PASSPHRASE).close()


def test_header_that_is_a_folder_is_refused(vault_path: Path, no_argon2: None) -> None:
    header_path(vault_path).unlink()
    header_path(vault_path).mkdir()
    assert isinstance(_refused(vault_path), DamagedHeader)


def test_unwrap_itself_checks_the_caps(no_argon2: None) -> None:
    absurd = kdf.KdfParams(2**40, 3, 4, b"s" * 16)
    forged = header.Header("0" * 32, absurd, b"k" * 16, b"n" * 12, b"c" * 48)
    with pytest.raises(DamagedHeader):
        header.unwrap(forged, PASSPHRASE)
