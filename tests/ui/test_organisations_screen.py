"""The organisations screen and its form, driven with keys: add, edit, archive, default, lock."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable, Input, TextArea

from confidant_tui.services.organisations import list_organisations
from confidant_tui.ui.context import context_of
from confidant_tui.ui.screens.organisation_form import OrganisationFormScreen
from confidant_tui.ui.screens.organisations import OrganisationsScreen
from confidant_tui.ui.widgets.form_field import FormField
from confidant_tui.vault.store import Vault
from tests.conftest import ORGANISATION, PASSPHRASE
from tests.ui.case_helpers import freeze_today, screen_text, type_into
from tests.ui.conftest import settle, unlock


def _stored(vault_path):
    with Vault.open(vault_path, PASSPHRASE, read_only=True) as vault:
        return {o.name: o for o in list_organisations(vault)}


async def _open_list(pilot) -> OrganisationsScreen:
    freeze_today(pilot.app)
    await unlock(pilot)
    await pilot.app.action_open_screen("organisations")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, OrganisationsScreen)
    return screen


async def _add(pilot, name: str) -> None:
    await pilot.press("a")
    await settle(pilot)
    assert isinstance(pilot.app.screen, OrganisationFormScreen)
    await type_into(pilot, "#name", name)
    await pilot.press("ctrl+s")
    await settle(pilot)


def _rows_text(screen) -> str:
    """The list's rows as the adviser reads them, one line per row (read from the table: the
    compositor's picture of a screen a dialog just left can lag under load)."""
    table = screen.query_one(DataTable)
    rows = (table.get_row_at(index) for index in range(table.row_count))
    return "\n".join(" ".join(getattr(c, "plain", str(c)) for c in row) for row in rows)


def _field(screen, name: str) -> FormField:
    return next(f for f in screen.query(FormField) if f.field == name)


async def test_adding_an_organisation_shows_it_in_the_list_and_the_context(shell, vault_path):
    async with shell.run_test(size=(100, 30)) as pilot:
        screen = await _open_list(pilot)
        await _add(pilot, "Fractie Noord")
        assert pilot.app.screen is screen
        assert "Fractie Noord" in _rows_text(screen)
        assert "1 maart" in _rows_text(screen)
        assert "Fractie Noord" in [o.name for o in context_of(shell).organisations]
    stored = _stored(vault_path)
    assert stored["Fractie Noord"].rules.complaint_period_years == 3


async def test_editing_the_period_and_units_keeps_the_key_of_an_edited_unit(shell, vault_path):
    async with shell.run_test(size=(100, 30)) as pilot:
        await _open_list(pilot)
        await _add(pilot, "Partij")
        table = pilot.app.screen.query_one(DataTable)
        table.move_cursor(row=[o.name for o in context_of(shell).organisations].index("Partij"))
        await pilot.press("enter")
        await settle(pilot)
        form = pilot.app.screen
        assert isinstance(form, OrganisationFormScreen)
        await type_into(pilot, "#complaint_period_years", "2")
        await type_into(pilot, "#units", "Jongeren\nSenioren")
        await type_into(pilot, "#escalation", "Jongeren, regional")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(pilot.app.screen, OrganisationsScreen)
        rules = _stored(vault_path)["Partij"].rules
        assert rules.complaint_period_years == 2
        assert [u.key for u in rules.units] == ["jongeren", "senioren"]
        assert rules.escalation == ("jongeren", "regional")
        assert context_of(shell).taxonomy.label("level", "senioren") == "Senioren"
        # the first unit renamed in place keeps its key; the taxonomy follows at once
        await pilot.press("enter")
        await settle(pilot)
        await type_into(pilot, "#units", "Jongerenafdeling\nSenioren")
        await pilot.press("ctrl+s")
        await settle(pilot)
    units = _stored(vault_path)["Partij"].rules.units
    assert [(u.key, u.label) for u in units] == [
        ("jongeren", "Jongerenafdeling"),
        ("senioren", "Senioren"),
    ]


async def test_problems_are_shown_beside_their_fields_and_nothing_is_saved(shell, vault_path):
    async with shell.run_test(size=(80, 24)) as pilot:
        await _open_list(pilot)
        await pilot.press("a")
        await settle(pilot)
        form = pilot.app.screen
        await type_into(pilot, "#name", "Gemeente")
        await type_into(pilot, "#complaint_period_years", "40")
        await type_into(pilot, "#escalation", "Nergens")
        await type_into(pilot, "#report_due", "31-2")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert pilot.app.screen is form
        assert "klachttermijn" in (_field(form, "complaint_period_years").problem or "")
        assert "Nergens" in (_field(form, "escalation").problem or "")
        assert "dag en maand" in (_field(form, "report_due").problem or "")
        assert _field(form, "name").problem is None
        assert pilot.app.focused is form.query_one("#escalation")  # the first, in form order
    assert "Gemeente" not in _stored(vault_path)


async def test_archive_asks_refuses_the_last_active_one_and_restores(shell, vault_path):
    async with shell.run_test(size=(80, 24)) as pilot:
        screen = await _open_list(pilot)
        await pilot.press("r")
        await pilot.pause()
        await pilot.press("tab", "enter")  # the dialog starts on Cancel
        await settle(pilot)
        assert _stored(vault_path)[ORGANISATION].active
        assert any("enige actieve" in str(n.message) for n in pilot.app._notifications)
        await _add(pilot, "Tweede")
        screen.query_one(DataTable).move_cursor(row=0)
        name = screen.entries[0].organisation.name
        await pilot.press("r")
        await pilot.pause()
        await pilot.press("enter")  # Cancel: nothing happens
        await settle(pilot)
        assert _stored(vault_path)[name].active
        await pilot.press("r")
        await pilot.pause()
        await pilot.press("tab", "enter")
        await settle(pilot)
        assert _stored(vault_path)[name].archived is not None
        assert "gearchiveerd" in _rows_text(screen)
        row = [e.organisation.name for e in screen.entries].index(name)
        screen.query_one(DataTable).move_cursor(row=row)
        await pilot.press("r")
        await pilot.pause()
        await pilot.press("tab", "enter")
        await settle(pilot)
        assert _stored(vault_path)[name].active


async def test_make_default(shell, vault_path):
    async with shell.run_test(size=(80, 24)) as pilot:
        screen = await _open_list(pilot)
        await _add(pilot, "Nieuwe standaard")
        row = [e.organisation.name for e in screen.entries].index("Nieuwe standaard")
        screen.query_one(DataTable).move_cursor(row=row)
        await pilot.press("d")
        await settle(pilot)
        assert context_of(shell).organisation == "Nieuwe standaard"
    stored = _stored(vault_path)
    assert stored["Nieuwe standaard"].is_default
    assert not stored[ORGANISATION].is_default


@pytest.mark.parametrize("size", [(80, 24), (100, 30)])
async def test_save_button_is_reachable_by_tab_with_every_field_visible(shell, size):
    async with shell.run_test(size=size) as pilot:
        await _open_list(pilot)
        await pilot.press("a")
        await settle(pilot)
        form = pilot.app.screen
        save = form.query_one("#save")
        for _press in range(60):
            await pilot.press("tab")
            await pilot.pause()
            focused = pilot.app.focused
            assert focused is not None
            assert form.query_one("#form").region.contains_region(focused.region), focused
            if focused is save:
                break
        assert pilot.app.focused is save
        assert "^s" in screen_text(pilot.app).splitlines()[-1]


async def test_the_footer_shows_every_key_of_the_list_at_80_columns(shell):
    async with shell.run_test(size=(80, 24)) as pilot:
        await _open_list(pilot)
        footer = screen_text(pilot.app).splitlines()[-1]
        for key in (
            "a Nieuw",
            "⏎ Wijzigen",
            "r (De)archiveren",
            "d Standaard",
            "esc Terug",
        ):
            assert key in footer, footer


async def test_typed_text_survives_a_lock(shell, vault_path):
    async with shell.run_test(size=(80, 24)) as pilot:
        await _open_list(pilot)
        await pilot.press("a")
        await settle(pilot)
        await type_into(pilot, "#name", "Halfgetypt")
        await type_into(pilot, "#measures", "Waarschuwing")
        await pilot.press("ctrl+l")
        await settle(pilot)
        await unlock(pilot)
        form = pilot.app.screen
        assert isinstance(form, OrganisationFormScreen)
        assert form.query_one("#name", Input).value == "Halfgetypt"
        assert form.query_one("#measures", TextArea).text == "Waarschuwing"
        assert form.is_dirty
    assert "Halfgetypt" not in _stored(vault_path)


def test_a_yearly_date_reads_day_first_and_shows_the_month_by_name() -> None:
    from confidant_tui import i18n
    from confidant_tui.ui.presenters.month_day import format_month_day, read_day_month

    assert format_month_day("03-01") == "1 maart"
    assert [read_day_month(t) for t in ("1-3", "01-03", "1 maart", "1 maa", "1/3")] == ["03-01"] * 5
    assert read_day_month("29-2") == "02-29"
    for wrong in ("31-2", "3-13", "maart", "1 foo", "１-３", ""):
        with pytest.raises(ValueError, match="dag en maand"):
            read_day_month(wrong)
    i18n.set_language("en")
    assert format_month_day("05-01") == "1 May"
    assert read_day_month("1 March") == "03-01"


def test_a_line_edited_in_place_keeps_its_key_and_a_new_line_never_reuses_one() -> None:
    from confidant_tui.ui.controllers.organisation_form import keep_keys

    before, keys = ["Noord", "Zuid"], ["noord", "zuid"]
    assert keep_keys(["Noord-Holland", "Zuid"], before, keys, prefix="", reserved=set()) == keys
    assert keep_keys(["Zuid"], before, keys, prefix="", reserved=set()) == ["zuid"]
    assert keep_keys(["Zuid", "Noord"], before, keys, prefix="", reserved=set())[0] == "zuid"
    added = keep_keys(["Noord", "Zuid", "Local"], before, keys, prefix="", reserved={"local"})
    assert added == ["noord", "zuid", "local_2"]
    # a deleted line's key is not handed to a new line (its cases would change meaning)
    renamed_before = keep_keys(
        ["Zuid", "Oost"], ["Noord", "Zuid"], ["oost", "zuid"], prefix="", reserved=set()
    )
    assert renamed_before == ["zuid", "oost_2"]
    assert keep_keys(["Noord", "Oost"], ["Noord"], ["noord"], prefix="own.", reserved=set())[1] == (
        "own.oost"
    )


def test_the_chain_may_name_a_unit_by_the_label_it_had_before_this_edit() -> None:
    import datetime as dt

    from confidant_tui.domain.organisation import OrganisationRules, Unit
    from confidant_tui.services.cases import load_taxonomy
    from confidant_tui.ui.controllers.organisation_form import field_values, read_rules

    taxonomy = load_taxonomy()
    base = OrganisationRules(units=(Unit("afd_a", "Afdeling A"),), escalation=("afd_a", "local"))
    values = field_values(base, taxonomy)
    assert values["escalation"] == "Afdeling A → Lokale afdeling"
    values["units"] = "Afdeling Amsterdam"
    changes, problems = read_rules(values, base, taxonomy, dt.date(2025, 6, 2))
    assert problems == []
    assert changes["units"] == [{"key": "afd_a", "label": "Afdeling Amsterdam"}]
    assert changes["escalation"] == ["afd_a", "local"]
    values["units"] = ""
    _changes, problems = read_rules(values, base, taxonomy, dt.date(2025, 6, 2))
    assert [rule for rule, _text in problems] == ["escalation"]
