"""Provides `FieldReader`: typed values out of raw interchange JSON, collecting problems."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from typing import Any

from confidant_tui.domain.case_rules import Problem, join, shown
from confidant_tui.i18n import _

_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_TIME = re.compile(r"[0-9]{2}:[0-9]{2}")
"""Matched whole (`fullmatch`), ASCII digits only: `date.fromisoformat` alone would also
take `20250301` and `2025-W10-1`, and `\\d` would take `٢٠٢٥`."""


class FieldReader:
    """Reads typed values out of raw JSON, collecting problems instead of failing.

    Every reading method returns None (or an empty list) for a wrong value and records a
    problem at its path, so one pass over a file lists every problem at once.
    """

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.unknown: list[Problem] = []
        """Unknown keys: refused, but they do not stop the rules from being checked."""

    def add(self, path: str, message: str) -> None:
        self.problems.append((path, message))

    def mapping(self, raw: Any, path: str, keys: Sequence[str]) -> Mapping[str, Any] | None:
        if not isinstance(raw, dict):
            self.add(path, _("Expected an object {...} here."))
            return None
        for key in raw:
            if key not in keys:
                self.unknown.append(
                    (
                        join(path, shown(key)),
                        _("Unknown field '{key}'; check the spelling.").format(key=shown(key)),
                    )
                )
        return raw

    def items(self, raw: Any, path: str) -> list[Any]:
        if raw is None:
            return []
        if not isinstance(raw, list):
            self.add(path, _("Expected a list [...] here."))
            return []
        return raw

    def text(self, raw: Any, path: str) -> str | None:
        if raw is None:
            return None
        if not isinstance(raw, str):
            self.add(path, _("Expected text here."))
            return None
        return raw

    def key(self, raw: Any, path: str, required: str | None = None) -> str | None:
        value = self.text(raw, path)
        if value is None and raw is None and required:
            self.add(path, required)
        return value

    def date(self, raw: Any, path: str, required: bool = False) -> dt.date | None:
        if raw is None:
            if required:
                self.add(path, _("This date is required."))
            return None
        if isinstance(raw, str) and _DATE.fullmatch(raw):
            try:
                return dt.date.fromisoformat(raw)
            except ValueError:
                pass
        self.add(path, _("Expected a date as YYYY-MM-DD, for example 2025-03-14."))
        return None

    def time(self, raw: Any, path: str) -> dt.time | None:
        if raw is None:
            return None
        if isinstance(raw, str) and _TIME.fullmatch(raw):
            try:
                return dt.time.fromisoformat(raw)
            except ValueError:
                pass
        self.add(path, _("Expected a time as HH:MM, for example 10:30."))
        return None

    def boolean(self, raw: Any, path: str) -> bool | None:
        if raw is None or isinstance(raw, bool):
            return raw
        self.add(path, _("Expected true or false here."))
        return None

    def integer(self, raw: Any, path: str) -> int | None:
        if raw is None:
            return None
        if isinstance(raw, int) and not isinstance(raw, bool):
            return raw
        self.add(path, _("Expected a whole number here."))
        return None
