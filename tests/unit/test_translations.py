"""Every user-facing string has a Dutch translation, and the catalogues are sound.

Sound means: every `.po` file parses, no message is defined twice (same id and context, in one
file or in two), and every plural entry has the number of forms its header's `nplurals` says.
The checks themselves are tested on small broken catalogues, so they cannot pass by accident.
"""

from __future__ import annotations

import ast
import datetime as dt
import threading
from importlib import resources
from pathlib import Path

import pytest

import confidant_tui
from confidant_tui import i18n

PACKAGE = Path(confidant_tui.__file__).parent
MARKERS = {"_", "N_"}
HEADER = (
    'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
    '"Language: nl\\n"\n"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n'
)


def _marked_strings() -> dict[tuple[str | None, str], str]:
    """Finds every marked string: {(msgctxt, msgid): "file:line"}."""
    found: dict[tuple[str | None, str], str] = {}
    for source in PACKAGE.rglob("*.py"):
        tree = ast.parse(source.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            where = f"{source.relative_to(PACKAGE)}:{node.lineno}"
            if node.func.id in MARKERS and node.args:
                argument = node.args[0]
                # A variable or look-up is fine: its values are marked with N_() where they
                # are defined. A built string (f-string, concatenation) can never be in a
                # catalogue, so it is a defect.
                assert not isinstance(argument, ast.JoinedStr | ast.BinOp), (
                    f"{where}: translate a marked string, not a string built at run time"
                )
                if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                    found[(None, argument.value)] = where
            if node.func.id == "ngettext":
                argument = node.args[0]
                assert isinstance(argument, ast.Constant), f"{where}: ngettext needs literals"
                found[(None, str(argument.value))] = where
            if node.func.id == "pgettext":
                context, argument = node.args[:2]
                assert isinstance(context, ast.Constant) and isinstance(argument, ast.Constant), (
                    f"{where}: pgettext needs a literal context and message"
                )
                found[(str(context.value), str(argument.value))] = where
    return found


def _dutch_catalogues() -> i18n.Catalogues:
    return i18n.read_catalogues(resources.files("confidant_tui").joinpath("locale", "nl"))


def _write(folder: Path, **files: str) -> Path:
    for name, body in files.items():
        (folder / f"{name}.po").write_text(HEADER + body, encoding="utf-8")
    return folder


def test_every_marked_string_has_a_dutch_translation() -> None:
    catalogue = _dutch_catalogues().catalogue
    assert catalogue is not None
    known = set(i18n.catalogue_ids("nl"))
    missing = {}
    for (context, text), where in _marked_strings().items():
        message = catalogue.get(text, context)
        translated = message is not None and not message.fuzzy and all(message.string or "")
        if not translated or (context is None and text not in known):
            missing[where] = text if context is None else f"{context}|{text}"
    assert not missing, "untranslated strings:\n" + "\n".join(
        f"  {where}: {text!r}" for where, text in sorted(missing.items())
    )


def test_the_shipped_catalogues_parse_and_define_each_message_once() -> None:
    problems = i18n.catalogue_problems("nl")
    assert not problems, "problems in confidant_tui/locale/nl:\n  " + "\n  ".join(problems)


def test_a_message_defined_in_two_files_is_reported_and_the_first_wins(tmp_path: Path) -> None:
    folder = _write(
        tmp_path,
        a='msgid "Save"\nmsgstr "Opslaan"\n',
        b='msgid "Save"\nmsgstr "Bewaren"\n',
    )
    loaded = i18n.read_catalogues(folder)
    assert loaded.problems == ["b.po: 'Save' is already defined in a.po"]
    assert loaded.translations.gettext("Save") == "Opslaan"


def test_a_message_defined_twice_in_one_file_is_reported(tmp_path: Path) -> None:
    folder = _write(
        tmp_path, a='msgid "Save"\nmsgstr "Opslaan"\n\nmsgid "Save"\nmsgstr "Bewaren"\n'
    )
    assert i18n.read_catalogues(folder).problems == ["a.po: 'Save' is defined twice in this file"]


def test_the_same_id_in_another_context_is_no_duplicate(tmp_path: Path) -> None:
    folder = _write(
        tmp_path,
        a='msgid "Open"\nmsgstr "Openen"\n\nmsgctxt "case status"\nmsgid "Open"\nmsgstr "Lopend"\n',
        b='msgctxt "case status"\nmsgid "Open"\nmsgstr "Open"\n',
    )
    loaded = i18n.read_catalogues(folder)
    assert loaded.problems == ["b.po: 'Open' (msgctxt 'case status') is already defined in a.po"]
    assert loaded.translations.gettext("Open") == "Openen"
    assert loaded.translations.pgettext("case status", "Open") == "Lopend"


@pytest.mark.parametrize(
    "broken",
    [
        b'msgid "Cancel"\n\n',
        b'msgid "Cancel"\nmsgstr "Annuleren"\nnot a keyword\n',
        b'msgid "Cancel"\nmsgid_plural "Cancels"\nmsgstr[x] "Annuleren"\n',
        b'msgid "Cancel"\nmsgstr "Annuleren \xff"\n',
    ],
    ids=["no msgstr", "unknown keyword", "bad plural index", "not UTF-8"],
)
def test_a_catalogue_that_does_not_parse_is_reported_and_left_out(
    tmp_path: Path, broken: bytes
) -> None:
    folder = _write(tmp_path, a='msgid "Save"\nmsgstr "Opslaan"\n')
    (folder / "b.po").write_bytes(HEADER.encode() + broken)
    loaded = i18n.read_catalogues(folder)
    assert len(loaded.problems) == 1
    assert loaded.problems[0].startswith("b.po: does not parse")
    assert loaded.translations.gettext("Save") == "Opslaan"
    assert loaded.translations.gettext("Cancel") == "Cancel"


@pytest.mark.parametrize(
    "forms",
    [
        'msgstr[0] "{n} dossier"\n',
        'msgstr[0] "{n} dossier"\nmsgstr[1] ""\n',
        'msgstr[0] "{n} dossier"\nmsgstr[1] "{n} dossiers"\nmsgstr[2] "{n} dossiertjes"\n',
    ],
    ids=["one form", "empty form", "three forms"],
)
def test_a_plural_entry_must_have_the_headers_number_of_forms(tmp_path: Path, forms: str) -> None:
    folder = _write(tmp_path, a='msgid "{n} case"\nmsgid_plural "{n} cases"\n' + forms)
    problems = i18n.read_catalogues(folder).problems
    assert len(problems) == 1
    assert problems[0].startswith("a.po: ")
    assert "nplurals" in problems[0] or "num_plurals" in problems[0]


def test_the_plural_rule_comes_from_the_catalogue_header(tmp_path: Path) -> None:
    header = HEADER.replace(
        "nplurals=2; plural=(n != 1);",
        "nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
    )
    (tmp_path / "a.po").write_text(
        header + 'msgid "{n} file"\nmsgid_plural "{n} files"\n'
        'msgstr[0] "{n} plik"\nmsgstr[1] "{n} pliki"\nmsgstr[2] "{n} plików"\n',
        encoding="utf-8",
    )
    loaded = i18n.read_catalogues(tmp_path)
    assert loaded.problems == []
    forms = [loaded.translations.ngettext("{n} file", "{n} files", n) for n in (1, 3, 5, 22)]
    assert forms == ["{n} plik", "{n} pliki", "{n} plików", "{n} pliki"]


def test_po_reading_handles_continuation_lines_fuzzy_and_empty_entries(tmp_path: Path) -> None:
    folder = _write(
        tmp_path,
        a='msgid ""\n"long "\n"text"\nmsgstr "lange "\n"tekst"\n\n'
        '#, fuzzy\nmsgid "unsure"\nmsgstr "onzeker"\n\nmsgid "empty"\nmsgstr ""\n',
    )
    loaded = i18n.read_catalogues(folder)
    assert loaded.problems == []
    assert loaded.translations.gettext("long text") == "lange tekst"
    assert loaded.translations.gettext("unsure") == "unsure"
    assert loaded.translations.gettext("empty") == "empty"


def test_dutch_is_default_and_english_is_the_id() -> None:
    text = "Not a valid date: use {format}, for example {example}."
    assert i18n.get_language() == "nl"
    assert i18n._(text).startswith("Geen geldige datum")
    i18n.set_language("en")
    assert i18n._(text) == text


def test_plurals_follow_the_count_in_both_languages() -> None:
    assert i18n.ngettext("{count} case", "{count} cases", 1) == "{count} dossier"
    assert i18n.ngettext("{count} case", "{count} cases", 0) == "{count} dossiers"
    i18n.set_language("en")
    assert i18n.ngettext("{count} case", "{count} cases", 1) == "{count} case"
    assert i18n.ngettext("{count} case", "{count} cases", 2) == "{count} cases"


def test_pgettext_falls_back_to_the_english_id() -> None:
    assert i18n.pgettext("no such context", "Save") == "Save"


def test_a_translator_keeps_its_language_whatever_the_interface_shows() -> None:
    text = "Not a valid date: use {format}, for example {example}."
    dutch, english = i18n.translator("nl"), i18n.translator("en")
    i18n.set_language("en")
    assert dutch.gettext(text).startswith("Geen geldige datum")
    assert i18n.translate(text, "nl") == dutch.gettext(text)
    i18n.set_language("nl")
    assert english.gettext(text) == text
    assert i18n.translator("nl") is dutch
    with pytest.raises(ValueError, match="unsupported language"):
        i18n.translator("de")


def test_one_translator_per_language_when_threads_race() -> None:
    i18n._loaded.pop("nl", None)
    seen: list[object] = []
    threads = [
        threading.Thread(target=lambda: seen.append(i18n.translator("nl"))) for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({id(t) for t in seen}) == 1


def test_dates_are_shown_dd_mm_jjjj_in_dutch() -> None:
    assert i18n.format_date(dt.date(2025, 3, 14)) == "14-03-2025"
    assert i18n.parse_date("14-03-2025") == dt.date(2025, 3, 14)
    assert i18n.parse_date("2025-03-14") == dt.date(2025, 3, 14)


def test_a_sound_catalogue_is_compiled_once_and_read_from_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CONFIDANT_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "po").mkdir()
    folder = _write(tmp_path / "po", a='msgid "Save"\nmsgstr "Opslaan"\n')
    first = i18n.load_language("nl", folder)
    assert first.catalogue is not None, "read from the .po files the first time"
    (cached,) = (tmp_path / "cache" / "translations").glob("nl-*.mo")

    again = i18n.load_language("nl", folder)
    assert again.catalogue is None, "read from the cache"
    assert again.translations.gettext("Save") == "Opslaan"

    _write(tmp_path / "po", a='msgid "Save"\nmsgstr "Bewaren"\n')
    changed = i18n.load_language("nl", folder)
    assert changed.catalogue is not None, "changed .po files are read again"
    assert changed.translations.gettext("Save") == "Bewaren"
    assert not cached.exists(), "the compiled catalogue of the old files is gone"
    assert i18n.load_language("nl", folder).translations.gettext("Save") == "Bewaren"


def test_a_catalogue_with_problems_is_never_cached(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CONFIDANT_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "po").mkdir()
    folder = _write(
        tmp_path / "po", a='msgid "Save"\nmsgstr "Opslaan"\n\nmsgid "Save"\nmsgstr "Bewaren"\n'
    )
    for _ in range(2):
        loaded = i18n.load_language("nl", folder)
        assert loaded.problems, "the problem shows on every start"
    assert not list((tmp_path / "cache").rglob("*.mo"))


def test_a_wrong_date_is_explained_in_the_form_dates_are_shown_in() -> None:
    """Dutch shows dates as dd-mm-jjjj, English as yyyy-mm-dd: the message names that form
    and an example of it (both forms are accepted in either language)."""
    with pytest.raises(ValueError, match=r"gebruik dd-mm-jjjj, bijvoorbeeld 14-03-2025\.$"):
        i18n.parse_date("31-02-2025")
    i18n.set_language("en")
    with pytest.raises(ValueError, match=r"use yyyy-mm-dd, for example 2025-03-14\.$"):
        i18n.parse_date("31-02-2025")
    assert i18n.parse_date("14-03-2025") == i18n.parse_date("2025-03-14")
