"""The case file's timeline: entries in the order they happened whatever their kind, one
row per protocol procedure that opens and closes on Enter (or + and -), a consent that says
to whom, and the keys that fit the footer at 80 columns; through pilot on a real vault."""

from __future__ import annotations

import datetime as dt

import pytest
from textual.widgets import DataTable, Static

from confidant_tui import i18n
from confidant_tui.domain.cases import CaseFacts, Conversation, Intake, Referral
from confidant_tui.domain.consent import ConsentRecord
from confidant_tui.domain.protocol import ConditionExplained, Consultation
from confidant_tui.services.cases import add_conversation, add_referral, change_status, create_case
from confidant_tui.services.consent import record_consent
from confidant_tui.services.protocol import open_procedure, record_step
from confidant_tui.settings import Settings
from confidant_tui.ui.app import make_app
from confidant_tui.ui.screens.case_file import CaseFileScreen
from confidant_tui.ui.screens.protocol import ProtocolScreen
from confidant_tui.vault.store import Vault
from tests.conftest import ORGANISATION, PASSPHRASE, TAXONOMY
from tests.ui.case_helpers import TODAY, freeze_now, freeze_today, screen_lines, screen_text
from tests.ui.conftest import settle, unlock

DAY = dt.date(2025, 5, 20)
"""The busy day of the case: every kind of entry happens on it."""


def at(hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(DAY, dt.time(hour, minute))


def busy_case(vault_path) -> dict[str, int]:
    """A case opened on 01-05-2025 whose 20 May holds, recorded in this order: a
    conversation at 09:00, a procedure opened at 10:00 with two steps (10:05, 11:30), a
    referral consent at 10:30, a conversation at 14:00, a conversation without a time, the
    status to aftercare and, last, a referral (both dated that day, without a time)."""
    now = dt.datetime.combine(TODAY, dt.time(12, 0))
    with Vault.open(vault_path, PASSPHRASE) as vault:
        case = create_case(
            vault,
            Intake(dt.date(2025, 5, 1), CaseFacts("employee", ("aggression.physical",))),
            today=TODAY,
            taxonomy=TAXONOMY,
            default_organisation=ORGANISATION,
        )
        assert case.id is not None
        ids = {"case": case.id}

        def talk(time: dt.time | None, notes: str) -> int:
            conversation = Conversation(DAY, time=time, notes=notes)
            return add_conversation(vault, case.id, conversation, today=TODAY, taxonomy=TAXONOMY)

        ids["morning"] = talk(dt.time(9, 0), "Ochtendgesprek")
        ids["procedure"] = open_procedure(
            vault, case.id, "conscientious_distress", opened_at=at(10), now=now
        )
        record_step(
            vault,
            ids["procedure"],
            ConditionExplained(at=at(10, 5), number=1, explanation="A"),
            now=now,
        )
        ids["consent"] = record_consent(
            vault,
            case.id,
            ConsentRecord(
                purpose="referral",
                scope=frozenset({"role", "summary"}),
                form="oral",
                given_at=at(10, 30),
                destination="occupational_health",
            ),
            now=now,
        )
        record_step(vault, ids["procedure"], Consultation(at=at(11, 30), consulted="LVV"), now=now)
        ids["afternoon"] = talk(dt.time(14, 0), "Middaggesprek")
        ids["untimed"] = talk(None, "Gesprek zonder tijd")
        change_status(vault, case.id, "aftercare", DAY, today=TODAY)
        ids["referral"] = add_referral(
            vault, case.id, Referral("occupational_health", DAY), today=TODAY, taxonomy=TAXONOMY
        )
    return ids


async def open_case(pilot, case_id: int, *, select: str | None = None) -> CaseFileScreen:
    freeze_today(pilot.app)
    freeze_now(pilot.app, dt.datetime.combine(TODAY, dt.time(12, 0)))
    await unlock(pilot)
    await pilot.app.push_screen(CaseFileScreen(case_id, select=select))
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, CaseFileScreen)
    return screen


def row_keys(screen: CaseFileScreen) -> list[str]:
    table = screen.query_one("#timeline", DataTable)
    return [str(row.key.value) for row in table.ordered_rows]


def row_text(screen: CaseFileScreen, key: str) -> str:
    table = screen.query_one("#timeline", DataTable)
    return " ".join(str(cell) for cell in table.get_row(key))


def cursor_key(screen: CaseFileScreen) -> str:
    table = screen.query_one("#timeline", DataTable)
    return str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)


def detail(screen: CaseFileScreen) -> str:
    return str(screen.query_one("#detail", Static).render())


async def test_entries_of_one_day_are_in_the_order_they_happened(shell, vault_path) -> None:
    ids = busy_case(vault_path)
    async with shell.run_test(size=(100, 30)) as pilot:
        screen = await open_case(pilot, ids["case"])
        day = [key for key in row_keys(screen) if key != "opened"]
        assert day == [
            f"conv-{ids['untimed']}",  # no time: with the day's opening entries
            f"conv-{ids['morning']}",  # 09:00
            f"proc-{ids['procedure']}",  # 10:00, its steps inside the group
            f"consent-{ids['consent']}",  # 10:30
            f"conv-{ids['afternoon']}",  # 14:00
            f"ref-{ids['referral']}",  # the outcomes recorded by date only close the day,
            "status-0",  # the status change last
        ], day
        # Expanded, the steps sit under the procedure by their own time (10:05, 11:30),
        # and the rest of the day keeps its order.
        table = screen.query_one("#timeline", DataTable)
        table.move_cursor(row=table.get_row_index(f"proc-{ids['procedure']}"))
        await pilot.press("plus")
        await pilot.pause()
        keys = row_keys(screen)
        group = keys.index(f"proc-{ids['procedure']}")
        assert [k.split("-")[0] for k in keys[group : group + 4]] == [
            "proc",
            "pstep",
            "pstep",
            "consent",
        ]
        assert "LVV-voorwaarde" in row_text(screen, keys[group + 1])
        assert "Overleg" in row_text(screen, keys[group + 2])


async def test_a_procedure_is_one_row_that_opens_and_closes(shell, vault_path) -> None:
    ids = busy_case(vault_path)
    group = f"proc-{ids['procedure']}"
    async with shell.run_test(size=(100, 30)) as pilot:
        screen = await open_case(pilot, ids["case"], select=group)
        assert cursor_key(screen) == group
        assert not any(key.startswith("pstep-") for key in row_keys(screen))
        text = row_text(screen, group)
        assert "▸ Procedure: Ernstige gewetensnood · open · 2 stappen" in text
        assert "laatste: Overleg 20-05-2025" in text
        # The detail pane lists the steps in full while the group row is highlighted.
        shown = detail(screen)
        assert "20-05-2025 10:05  LVV-voorwaarde: 1: A" in shown
        assert "20-05-2025 11:30  Overleg: LVV" in shown

        await pilot.press("enter")
        await pilot.pause()
        steps = [key for key in row_keys(screen) if key.startswith("pstep-")]
        assert len(steps) == 2
        assert "▾ Procedure" in row_text(screen, group)
        assert cursor_key(screen) == group
        await pilot.press("down")
        await pilot.pause()
        assert cursor_key(screen) == steps[0]
        assert "Stap 1: LVV-voorwaarde" in detail(screen)
        await pilot.press("minus")  # on a step: hides the steps, the cursor on the group
        await pilot.pause()
        assert not any(key.startswith("pstep-") for key in row_keys(screen))
        assert cursor_key(screen) == group
        await pilot.press("enter", "enter")  # opens and closes again
        await pilot.pause()
        assert not any(key.startswith("pstep-") for key in row_keys(screen))

        # Enter on a step opens the procedure.
        await pilot.press("plus", "down", "enter")
        await settle(pilot)
        assert isinstance(shell.screen, ProtocolScreen)
        assert shell.screen.procedure_id == ids["procedure"]


async def test_a_step_target_opens_its_procedure_and_lands_on_the_step(shell, vault_path) -> None:
    ids = busy_case(vault_path)
    with Vault.open(vault_path, PASSPHRASE) as vault:
        from confidant_tui.services.protocol import get_procedure

        step_id = get_procedure(vault, ids["procedure"]).steps[1].id
    target = f"pstep-{ids['procedure']}-{step_id}"
    async with shell.run_test(size=(80, 24)) as pilot:
        screen = await open_case(pilot, ids["case"], select=target)
        assert cursor_key(screen) == target
        assert "Overleg" in detail(screen)
        # A reload (coming back from a dialog) keeps the procedure open and the cursor.
        screen.load()
        await settle(pilot)
        assert cursor_key(screen) == target


async def test_a_consent_says_to_whom_in_the_timeline_and_the_table(shell, vault_path) -> None:
    ids = busy_case(vault_path)
    async with shell.run_test(size=(80, 24)) as pilot:
        screen = await open_case(pilot, ids["case"], select=f"consent-{ids['consent']}")
        assert "Toestemming: Verwijzing → Bedrijfsarts" in row_text(
            screen, f"consent-{ids['consent']}"
        )
        # The consent table at 80 columns shows the destination whole.
        panel = screen.query_one("#consents")
        lines = [
            "".join(segment.text for segment in strip)
            for strip in panel.render_lines(panel.region.reset_offset)
        ]
        panel_text = "\n".join(lines)
        assert "…" not in panel_text
        assert "Bedrijfsarts" in panel_text
        assert "Verwijzing →" in panel_text


@pytest.mark.parametrize("language", ["nl", "en"])
async def test_the_footer_keys_fit_at_80_columns(vault_path, clock, language) -> None:
    i18n.set_language(language)
    app = make_app(Settings(language=language, today_on_unlock=False), vault_path, clock=clock)
    ids = busy_case(vault_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_case(pilot, ids["case"])
        footer = screen_lines(app)[-1]
        shown = [
            binding
            for _key, (_node, binding, _enabled, _tip) in screen.active_bindings.items()
            if binding.show and _node is screen
        ]
        assert {binding.key for binding in shown} == {"c", "s", "p", "t", "escape"}
        for binding in shown:
            assert binding.description in footer, (binding.description, footer)
        assert footer.rstrip().endswith("Commands" if language == "en" else "Opdrachten")
        assert "Protocol" in screen_text(app)


async def test_the_steps_of_the_last_procedure_come_into_view_at_80x24(shell, vault_path) -> None:
    now = dt.datetime.combine(TODAY, dt.time(12, 0))
    with Vault.open(vault_path, PASSPHRASE) as vault:
        case = create_case(
            vault,
            Intake(dt.date(2025, 5, 1), CaseFacts("employee", ("aggression.physical",))),
            today=TODAY,
            taxonomy=TAXONOMY,
            default_organisation=ORGANISATION,
        )
        assert case.id is not None
        for day in range(2, 12):
            conversation = Conversation(dt.date(2025, 5, day), notes=f"Gesprek {day}")
            add_conversation(vault, case.id, conversation, today=TODAY, taxonomy=TAXONOMY)
        procedure_id = open_procedure(vault, case.id, None, opened_at=at(10), now=now)
        for minute, text in ((5, "Eerste"), (6, "Tweede"), (7, "Derde")):
            step = Consultation(at=at(10, minute), consulted=text)
            record_step(vault, procedure_id, step, now=now)
    group = f"proc-{procedure_id}"
    async with shell.run_test(size=(80, 24)) as pilot:
        screen = await open_case(pilot, case.id)
        assert cursor_key(screen) == group  # the latest entry
        assert "Derde" not in screen_text(shell).replace(detail(screen), "")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.pause()
        shown = screen_text(shell)
        assert "└ Overleg: Derde" in shown, shown
        assert "▾ Procedure" in shown
        assert cursor_key(screen) == group
