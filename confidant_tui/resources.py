"""Provides access to the reference data shipped in `data/`.

In a wheel, `data/` is mapped to `confidant_tui/data` (see `pyproject.toml`); in a checkout
(or an editable install) it is the top-level `data/` folder beside the package.
"""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path


def data_root() -> Traversable:
    """Returns the folder of shipped reference data, from a wheel or from a checkout."""
    packaged = resources.files("confidant_tui").joinpath("data")
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "data"


def data_file(name: str) -> Traversable:
    """Returns one shipped data file, e.g. `data_file("taxonomy.toml")`."""
    return data_root().joinpath(name)
