"""Provides `load_taxonomy`: the taxonomy shipped with Confidant (`data/taxonomy.toml`).

Apart from `services.cases` (which re-exports it) so that the app's context can be built
before the first frame without importing the case rules and the vault's code.
"""

from __future__ import annotations

import functools
import tomllib
from typing import Any

from confidant_tui.domain.taxonomy import Taxonomy, parse_taxonomy


@functools.cache
def _taxonomy_document() -> dict[str, Any]:
    from confidant_tui.resources import data_file  # importlib.resources: not before it is read

    return tomllib.loads(data_file("taxonomy.toml").read_text(encoding="utf-8"))


@functools.cache
def load_taxonomy() -> Taxonomy:
    """The shipped taxonomy (organisations add their own terms: `organisations.taxonomy`)."""
    return parse_taxonomy(_taxonomy_document())
