"""`confidant due`: the demo vault's overdue follow-ups, the holiday question (`--until`),
a refused day in the past, marks (done, snoozed), read-only beside a writer, and `--json`
on a generated vault against the rules worked out here with plain date arithmetic."""

from __future__ import annotations

import calendar
import datetime as dt
import io
import json
import random
from pathlib import Path
from typing import Any

import pytest

from confidant_tui.cli.main import main
from confidant_tui.domain.clock import FixedClock
from confidant_tui.errors import ExitCode
from confidant_tui.services import deadlines, importing
from confidant_tui.services.demo_data import DEMO_TODAY, load_demo_cases
from confidant_tui.settings import Settings, save_settings
from confidant_tui.vault.store import Vault
from tests.conftest import ORGANISATION, PASSPHRASE, TAXONOMY

TODAY = dt.date(2026, 12, 2)
"""The frozen day of every run (the demo's follow-ups of 25 and 30 November are overdue)."""
NOW = dt.datetime.combine(TODAY, dt.time(9, 0))


@pytest.fixture(autouse=True)
def _frozen_day(monkeypatch: pytest.MonkeyPatch) -> None:
    """The command line's clock stands on TODAY; lines are wrapped for 80 columns."""
    monkeypatch.setattr("confidant_tui.cli.common.SystemClock", lambda: FixedClock(NOW))
    monkeypatch.setenv("COLUMNS", "80")


@pytest.fixture
def demo(vault_path: Path) -> Path:
    """The test vault with the fictional demo cases."""
    with Vault.open(vault_path, PASSPHRASE) as vault:
        load_demo_cases(
            vault, today=DEMO_TODAY, taxonomy=TAXONOMY, default_organisation=ORGANISATION
        )
    return vault_path


def run(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], path: Path, *args: str
) -> tuple[int, str, str]:
    """Runs `confidant due` in this process with the passphrase on standard input."""
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO((PASSPHRASE + "\n").encode())))
    code = main(["due", "--vault", str(path), "--passphrase-stdin", *args])
    out, err = capsys.readouterr()
    return code, out, err


def group(out: str, heading: str) -> list[str]:
    """The lines of one group of the text output (from its heading to the blank line)."""
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(heading + " ("))
    found = []
    for line in lines[start + 1 :]:
        if not line:
            break
        found.append(line)
    return found


def test_the_demo_vault_lists_its_overdue_follow_ups_first(
    demo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    files = {p.name: p.read_bytes() for p in demo.parent.iterdir()}
    code, out, err = run(monkeypatch, capsys, demo)
    assert code == ExitCode.OK, err
    assert out.startswith("Te doen tot en met 1 januari 2027 (vandaag is 2 december 2026):")
    overdue = group(out, "Te laat")
    first = "  2026-003  7 dagen te laat (sinds 25 november 2026) · Vervolgcontact met de"
    assert overdue[overdue.index(first) + 1] == "            melder"
    later = "  2026-004  2 dagen te laat (sinds 30 november 2026) · Vervolgcontact met de"
    assert overdue.index(first) < overdue.index(later)  # soonest first
    this_week = group(out, "Deze week")
    assert "  2026-001  vandaag · Vervolgcontact met de melder" in this_week
    assert "  -         vandaag · Maak een back-up: op deze computer is er nog geen gemaakt" in (
        this_week
    )
    assert all(len(line) <= 80 for line in out.splitlines())
    # Read-only: not one byte of the vault, its header or the lock changed.
    assert {p.name: p.read_bytes() for p in demo.parent.iterdir()} == files


def test_until_answers_the_holiday_question(
    demo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(monkeypatch, capsys, demo, "--lang", "en", "--until", "2027-01-20")
    assert code == ExitCode.OK, err
    assert out.startswith("Due up to and including 20 January 2027 (today is 2 December 2026):")
    coming = group(out, "Coming up")
    # 2024-002 is due for destruction on 15 January 2027, inside the holiday; 2025-002 on
    # 4 February 2027, after it.
    assert any(line.startswith("  2024-002  by 15 January 2027 · Due for") for line in coming)
    assert "2025-002" not in out
    code, out, err = run(monkeypatch, capsys, demo, "--json", "--until", "04-02-2027")
    assert code == ExitCode.OK, err
    assert {"case": "2025-002", "kind": "retention", "due": "2027-02-04"}.items() <= next(
        item for item in json.loads(out) if item["case"] == "2025-002"
    ).items()


def test_a_day_before_today_is_refused_before_the_passphrase(
    demo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(monkeypatch, capsys, demo, "--until", "2026-12-01")
    assert code == ExitCode.USAGE
    assert out == ""
    assert err.startswith("Fout: --until 1 december 2026 ligt vóór vandaag (2 december 2026)")
    assert "\n" not in err.rstrip("\n")
    code, _out, err = run(monkeypatch, capsys, demo, "--until", "2026-02-30")
    assert code == ExitCode.INVALID_INPUT
    assert "Geen geldige datum" in err
    code, out, err = run(monkeypatch, capsys, demo, "--until", "2026-12-02", "--json")
    assert code == ExitCode.OK, err
    assert all(item["due"] <= "2026-12-02" for item in json.loads(out))


def test_marks_show_as_done_and_snoozed_beside_a_writer(
    demo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with Vault.open(demo, PASSPHRASE) as writer:
        items = deadlines.due_list(writer, today=TODAY, settings=Settings()).items
        follow_ups = {i.deadline.code: i.deadline for i in items if i.deadline.kind == "follow_up"}
        deadlines.mark_done(
            writer, follow_ups["2026-003"], reason="Gebeld", now=NOW, settings=Settings()
        )
        deadlines.snooze(
            writer,
            follow_ups["2026-004"],
            until=dt.date(2026, 12, 10),
            reason="Melder op vakantie",
            now=NOW,
            settings=Settings(),
        )
        deadlines.snooze(
            writer,
            follow_ups["2026-001"],
            until=dt.date(2027, 2, 1),
            reason="[bold]later[/bold]\x1b[31m",
            now=NOW,
            settings=Settings(),
        )
        # The app (a writer) has the vault open: `due` reads beside it.
        code, out, err = run(monkeypatch, capsys, demo, "--json")
        assert code == ExitCode.OK, err
        listed = {(i["case"], i["kind"]): i for i in json.loads(out)}
        assert ("2026-003", "follow_up") not in listed
        assert listed[("2026-004", "follow_up")] == {
            "case": "2026-004",
            "kind": "follow_up",
            "due": "2026-11-30",
            "state": "snoozed",
            "until": "2026-12-10",
            "what": "Vervolgcontact met de melder",
        }
        assert ("2026-001", "follow_up") not in listed  # back after the list's last day
        assert listed[("2026-002", "report_feedback")]["until"] is None

        code, out, err = run(monkeypatch, capsys, demo, "--done", "--lang", "en")
        assert code == ExitCode.OK, err
    assert group(out, "Done") == ["  2026-003  done · Follow up with the reporter"]
    assert group(out, "Snoozed") == [
        "  2026-004  snoozed until 10 December 2026 · Follow up with the reporter"
    ]
    assert out.rstrip().endswith(
        "1 snoozed item comes back after 1 January 2027 and is not listed."
    )
    assert "later" not in out and "\x1b" not in out  # a reason is never printed


# --- `due --json` on a generated vault, against an independent computation -----------------

MELDINGEN = ("formal.integrity_report", "external.whistleblower_authority")
ROUTE_KEYS = (*MELDINGEN, *MELDINGEN, "formal.complaint", "informal.supported")
MONTH_ENDS = [dt.date(2026, m, d) for m, d in ((5, 31), (8, 29), (8, 31), (10, 31), (11, 30))]
AFTERCARE_WEEKS = 4
COMPARED = ("follow_up", "aftercare", "report_acknowledgement", "report_feedback")


def _day(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    return first + dt.timedelta(days=rng.randint(0, max(0, (last - first).days)))


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _route(rng: random.Random, opened: dt.date) -> dict[str, Any]:
    start = _day(rng, opened, TODAY)
    filed = _day(rng, start, TODAY) if rng.random() < 0.5 else None
    made = filed or start
    acknowledged = None
    if rng.random() < 0.5:
        ends = [day for day in MONTH_ENDS if day >= made]
        acknowledged = rng.choice(ends) if ends and rng.random() < 0.5 else _day(rng, made, TODAY)
    feedback = _day(rng, acknowledged, TODAY) if acknowledged and rng.random() < 0.3 else None
    ended = None
    if rng.random() < 0.3:
        ended = _day(rng, max(d for d in (start, filed, acknowledged, feedback) if d), TODAY)
    return {
        "route": rng.choice(ROUTE_KEYS),
        "date": start.isoformat(),
        "filed": _iso(filed),
        "acknowledged": _iso(acknowledged),
        "feedback": _iso(feedback),
        "ended": _iso(ended),
    }


def _case(rng: random.Random, number: int) -> dict[str, Any]:
    opened = _day(rng, dt.date(2026, 1, 5), dt.date(2026, 11, 25))
    status: list[dict[str, str]] = []
    roll = rng.random()
    if roll < 0.2:
        status = [{"status": "aftercare", "date": _day(rng, opened, TODAY).isoformat()}]
    elif roll < 0.4:
        status = [{"status": "closed", "date": _day(rng, opened, TODAY).isoformat()}]
    conversations: list[dict[str, str | None]] = []
    day = opened
    while day <= TODAY and len(conversations) < rng.randint(0, 3):
        follow_up = day + dt.timedelta(days=rng.randint(0, 70)) if rng.random() < 0.7 else None
        conversations.append(
            {
                "date": day.isoformat(),
                "time": "10:00",
                "mode": "phone",
                "follow_up": _iso(follow_up),
            }
        )
        day += dt.timedelta(days=rng.randint(1, 60))
    return {
        "code": f"2026-{number:03d}",
        "opened": opened.isoformat(),
        "status": status,
        "reporter": {"alias": f"M{number}", "role": "employee"},
        "categories": ["bullying"],
        "confidentiality_explained": opened.isoformat(),
        "routes": [_route(rng, opened) for _ in range(rng.randint(0, 2))],
        "conversations": conversations,
    }


def _months_after(day: dt.date, months: int) -> dt.date:
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _state(due: dt.date) -> str:
    if due < TODAY:
        return "overdue"
    return "due" if (due - TODAY).days < 7 else "upcoming"


def _expected(
    document: dict[str, Any], extended: set[tuple[str, int]], until: dt.date
) -> set[tuple[str, str, str, str]]:
    """The follow-ups, aftercare check-ins and report terms of the document, worked out from
    its dates alone, as (case, kind, due, state) listed up to `until`."""
    found: set[tuple[str, str, dt.date]] = set()
    for case in document["cases"]:
        code = case["code"]
        if case["status"] and case["status"][-1]["status"] == "closed":
            continue  # closing a case ends its follow-ups
        talks = sorted(case["conversations"], key=lambda c: c["date"])
        last_talk = dt.date.fromisoformat(talks[-1]["date"]) if talks else None
        if talks and talks[-1]["follow_up"]:
            found.add((code, "follow_up", dt.date.fromisoformat(talks[-1]["follow_up"])))
        for index, route in enumerate(case["routes"]):
            day = {k: dt.date.fromisoformat(v) for k, v in route.items() if k != "route" and v}
            if "ended" in day:
                check_in = day["ended"] + dt.timedelta(days=7 * AFTERCARE_WEEKS)
                if last_talk is None or last_talk < check_in:
                    found.add((code, "aftercare", check_in))
                continue
            if route["route"] not in MELDINGEN:
                continue
            made = day.get("filed", day["date"])
            if "acknowledged" not in day:
                found.add((code, "report_acknowledgement", made + dt.timedelta(days=7)))
            if "feedback" not in day:
                start = day.get("acknowledged", made + dt.timedelta(days=7))
                months = 6 if (code, index) in extended else 3
                found.add((code, "report_feedback", _months_after(start, months)))
    return {
        (code, kind, due.isoformat(), _state(due))
        for code, kind, due in found
        if due < TODAY or due <= until
    }


def test_json_on_a_generated_vault_agrees_with_the_rules_worked_out_here(
    vault_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    save_settings(Settings(aftercare_weeks=AFTERCARE_WEEKS))
    rng = random.Random(18)
    cases = [_case(rng, n) for n in range(1, 61)]
    document: dict[str, Any] = {"format": "confidant-cases/1", "cases": cases}
    extended: set[tuple[str, int]] = set()
    with Vault.open(vault_path, PASSPHRASE) as vault:
        importing.import_document(
            vault, document, now=NOW, taxonomy=TAXONOMY, default_organisation=ORGANISATION
        )
        with vault.reading() as conn:
            route_ids = conn.execute(
                "SELECT c.code, r.id FROM routes r JOIN cases c ON c.id = r.case_id "
                "ORDER BY c.code, r.position, r.id"
            ).fetchall()
        places = [(case["code"], index) for case in cases for index in range(len(case["routes"]))]
        assert [code for code, _id in route_ids] == [code for code, _index in places]
        for (code, index), (_code, route_id) in zip(places, route_ids, strict=True):
            route = cases[int(code[5:]) - 1]["routes"][index]
            if route["route"] in MELDINGEN and rng.random() < 0.4:
                deadlines.extend_feedback(vault, route_id, reason="Regeling staat het toe", now=NOW)
                extended.add((code, index))

    until = dt.date(2027, 4, 30)
    code, out, err = run(monkeypatch, capsys, vault_path, "--json", "--until", until.isoformat())
    assert code == ExitCode.OK, err
    printed = json.loads(out)
    assert all(set(item) == {"case", "kind", "due", "state", "until", "what"} for item in printed)
    compared = [
        (item["case"], item["kind"], item["due"], item["state"])
        for item in printed
        if item["kind"] in COMPARED
    ]
    assert len(compared) == len(set(compared))
    expected = _expected(document, extended, until)
    assert set(compared) == expected
    # The comparison covers every kind and state compared, extensions and a month end
    # (30 November + 3 months, or 31 August + 6, is 28 February).
    assert {kind for _c, kind, _d, _s in expected} == set(COMPARED)
    assert ("report_feedback", "2027-02-28") in {(kind, due) for _c, kind, due, _s in expected}
    assert {state for _c, _k, _d, state in expected} == {"overdue", "due", "upcoming"}
    assert extended
    assert [item["due"] for item in printed] == sorted(item["due"] for item in printed)
