"""The report screen on the demo vault: open it, switch year, publish; the files match."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pypdf
from textual.widgets import Input

from confidant_tui.services.demo_data import demo_document
from confidant_tui.services.report_publish import file_names
from confidant_tui.settings import Settings
from confidant_tui.ui.app import make_app
from confidant_tui.ui.modals.confirm import ConfirmModal
from confidant_tui.ui.screens.report import ReportScreen
from tests.conftest import TAXONOMY
from tests.ui.case_helpers import screen_text
from tests.ui.conftest import open_report, settle

PRIVATE_KEYS = frozenset(
    {"alias", "code", "name", "contact", "notes", "advice", "next_steps", "wishes"}
    | {"work_situation", "outcome", "justification", "disclosed", "recipient"}
)


def _private_strings() -> set[str]:
    """Aliases, codes and free text of the demo cases: none may reach a report."""
    found: set[str] = set()

    def walk(value: Any, key: str = "") -> None:
        if isinstance(value, dict):
            for name, item in value.items():
                walk(item, name)
        elif isinstance(value, list):
            for item in value:
                walk(item, key)
        elif isinstance(value, str) and key in PRIVATE_KEYS and len(value) >= 4:
            found.add(value[:40])

    walk(demo_document())
    return found


async def _open_report(pilot: Any) -> ReportScreen:
    await open_report(pilot)
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ReportScreen)
    return screen


async def test_open_switch_year_and_publish(demo_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "bestuur"
    out.mkdir()
    app = make_app(Settings(), demo_path)
    async with app.run_test(size=(140, 50)) as pilot:
        screen = await _open_report(pilot)
        screen.year = 2025  # the demo's cases lie in 2024-2026, whatever today is
        screen.build()
        await settle(pilot)
        text = screen_text(app)
        assert "Kerncijfers" in text and "Waar de meldingen over gingen" in text
        assert "Alleen voor u: wat is verborgen en waarom" in text
        assert "Jaarverslag 2025, naast 2024" in text
        assert "<5" in text
        assert screen.built is not None and screen.built.year == 2025

        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert screen.year == 2024
        assert "Jaarverslag 2024, naast 2023" in screen_text(app)
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert screen.built is not None and screen.built.year == 2025

        screen.query_one("#folder", Input).value = str(out)
        screen.query_one("#figures").focus()
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        question = screen_text(app)
        assert "Het verslag verlaat de kluis onversleuteld." in question
        assert str(out.resolve())[:60] in question
        assert not list(out.iterdir()), "nothing is written before the adviser confirms"
        await pilot.click("#confirm")
        await settle(pilot)
        assert isinstance(app.screen, ReportScreen)
        assert "Onversleuteld weggeschreven" in screen_text(app)

    written = sorted(path.name for path in out.iterdir())
    assert written == sorted(file_names(2025, screen.built.organisation))
    assert all(name.startswith("jaarverslag-2025") for name in written)
    report = json.loads(next(out.glob("*.json")).read_text(encoding="utf-8"))
    pdf_text = "\n".join(
        page.extract_text() for page in pypdf.PdfReader(next(out.glob("*.pdf"))).pages
    )
    _assert_same_figures(report, pdf_text)
    secrets = _private_strings()
    assert len(secrets) > 20 and any(re.fullmatch(r"\d{4}-\d{3}", s) for s in secrets)
    for secret in secrets:
        assert secret not in pdf_text, secret
    assert not re.search(r"\d{1,2}-\d{1,2}-\d{4}|\d{4}-\d{2}-\d{2}", pdf_text)


def _assert_same_figures(report: dict[str, Any], pdf_text: str) -> None:
    """Every figure of the JSON, both years, stands in the PDF on its label's line."""
    flat = " ".join(pdf_text.split())
    previous = report["previous"]
    assert f"{previous['cases_opened']} {report['cases_opened']}" in flat
    assert f"Gevoerde gesprekken {previous['conversations']} {report['conversations']}" in flat
    assert f"(uren) {previous['hours']} {report['hours']}" in flat
    from confidant_tui.services.report import label_function

    label = label_function(TAXONOMY)
    for field in (
        "by_category",
        "by_role",
        "by_relation",
        "by_level",
        "by_route",
        "by_referral",
        "by_protocol_ground",
        "power_imbalance",
    ):
        for key in set(report[field]) | set(previous[field]):
            cells = f"{previous[field].get(key, 0)} {report[field].get(key, 0)}"
            assert f"{' '.join(label(field, key).split())} {cells}" in flat, (field, key)


async def test_publish_can_be_cancelled_and_writes_nothing(demo_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "niet"
    out.mkdir()
    app = make_app(Settings(), demo_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_report(pilot)
        screen.query_one("#folder", Input).value = str(out)
        screen.query_one("#figures").focus()
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ReportScreen)
    assert not list(out.iterdir())
