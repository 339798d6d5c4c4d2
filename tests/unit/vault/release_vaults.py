"""Helpers for the tests on vaults made by earlier releases and on schema upgrades.

The released vaults live in `tests/fixtures/vault-<release>/` with a `manifest.json` written
by the release's own code (see `tests/fixtures/README.md`). Tests always work on a copy.
A synthetic migration is added in the test only, by replacing `migrations.all_migrations`
(in this process with `add_steps`, in a subprocess with `cli_with_steps`).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from confidant_tui.paths import header_path
from confidant_tui.vault import header as header_file
from confidant_tui.vault import migrations
from confidant_tui.vault.connection import Connection, connect

REPO = Path(__file__).resolve().parents[3]
FIXTURES = REPO / "tests" / "fixtures"


def releases() -> list[str]:
    """Every release that has a fixture vault (e.g. "0.1.0")."""
    return sorted(
        folder.name.removeprefix("vault-")
        for folder in FIXTURES.glob("vault-*")
        if (folder / "manifest.json").is_file()
    )


def manifest(release: str) -> dict[str, Any]:
    """What the release recorded about its fixture vault."""
    return json.loads((FIXTURES / f"vault-{release}" / "manifest.json").read_text("utf-8"))


def copy_release(release: str, folder: Path) -> Path:
    """Copies the release's vault (database and header) into `folder`; returns its path."""
    source = FIXTURES / f"vault-{release}" / manifest(release)["vault"]
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / source.name
    shutil.copyfile(source, target)
    shutil.copyfile(header_path(source), header_path(target))
    os.chmod(target, 0o600)
    os.chmod(header_path(target), 0o600)
    return target


def texts_digest(rows: list[tuple[Any, ...]]) -> str:
    """The digest `make_fixture_0_1_0.py` records for a case's conversation texts."""
    lines = sorted(json.dumps(list(row), ensure_ascii=False) for row in rows)
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def json_digest(document: Any) -> str:
    """The digest `make_fixture_0_1_0.py` records for a published report."""
    canonical = json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@contextmanager
def raw_connection(path: Path, passphrase: str) -> Iterator[Connection]:
    """The vault's SQLCipher connection without the schema check or any migration."""
    key = header_file.unwrap(header_file.read(header_path(path)), passphrase)
    conn = connect(path, key, create=False)
    try:
        yield conn
    finally:
        conn.close()


def user_version(path: Path, passphrase: str) -> int:
    with raw_connection(path, passphrase) as conn:
        return int(conn.execute("PRAGMA user_version").fetchone()[0])


def snapshot(path: Path, passphrase: str) -> dict[str, Any]:
    """Everything in the database: the schema, the version and every row of every table."""
    with raw_connection(path, passphrase) as conn:
        schema = conn.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name"
        ).fetchall()
        tables = [row[1] for row in schema if row[0] == "table" and row[3] is not None]
        rows = {
            table: sorted(
                conn.execute(f'SELECT * FROM "{table}"').fetchall(), key=lambda r: repr(r)
            )
            for table in tables
            if not table.startswith("sqlite_") and table != "search_fts"
        }
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    return {"version": version, "schema": schema, "rows": rows}


def row_counts(path: Path, passphrase: str) -> dict[str, int]:
    return {table: len(rows) for table, rows in snapshot(path, passphrase)["rows"].items()}


def _numbered(found: list[migrations.Migration], sqls: tuple[str, ...]) -> list[Any]:
    start = len(found) + 1
    return found + [
        migrations.Migration(start + i, f"{start + i:04d}_synthetic.sql", sql)
        for i, sql in enumerate(sqls)
    ]


def add_steps(monkeypatch: pytest.MonkeyPatch, *sqls: str) -> int:
    """Adds synthetic migrations after the shipped ones; returns the new latest version."""
    real = migrations.all_migrations
    monkeypatch.setattr(migrations, "all_migrations", lambda: _numbered(real(), sqls))
    return migrations.latest_version()


_RUNNER = """
import json, sys
from confidant_tui.vault import migrations
real = migrations.all_migrations
sqls = tuple(json.loads(sys.argv[1]))
def patched():
    found = real()
    start = len(found) + 1
    return found + [migrations.Migration(start + i, "%04d_synthetic.sql" % (start + i), sql)
                    for i, sql in enumerate(sqls)]
migrations.all_migrations = patched
from confidant_tui.cli.main import main
sys.exit(main(sys.argv[2:]))
"""


def cli_with_steps(
    *args: str, steps: tuple[str, ...] = (), stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    """Runs the real `confidant` command in a subprocess that also knows `steps`."""
    env = {**os.environ, "CONFIDANT_TEST_KDF": "floor"}
    env.pop("CONFIDANT_LANG", None)
    return subprocess.run(
        [sys.executable, "-c", _RUNNER, json.dumps(list(steps)), *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=120,
    )
