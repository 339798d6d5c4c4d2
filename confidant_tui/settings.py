"""Provides the adviser's settings: a validated TOML file in the platform's config folder.

Settings hold the adviser's own preferences only (language, idle lock), never case data and
nothing that names an organisation or a person: each organisation's rules live in the vault.
A settings file of 0.1.x may still hold the organisation keys of that release
(`LEGACY_KEYS`); `legacy_values` reads them so the app can move them into the vault once,
and `drop_legacy` then takes them out of the file. A missing file means the defaults; a file
with a mistake is refused with a message that names the setting, so the adviser can fix it.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any

from confidant_tui.atomic_file import write_private_atomically
from confidant_tui.errors import InvalidInput, StorageError
from confidant_tui.i18n import SUPPORTED_LANGUAGES, _
from confidant_tui.paths import settings_path


@dataclass(frozen=True)
class Settings:
    """Every setting with its default.

    Attributes:
        language: interface language, "nl" or "en".
        idle_minutes: minutes without a key press before the app locks itself (1-120).
        backup_interval_days: days after the last verified backup before the app reminds
            the adviser to make one, when unlocking (1-365).
        aftercare_weeks: weeks after a route ended before the aftercare check-in is due
            (1-52).
        today_on_unlock: whether the today view (what is due) opens right after unlocking.
    """

    language: str = "nl"
    idle_minutes: int = 5
    backup_interval_days: int = 7
    aftercare_weeks: int = 6
    today_on_unlock: bool = True


LEGACY_KEYS = (
    "organisation",
    "extra_levels",
    "report_threshold",
    "complaint_period_years",
    "report_due",
)
"""Settings of 0.1.x that became rules of an organisation in the vault."""

_RANGES: dict[str, tuple[int, int]] = {
    "idle_minutes": (1, 120),
    "backup_interval_days": (1, 365),
    "aftercare_weeks": (1, 52),
    "report_threshold": (3, 20),
    "complaint_period_years": (1, 10),
}


_FLAGS = frozenset({"today_on_unlock"})
"""Settings that are true or false."""


def validate(raw: dict[str, Any]) -> Settings:
    """Builds `Settings` from parsed TOML, refusing unknown keys and wrong values.

    Raises:
        InvalidInput: naming the setting and what is wrong with it.
    """
    known = {f.name for f in fields(Settings)}
    values: dict[str, Any] = {}
    for key, value in raw.items():
        if key in LEGACY_KEYS:
            _checked(key, value)
            continue
        if key not in known:
            raise InvalidInput(_("Unknown setting '{key}' in the settings file.").format(key=key))
        values[key] = value
    settings = Settings()
    for key, value in values.items():
        settings = replace(settings, **{key: _checked(key, value)})
    return settings


def _checked(key: str, value: Any) -> Any:
    problem = _("The setting '{key}' has a wrong value.").format(key=key)
    if key in _RANGES:
        low, high = _RANGES[key]
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            raise InvalidInput(
                _("The setting '{key}' must be a whole number from {low} to {high}.").format(
                    key=key, low=low, high=high
                )
            )
        return value
    if key == "language":
        if value not in SUPPORTED_LANGUAGES:
            raise InvalidInput(_('The setting \'language\' must be "nl" or "en".'))
        return value
    if key in _FLAGS:
        if not isinstance(value, bool):
            raise InvalidInput(_("The setting '{key}' must be true or false.").format(key=key))
        return value
    if key == "organisation":
        if not isinstance(value, str) or not value.strip() or len(value) > 200:
            raise InvalidInput(problem)
        return value.strip()
    if key == "extra_levels":
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise InvalidInput(problem)
        return tuple(value)
    if key == "report_due":
        if not isinstance(value, str) or not is_month_day(value):
            raise InvalidInput(_("The setting 'report_due' must look like \"03-01\" (month-day)."))
        return value
    raise InvalidInput(problem)


def is_month_day(value: str) -> bool:
    """Whether `value` is a real "MM-DD" day (29 February counts: it exists in leap years)."""
    parts = value.split("-")
    if len(parts) != 2 or not all(len(p) == 2 and p.isascii() and p.isdigit() for p in parts):
        return False
    try:
        dt.date(2024, int(parts[0]), int(parts[1]))
    except ValueError:
        return False
    return True


def field_problem(key: str, value: Any) -> str | None:
    """Checks one setting as the settings screen does, with a message to show beside the field.

    Args:
        key: the setting's name (a field of `Settings`).
        value: the value typed or chosen, already converted to the setting's type where
            possible (a number field that does not hold a number is passed as text).

    Returns:
        The problem for the adviser, or None when the value is fine.
    """
    if key in _RANGES:
        low, high = _RANGES[key]
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            return _("Enter a whole number from {low} to {high}.").format(low=low, high=high)
        return None
    if key == "language":
        return None if value in SUPPORTED_LANGUAGES else _("Choose Dutch or English.")
    if key in _FLAGS:
        return None if isinstance(value, bool) else _("Choose yes or no.")
    try:
        _checked(key, value)
    except InvalidInput as error:
        return error.message
    return None


def _read_raw(path: Path | None) -> dict[str, Any] | None:
    """The parsed settings file, or None when there is none.

    Raises:
        InvalidInput: the file cannot be read or is not valid TOML.
    """
    target = path or settings_path()
    try:
        text = target.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError:
        raise InvalidInput(_("The settings file cannot be read.")) from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise InvalidInput(
            _("The settings file has a mistake: {detail}").format(detail=str(error))
        ) from None


def load_settings(path: Path | None = None) -> Settings:
    """Reads the settings file; a missing file gives the defaults.

    Raises:
        InvalidInput: the file is not valid TOML or holds a wrong setting.
    """
    raw = _read_raw(path)
    return Settings() if raw is None else validate(raw)


def legacy_values(path: Path | None = None) -> dict[str, Any]:
    """The organisation values a 0.1.x settings file still holds (checked), else {}.

    `extra_levels` comes back as a list of keys, the others as they were written.

    Raises:
        InvalidInput: the file cannot be read, is not valid TOML, or a value is wrong.
    """
    raw = _read_raw(path) or {}
    found = {key: _checked(key, raw[key]) for key in LEGACY_KEYS if key in raw}
    if "extra_levels" in found:
        found["extra_levels"] = list(found["extra_levels"])
    return found


def drop_legacy(path: Path | None = None) -> None:
    """Rewrites the settings file without its 0.1.x organisation values (atomically).

    Raises:
        InvalidInput: the file cannot be read or holds a mistake.
        StorageError: it cannot be written.
    """
    raw = _read_raw(path)
    if raw is None or not any(key in raw for key in LEGACY_KEYS):
        return
    save_settings(validate(raw), path)


def save_settings(settings: Settings, path: Path | None = None) -> None:
    """Writes the settings atomically (temp file and rename), private to the user."""
    import tomli_w  # only saving needs it, not the start of every command

    target = path or settings_path()
    try:
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError:
        raise StorageError(_("The settings could not be saved. Nothing was changed.")) from None
    document = asdict(settings)
    try:
        write_private_atomically(target, tomli_w.dumps(document).encode("utf-8"))
    except OSError:
        raise StorageError(_("The settings could not be saved. Nothing was changed.")) from None
