"""Provides the demo cases: a dozen fictional dossiers (2024-2026) to try the app with.

They are shipped as an interchange file (`data/demo-cases.json`) and imported exactly as
an adviser's file would be, so the demo also shows what an import looks like. Every name
and alias in it is invented.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from confidant_tui.domain.taxonomy import Taxonomy
from confidant_tui.resources import data_file
from confidant_tui.services import importing
from confidant_tui.vault.store import Vault

DEMO_FILE = "demo-cases.json"
DEMO_TODAY = dt.date(2026, 11, 23)
"""The demo's dates were written for this day; later days are fine too."""


def demo_document() -> Any:
    """The decoded demo interchange document."""
    return importing.parse_json(data_file(DEMO_FILE).read_text(encoding="utf-8"))


def load_demo_cases(
    vault: Vault, *, today: dt.date, taxonomy: Taxonomy, default_organisation: str
) -> int:
    """Imports the demo cases into `vault` (all or nothing) and returns how many.

    Args:
        vault: an open vault; the demo codes must not be in use yet.
        today: the adviser's today; the cases are validated against the later of it and
            `DEMO_TODAY`, so the demo also loads on a computer with a wrong clock.
        taxonomy: the keys.
        default_organisation: for demo cases that name no organisation.

    Raises:
        ValidationError: a demo code is already used in the vault.
    """
    document = demo_document()
    return len(
        importing.import_document(
            vault,
            document,
            # The demo's consents were given before DEMO_TODAY, so the start of that day
            # (or of a later today) dates the cases' checks and comes after them.
            now=dt.datetime.combine(max(today, DEMO_TODAY), dt.time(0, 0)),
            taxonomy=taxonomy,
            default_organisation=default_organisation,
        )
    )
