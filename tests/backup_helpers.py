"""Helpers for the backup and restore tests: a vault with cases, and its contents table by
table."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from conftest import ORGANISATION, PASSPHRASE, TAXONOMY

from confidant_tui.services.demo_data import load_demo_cases
from confidant_tui.vault import header as header_file
from confidant_tui.vault import kdf
from confidant_tui.vault.connection import connect
from confidant_tui.vault.store import Vault

TODAY = dt.date(2026, 3, 2)
NOW = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)


def vault_with_cases(path: Path) -> Vault:
    """A new vault at `path` holding the demo cases, open for writing."""
    vault = Vault.create(path, PASSPHRASE, kdf.floor_params())
    load_demo_cases(vault, today=TODAY, taxonomy=TAXONOMY, default_organisation=ORGANISATION)
    return vault


def add_marker(vault: Vault, key: str) -> None:
    """One more save in the vault (a row in `meta`)."""
    with vault.transaction() as conn:
        conn.execute("INSERT INTO meta(key, value) VALUES (?, 'x')", (key,))


def contents(path: Path, passphrase: str = PASSPHRASE, *, skip: tuple[str, ...] = ()) -> dict:
    """Every table of the database at `path`, row by row (opened read-only), and its schema
    version. `skip` leaves out rows of `meta` by key and whole tables by name."""
    parsed = header_file.read(path.with_name(path.name + ".header"))
    key = header_file.unwrap(parsed, passphrase)
    conn = connect(path, key, create=False, read_only_file=parsed.backup is not None)
    try:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        found: dict = {"user_version": conn.execute("PRAGMA user_version").fetchone()[0]}
        found["schema"] = conn.execute(
            "SELECT type, name, sql FROM sqlite_master ORDER BY type, name"
        ).fetchall()
        for table in tables:
            if table in skip:
                continue
            rows = conn.execute(f'SELECT * FROM "{table}"').fetchall()
            if table == "meta":
                rows = [row for row in rows if row[0] not in skip]
            found[table] = sorted(rows, key=repr)
        return found
    finally:
        conn.close()
        kdf.zero(key)
