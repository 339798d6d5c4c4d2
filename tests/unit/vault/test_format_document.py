"""docs/vault-format.md is enough to open a vault without Confidant.

This test follows the document step by step with plain `sqlcipher3`, `argon2-cffi` and
`cryptography`: with the passphrase, and with the recovery key that `confidant init`
printed. It imports nothing from Confidant: the `vault_path` fixture and the `confidant`
command made the vaults.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import sqlcipher3
from argon2.low_level import Type, hash_secret_raw
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

PASSPHRASE = "correct horse battery staple"  # the passphrase of the fixture's vault
REPO = Path(__file__).resolve().parents[3]
CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def test_a_vault_opens_by_following_the_format_document(vault_path: Path) -> None:
    header_file = vault_path.with_name(vault_path.name + ".header")
    document = json.loads(header_file.read_text(encoding="utf-8"))
    assert document["format"] == "confidant-vault-header"
    assert document["version"] == 2
    assert document["recovery"] is None and document["backup"] is None
    assert set(document["commit"]) == {"counter", "head", "mac"}

    rest = {key: value for key, value in document.items() if key != "checksum"}
    canonical = json.dumps(rest, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    assert hashlib.sha256(canonical.encode("ascii")).hexdigest() == document["checksum"]

    kdf = document["kdf"]
    assert (kdf["name"], kdf["version"]) == ("argon2id", 19)
    kek = hash_secret_raw(
        secret=unicodedata.normalize("NFKC", PASSPHRASE).encode("utf-8"),
        salt=base64.b64decode(kdf["salt"]),
        time_cost=kdf["time_cost"],
        memory_cost=kdf["memory_kib"],
        parallelism=kdf["parallelism"],
        hash_len=32,
        type=Type.ID,
        version=19,
    )
    kcv = hmac.new(kek, b"confidant-kcv", hashlib.sha256).digest()[:16]
    assert hmac.compare_digest(kcv.hex(), document["kcv"])

    wrapped = document["wrapped_key"]
    assert wrapped["algorithm"] == "AES-256-GCM"
    aad = ("confidant-vault-header/1/" + document["vault_id"]).encode("ascii")
    data_key = AESGCM(kek).decrypt(
        base64.b64decode(wrapped["nonce"]), base64.b64decode(wrapped["ciphertext"]), aad
    )
    assert len(data_key) == 32

    assert not vault_path.read_bytes()[:16].startswith(b"SQLite format 3")
    conn = sqlcipher3.connect(vault_path.as_uri() + "?mode=rw", uri=True)
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(f"PRAGMA key = \"x'{data_key.hex()}'\"")
        conn.execute("PRAGMA cipher_compatibility = 4")
        assert str(conn.execute("PRAGMA cipher_version").fetchone()[0]).startswith("4.")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        for pragma in (
            "temp_store = MEMORY",
            "secure_delete = ON",
            "foreign_keys = ON",
            "trusted_schema = OFF",
            "journal_mode = WAL",
            "synchronous = FULL",
        ):
            conn.execute(f"PRAGMA {pragma}")
        meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
        database_counter = conn.execute("SELECT value FROM commit_counter").fetchone()[0]
        assert conn.execute("PRAGMA user_version").fetchone()[0] >= 1
        assert conn.execute("PRAGMA cipher_integrity_check").fetchall() == []
    finally:
        conn.close()
    assert meta["vault_id"] == document["vault_id"]
    assert meta["created_by"] == "confidant"

    # The commit mark: HMAC-SHA256 under HKDF(data key, info "confidant-commit-mac").
    mac_key = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"confidant-commit-mac"
    ).derive(data_key)
    counter = document["commit"]["counter"]
    message = (
        b"confidant-commit\x00"
        + document["vault_id"].encode()
        + b"\x00"
        + str(counter).encode()
        + b"\x00"
        + document["commit"]["head"].encode()
    )
    assert hmac.new(mac_key, message, hashlib.sha256).hexdigest() == document["commit"]["mac"]
    assert counter == database_counter


def _open_database(path: Path, data_key: bytes) -> tuple[dict[str, str], int]:
    """Opens the database as the document says; returns its `meta` rows and the commit
    counter (`commit_counter.value`)."""
    conn = sqlcipher3.connect(path.as_uri() + "?mode=ro", uri=True)
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(f"PRAGMA key = \"x'{data_key.hex()}'\"")
        conn.execute("PRAGMA cipher_compatibility = 4")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
        counter = conn.execute("SELECT value FROM commit_counter WHERE only = 1").fetchone()[0]
    finally:
        conn.close()
    return meta, int(counter)


def _read_recovery_key(written: str) -> bytes:
    """The document's reading of a recovery key: drop dashes and spaces, upper case, I and L
    as 1, O as 0; 32 Crockford base32 digits = 160 bits = 16 key bytes + 4 checksum bytes."""
    text = re.sub(r"[\s-]", "", written).upper().translate(str.maketrans("ILO", "110"))
    assert len(text) == 32
    number = 0
    for char in text:
        number = number * 32 + CROCKFORD.index(char)
    raw = number.to_bytes(20, "big")
    key, check = raw[:16], raw[16:]
    assert hashlib.sha256(b"confidant-recovery-key" + key).digest()[:4] == check
    return key


def test_a_vault_opens_with_its_recovery_key_by_following_the_format_document(
    tmp_path: Path,
) -> None:
    path = tmp_path / "keyed" / "confidant.vault"
    made = subprocess.run(
        [sys.executable, "-m", "confidant_tui", "init", "--passphrase-stdin", "--vault", str(path)],
        input=PASSPHRASE + "\n",
        capture_output=True,
        text=True,
        env={**os.environ, "CONFIDANT_TEST_KDF": "floor"},
        cwd=REPO,
        timeout=60,
        check=True,
    )
    lines = [line for line in made.stdout.splitlines() if re.fullmatch(r"(\w{4}-){7}\w{4}", line)]
    assert len(lines) == 1
    recovery_key = _read_recovery_key(lines[0])

    document = json.loads(path.with_name(path.name + ".header").read_text(encoding="utf-8"))
    assert document["version"] == 2
    recovery = document["recovery"]
    assert recovery["kdf"] == "hkdf-sha256"
    kek = HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=base64.b64decode(recovery["salt"]),
        info=b"confidant-recovery-kek",
    ).derive(recovery_key)
    kcv = hmac.new(kek, b"confidant-kcv", hashlib.sha256).digest()[:16]
    assert hmac.compare_digest(kcv.hex(), recovery["kcv"])
    wrapped = recovery["wrapped_key"]
    assert wrapped["algorithm"] == "AES-256-GCM"
    aad = ("confidant-vault-header/recovery/" + document["vault_id"]).encode("ascii")
    data_key = AESGCM(kek).decrypt(
        base64.b64decode(wrapped["nonce"]), base64.b64decode(wrapped["ciphertext"]), aad
    )
    meta, counter = _open_database(path, data_key)
    assert meta["vault_id"] == document["vault_id"]
    assert counter == document["commit"]["counter"]
