"""Every user-facing string has a Dutch translation, and the catalogues parse."""

from __future__ import annotations

import ast
from pathlib import Path

import confidant_tui
from confidant_tui import i18n

PACKAGE = Path(confidant_tui.__file__).parent
MARKERS = {"_", "N_"}


def _marked_strings() -> dict[str, str]:
    found: dict[str, str] = {}
    for source in PACKAGE.rglob("*.py"):
        tree = ast.parse(source.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in MARKERS
                and node.args
            ):
                argument = node.args[0]
                where = f"{source.relative_to(PACKAGE)}:{node.lineno}"
                # A variable or look-up is fine: its values are marked with N_() where they
                # are defined. A built string (f-string, concatenation) can never be in a
                # catalogue, so it is a defect.
                assert not isinstance(argument, ast.JoinedStr | ast.BinOp), (
                    f"{where}: translate a marked string, not a string built at run time"
                )
                if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                    found[argument.value] = where
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "ngettext"
            ):
                argument = node.args[0]
                assert isinstance(argument, ast.Constant)
                found[argument.value] = f"{source.relative_to(PACKAGE)}:{node.lineno}"
    return found


def test_every_marked_string_has_a_dutch_translation() -> None:
    known = set(i18n.catalogue_ids("nl"))
    missing = {text: where for text, where in _marked_strings().items() if text not in known}
    assert not missing, "untranslated strings:\n" + "\n".join(
        f"  {where}: {text!r}" for text, where in sorted(missing.items(), key=lambda x: x[1])
    )


def test_dutch_is_default_and_english_is_the_id() -> None:
    text = "Not a valid date: use dd-mm-jjjj, for example 14-03-2025."
    assert i18n.get_language() == "nl"
    assert i18n._(text).startswith("Geen geldige datum")
    i18n.set_language("en")
    assert i18n._(text) == text


def test_po_parser_handles_plurals_and_continuation_lines() -> None:
    parsed = i18n.parse_po(
        'msgid "one case"\nmsgid_plural "{n} cases"\nmsgstr[0] "een dossier"\n'
        'msgstr[1] "{n} dossiers"\n\nmsgid ""\n"long "\n"text"\nmsgstr "lange "\n"tekst"\n\n'
        '#, fuzzy\nmsgid "unsure"\nmsgstr "onzeker"\n'
    )
    assert parsed == {"one case": ["een dossier", "{n} dossiers"], "long text": "lange tekst"}


def test_dates_are_shown_dd_mm_jjjj_in_dutch() -> None:
    import datetime as dt

    assert i18n.format_date(dt.date(2025, 3, 14)) == "14-03-2025"
    assert i18n.parse_date("14-03-2025") == dt.date(2025, 3, 14)
    assert i18n.parse_date("2025-03-14") == dt.date(2025, 3, 14)
