"""Settings: defaults, validation with a message naming the setting, and a safe round trip."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

import pytest

from confidant_tui.errors import InvalidInput
from confidant_tui.paths import settings_path
from confidant_tui.settings import (
    Settings,
    drop_legacy,
    field_problem,
    legacy_values,
    load_settings,
    save_settings,
    validate,
)


def test_missing_file_gives_the_defaults() -> None:
    assert not settings_path().exists()
    settings = load_settings()
    assert settings == Settings()
    assert settings.language == "nl" and settings.idle_minutes == 5


def test_round_trip_is_private(tmp_path: Path) -> None:
    chosen = Settings(language="en", idle_minutes=10)
    save_settings(chosen)
    assert load_settings() == chosen
    assert stat.S_IMODE(settings_path().stat().st_mode) == 0o600
    assert not list(settings_path().parent.glob("*.tmp"))


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ({"colour": "blue"}, "Onbekende instelling 'colour'"),
        ({"idle_minutes": 0}, "'idle_minutes' moet een geheel getal van 1 tot en met 120"),
        ({"idle_minutes": 121}, "'idle_minutes'"),
        ({"idle_minutes": "5"}, "'idle_minutes'"),
        ({"idle_minutes": True}, "'idle_minutes'"),
        ({"backup_interval_days": 0}, "'backup_interval_days' moet een geheel getal van 1 tot"),
        ({"backup_interval_days": 366}, "'backup_interval_days'"),
        ({"backup_interval_days": 7.0}, "'backup_interval_days'"),
        ({"backup_interval_days": False}, "'backup_interval_days'"),
        ({"report_threshold": 2}, "'report_threshold' moet een geheel getal van 3 tot en met 20"),
        ({"complaint_period_years": 11}, "'complaint_period_years'"),
        ({"language": "de"}, '\'language\' moet "nl" of "en" zijn'),
        ({"organisation": "   "}, "'organisation' heeft een verkeerde waarde"),
        ({"organisation": "x" * 201}, "'organisation'"),
        ({"extra_levels": "Team Noord"}, "'extra_levels'"),
        ({"extra_levels": ["ok", ""]}, "'extra_levels'"),
        ({"report_due": "1 maart"}, "'report_due' moet de vorm \"03-01\" hebben"),
        ({"report_due": "13-01"}, "'report_due'"),
        ({"report_due": "02-30"}, "'report_due'"),
        ({"report_due": 301}, "'report_due'"),
        ({"report_due": "١٢-٠١"}, "'report_due'"),
        ({"report_due": "1²-01"}, "'report_due'"),
    ],
)
def test_wrong_values_are_refused_naming_the_setting(raw: dict[str, Any], fragment: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        validate(raw)
    assert fragment in caught.value.message


def test_valid_values_are_accepted_and_the_old_organisation_values_read_apart() -> None:
    raw = {"organisation": "  Gemeente Ergens  ", "extra_levels": ["A"], "idle_minutes": 120}
    settings = validate(raw)
    assert settings == Settings(idle_minutes=120)
    assert not hasattr(settings, "organisation")
    settings_path().parent.mkdir(parents=True, exist_ok=True)
    settings_path().write_text(
        'organisation = "  Gemeente Ergens  "\nextra_levels = ["A"]\nidle_minutes = 120\n',
        encoding="utf-8",
    )
    assert legacy_values() == {"organisation": "Gemeente Ergens", "extra_levels": ["A"]}
    drop_legacy()
    assert settings_path().read_text(encoding="utf-8") == (
        'language = "nl"\nidle_minutes = 120\nbackup_interval_days = 7\n'
        "aftercare_weeks = 6\ntoday_on_unlock = true\n"
    )
    assert legacy_values() == {}


def test_the_backup_interval_defaults_to_a_week_and_round_trips() -> None:
    assert Settings().backup_interval_days == 7
    assert validate({"backup_interval_days": 1}).backup_interval_days == 1
    assert validate({"backup_interval_days": 365}).backup_interval_days == 365
    save_settings(Settings(backup_interval_days=30))
    assert load_settings().backup_interval_days == 30


def test_broken_toml_is_a_clear_error() -> None:
    settings_path().parent.mkdir(parents=True, exist_ok=True)
    settings_path().write_text('language = "nl\nidle_minutes = ', encoding="utf-8")
    with pytest.raises(InvalidInput) as caught:
        load_settings()
    assert "Het instellingenbestand bevat een fout" in caught.value.message


def test_unreadable_settings_file_is_a_clear_error() -> None:
    settings_path().mkdir(parents=True)  # a folder where the file should be
    with pytest.raises(InvalidInput) as caught:
        load_settings()
    assert "kan niet worden gelezen" in caught.value.message


def test_bad_settings_file_does_not_stop_the_command_line(vault_path: Path) -> None:
    from confidant_tui.cli.main import main

    settings_path().parent.mkdir(parents=True, exist_ok=True)
    settings_path().write_text("idle_minutes = 0\n", encoding="utf-8")
    assert main(["--lang", "en", "check", "--vault", str(vault_path / "missing")]) == 4


def test_the_deadline_settings_default_and_refuse_wrong_values() -> None:
    assert Settings().aftercare_weeks == 6 and Settings().today_on_unlock is True
    assert validate({"aftercare_weeks": 12, "today_on_unlock": False}) == Settings(
        aftercare_weeks=12, today_on_unlock=False
    )
    for wrong in ({"aftercare_weeks": 0}, {"aftercare_weeks": 53}, {"today_on_unlock": "ja"}):
        with pytest.raises(InvalidInput):
            validate(wrong)
    assert field_problem("today_on_unlock", 1) is not None
    assert field_problem("today_on_unlock", False) is None
