"""A 0.1.0 vault and its settings file become one organisation in the vault with its rules.

Release 0.1.0 kept the organisation's name, extra levels, report threshold, complaint period
and report due date in the plaintext settings file. Opening such a vault for writing moves
them into the vault once (`services.organisations.settle`) and takes them out of the file.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from release_vaults import copy_release, manifest

from confidant_tui.domain.organisation import Unit
from confidant_tui.errors import InvalidInput
from confidant_tui.paths import settings_path
from confidant_tui.services import cases, organisations, vaults
from confidant_tui.settings import load_settings

MOMENT = dt.datetime(2026, 12, 1, 9, 30)
OLD_SETTINGS = """\
language = "en"
idle_minutes = 9
organisation = "Stichting Voorbeeld"
extra_levels = ["youth_wing", "local"]
report_threshold = 7
complaint_period_years = 2
report_due = "05-01"
"""


def _write_settings(text: str) -> None:
    settings_path().parent.mkdir(parents=True, exist_ok=True)
    settings_path().write_text(text, encoding="utf-8")


def _open_fixture(tmp_path: Path) -> vaults.Vault:
    path = copy_release("0.1.0", tmp_path / "vault")
    return vaults.open_vault(path, manifest("0.1.0")["passphrase"])


def test_the_fixture_and_its_settings_file_become_one_organisation(tmp_path: Path) -> None:
    _write_settings(OLD_SETTINGS)
    vault = _open_fixture(tmp_path)
    try:
        found = organisations.settle(vault, default_name="Mijn organisatie", moment=MOMENT)
        assert [o.name for o in found] == ["Stichting Voorbeeld"]
        (organisation,) = found
        assert organisation.is_default and organisation.active
        rules = organisation.rules
        assert rules.units == (Unit("youth_wing", "youth_wing"),)  # "local" is shipped
        assert rules.report_threshold == 7
        assert rules.complaint_period_years == 2
        assert rules.report_due == "05-01"
        assert len(cases.list_cases(vault)) == manifest("0.1.0")["tables"]["cases"]
        # once taken in, a second settle changes nothing, even with the values back
        organisations.edit_organisation(vault, "Stichting Voorbeeld", {"report_threshold": 4})
        _write_settings(OLD_SETTINGS)
        again = organisations.settle(vault, default_name="x", moment=MOMENT)
        assert again[0].rules.report_threshold == 4
    finally:
        vault.close()
    text = settings_path().read_text(encoding="utf-8")
    for key in ("organisation", "extra_levels", "report_threshold", "complaint_", "report_due"):
        assert key not in text
    assert load_settings().language == "en" and load_settings().idle_minutes == 9


def test_a_settings_file_naming_another_organisation_adds_it_as_the_default(
    tmp_path: Path,
) -> None:
    _write_settings('organisation = "Gemeente Ergens"\nreport_threshold = 6\n')
    vault = _open_fixture(tmp_path)
    try:
        found = organisations.settle(vault, default_name="Mijn organisatie", moment=MOMENT)
    finally:
        vault.close()
    by_name = {o.name: o for o in found}
    assert set(by_name) == {"Gemeente Ergens", "Stichting Voorbeeld"}
    assert by_name["Gemeente Ergens"].is_default
    assert by_name["Gemeente Ergens"].rules.report_threshold == 6
    assert by_name["Stichting Voorbeeld"].rules.report_threshold == 5


def test_a_new_vault_gets_one_default_organisation(tmp_path: Path) -> None:
    vault = vaults.create_vault(tmp_path / "new.db", "een lange oefenzin voor de test")
    try:
        found = organisations.settle(vault, default_name="Mijn organisatie", moment=MOMENT)
        assert [(o.name, o.is_default) for o in found] == [("Mijn organisatie", True)]
        assert organisations.settle(vault, default_name="Other", moment=MOMENT) == found
    finally:
        vault.close()
    assert not settings_path().exists()


def test_organisations_are_added_edited_and_archived_with_their_rules(tmp_path: Path) -> None:
    vault = vaults.create_vault(tmp_path / "new.db", "een lange oefenzin voor de test")
    today = dt.date(2026, 12, 1)
    try:
        organisations.settle(vault, default_name="Partij", moment=MOMENT)
        organisations.add_organisation(
            vault,
            "Fractie",
            {"complaint_period_years": 1, "units": [{"label": "Fractiebureau"}]},
        )
        with pytest.raises(InvalidInput):
            organisations.add_organisation(vault, " Fractie ", {})
        with pytest.raises(InvalidInput, match="klachttermijn"):
            organisations.edit_organisation(vault, "Fractie", {"complaint_period_years": 0})
        edited = organisations.edit_organisation(
            vault, "Fractie", {"report_recipients": "het fractiebestuur"}, make_default=True
        )
        assert edited.rules.units == (Unit("fractiebureau", "Fractiebureau"),)
        assert edited.rules.complaint_period_years == 1 and edited.is_default
        organisations.set_archived(vault, "Partij", archived=True, today=today)
        with pytest.raises(InvalidInput):
            organisations.set_archived(vault, "Fractie", archived=True, today=today)
        names = [(o.name, o.active) for o in organisations.list_organisations(vault)]
        assert names == [("Fractie", True), ("Partij", False)]
    finally:
        vault.close()
