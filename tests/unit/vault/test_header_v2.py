"""Header version 2: the recovery wrap, the commit mark and the backup mark.

It round-trips; a version 1 header still opens and becomes version 2 on the first write;
hostile or broken version 2 fields are refused as a damaged header before Argon2 runs.
"""

from __future__ import annotations

import base64
import json
import secrets
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from conftest import PASSPHRASE

from confidant_tui.errors import DamagedHeader, ExitCode
from confidant_tui.paths import header_path
from confidant_tui.vault import header, kdf
from confidant_tui.vault.maintenance import change_passphrase
from confidant_tui.vault.store import Vault

Edit = Callable[[dict[str, Any]], None]
NEW = "another passphrase for the header test"


@pytest.fixture(scope="module")
def full_header() -> header.Header:
    """A version 2 header with every optional field set (one floor derivation)."""
    data_key = secrets.token_bytes(32)
    vault_id = secrets.token_hex(16)
    made = header.wrap(data_key, PASSPHRASE, kdf.floor_params(), vault_id)
    made = header.replace_recovery(
        made, header.wrap_recovery(data_key, secrets.token_bytes(16), vault_id)
    )
    made = made.with_commit(header.CommitMark(41, secrets.token_bytes(32)))
    return replace(made, backup=header.BackupMark("2026-03-01T12:30:00Z"))


@pytest.fixture
def no_argon2(monkeypatch: pytest.MonkeyPatch) -> None:
    def forbidden(*args: object, **kwargs: object) -> bytes:
        pytest.fail("Argon2 ran on a header that should have been refused first")

    monkeypatch.setattr(kdf, "hash_secret_raw", forbidden)


def _document(made: header.Header) -> dict[str, Any]:
    return json.loads(made.to_json())


def _sealed(document: dict[str, Any]) -> bytes:
    """The document with a matching checksum (so only the field itself is wrong)."""
    document["checksum"] = header.checksum(document)
    return json.dumps(document).encode()


def test_round_trip_keeps_every_field(full_header: header.Header) -> None:
    document = _document(full_header)
    assert document["version"] == 2
    assert set(document) == {
        "format",
        "version",
        "vault_id",
        "kdf",
        "kcv",
        "wrapped_key",
        "recovery",
        "commit",
        "backup",
        "checksum",
    }
    assert document["recovery"]["kdf"] == "hkdf-sha256"
    assert document["commit"]["counter"] == 41
    assert document["backup"] == {"made_at": "2026-03-01T12:30:00Z"}
    assert header.parse(full_header.to_json().encode()) == full_header


def test_round_trip_without_the_optional_fields(full_header: header.Header) -> None:
    bare = replace(full_header, recovery=None, commit=None, backup=None)
    document = _document(bare)
    assert (document["recovery"], document["commit"], document["backup"]) == (None, None, None)
    assert header.parse(bare.to_json().encode()) == bare


def test_a_changed_v2_field_without_its_checksum_is_damage(
    full_header: header.Header, no_argon2: None
) -> None:
    document = _document(full_header)
    document["commit"]["counter"] = 40
    with pytest.raises(DamagedHeader, match="controlegetal"):
        header.parse(json.dumps(document).encode())


def _set(path: tuple[str, ...], value: Any) -> Edit:
    def edit(document: dict[str, Any]) -> None:
        target = document
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return edit


def _drop(path: tuple[str, ...]) -> Edit:
    def edit(document: dict[str, Any]) -> None:
        target = document
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]

    return edit


def _b64_of(size: int) -> str:
    return base64.b64encode(bytes(size)).decode()


HOSTILE: dict[str, Edit] = {
    "unknown top-level field": _set(("extra",), None),
    "recovery field missing": _drop(("recovery",)),
    "commit field missing": _drop(("commit",)),
    "backup field missing": _drop(("backup",)),
    "unknown field in recovery": _set(("recovery", "iterations"), 1),
    "unknown field in recovery's wrap": _set(("recovery", "wrapped_key", "tag"), "x"),
    "unknown field in commit": _set(("commit", "tail"), "00"),
    "commit head missing": _drop(("commit", "head")),
    "commit head short": _set(("commit", "head"), "00" * 31),
    "commit head upper case": _set(("commit", "head"), "AB" * 32),
    "unknown field in backup": _set(("backup", "by"), "someone"),
    "recovery salt missing": _drop(("recovery", "salt")),
    "recovery kcv missing": _drop(("recovery", "kcv")),
    "commit mac missing": _drop(("commit", "mac")),
    "backup moment missing": _drop(("backup", "made_at")),
    "recovery as a list": _set(("recovery",), []),
    "recovery as text": _set(("recovery",), "none"),
    "commit as a number": _set(("commit",), 3),
    "backup as true": _set(("backup",), True),
    "recovery derivation unknown": _set(("recovery", "kdf"), "pbkdf2"),
    "recovery wrap algorithm unknown": _set(("recovery", "wrapped_key", "algorithm"), "AES-128"),
    "recovery salt 15 bytes": _set(("recovery", "salt"), _b64_of(15)),
    "recovery salt 17 bytes": _set(("recovery", "salt"), _b64_of(17)),
    "recovery salt not base64": _set(("recovery", "salt"), "***"),
    "recovery kcv short": _set(("recovery", "kcv"), "00" * 15),
    "recovery kcv upper case": _set(("recovery", "kcv"), "AB" * 16),
    "recovery nonce 11 bytes": _set(("recovery", "wrapped_key", "nonce"), _b64_of(11)),
    "recovery ciphertext 47 bytes": _set(("recovery", "wrapped_key", "ciphertext"), _b64_of(47)),
    "recovery ciphertext 49 bytes": _set(("recovery", "wrapped_key", "ciphertext"), _b64_of(49)),
    "counter negative": _set(("commit", "counter"), -1),
    "counter boolean": _set(("commit", "counter"), True),
    "counter float": _set(("commit", "counter"), 41.0),
    "counter text": _set(("commit", "counter"), "41"),
    "counter above 2^63-1": _set(("commit", "counter"), 2**63),
    "mac short": _set(("commit", "mac"), "00" * 31),
    "mac long": _set(("commit", "mac"), "00" * 33),
    "mac upper case": _set(("commit", "mac"), "AB" * 32),
    "mac not hex": _set(("commit", "mac"), "zz" * 32),
    "backup moment without Z": _set(("backup", "made_at"), "2026-03-01T12:30:00"),
    "backup moment as a date": _set(("backup", "made_at"), "2026-03-01"),
    "backup moment as a number": _set(("backup", "made_at"), 20260301),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_v2_field_is_refused_before_argon2(
    name: str, full_header: header.Header, no_argon2: None
) -> None:
    document = _document(full_header)
    HOSTILE[name](document)
    with pytest.raises(DamagedHeader) as refused:
        header.parse(_sealed(document))
    assert refused.value.exit_code == ExitCode.VAULT_UNUSABLE


@pytest.mark.parametrize("part", ["recovery", "commit", "backup"])
def test_a_field_written_twice_inside_a_v2_object_is_damage(
    part: str, full_header: header.Header, no_argon2: None
) -> None:
    document = _document(full_header)
    text = json.dumps(document)
    inner = json.dumps(document[part])
    first_field = next(iter(document[part]))
    doubled = (
        inner[:-1]
        + ", "
        + json.dumps(first_field)
        + ": "
        + json.dumps(document[part][first_field])
        + "}"
    )
    assert text.count(inner) == 1
    with pytest.raises(DamagedHeader, match="twee keer voor"):
        header.parse(text.replace(inner, doubled).encode())


def test_the_largest_counter_is_accepted(full_header: header.Header) -> None:
    document = _document(full_header)
    document["commit"]["counter"] = 2**63 - 1
    assert header.parse(_sealed(document)).commit.counter == 2**63 - 1  # type: ignore[union-attr]


def _as_version_1(path: Path) -> None:
    """Rewrites the vault's header as version 1 wrote it (no recovery, commit, backup)."""
    head = header_path(path)
    document = json.loads(head.read_text(encoding="utf-8"))
    for field in ("recovery", "commit", "backup", "checksum"):
        del document[field]
    document["version"] = 1
    document["checksum"] = header.checksum(document)
    head.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")


def test_a_version_1_header_opens_and_becomes_version_2_on_the_first_write(
    vault_path: Path,
) -> None:
    _as_version_1(vault_path)
    with Vault.open(vault_path, PASSPHRASE, read_only=True) as reader:
        assert reader.header().commit is None
    assert json.loads(header_path(vault_path).read_text())["version"] == 1  # a reader wrote nothing
    with Vault.open(vault_path, PASSPHRASE) as vault, vault.transaction() as conn:
        conn.execute("INSERT INTO meta(key, value) VALUES ('marker', 'v2')")
    document = json.loads(header_path(vault_path).read_text())
    assert document["version"] == 2
    assert document["commit"]["counter"] >= 1
    assert document["recovery"] is None and document["backup"] is None
    Vault.open(vault_path, PASSPHRASE).close()


def test_a_passphrase_change_upgrades_a_version_1_header(vault_path: Path) -> None:
    _as_version_1(vault_path)
    change_passphrase(vault_path, PASSPHRASE, NEW)
    assert json.loads(header_path(vault_path).read_text())["version"] == 2
    Vault.open(vault_path, NEW, read_only=True).close()
