"""Provides the versioned schema migrations (`NNNN_name.sql`, applied in order).

Each file moves the schema from version N-1 to N and is applied in one transaction
together with `PRAGMA user_version = N` (see `vault.connection.migrate`). Released files
never change; a change is a new file. Each area of the app owns its own files, so work on
one area never edits another's.

A file holds schema and data statements only. The runner owns the transaction and the
version number, so a file may not contain `BEGIN`, `COMMIT`, `END`, `ROLLBACK`,
`SAVEPOINT`, `RELEASE`, `VACUUM`, `ATTACH`, `DETACH` or any `PRAGMA`: each would break
"one step, one transaction" (or, like `PRAGMA foreign_keys`, silently do nothing inside
it). Such a file is refused when the migrations are loaded, so every test run finds it.

Code that needs the migrations calls `all_migrations()` and `latest_version()` through this
module (not a copy imported by name), so a test can add a synthetic step in one place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources

import sqlcipher3

_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")
_FIRST_WORD = re.compile(r"[A-Za-z]+")
FORBIDDEN_STATEMENTS = frozenset(
    {"BEGIN", "COMMIT", "END", "ROLLBACK", "SAVEPOINT", "RELEASE", "VACUUM", "ATTACH", "DETACH"}
    | {"PRAGMA"}
)
"""Leading keywords a migration file may not use (the runner owns the transaction)."""


@dataclass(frozen=True)
class Migration:
    """One schema step."""

    version: int
    name: str
    sql: str

    def statements(self) -> list[str]:
        """The file's statements, in order, each whole (a trigger's body stays in one).

        Raises:
            ValueError: a statement is incomplete or controls the transaction itself.
        """
        return split_statements(self.sql, self.name)


def _skip_comments(text: str) -> str:
    """`text` without its leading whitespace and SQL comments."""
    while True:
        text = text.lstrip()
        if text.startswith("--"):
            newline = text.find("\n")
            text = "" if newline < 0 else text[newline + 1 :]
        elif text.startswith("/*"):
            end = text.find("*/")
            text = "" if end < 0 else text[end + 2 :]
        else:
            return text


def split_statements(sql: str, name: str = "migration") -> list[str]:
    """Splits SQL text into complete statements with SQLite's own `sqlite3_complete`.

    A `;` inside a string, a comment or a trigger's `BEGIN ... END` does not end a
    statement. Pieces that hold only comments are dropped.

    Args:
        sql: the text of a migration file.
        name: the file's name, for the error message.

    Raises:
        ValueError: the text ends inside a statement, or a statement's first keyword is
            one of `FORBIDDEN_STATEMENTS`.
    """
    statements: list[str] = []
    pending = ""
    pieces = sql.split(";")
    for index, piece in enumerate(pieces):
        last = index == len(pieces) - 1
        pending += piece if last else piece + ";"
        if last and _skip_comments(pending):
            pending += "\n;"  # a final statement without its semicolon
        if not sqlcipher3.complete_statement(pending):
            continue
        body = _skip_comments(pending)
        if body.strip(" \t\r\n;"):
            word = _FIRST_WORD.match(body)
            keyword = word.group(0).upper() if word else ""
            if keyword in FORBIDDEN_STATEMENTS:
                raise ValueError(f"{name}: a migration may not run {keyword} (the runner does)")
            statements.append(pending.strip())
        pending = ""
    if _skip_comments(pending):
        raise ValueError(f"{name}: the last statement is incomplete")
    return statements


def all_migrations() -> list[Migration]:
    """Every shipped migration, ordered by version; versions must be 1, 2, 3, ...

    Raises:
        RuntimeError: the numbering has a gap, or a file breaks the rules above (a fault
            of the build, found by the test suite).
    """
    folder = resources.files(__package__)
    found = []
    for item in folder.iterdir():
        match = _NAME.match(item.name)
        if match:
            found.append(Migration(int(match.group(1)), item.name, item.read_text("utf-8")))
    found.sort(key=lambda m: m.version)
    for expected, migration in enumerate(found, start=1):
        if migration.version != expected:
            raise RuntimeError(f"migration numbering has a gap at {migration.name}")
        try:
            migration.statements()
        except ValueError as error:
            raise RuntimeError(str(error)) from None
    return found


def latest_version() -> int:
    """The schema version this build of Confidant writes."""
    migrations = all_migrations()
    return migrations[-1].version if migrations else 0
