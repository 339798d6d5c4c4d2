"""The report screen per organisation: choosing one with the keys shows its own recipients,
due date and threshold, at 80x24."""

from __future__ import annotations

import re
from pathlib import Path

from textual.widgets import Select

from confidant_tui.services import organisations
from confidant_tui.settings import Settings
from confidant_tui.ui.app import make_app
from confidant_tui.ui.screens.report import ReportScreen
from confidant_tui.vault.store import Vault
from tests.conftest import ORGANISATION, PASSPHRASE
from tests.ui.case_helpers import screen_text
from tests.ui.conftest import open_report, settle

SECOND = "Fractie [bold]Noord[/bold]"


def _two_organisations(path: Path) -> None:
    vault = Vault.open(path, PASSPHRASE)
    try:
        organisations.edit_organisation(
            vault,
            ORGANISATION,
            {"report_recipients": "het bestuur, afschrift aan de OR", "report_due": "03-01"},
        )
        organisations.add_organisation(
            vault,
            SECOND,
            {
                "report_recipients": "directie en partijbestuur",
                "report_due": "05-01",
                "report_threshold": 3,
            },
        )
    finally:
        vault.close()


async def test_choosing_an_organisation_shows_its_recipients_due_date_and_threshold(
    demo_path: Path,
) -> None:
    _two_organisations(demo_path)
    app = make_app(Settings(), demo_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_report(pilot)
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReportScreen)
        screen.year = 2025
        screen.build()
        await settle(pilot)
        # the default organisation's report first
        assert screen.organisation == ORGANISATION
        text = screen_text(app)
        assert "Aan: het bestuur, afschrift aan de OR" in text
        assert "Uiterlijk in te leveren op 1 maart 2026" in text
        assert "onder de 5 zijn verborgen" in text

        for _step in range(8):  # back from the figures to the organisation list
            if app.focused is screen.query_one("#organisation"):
                break
            await pilot.press("shift+tab")
        assert app.focused is screen.query_one("#organisation", Select)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("up")  # the options come by name: the group above the default
        await pilot.press("enter")
        await settle(pilot)
        assert screen.organisation == SECOND
        text = screen_text(app)
        assert "Aan: directie en partijbestuur" in text
        assert "Uiterlijk in te leveren op 1 mei 2026" in text
        assert "onder de 3 zijn verborgen" in text
        assert "Fractie [bold]Noord[/bold]" in text  # its name shown literally
        assert "afschrift aan de OR" not in text
        # at 80 columns the key figures keep both years on the label's line
        assert re.search(r"Gevoerde gesprekken +\d+ +\d+ ", text)
