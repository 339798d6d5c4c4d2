"""After unlocking, a notification says when a backup is due (never made, or too old)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from confidant_tui.domain.written_dates import long_date
from confidant_tui.settings import Settings
from confidant_tui.ui.app import make_app
from confidant_tui.ui.presenters.backup_texts import reminder, written_moment
from confidant_tui.vault import freshness
from confidant_tui.vault import header as header_file
from tests.ui.conftest import settle, unlock

NOW = dt.datetime(2026, 12, 11, 9, 30)
"""The app's local time in these tests."""


def backup_made(vault_path: Path, local: dt.datetime) -> None:
    """Records a verified backup of the vault made at local time `local`."""
    vault_id = header_file.read(vault_path.with_name(vault_path.name + ".header")).vault_id
    made_at = local.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    freshness.record_backup(vault_path, vault_id, made_at)


def notes(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def test_no_backup_yet_is_said_after_unlocking(shell, clock) -> None:
    clock.set(NOW)
    async with shell.run_test(size=(80, 24)) as pilot:
        assert notes(shell) == []
        await unlock(pilot)
        [note] = [n for n in notes(shell) if "back-up" in n]
        assert "nog geen back-up" in note and '"Back-up maken"' in note


async def test_an_old_backup_is_said_with_its_date(shell, clock, vault_path) -> None:
    clock.set(NOW)
    backup_made(vault_path, NOW - dt.timedelta(days=9))
    async with shell.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        [note] = [n for n in notes(shell) if "back-up" in n]
        assert "2 december 2026, 09:30 (9 dagen geleden)" in note


async def test_a_recent_backup_gives_no_reminder(shell, clock, vault_path) -> None:
    clock.set(NOW)
    backup_made(vault_path, NOW - dt.timedelta(days=6, hours=23))
    async with shell.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        assert not [n for n in notes(shell) if "back-up" in n]


async def test_the_interval_is_the_setting(vault_path, clock) -> None:
    clock.set(NOW)
    backup_made(vault_path, NOW - dt.timedelta(days=3))
    app = make_app(Settings(backup_interval_days=2), vault_path, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        assert [n for n in notes(app) if "3 dagen geleden" in n]


async def test_the_reminder_comes_once_a_day_not_after_every_lock(shell, clock) -> None:
    clock.set(NOW)
    async with shell.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        assert [n for n in notes(shell) if "back-up" in n]
        await pilot.press("ctrl+l")
        await settle(pilot)
        await unlock(pilot)
        assert not [n for n in notes(shell) if "back-up" in n]
        clock.advance(24 * 3600)
        await pilot.press("ctrl+l")
        await settle(pilot)
        await unlock(pilot)
        assert [n for n in notes(shell) if "back-up" in n]


async def test_the_demo_vault_gives_no_reminder(vault_path, clock) -> None:
    clock.set(NOW)
    app = make_app(Settings(), vault_path, clock=clock, demo_passphrase="not shown here")
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        assert not [n for n in notes(app) if "back-up" in n]


def test_the_moment_is_written_so_nobody_misreads_it() -> None:
    made = dt.datetime(2026, 12, 2, 14, 3)
    assert written_moment(made, made.replace(hour=18)) == "2 december 2026, 14:03 (vandaag)"
    assert written_moment(made, made + dt.timedelta(days=1)) == (
        "2 december 2026, 14:03 (gisteren)"
    )
    assert long_date(made.date()) in written_moment(made, NOW)
    assert "(9 dagen geleden)" in written_moment(made, NOW)
    aware = made.astimezone(dt.UTC)
    assert written_moment(aware, NOW) == written_moment(made, NOW)
    # 8 days and 19 hours 27 minutes have passed (in any time zone: NOW is local too).
    assert reminder(aware, interval_days=9, now=NOW) is None
    assert reminder(aware, interval_days=8, now=NOW) is not None
