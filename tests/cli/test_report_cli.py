"""`confidant report` through the real command: formats, the warning, read-only, publishing."""

from __future__ import annotations

import csv
import datetime as dt
import importlib.util
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import PASSPHRASE

from confidant_tui.domain.report import BREAKDOWNS
from confidant_tui.errors import ExitCode
from confidant_tui.services import report as report_service
from confidant_tui.vault.store import Vault

REPO = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location(
    "report_helpers", REPO / "tests" / "unit" / "storage" / "test_report_helpers.py"
)
helpers = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(helpers)

pytestmark = pytest.mark.slow


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CONFIDANT_TEST_KDF": "floor"}
    env.pop("CONFIDANT_LANG", None)
    return subprocess.run(
        [sys.executable, "-m", "confidant_tui", *args, "--passphrase-stdin"],
        input=PASSPHRASE + "\n",
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=60,
    )


@pytest.fixture
def filled(vault_path: Path) -> Path:
    with Vault.open(vault_path, PASSPHRASE) as vault, vault.transaction() as conn:
        for seq in range(1, 13):
            helpers.insert_case(
                conn,
                f"2025-{seq:03d}",
                f"2025-03-{seq:02d}",
                role="employee" if seq <= 9 else "volunteer",
                categories=("bullying", "integrity.gifts") if seq % 2 else ("stalking",),
                accused=("manager",),
                conversations=[(f"2025-04-{seq:02d}", 50)],
                routes=[("2025-05-01", "advice")],
                alias=f"Alias{seq}",
            )
        for seq in range(1, 8):
            helpers.insert_case(conn, f"2024-{seq:03d}", "2024-06-01", role="member")
    return vault_path


def _cells(document: dict) -> dict[tuple[str, str], str]:
    """Every figure of the JSON report, both years, as printed."""
    found = {}
    for year_doc in (document, document["previous"]):
        year = str(year_doc["year"])
        for name in (
            "cases_opened",
            "open_at_end",
            "conversations",
            "cases_closed",
            "routes_ended",
            "hours",
            "activity_hours",
            "total_hours",
        ):
            found[(year, name)] = str(year_doc[name])
        for name in BREAKDOWNS:
            for key, value in year_doc[name].items():
                found[(year, f"{name}.{key}")] = str(value)
    return found


def test_the_three_formats_carry_the_same_numbers_and_nothing_identifying(
    filled: Path, tmp_path: Path
) -> None:
    outputs = {}
    for form in ("json", "csv", "md"):
        out = tmp_path / f"jaarverslag.{form}"
        result = cli(
            "report", "--vault", str(filled), "--year", "2025", "--format", form, "--out", str(out)
        )
        assert result.returncode == 0, result.stderr
        assert "ONVERSLEUTELD" in result.stderr and str(out) in result.stderr
        outputs[form] = out.read_text(encoding="utf-8")
    document = json.loads(outputs["json"])
    assert document["cases_opened"] == 12 and document["previous"]["cases_opened"] == 7
    assert document["by_role"] == {"employee": 9, "volunteer": "<5"} or document["by_role"] == {
        "employee": "x",
        "volunteer": "<5",
    }
    expected = _cells(document)
    from_csv = {}
    csv_values = []
    rows = list(csv.reader(io.StringIO(outputs["csv"])))
    header = rows[0]
    assert rows[1][0] == "recipients" and rows[2] == [
        "due",
        "",
        "Inleverdatum",
        "",
        document["due"],
    ]
    for row in rows[3:]:
        name = row[0] if not row[1] else f"{row[0]}.{row[1]}"
        for year, value in zip(header[3:], row[3:], strict=True):
            csv_values.append(value)
            if value != "0":
                from_csv[(year, name)] = value
    assert from_csv == {k: v for k, v in expected.items() if v != "0"}
    md_values = []
    for line in outputs["md"].splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("| ") and len(cells) == 3 and cells[0] and cells[1] != "2024":
            md_values += [c.replace("\\", "") for c in cells[1:]]
    assert sorted(md_values) == sorted(csv_values)
    # the only date is the organisation's due date, and Markdown writes it out in words
    assert document["due"] == "2026-03-01" and "1 maart 2026" in outputs["md"]
    for text in outputs.values():
        assert "2025-001" not in text and "Alias" not in text and "Jansen" not in text
        text = text.replace(document["due"], "")
        assert not re.search(r"\d{4}-\d{2}-\d{2}|\d{2}-\d{2}-\d{4}", text)


def test_a_draft_is_made_while_the_app_has_the_vault_and_publishing_waits(
    filled: Path, tmp_path: Path
) -> None:
    out = tmp_path / "verslag.md"
    with Vault.open(filled, PASSPHRASE):  # the app is open
        draft = cli("report", "--vault", str(filled), "--year", "2025", "--out", str(out))
        assert draft.returncode == 0, draft.stderr
        assert "concept" in draft.stdout.lower()
        publish = cli(
            "report",
            "--vault",
            str(filled),
            "--year",
            "2025",
            "--out",
            str(out),
            "--publish",
            "--force",
        )
        assert publish.returncode == ExitCode.VAULT_IN_USE, publish.stderr
    assert "# Jaarverslag" in out.read_text(encoding="utf-8")


def test_publishing_records_the_report_and_hidden_cells_stay_on_the_screen(
    filled: Path, tmp_path: Path
) -> None:
    out = tmp_path / "report.md"
    result = cli(
        "report",
        "--vault",
        str(filled),
        "--year",
        "2025",
        "--out",
        str(out),
        "--publish",
        "--show-hidden",
        "--lang",
        "en",
    )
    assert result.returncode == 0, result.stderr
    assert "recorded as published" in result.stdout
    assert "not over yet" not in result.stderr, "2025 is over: no warning"
    assert "by_role.volunteer" in result.stdout
    text = out.read_text(encoding="utf-8")
    assert "Yearly report of the confidential adviser 2025" in text
    assert "Employee" in text or "employee" in text.lower()
    assert "by_role.volunteer" not in text
    with Vault.open(filled, PASSPHRASE, read_only=True) as vault:
        [kept] = report_service.list_published(vault)
    assert kept.year == 2025 and kept.form == "md"


def test_publishing_a_year_still_running_warns_first(filled: Path, tmp_path: Path) -> None:
    year = str(dt.date.today().year)
    out = tmp_path / "report.md"
    result = cli(
        "report",
        "--vault",
        str(filled),
        "--year",
        year,
        "--out",
        str(out),
        "--publish",
        "--lang",
        "en",
    )
    assert result.returncode == 0, result.stderr
    assert f"Warning: {year} is not over yet" in result.stderr
    assert "fall due for destruction" in result.stderr


def test_an_unknown_organisation_is_a_clear_error(filled: Path, tmp_path: Path) -> None:
    result = cli(
        "report",
        "--vault",
        str(filled),
        "--year",
        "2025",
        "--organisation",
        "Niemand",
        "--out",
        str(tmp_path / "x.md"),
    )
    assert result.returncode == ExitCode.INVALID_INPUT
    assert "Niemand" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "x.md").exists()


def test_an_old_settings_file_is_moved_in_before_publishing_and_a_draft_says_so(
    filled: Path, tmp_path: Path
) -> None:
    """A 0.1.x settings file's threshold belongs to the organisation: a draft made before the
    vault took it in says so; publishing takes it in first and counts with it."""
    from confidant_tui.paths import settings_path

    settings_path().parent.mkdir(parents=True, exist_ok=True)
    settings_path().write_text('organisation = "Partij"\nreport_threshold = 7\n', "utf-8")
    draft = tmp_path / "draft.json"
    args = ["report", "--vault", str(filled), "--year", "2025", "--format", "json"]
    result = cli(*args, "--out", str(draft))
    assert result.returncode == 0, result.stderr
    assert "oudere Confidant" in result.stderr
    assert json.loads(draft.read_text("utf-8"))["threshold"] == 5
    published = tmp_path / "published.json"
    result = cli(*args, "--out", str(published), "--publish")
    assert result.returncode == 0, result.stderr
    assert json.loads(published.read_text("utf-8"))["threshold"] == 7
    assert "report_threshold" not in settings_path().read_text("utf-8")
