"""Times the yearly report on a generated vault: 10 years x 500 cases, 5 conversations each.

Not a test: run `.venv/bin/python benchmarks/bench_report.py` and read the figures. The goal
is well under a second for one year's report (records by SQL, counting, suppression of both
years, assembling the document), and for rendering it.
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from confidant_tui.services import report as report_service
from confidant_tui.services.cases import load_taxonomy
from confidant_tui.vault import kdf
from confidant_tui.vault.store import Vault

YEARS = range(2016, 2026)
TAXONOMY = load_taxonomy()
CASES_PER_YEAR = 500
CONVERSATIONS = 5
ROLES = ("employee", "volunteer", "member", "board_member", "elected_representative", "intern")
CATEGORIES = (
    "bullying",
    "sexual_harassment.verbal",
    "discrimination.origin",
    "integrity.gifts",
    "aggression.verbal",
    "stalking",
    "other.workload",
)
LEVELS = ("local", "regional", "national_office", "parliamentary_group", None)
RELATIONS = ("manager", "colleague", "board_member", "member", "external", None)
ROUTES = ("advice", "informal.supported", "formal.complaint", "formal.integrity_report")
DESTINATIONS = ("occupational_health", "gp", "social_work", "legal_aid")
TEXT = "Een vertrouwelijk gesprek over wat er gebeurde, met advies en vervolgstappen. " * 20


def fill(vault: Vault, rng: random.Random) -> None:
    """Inserts the cases, one transaction per year."""
    with vault.transaction() as conn:
        org = conn.execute("INSERT INTO organisations(name) VALUES ('Partij')").lastrowid
    for year in YEARS:
        with vault.transaction() as conn:
            for seq in range(1, CASES_PER_YEAR + 1):
                opened = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
                reporter = conn.execute("INSERT INTO reporters(alias) VALUES ('A.')").lastrowid
                power = rng.choice((0, 1, None))
                case_id = conn.execute(
                    "INSERT INTO cases(code, year, seq, organisation_id, reporter_id, "
                    "reporter_role, opened, status_date, relation, power_imbalance, level, wishes) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        f"{year}-{seq:03d}",
                        year,
                        seq,
                        org,
                        reporter,
                        rng.choice(ROLES),
                        opened,
                        opened,
                        rng.choice(RELATIONS),
                        power,
                        rng.choice(LEVELS),
                        TEXT[:300],
                    ),
                ).lastrowid
                for position, category in enumerate(rng.sample(CATEGORIES, rng.randint(1, 3))):
                    conn.execute(
                        "INSERT INTO case_categories VALUES (?, ?, ?)",
                        (case_id, category, position),
                    )
                conn.execute(
                    "INSERT INTO people(case_id, position, alias, role, relation) "
                    "VALUES (?, 0, 'B.', 'accused', ?)",
                    (case_id, rng.choice(RELATIONS)),
                )
                for n in range(CONVERSATIONS):
                    day = f"{year + (n == 4 and rng.random() < 0.3)}-{rng.randint(1, 12):02d}-15"
                    conn.execute(
                        "INSERT INTO conversations(case_id, date, time, minutes, mode, notes) "
                        "VALUES (?, ?, '10:00', ?, 'in_person', ?)",
                        (case_id, day, rng.choice((30, 45, 60, 90)), TEXT),
                    )
                conn.execute(
                    "INSERT INTO routes(case_id, position, route, date) VALUES (?, 0, ?, ?)",
                    (case_id, rng.choice(ROUTES), opened),
                )
                if rng.random() < 0.3:
                    conn.execute(
                        "INSERT INTO referrals(case_id, position, destination, date) "
                        "VALUES (?, 0, ?, ?)",
                        (case_id, rng.choice(DESTINATIONS), opened),
                    )
                closed_year = year + rng.choice((0, 0, 1, 2))
                if closed_year <= YEARS[-1]:
                    conn.execute(
                        "INSERT INTO case_status(case_id, status, date) VALUES (?, 'closed', ?)",
                        (case_id, f"{closed_year}-12-01"),
                    )


def main() -> None:
    rng = random.Random(8)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.vault"
        passphrase = "a benchmark passphrase that is long enough"
        vault = Vault.create(path, passphrase, kdf.floor_params())
        started = time.perf_counter()
        fill(vault, rng)
        print(
            f"generated {len(YEARS) * CASES_PER_YEAR} cases in {time.perf_counter() - started:.1f} s"
        )
        vault.close()
        with Vault.open(path, passphrase, read_only=True) as reader:
            builds, renders = [], []
            for _ in range(7):
                started = time.perf_counter()
                built = report_service.build_report(reader, 2020, taxonomy=TAXONOMY)
                builds.append(time.perf_counter() - started)
                started = time.perf_counter()
                for form in ("md", "csv", "json"):
                    report_service.render(built, form)
                renders.append(time.perf_counter() - started)
        print(f"cases opened in 2020: {built.document['cases_opened']}")
        print(
            f"build report for one year (both years counted): median "
            f"{statistics.median(builds) * 1000:.0f} ms, max {max(builds) * 1000:.0f} ms"
        )
        print(f"render md + csv + json: median {statistics.median(renders) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
