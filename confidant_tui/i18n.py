"""Provides translation (gettext catalogues, read with Babel) and locale-aware date formatting.

Message ids are English; Dutch is the default language. Catalogues are `.po` files shipped
inside the package (`confidant_tui/locale/<lang>/*.po`), one file per area of the app so that
work on one area never touches another's file.

Why Babel reads the `.po` files at start-up instead of `.mo` files compiled at build time: the
package runs from a checkout (`pip install -e .`) as well as from a wheel, and a compile step
is one a newcomer forgets, after which the app quietly shows stale or English text. Babel's
`.po` parser (the one behind `read_po`) reads the files (`msgctxt`, plural forms, fuzzy
entries, continuation lines), the files of one language are merged into one catalogue, and
Babel's `write_mo` compiles it in memory for the standard library's `gettext.GNUTranslations`,
which takes the plural rule from the catalogue's `Plural-Forms` header. Importing Babel and
parsing some forty files took 100-150 ms of every start (a third of a minimal Textual app's
whole start-up), so the compiled catalogue is kept in the user's cache folder
(`paths.cache_dir`, named by a hash of the `.po` files' names and contents) and read from there
with the standard library alone while the files do not change; a sound catalogue only (with
problems it is parsed each time, so they stay visible). English needs no catalogue at all.

A message defined twice (same id and context, in one file or two), a plural entry whose forms
do not match `nplurals`, and a file that does not parse (Babel refuses a plural entry with
more forms than `nplurals`, so that one is a file that does not parse) are listed by
`catalogue_problems`; the translation test fails on any of them. At run time such a file or
entry is left out and its English id shows: a broken catalogue never stops the adviser's app.

Call `set_language` before importing UI modules: class-level strings (binding descriptions)
are translated when the class is created.
"""

from __future__ import annotations

import datetime as dt
import gettext
import hashlib
import io
import os
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from confidant_tui import paths
from confidant_tui.atomic_file import write_private_atomically

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

    from babel.messages.catalog import Catalog, Message

SUPPORTED_LANGUAGES = ("nl", "en")
DEFAULT_LANGUAGE = "nl"
SOURCE_LANGUAGE = "en"
"""The language of the message ids: it needs no catalogue."""

_language: str = DEFAULT_LANGUAGE
_loaded: dict[str, Catalogues] = {}
_loading = threading.Lock()


@dataclass
class Catalogues:
    """The `.po` files of one language merged into one catalogue, and what was wrong with them."""

    catalogue: Catalog | None
    """The merged Babel catalogue; None for the source language (English)."""
    translations: gettext.NullTranslations
    """The translation object: `gettext`, `ngettext`, `pgettext`, `npgettext`."""
    problems: list[str] = field(default_factory=list)
    """Files that do not parse, messages defined twice, plural entries with wrong forms."""
    compiled: bytes = b""
    """The merged catalogue compiled (`.mo`), for the cache."""


def _describe(message: Message) -> str:
    msgid = message.id if isinstance(message.id, str) else message.id[0]
    where = f" (msgctxt {message.context!r})" if message.context else ""
    return f"{msgid!r}{where}"


def _read_po(text: str) -> tuple[Catalog, list[Message]]:
    """Reads one `.po` file with Babel; returns its catalogue and the entries it repeats.

    This is `babel.messages.pofile.read_po` with a catalogue that notes an id given twice,
    which Babel would otherwise merge silently (the last translation winning).

    Raises:
        babel.messages.pofile.PoFileError: when the file does not parse.
    """
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import PoFileParser

    repeated: list[Message] = []

    class NotingCatalog(Catalog):
        def __setitem__(self, id: Any, message: Message) -> None:
            if id and self.get(id, message.context) is not None:
                repeated.append(message)
            super().__setitem__(id, message)

    catalogue = NotingCatalog(charset="utf-8")
    PoFileParser(catalogue, ignore_obsolete=True, abort_invalid=True).parse(io.StringIO(text))
    return catalogue, repeated


def read_catalogues(folder: Traversable) -> Catalogues:
    """Reads every `.po` file in `folder` (by name) and merges them into one catalogue.

    A file that does not parse is left out; a message defined a second time is left out (the
    first definition stays); each is listed in `problems`. The plural rule is the first file's
    `Plural-Forms`; a file with another rule is a problem too.

    Args:
        folder: the language's folder, e.g. `confidant_tui/locale/nl`.

    Returns:
        The merged catalogue, its translation object and the problems found.
    """
    from babel.messages.catalog import Catalog
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import PoFileError

    merged = Catalog(charset="utf-8", fuzzy=False)
    problems: list[str] = []
    defined_in: dict[tuple[str, str | None], str] = {}
    plural_forms: str | None = None
    files = sorted(
        (item for item in folder.iterdir() if item.name.endswith(".po")) if folder.is_dir() else (),
        key=lambda item: item.name,
    )
    for item in files:
        try:
            catalogue, repeated = _read_po(item.read_text(encoding="utf-8"))
        except (PoFileError, ValueError) as error:  # ValueError: bad index, not UTF-8
            problems.append(f"{item.name}: does not parse: {error}")
            continue
        if plural_forms is None:
            plural_forms = catalogue.plural_forms
            merged.mime_headers = [("Plural-Forms", plural_forms)]
        elif catalogue.plural_forms != plural_forms:
            problems.append(
                f"{item.name}: Plural-Forms {catalogue.plural_forms!r} differs from {plural_forms!r}"
            )
        problems += [f"{item.name}: {_describe(m)} is defined twice in this file" for m in repeated]
        for message in catalogue:
            if not message.id:
                continue
            forms = message.string
            if message.pluralizable and (
                not isinstance(forms, tuple | list)
                or len(forms) != catalogue.num_plurals
                or not all(forms)
            ):
                problems.append(
                    f"{item.name}: plural entry {_describe(message)} needs"
                    f" {catalogue.num_plurals} translated forms (nplurals)"
                )
            key = (message.id if isinstance(message.id, str) else message.id[0], message.context)
            if key in defined_in:
                problems.append(
                    f"{item.name}: {_describe(message)} is already defined in {defined_in[key]}"
                )
                continue
            defined_in[key] = item.name
            merged[message.id] = message
    compiled = io.BytesIO()
    write_mo(compiled, merged)
    data = compiled.getvalue()
    return Catalogues(merged, gettext.GNUTranslations(io.BytesIO(data)), problems, data)


def _po_files(folder: Traversable) -> list[Traversable]:
    if not folder.is_dir():
        return []
    return sorted((i for i in folder.iterdir() if i.name.endswith(".po")), key=lambda i: i.name)


def _cached_path(language: str, folder: Traversable) -> Path:
    """Where the compiled catalogue of these very `.po` files is kept."""
    digest = hashlib.sha256()
    for item in _po_files(folder):
        digest.update(item.name.encode() + b"\0" + item.read_bytes() + b"\0")
    return paths.cache_dir() / "translations" / f"{language}-{digest.hexdigest()[:24]}.mo"


def load_language(language: str, folder: Traversable) -> Catalogues:
    """The translations of the `.po` files in `folder`: from the cache when they are the
    files it was compiled from, else read with Babel (and kept in the cache when sound)."""
    cached = _cached_path(language, folder)
    try:
        return Catalogues(None, gettext.GNUTranslations(io.BytesIO(cached.read_bytes())))
    except (OSError, ValueError):  # not there yet, or unreadable: read the .po files
        pass
    loaded = read_catalogues(folder)
    if not loaded.problems:
        try:
            cached.parent.mkdir(parents=True, exist_ok=True)
            for old in cached.parent.glob(f"{language}-*.mo"):
                if old.name != cached.name:
                    old.unlink(missing_ok=True)  # of earlier versions of the files
            write_private_atomically(cached, loaded.compiled)
        except OSError:  # a read-only home: every start reads the .po files
            pass
    return loaded


def locale_folder(language: str) -> Traversable:
    """The folder of a language's `.po` files, `confidant_tui/locale/<language>`.

    Beside this module when the package is on disk (a checkout or an installed wheel), so
    starting the app imports none of `importlib.resources`' readers (4 ms of every start);
    else wherever `importlib.resources` finds the package's files.
    """
    folder = Path(__file__).resolve().parent / "locale" / language
    if folder.is_dir():
        return folder
    from importlib import resources

    return resources.files("confidant_tui").joinpath("locale", language)


def _catalogues(language: str) -> Catalogues:
    """Loads a language's catalogues once (start-up cost; cached, safe from worker threads)."""
    loaded = _loaded.get(language)
    if loaded is None:
        if language not in SUPPORTED_LANGUAGES:
            raise ValueError(f"unsupported language: {language!r}")
        with _loading:
            loaded = _loaded.get(language)
            if loaded is None:
                if language == SOURCE_LANGUAGE:
                    loaded = Catalogues(None, gettext.NullTranslations())
                else:
                    loaded = load_language(language, locale_folder(language))
                _loaded[language] = loaded
    return loaded


def translator(language: str) -> gettext.NullTranslations:
    """Returns the translation object of `language`, whatever the interface language is.

    Used where a document is written in another language than the screen's (a PDF built from
    a worker thread must not switch the language under the adviser's eyes).

    Args:
        language: "nl" or "en".

    Returns:
        An object with `gettext`, `ngettext`, `pgettext` and `npgettext` (standard `gettext`).

    Raises:
        ValueError: for a language Confidant does not support.
    """
    return _catalogues(language).translations


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
    """Translates `message` into `language` without changing the interface language."""
    return translator(language).gettext(message)


def _(message: str) -> str:
    """Translates `message` (an English id) into the current language."""
    return translator(_language).gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """Translates a message with a count, by the plural rule of the current language."""
    return translator(_language).ngettext(singular, plural, count)


def pgettext(context: str, message: str) -> str:
    """Translates `message` in `context` (`msgctxt`): the same English word, two meanings."""
    return translator(_language).pgettext(context, message)


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
        ValueError: with a translated message when the text is no valid date, naming the
            form dates are shown in (`format_date`: Dutch dd-mm-jjjj, English ISO).
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
    raise ValueError(
        _("Not a valid date: use {format}, for example {example}.").format(
            format=_("dd-mm-yyyy") if _language == "nl" else "yyyy-mm-dd",
            example=format_date(dt.date(2025, 3, 14)),
        )
    )


def _parsed(language: str) -> Catalogues:
    """The language's catalogues read from the `.po` files (not the cache)."""
    if language == SOURCE_LANGUAGE:
        return Catalogues(None, gettext.NullTranslations())
    if language not in SUPPORTED_LANGUAGES:
        raise ValueError(f"unsupported language: {language!r}")
    return read_catalogues(locale_folder(language))


def catalogue_ids(language: str = "nl") -> Iterable[str]:
    """Lists the message ids a language's catalogues translate (for the completeness test)."""
    catalogue = _parsed(language).catalogue
    if catalogue is None:
        return ()
    return [
        message.id if isinstance(message.id, str) else message.id[0]
        for message in catalogue
        if message.id and not message.fuzzy and message.string and all(message.string)
    ]


def catalogue_problems(language: str = "nl") -> list[str]:
    """Lists what is wrong with a language's catalogues (empty when they are sound)."""
    return list(_parsed(language).problems)
