"""The organisation's rules in the case screens: the intake asks which organisation when
there is a choice (levels and the "vertrouwelijk, tenzij" text follow it), and the route
dialog warns and explains at 80x24."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from textual.widgets import Button, Select, Static
from textual.widgets.select import InvalidSelectValueError

from confidant_tui.domain.cases import CaseFacts, Intake
from confidant_tui.services import cases, organisations
from confidant_tui.ui.context import context_of
from confidant_tui.ui.modals.route import RouteModal
from confidant_tui.ui.screens.intake import IntakeScreen
from confidant_tui.ui.textual_private import select_prompts
from confidant_tui.vault.store import Vault
from tests.conftest import ORGANISATION, PASSPHRASE
from tests.ui.case_helpers import TODAY, open_case_list, screen_text
from tests.ui.conftest import settle
from tests.ui.test_protocol_screen import open_case_file

PARTY = "Partij"
PARTY_TEXT = "Partijtekst: [b]niet vet[/b] blijft letterlijk."


def add_two_organisations(vault_path: Path) -> None:
    with Vault.open(vault_path, PASSPHRASE) as vault:
        organisations.settle(
            vault, default_name=ORGANISATION, moment=dt.datetime(2025, 1, 1), settings_path=None
        )
        organisations.add_organisation(
            vault,
            PARTY,
            {
                "units": [{"key": "youth_wing", "label": "Jongeren"}],
                "complaint_period_years": 1,
                "escalation": ["local", "youth_wing"],
                "confidentiality_text": PARTY_TEXT,
                "melding_confidential": False,
            },
        )


def level_accepts(screen: IntakeScreen, key: str) -> bool:
    level = screen.query_one("#level", Select)
    try:
        level.value = key
    except InvalidSelectValueError:
        return False
    level.clear()
    return True


async def test_intake_asks_the_organisation_and_levels_follow_it(shell, vault_path: Path) -> None:
    add_two_organisations(vault_path)
    async with shell.run_test(size=(100, 30)) as pilot:
        await open_case_list(pilot)
        await pilot.press("n")
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, IntakeScreen)
        choice = screen.query_one("#organisation", Select)
        assert choice.value == ORGANISATION
        assert not level_accepts(screen, "youth_wing")
        assert level_accepts(screen, "local")
        choice.value = PARTY
        await settle(pilot)
        assert level_accepts(screen, "youth_wing")
        shown = str(screen.query_one("#confidentiality-text", Static).render())
        assert "[b]niet vet[/b]" in shown
        screen.query_one("#level", Select).value = "youth_wing"
        screen.query_one("#reporter_role", Select).value = "member"
        screen.query_one("#categories").select("bullying")
        await pilot.press("ctrl+s")
        await settle(pilot)
        vault = context_of(pilot.app).vault
        [summary] = cases.list_cases(vault)
        stored = cases.get_case(vault, summary.id)
    assert (stored.facts.organisation, stored.facts.level) == (PARTY, "youth_wing")


async def test_with_one_organisation_the_intake_does_not_ask(shell) -> None:
    async with shell.run_test(size=(100, 30)) as pilot:
        await open_case_list(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(pilot.app.screen, IntakeScreen)
        assert not pilot.app.screen.query("#organisation")


def party_case(vault_path: Path) -> int:
    add_two_organisations(vault_path)
    with Vault.open(vault_path, PASSPHRASE) as vault:
        taxonomy = organisations.taxonomy(organisations.list_organisations(vault))
        facts = CaseFacts(
            reporter_role="member",
            categories=("bullying",),
            organisation=PARTY,
            last_incident=dt.date(2024, 7, 1),
        )
        return cases.create_case(
            vault,
            Intake(dt.date(2025, 5, 1), facts),
            today=TODAY,
            taxonomy=taxonomy,
            default_organisation=ORGANISATION,
        ).id


async def test_route_dialog_warns_and_explains_at_80x24(shell, vault_path: Path) -> None:
    case_id = party_case(vault_path)
    async with shell.run_test(size=(80, 24)) as pilot:
        await open_case_file(pilot, case_id)
        await pilot.press("r")
        await settle(pilot)
        modal = pilot.app.screen
        assert isinstance(modal, RouteModal)
        modal.query_one("#route", Select).value = "formal.complaint"
        await settle(pilot)
        warnings = str(modal.query_one("#warnings", Static).render())
        # one year from the last incident (01-07-2024) ends 01-07-2025: within three months
        assert "01-07-2025" in warnings
        assert "Jongeren" in str(modal.query_one("#escalation", Static).render())
        modal.query_one("#route", Select).value = "formal.integrity_report"
        await settle(pilot)
        modal.query_one("#manner", Select).value = "confidential"
        await settle(pilot)
        duty = str(modal.query_one("#manner-duty", Static).render())
        assert "meldpunt" in duty
        assert "vertrouwelijke melding" in str(modal.query_one("#warnings", Static).render())
        save = modal.query_one("#save", Button)
        for _press in range(30):
            if pilot.app.focused is save:
                break
            await pilot.press("tab")
        assert pilot.app.focused is save
        await pilot.pause()
        assert save.region.intersection(pilot.app.screen.region) == save.region, screen_text(
            pilot.app
        )
        await pilot.press("enter")
        await settle(pilot)
        [route] = cases.get_case(context_of(pilot.app).vault, case_id).routes
    assert (route.route, route.manner) == ("formal.integrity_report", "confidential")


@pytest.mark.parametrize("size", [(80, 24)])
async def test_the_case_file_marks_a_route_the_rules_warn_about(
    shell, vault_path: Path, size: tuple[int, int]
) -> None:
    case_id = party_case(vault_path)
    with Vault.open(vault_path, PASSPHRASE) as vault:
        taxonomy = organisations.taxonomy(organisations.list_organisations(vault))
        from confidant_tui.domain.cases import Route

        cases.add_route(
            vault,
            case_id,
            Route("formal.integrity_report", dt.date(2025, 5, 10), manner="confidential"),
            today=TODAY,
            taxonomy=taxonomy,
        )
    async with shell.run_test(size=size) as pilot:
        screen = await open_case_file(pilot, case_id)
        route_key = next(key for key in screen._entries if key.startswith("route-"))
        entry = screen._entries[route_key]
        assert entry.summary.plain.startswith("⚠")
        assert "vertrouwelijke melding" in entry.detail.plain


async def test_the_referral_dialog_offers_only_the_case_organisations_own_destinations(
    shell, vault_path: Path
) -> None:
    case_id = party_case(vault_path)
    with Vault.open(vault_path, PASSPHRASE) as vault:
        organisations.edit_organisation(
            vault, PARTY, {"destinations": [{"label": "Partijombudsman", "description": "x"}]}
        )
        organisations.edit_organisation(
            vault, ORGANISATION, {"destinations": [{"label": "Gemeentelijk loket"}]}
        )
    async with shell.run_test(size=(80, 24)) as pilot:
        await open_case_file(pilot, case_id)
        await pilot.press("d")
        await settle(pilot)
        choice = pilot.app.screen.query_one("#to", Select)
        offered = {value for _label, value in select_prompts(choice) if isinstance(value, str)}
        assert "own.partijombudsman" in offered and "occupational_health" in offered
        assert "own.gemeentelijk_loket" not in offered
