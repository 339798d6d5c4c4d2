"""How the report screen loads (issue 19): one worker reads the organisations and counts the
report without a round trip through the screen in between; a year stepped while the
organisations are still being read is the year shown; and the figures' column keeps its
width when the figures arrive (no scroll bar appearing then, which laid everything out and
painted it a second time), while the figures of an earlier opening stay out of sight."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from textual.containers import VerticalScroll
from textual.widgets import Select

from confidant_tui.services import organisations
from confidant_tui.services import report as report_service
from confidant_tui.settings import Settings
from confidant_tui.ui.app import make_app
from confidant_tui.ui.context import context_of
from confidant_tui.ui.screens import report as report_screen
from confidant_tui.ui.screens.report import ReportScreen
from confidant_tui.ui.textual_private import select_prompts
from confidant_tui.ui.widgets.bar_chart import BarChart
from tests.conftest import ORGANISATION
from tests.ui.case_helpers import screen_text
from tests.ui.conftest import choose_report, open_report, settle


def _counted(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str | None, int, str]]:
    """Records each report counted: (organisation, year, the thread that counted it)."""
    counted: list[tuple[str | None, int, str]] = []
    build = report_service.build_report

    def recording(vault: Any, year: int, **kwargs: Any) -> report_service.BuiltReport:
        counted.append((kwargs.get("organisation"), year, threading.current_thread().name))
        return build(vault, year, **kwargs)

    monkeypatch.setattr(report_service, "build_report", recording)
    return counted


async def test_the_organisations_and_the_report_are_read_in_one_worker(
    demo_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    read_in: list[str] = []
    organisations = report_screen.list_organisations

    def reading(vault: Any) -> Any:
        read_in.append(threading.current_thread().name)
        return organisations(vault)

    monkeypatch.setattr(report_screen, "list_organisations", reading)
    counted = _counted(monkeypatch)
    app = make_app(Settings(), demo_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_report(pilot)
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReportScreen)
        assert screen.built is not None
        assert len(read_in) == 1 and len(counted) == 1, (read_in, counted)
        assert counted[0][:2] == (ORGANISATION, screen.year)
        assert counted[0][2] == read_in[0] != threading.main_thread().name
        assert screen.organisation == ORGANISATION
        assert f"Jaarverslag {screen.year}" in screen_text(app)


async def test_a_year_stepped_while_the_organisations_are_read_is_the_year_shown(
    demo_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    release = threading.Event()
    organisations = report_screen.list_organisations

    def slow(vault: Any) -> Any:
        release.wait(10)
        return organisations(vault)

    monkeypatch.setattr(report_screen, "list_organisations", slow)
    counted = _counted(monkeypatch)
    app = make_app(Settings(), demo_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_report(pilot)
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReportScreen)
        first = screen.year
        await pilot.press("left_square_bracket")
        await pilot.pause()
        release.set()
        await settle(pilot)
        await settle(pilot)
        assert screen.year == first - 1
        assert screen.organisation == ORGANISATION
        assert screen.built is not None and screen.built.year == first - 1
        assert (ORGANISATION, first - 1) in [(org, year) for org, year, _thread in counted]
        assert f"Jaarverslag {first - 1}, naast {first - 2}" in screen_text(app)


async def _reopen(pilot: Any) -> None:
    """Back to the screen before, and the report chosen in the palette again (the screen is
    kept per unlock: it shows again without its figures until they are counted anew)."""
    await pilot.press("escape")
    await settle(pilot)
    await choose_report(pilot)
    await pilot.pause()


@pytest.mark.parametrize("size", [(80, 24), (100, 30)])
async def test_the_figures_keep_their_width_when_they_arrive(
    demo_path: Path, monkeypatch: pytest.MonkeyPatch, size: tuple[int, int]
) -> None:
    release = threading.Event()
    build = report_service.build_report

    def held(*args: Any, **kwargs: Any) -> report_service.BuiltReport:
        release.wait(10)
        return build(*args, **kwargs)

    monkeypatch.setattr(report_service, "build_report", held)
    app = make_app(Settings(), demo_path)
    async with app.run_test(size=size) as pilot:
        await open_report(pilot)
        for opening in ("first", "again"):
            if opening == "again":
                release.clear()
                await _reopen(pilot)
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, ReportScreen) and screen.built is None, opening
            if opening == "again":  # the figures counted before are not shown meanwhile
                text = screen_text(app)
                assert "Bezig met tellen…" in text and "Kerncijfers" not in text, text
            figures = screen.query_one("#figures", VerticalScroll)
            hidden = screen.query_one("#hidden-panel", VerticalScroll)
            before = (
                figures.scrollable_content_region.width,
                hidden.scrollable_content_region.width,
            )
            release.set()
            await settle(pilot)
            assert screen.built is not None
            assert figures.max_scroll_y > 0  # the figures are longer than the screen
            after = (
                figures.scrollable_content_region.width,
                hidden.scrollable_content_region.width,
            )
            assert after == before, opening
            assert "Kerncijfers" in screen_text(app), opening
            chart = screen.query_one("#chart-by_category", BarChart)
            assert 0 < chart.size.width <= before[0], opening


async def test_a_reopened_report_offers_the_organisations_as_they_are_now(
    demo_path: Path,
) -> None:
    app = make_app(Settings(), demo_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_report(pilot)
        await settle(pilot)

        def offered() -> list[object]:
            select = app.screen.query_one("#organisation", Select)
            return [value for _prompt, value in select_prompts(select) if isinstance(value, str)]

        assert offered() == [ORGANISATION]
        await _reopen(pilot)
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReportScreen) and screen.built is not None
        assert offered() == [ORGANISATION]  # the same list, kept
        assert screen.query_one("#organisation", Select).value == ORGANISATION

        organisations.add_organisation(context_of(app).vault, "Tweede organisatie")
        await _reopen(pilot)
        await settle(pilot)
        assert sorted(map(str, offered())) == sorted([ORGANISATION, "Tweede organisatie"])
        assert screen.organisation == ORGANISATION
        assert screen.query_one("#organisation", Select).value == ORGANISATION
        assert screen.built is not None and screen.built.organisation == ORGANISATION
