"""Provides the SQLCipher connection of a vault: raw key, pragmas in order, migrations.

The order of the pragmas matters and is documented in `docs/vault-format.md`: logging off,
the raw key, compatibility 4, then the real key test (reading the schema) before any pragma
that could write, then the safety pragmas.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, Protocol

import sqlcipher3

from confidant_tui.errors import DamagedDatabase, VaultUnusable
from confidant_tui.i18n import _
from confidant_tui.vault import migrations
from confidant_tui.vault.sqlerrors import ERR_NOTADB, primary_code, translate_sqlite_error

Row = tuple[Any, ...]
"""One result row: SQLite hands back plain tuples (no `row_factory` is set), and a column's
Python type depends on what was stored in it, so the repositories convert each value."""

Parameters = Sequence[object]
"""The `?` parameters of one statement."""


class Cursor(Protocol):
    """What the vault uses of a `sqlcipher3` cursor (the DB-API 2.0 cursor of `sqlite3`)."""

    @property
    def lastrowid(self) -> int | None: ...

    @property
    def rowcount(self) -> int: ...

    def fetchone(self) -> Row | None: ...

    def fetchall(self) -> list[Row]: ...

    def __iter__(self) -> Iterator[Row]: ...


class Connection(Protocol):
    """What the vault uses of a `sqlcipher3` connection.

    `sqlcipher3` ships without type information, so this protocol names the part of its
    DB-API 2.0 interface (the same as `sqlite3.Connection`) that the repositories rely on.
    """

    @property
    def in_transaction(self) -> bool: ...

    @property
    def total_changes(self) -> int: ...

    def execute(self, sql: str, parameters: Parameters = (), /) -> Cursor: ...

    def executemany(self, sql: str, parameters: Iterable[Parameters], /) -> Cursor: ...

    def close(self) -> None: ...


def single_row(cursor: Cursor) -> Row:
    """The row of a query that always yields one: an aggregate, a pragma, or a row that the
    caller has already found to exist.

    Raises:
        RuntimeError: the query yielded no row (a program fault).
    """
    row = cursor.fetchone()
    if row is None:
        raise RuntimeError("the query yielded no row")
    return row


def rows_in_one_step(
    conn: Connection, sql: str, parameters: Parameters, columns: int
) -> list[list[Any]]:
    """The rows of `sql` (its `columns` columns of numbers, text or NULL, no blobs), read as
    one JSON document in a single step.

    Why: the driver lets go of Python's lock (the GIL) for every row it steps to, and a
    worker that wants it back waits until the thread holding it gives it up, which the
    main thread, busy drawing a screen, does only every few milliseconds. A read of 1,300
    rows in a worker took 250-300 ms while the case list and the today view were being
    built, against 30 ms alone; as one row it waits once. The rows come in the order the
    query gives them (SQLite aggregates a subquery's rows in its order).
    """
    names = ", ".join(f"c{index}" for index in range(columns))
    wrapped = f"WITH q({names}) AS ({sql}) SELECT json_group_array(json_array({names})) FROM q"
    found: list[list[Any]] = json.loads(single_row(conn.execute(wrapped, parameters))[0])
    return found


def inserted_id(cursor: Cursor) -> int:
    """The row id of the row that an `INSERT` just stored through `cursor`.

    Raises:
        RuntimeError: the statement stored no row (a program fault).
    """
    row_id = cursor.lastrowid
    if row_id is None:
        raise RuntimeError("the statement stored no row")
    return row_id


CACHE_SIZE_KIB = -16000
"""The page cache of a vault connection: 16000 KiB (a negative `cache_size` is KiB). Chosen
by measurement on 50,000 cases (docs/vault-format.md, "Why these pragmas" and "The
report's index and page cache"): SQLite's stock 2000 KiB made index-only counts 2.4 times
slower; with 8000 KiB the pages the yearly report reads did not all stay in the cache, and
counting took 1.2-1.4 times as long as on a plain copy (1.0-1.1 with 16000 KiB, for about
8.6 MiB more memory after browsing)."""


def raw_key_pragma(data_key: bytes | bytearray) -> str:
    hex_key = bytes(data_key).hex()
    if len(hex_key) != 64 or any(c not in "0123456789abcdef" for c in hex_key):
        raise ValueError("data key must be 32 bytes")
    return f"PRAGMA key = \"x'{hex_key}'\""


def connect(
    path: Path, data_key: bytes | bytearray, *, create: bool, read_only_file: bool = False
) -> Connection:
    """Opens SQLCipher on `path` with the raw data key and the pragmas of SECURITY.md.

    Args:
        path: the database file.
        data_key: the raw 32-byte key.
        create: make the file when it is missing (only `init`).
        read_only_file: open the file read-only (`mode=ro`) and leave its journal mode
            alone: for a backup, a single file in rollback-journal mode that checking must
            not change (switching it to WAL would rewrite its first page).
    """
    mode = "rwc" if create else ("ro" if read_only_file else "rw")
    uri = path.resolve().as_uri() + f"?mode={mode}"
    conn: Connection = sqlcipher3.connect(
        uri, uri=True, isolation_level=None, check_same_thread=False
    )
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(raw_key_pragma(data_key))
        conn.execute("PRAGMA cipher_compatibility = 4")
        # Plain SQLite answers no row at all: that is "not SQLCipher 4" too.
        version = conn.execute("PRAGMA cipher_version").fetchone()
        if version is None or not str(version[0]).startswith("4."):
            raise VaultUnusable(_("This Confidant needs SQLCipher 4."))
        _test_key(conn)
        conn.execute("PRAGMA temp_store = MEMORY")
        conn.execute(f"PRAGMA cache_size = {CACHE_SIZE_KIB}")
        conn.execute("PRAGMA secure_delete = ON")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA trusted_schema = OFF")
        if not read_only_file:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = FULL")
    except sqlcipher3.Error as error:
        conn.close()
        mapped = translate_sqlite_error(error)
        if mapped is None:
            raise
        raise mapped from None
    except BaseException:
        conn.close()
        raise
    return conn


def _test_key(conn: Connection) -> None:
    """Reads the schema: the real key test, before any pragma that could write.

    The data key came out of an authenticated header, so a page-1 failure here means the
    database is damaged or the header belongs to another vault's database.
    """
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlcipher3.DatabaseError as error:
        if primary_code(error) == ERR_NOTADB:
            raise DamagedDatabase(
                _(
                    "The vault database cannot be read with the key from its header: the "
                    "database is damaged, or the header belongs to another vault."
                )
            ) from None
        raise


def schema_version(conn: Connection) -> int:
    """The database's `PRAGMA user_version`: the number of the last migration applied."""
    return int(single_row(conn.execute("PRAGMA user_version"))[0])


def migrate(conn: Connection) -> None:
    """Applies every migration newer than `PRAGMA user_version`, one transaction per step.

    Each step runs its statements and sets `user_version` to its number inside one
    `BEGIN IMMEDIATE ... COMMIT`, so a crash or a failing statement leaves the schema at
    the last whole step: a failing step is rolled back completely and the steps before it
    stay applied. The statements are run one by one (never with `executescript`, which
    would commit the open transaction first).

    Raises:
        sqlcipher3.Error: a step failed; the database is at the version before that step.
    """
    for migration in migrations.all_migrations():
        if migration.version <= schema_version(conn):
            continue
        statements = migration.statements()
        conn.execute("BEGIN IMMEDIATE")
        try:
            current = schema_version(conn)
            if current != migration.version - 1:
                raise RuntimeError(f"schema {current} cannot take {migration.name}")
            for statement in statements:
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {int(migration.version)}")
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
