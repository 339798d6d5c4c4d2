"""Provides translation (gettext catalogues) and locale-aware date formatting.

Message ids are English; Dutch is the default language. Catalogues are `.po` files shipped
inside the package (`confidant_tui/locale/<lang>/*.po`), one file per area of the app so that
work on one area never touches another's file. They are parsed at run time, which works the
same from a checkout and from an installed wheel, and needs no build step.

Call `set_language` before importing UI modules: class-level strings (binding descriptions)
are translated when the class is created.
"""

from __future__ import annotations

import ast
import datetime as dt
import os
from collections.abc import Iterable
from importlib import resources

SUPPORTED_LANGUAGES = ("nl", "en")
DEFAULT_LANGUAGE = "nl"

_language: str = DEFAULT_LANGUAGE
_catalogues: dict[str, dict[str, str | list[str]]] = {}


def parse_po(text: str) -> dict[str, str | list[str]]:
    """Parses the text of a `.po` file into {msgid: msgstr} (a list for plural forms).

    Entries with an empty translation or marked fuzzy are left out, so the English id shows.

    Args:
        text: the file's text.

    Returns:
        The translations; a plural entry maps its singular id to [singular, plural, ...].
    """
    entries: dict[str, str | list[str]] = {}
    current: dict[str, object] = {}
    field: str | None = None
    fuzzy = False

    def flush() -> None:
        nonlocal current, fuzzy
        msgid = current.get("msgid")
        if isinstance(msgid, str) and msgid and not fuzzy:
            if "msgid_plural" in current:
                forms = current.get("msgstr_plural", {})
                assert isinstance(forms, dict)
                values = [forms[k] for k in sorted(forms)]
                if values and all(values):
                    entries[msgid] = values
            else:
                msgstr = current.get("msgstr")
                if isinstance(msgstr, str) and msgstr:
                    entries[msgid] = msgstr
        current = {}
        fuzzy = False

    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            flush()
            field = None
            continue
        if line.startswith("#"):
            if line.startswith("#,") and "fuzzy" in line:
                fuzzy = True
            continue
        if line.startswith('"'):
            value = ast.literal_eval(line)
            if field and field.startswith("msgstr["):
                forms = current.setdefault("msgstr_plural", {})
                assert isinstance(forms, dict)
                index = int(field[7:-1])
                forms[index] = forms.get(index, "") + value
            elif field:
                current[field] = str(current.get(field, "")) + value
            continue
        keyword, _, rest = line.partition(" ")
        if keyword == "msgid" and "msgid" in current:
            flush()
        value = ast.literal_eval(rest.strip())
        if keyword.startswith("msgstr["):
            forms = current.setdefault("msgstr_plural", {})
            assert isinstance(forms, dict)
            forms[int(keyword[7:-1])] = value
        else:
            current[keyword] = value
        field = keyword
    flush()
    return entries


def _load_catalogue(language: str) -> dict[str, str | list[str]]:
    """Merges every `.po` file shipped for `language` (cached)."""
    if language not in _catalogues:
        merged: dict[str, str | list[str]] = {}
        folder = resources.files("confidant_tui").joinpath("locale", language)
        if folder.is_dir():
            for item in sorted(folder.iterdir(), key=lambda t: t.name):
                if item.name.endswith(".po"):
                    merged.update(parse_po(item.read_text(encoding="utf-8")))
        _catalogues[language] = merged
    return _catalogues[language]


def resolve_language(cli_value: str | None = None, setting: str | None = None) -> str:
    """Chooses the interface language: `--lang`, then `CONFIDANT_LANG`, then the setting.

    Unknown values fall through to the next source; the default is Dutch.
    """
    for candidate in (cli_value, os.environ.get("CONFIDANT_LANG"), setting):
        if candidate and candidate.lower()[:2] in SUPPORTED_LANGUAGES:
            return candidate.lower()[:2]
    return DEFAULT_LANGUAGE


def set_language(language: str) -> None:
    """Makes `language` ("nl" or "en") the language of every later translation."""
    global _language
    if language not in SUPPORTED_LANGUAGES:
        raise ValueError(f"unsupported language: {language!r}")
    _language = language


def get_language() -> str:
    """Returns the current interface language."""
    return _language


def translate(message: str, language: str) -> str:
    """Translates `message` into `language` without changing the interface language.

    Used where a document is written in another language than the screen's (a PDF built
    from a worker thread must not switch the language under the adviser's eyes).
    """
    if language == "en":
        return message
    translated = _load_catalogue(language).get(message)
    return translated if isinstance(translated, str) else message


def _(message: str) -> str:
    """Translates `message` (an English id) into the current language."""
    return translate(message, _language)


def ngettext(singular: str, plural: str, count: int) -> str:
    """Translates a message with a count; Dutch and English both use `n != 1`."""
    form = 0 if count == 1 else 1
    if _language != "en":
        translated = _load_catalogue(_language).get(singular)
        if isinstance(translated, list) and len(translated) > form:
            return translated[form]
    return singular if form == 0 else plural


def N_(message: str) -> str:
    """Marks `message` for extraction without translating it now (translate it later)."""
    return message


def format_date(value: dt.date | None) -> str:
    """Formats a date for display: `dd-mm-jjjj` in Dutch, ISO `yyyy-mm-dd` in English."""
    if value is None:
        return ""
    if _language == "nl":
        return value.strftime("%d-%m-%Y")
    return value.isoformat()


def format_moment(value: dt.datetime | None) -> str:
    """Formats a date and time for display (minutes, no seconds)."""
    if value is None:
        return ""
    return f"{format_date(value.date())} {value.strftime('%H:%M')}"


def parse_date(text: str) -> dt.date:
    """Parses a date typed by the adviser: `dd-mm-jjjj` (also with / or .) or ISO.

    Raises:
        ValueError: with a translated message when the text is no valid date.
    """
    cleaned = text.strip()
    try:
        if len(cleaned) == 10 and cleaned[4] == "-":
            return dt.date.fromisoformat(cleaned)
        for separator in "-/.":
            parts = cleaned.split(separator)
            if len(parts) == 3 and len(parts[2]) == 4:
                day, month, year = (int(p) for p in parts)
                return dt.date(year, month, day)
    except ValueError:
        pass
    raise ValueError(_("Not a valid date: use dd-mm-jjjj, for example 14-03-2025."))


def catalogue_ids(language: str = "nl") -> Iterable[str]:
    """Lists the message ids a language's catalogues translate (for the completeness test)."""
    return _load_catalogue(language).keys()
