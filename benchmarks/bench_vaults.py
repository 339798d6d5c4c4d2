"""Seeded benchmark vaults for `benchmarks/run.py`: built once, reused, with a plain copy.

A vault is kept in the cache folder under a name made of its size, seed, schema version and
a hash of the generator and `BUILD` (`{cases}-s{seed}-v{schema}-g{hash}`), so a new
migration or a changed generator builds new vaults. Each is made the way an adviser's import is:
`generate_cases.generate` (plus one extra case with 50 conversations, code `BIG_CASE_CODE`)
through `importing.validate_document` and `store_validated`, with the KDF floor. Beside it lies `plain.sqlite`: the same schema and rows in a plaintext SQLite
file, made with `sqlcipher_export` into an ATTACHed database with an empty key (as
`vault/backup.py` copies a vault).
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import os
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from generate_cases import TODAY, generate

PASSPHRASE = "benchmark passphrase, floor KDF only"
IMPORT_NOW = dt.datetime.combine(TODAY, dt.time(23, 59))
BIG_CASE_CODE = "2016-001"
"""The extra case with 50 conversations (2016 holds no generated case)."""
BIG_CONVERSATIONS = 50
BUILD = 1
"""Raise it when the way a vault is built here changes (a new name, so a new vault)."""
DEFAULT_CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "confidant-bench"


@dataclass(frozen=True)
class BenchVault:
    """A built vault and its plain copy."""

    cases: int
    path: Path
    plain: Path
    state_dir: Path
    config_dir: Path


def schema_version() -> int:
    from confidant_tui.vault.migrations import latest_version

    return latest_version()


def generator_hash() -> str:
    """Changes when the generator or `BUILD` changes (the vaults are then built anew)."""
    digest = hashlib.sha256(f"build {BUILD}\n".encode())
    digest.update((Path(__file__).resolve().parent / "generate_cases.py").read_bytes())
    return digest.hexdigest()[:8]


def big_case(document: dict) -> dict:  # type: ignore[type-arg]
    """A case opened on 4 January 2016 with 50 weekly conversations (valid by the same rules)."""
    template = copy.deepcopy(document["cases"][0])
    opened = dt.date(2016, 1, 4)
    template["code"] = BIG_CASE_CODE
    template["opened"] = opened.isoformat()
    template["reporter"]["alias"] = f"M-{BIG_CASE_CODE}"
    template["first_incident"] = (opened - dt.timedelta(days=30)).isoformat()
    template["last_incident"] = (opened - dt.timedelta(days=2)).isoformat()
    template["confidentiality_explained"] = opened.isoformat()
    template["recording_consent"] = opened.isoformat()
    for item in template["routes"] + template["referrals"]:
        item["date"] = opened.isoformat()
        if item.get("filed"):
            item["filed"] = opened.isoformat()
    closed = opened + dt.timedelta(weeks=BIG_CONVERSATIONS + 1)
    template["status"] = [{"status": "closed", "date": closed.isoformat()}]
    template["outcome"] = template["outcome"] or "Afgesloten na een lang traject."
    base = copy.deepcopy(document["cases"][0]["conversations"][0])
    conversations = []
    for week in range(BIG_CONVERSATIONS):
        day = opened + dt.timedelta(weeks=week)
        conversation = dict(base)
        conversation["date"] = day.isoformat()
        conversation["follow_up"] = (day + dt.timedelta(days=7)).isoformat()
        conversations.append(conversation)
    template["conversations"] = conversations
    return template


def _build(folder: Path, cases: int, seed: int) -> None:
    from confidant_tui.services import cases as case_service
    from confidant_tui.services import importing
    from confidant_tui.vault import kdf
    from confidant_tui.vault.store import Vault

    document = generate(cases, seed=seed)
    document["cases"].append(big_case(document))
    parsed = importing.validate_document(
        document, now=IMPORT_NOW, taxonomy=case_service.load_taxonomy()
    )
    vault = Vault.create(folder / "bench.vault", PASSPHRASE, kdf.floor_params())
    try:
        importing.store_validated(vault, parsed, now=IMPORT_NOW, default_organisation="Bench")
    finally:
        vault.close()


def plain_copy(vault_path: Path, target: Path) -> None:
    """A plaintext SQLite database with the vault's schema and rows (`sqlcipher_export`)."""
    from bench_queries import export_plain

    from confidant_tui.vault.store import Vault

    vault = Vault.open(vault_path, PASSPHRASE, read_only=True)
    try:
        key = vault.data_key_copy()
    finally:
        vault.close()
    export_plain(vault_path, key, target)


def _keep_floor_kdf(path: Path) -> None:
    """Puts the floor KDF back on a cached vault whose header was strengthened (the app
    strengthens a vault opened for writing without `CONFIDANT_TEST_KDF=floor`): Argon2id's
    memory would otherwise count in the benchmark's RSS peak and unlock."""
    from confidant_tui.vault import kdf
    from confidant_tui.vault.maintenance import change_passphrase
    from confidant_tui.vault.opening import read_header_for

    floor = kdf.floor_params()
    if read_header_for(path).kdf_params.memory_kib != floor.memory_kib:
        change_passphrase(path, PASSPHRASE, PASSPHRASE, floor)


def ensure(cases: int, seed: int, cache: Path = DEFAULT_CACHE, log=print) -> BenchVault:  # type: ignore[no-untyped-def]
    """The vault of `cases` generated cases (+1 big case) and its plain copy, built if missing."""
    folder = cache / f"{cases}-s{seed}-v{schema_version()}-g{generator_hash()}"
    done = folder / "complete"
    made = BenchVault(
        cases, folder / "bench.vault", folder / "plain.sqlite", folder / "state", folder / "config"
    )
    if done.exists():
        _keep_floor_kdf(made.path)
        return made
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    made.state_dir.mkdir()
    made.config_dir.mkdir()
    os.environ["CONFIDANT_STATE_DIR"] = str(made.state_dir)
    os.environ["CONFIDANT_CONFIG_DIR"] = str(made.config_dir)
    started = time.perf_counter()
    _build(folder, cases, seed)
    plain_copy(made.path, made.plain)
    done.write_text("ok\n")
    log(
        f"built {cases} cases (+1 with {BIG_CONVERSATIONS} conversations) in "
        f"{time.perf_counter() - started:.0f} s: {folder}"
    )
    return made
