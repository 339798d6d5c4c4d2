"""The search screen keeps up with typing: a later prefix's results are the ones shown.

Keys arrive the way a terminal delivers fast typing (`burst`). The search for an earlier
prefix ("mel") is held inside the search until the later one ("melder") is on screen, then
let go: its results must never replace the later ones. Going back to two letters clears
the results and says why.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
import types

import pytest
from textual.widgets import OptionList, Static

from confidant_tui.domain.cases import CaseFacts, Intake
from confidant_tui.services import search as search_service
from confidant_tui.services.cases import create_case
from confidant_tui.ui.screens import search as search_screen
from confidant_tui.ui.screens.search import SearchScreen
from confidant_tui.vault.store import Vault
from tests.conftest import ORGANISATION, PASSPHRASE, TAXONOMY
from tests.ui.case_helpers import TODAY, open_case_list, store_case_with_note
from tests.ui.conftest import settle
from tests.ui.test_keys_while_building import burst

SHORT = "Typ minstens 3 letters om te zoeken."
ONE = "1 resultaat"
NOTE = "Melding gedaan. De melder wil anoniem blijven; melder is bang voor de gevolgen."


@pytest.fixture
def seeded(vault_path) -> None:
    """A case whose wishes say "melding" only and whose note says "melder" too: "mel"
    finds two texts, "melder" one."""
    store_case_with_note(
        vault_path, CaseFacts("employee", ("bullying",), wishes="Een melding doen."), NOTE
    )


async def _until(pilot, condition, what: str) -> None:
    for _ in range(500):
        if condition():
            return
        await pilot.pause(0.01)
    raise AssertionError(f"never happened: {what}")


async def test_a_burst_shows_the_last_prefix_and_never_an_earlier_ones_late_results(
    shell, seeded, monkeypatch
) -> None:
    real_find = search_service.find
    started = threading.Event()
    release = threading.Event()
    searched: list[str] = []

    def held_find(vault, query, **options):  # type: ignore[no-untyped-def]
        searched.append(query)
        if query == "mel":
            started.set()
            release.wait(10)
            options["cancelled"] = None  # its SQL runs to the end regardless
        return real_find(vault, query, **options)

    monkeypatch.setattr(search_service, "find", held_find)
    async with shell.run_test(size=(100, 30)) as pilot:
        await open_case_list(pilot)
        await pilot.app.push_screen(SearchScreen())
        await settle(pilot)
        screen = pilot.app.screen
        results = screen.query_one("#results", OptionList)
        status = screen.query_one("#search-status", Static)
        shown: list[str] = []
        update = status.update

        def logged(content) -> None:  # type: ignore[no-untyped-def]
            shown.append(str(content))
            update(content)

        status.update = logged  # type: ignore[method-assign]

        burst(shell, "m", "e", "l")
        await _until(pilot, started.is_set, 'the search for "mel" started')
        burst(shell, "d", "e", "r")
        await _until(pilot, lambda: shown[-1] == ONE, "melder's result shown")
        release.set()
        await settle(pilot)
        await pilot.pause(0.1)
        await settle(pilot)

        assert "mel" in searched and searched[-1] == "melder", searched
        assert SHORT in shown, shown
        assert shown[-1] == ONE and "2 resultaten" not in shown, shown
        assert results.option_count == 1
        assert screen.hits[0].field == "notes"

        # Back to two letters: the results go, and the status says why.
        burst(shell, "backspace", "backspace", "backspace", "backspace")
        await settle(pilot)
        assert shown[-1] == SHORT, shown
        assert results.option_count == 0 and screen.hits == []


async def test_a_key_after_a_pause_searches_at_once_and_a_burst_waits_once(
    shell, seeded, monkeypatch
) -> None:
    waits: list[float] = []

    def recorded_sleep(seconds: float) -> None:
        waits.append(seconds)
        time.sleep(seconds)

    searched: list[str] = []
    real_find = search_service.find

    def logged_find(vault, query, **options):  # type: ignore[no-untyped-def]
        searched.append(query)
        return real_find(vault, query, **options)

    clock = types.SimpleNamespace(sleep=recorded_sleep, monotonic=time.monotonic)
    monkeypatch.setattr(search_screen, "time", clock)  # the search screen's own clock only
    monkeypatch.setattr(search_service, "find", logged_find)
    async with shell.run_test(size=(100, 30)) as pilot:
        await open_case_list(pilot)
        await pilot.app.push_screen(SearchScreen())
        await settle(pilot)
        status = pilot.app.screen.query_one("#search-status", Static)
        for letter in "mel":  # typed one by one, with a pause between
            await pilot.press(letter)
            await settle(pilot)
            await pilot.pause(2 * search_screen.PAUSE)
        assert searched == ["mel"] and waits == []  # searched without waiting
        burst(shell, "d", "e", "r")
        await _until(pilot, lambda: str(status.render()) == ONE, "melder's result shown")
        await settle(pilot)
        assert searched[-1] == "melder"
        assert waits and set(waits) == {search_screen.PAUSE}  # the burst's later keys waited


async def test_the_first_screenful_comes_at_once_and_every_result_follows(
    shell, vault_path, monkeypatch
) -> None:
    monkeypatch.setattr(search_screen, "REST_DELAY", 1.0)  # longer than a check under load
    many = search_screen.FIRST + 15
    with Vault.open(vault_path, PASSPHRASE) as vault:
        for day in range(1, many + 1):
            create_case(
                vault,
                Intake(
                    dt.date(2025, 1, 1) + dt.timedelta(days=day),
                    CaseFacts("employee", ("bullying",), wishes="De melder wil praten."),
                ),
                today=TODAY,
                taxonomy=TAXONOMY,
                default_organisation=ORGANISATION,
            )
    async with shell.run_test(size=(100, 30)) as pilot:
        await open_case_list(pilot)
        await pilot.app.push_screen(SearchScreen())
        await settle(pilot)
        screen = pilot.app.screen
        results = screen.query_one("#results", OptionList)
        await pilot.press(*"melder")
        await _until(pilot, lambda: len(screen.hits) == many, "every hit found")
        assert results.option_count == search_screen.FIRST  # the first screenful at once
        await _until(pilot, lambda: results.option_count == many, "the rest followed")
