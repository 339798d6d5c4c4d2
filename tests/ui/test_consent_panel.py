"""The consent panel on the case file: record a consent and withdraw it, with the keyboard."""

from __future__ import annotations

from confidant_tui.services.consent import consent_ledger
from confidant_tui.ui.modals.consent import ConsentModal
from confidant_tui.ui.modals.withdrawal import WithdrawalModal
from confidant_tui.ui.screens.case_file import CaseFileScreen
from confidant_tui.ui.widgets.consent_panel import ConsentPanel
from tests.ui.case_helpers import screen_text
from tests.ui.conftest import settle
from tests.ui.test_protocol_screen import make_case, open_case_file


async def choose(pilot, selector: str, typed: str) -> None:
    """Opens a Select with Enter, types the start of a label, and picks it with Enter."""
    pilot.app.screen.query_one(selector).focus()
    await pilot.press("enter")
    await pilot.press(*typed)
    await pilot.press("enter")
    await pilot.pause()


def panel_text(screen: CaseFileScreen) -> str:
    """The consent panel as the terminal shows it."""
    import io

    from rich.console import Console

    console = Console(width=98, record=True, file=io.StringIO())
    console.print(screen.query_one(ConsentPanel).content)
    return console.export_text()


async def test_consent_recorded_and_withdrawn_from_the_panel(shell, vault_path) -> None:
    case_id = make_case(vault_path)
    async with shell.run_test(size=(100, 30)) as pilot:
        case_file = await open_case_file(pilot, case_id)
        before = panel_text(case_file)
        assert "Delen met een derde" in before and "niet gegeven" in before
        assert "telt mee" in before  # statistics: opt-out

        await pilot.press("t")
        await settle(pilot)
        modal = shell.screen
        assert isinstance(modal, ConsentModal)
        await choose(pilot, "#purpose", "Delen")
        modal.query_one("#scope").focus()
        await pilot.press("down", "down", "space", "down", "space")  # role, work situation
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(shell.screen, CaseFileScreen), screen_text(shell)
        text = panel_text(case_file)
        assert "rol, werksituatie" in text and "mondeling" in text and "02-06-2025 16:00" in text
        [consent] = consent_ledger(shell.session.vault, case_id).consents
        assert consent.purpose == "third_party" and consent.scope == {"role", "work_situation"}
        assert "Toestemming: Delen met een derde" in screen_text(shell)  # on the timeline

        await pilot.press("w")
        await settle(pilot)
        assert isinstance(shell.screen, WithdrawalModal)
        await choose(pilot, "#consent", "Delen")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(shell.screen, CaseFileScreen), screen_text(shell)
        ledger = consent_ledger(shell.session.vault, case_id)
        assert ledger.withdrawn_at(consent.id) is not None
        line = next(x for x in panel_text(case_file).splitlines() if "Delen met een derde" in x)
        assert line.count("02-06-2025 16:00") == 2  # given, and withdrawn

        # Nothing left to withdraw: the adviser is told so, no dialog opens.
        await pilot.press("w")
        await settle(pilot)
        assert isinstance(shell.screen, CaseFileScreen)


async def test_a_consent_without_purpose_is_refused_next_to_the_field(shell, vault_path) -> None:
    case_id = make_case(vault_path)
    async with shell.run_test(size=(100, 30)) as pilot:
        await open_case_file(pilot, case_id)
        await pilot.press("t")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(shell.screen, ConsentModal)
        assert "Kies waarvoor de toestemming is." in screen_text(shell)
        assert not consent_ledger(shell.session.vault, case_id).consents


def test_the_panel_renders_as_its_table_does_and_renders_once_per_width() -> None:
    """`RenderedOnce` gives the segments of the table itself, at any width, and renders the
    table again only for another width (Textual measures and draws at every layout)."""
    import datetime as dt
    import io

    from rich.console import Console, Group

    from confidant_tui.domain.consent import ConsentLedger, ConsentRecord
    from confidant_tui.ui.widgets.consent_panel import RenderedOnce, consent_table

    ledger = ConsentLedger(
        consents=(
            ConsentRecord(
                purpose="referral",
                scope=frozenset({"role", "summary"}),
                form="oral",
                given_at=dt.datetime(2025, 6, 2, 16, 0),
                destination="occupational_health",
                id=1,
            ),
        )
    )
    now = dt.datetime(2025, 6, 3, 9, 0)
    names = {"occupational_health": "Bedrijfsarts"}
    renders = 0

    class Counted:
        def __rich_console__(self, console, options):
            nonlocal renders
            renders += 1
            yield Group("Toestemmingen", consent_table(ledger, now, names))

    once = RenderedOnce(Counted())
    for width in (40, 78, 98, 78, 40):
        console = Console(width=width, file=io.StringIO(), color_system="truecolor")
        expected = list(console.render(Group("Toestemmingen", consent_table(ledger, now, names))))
        assert list(console.render(once)) == expected, width
        assert list(console.render(once)) == expected, width
    assert renders == 3  # 40, 78, 98: each width once
