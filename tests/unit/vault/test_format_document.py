"""docs/vault-format.md is enough to open a vault without Confidant.

This test follows the document step by step with plain `sqlcipher3`, `argon2-cffi` and
`cryptography`. It imports nothing from Confidant: the `vault_path` fixture made the vault.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import unicodedata
from pathlib import Path

import sqlcipher3
from argon2.low_level import Type, hash_secret_raw
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

PASSPHRASE = "correct horse battery staple"  # the passphrase of the fixture's vault


def test_a_vault_opens_by_following_the_format_document(vault_path: Path) -> None:
    header_file = vault_path.with_name(vault_path.name + ".header")
    document = json.loads(header_file.read_text(encoding="utf-8"))
    assert document["format"] == "confidant-vault-header"
    assert document["version"] == 1

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
        assert conn.execute("PRAGMA user_version").fetchone()[0] >= 1
        assert conn.execute("PRAGMA cipher_integrity_check").fetchall() == []
    finally:
        conn.close()
    assert meta["vault_id"] == document["vault_id"]
    assert meta["created_by"] == "confidant"
