"""Provides the versioned schema migrations (`NNNN_name.sql`, applied in order).

Each file moves the schema from version N-1 to N and is applied in one transaction
together with `PRAGMA user_version = N`. Released files never change; a change is a new file.
Each area of the app owns its own files, so work on one area never edits another's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources

_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


@dataclass(frozen=True)
class Migration:
    """One schema step."""

    version: int
    name: str
    sql: str


def all_migrations() -> list[Migration]:
    """Every shipped migration, ordered by version; versions must be 1, 2, 3, ..."""
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
    return found


def latest_version() -> int:
    """The schema version this build of Confidant writes."""
    migrations = all_migrations()
    return migrations[-1].version if migrations else 0
