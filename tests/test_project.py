"""The project keeps its own promises: the README's set-up commands, CI, and the style."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _readme_commands() -> list[str]:
    section = ROOT.joinpath("README.md").read_text(encoding="utf-8").split("## Set up", 1)[1]
    section = section.split("\n## ", 1)[0]
    return [line.strip() for line in section.splitlines() if line.startswith("    ")]


def test_the_readme_has_exactly_two_set_up_commands_and_ci_runs_the_second() -> None:
    demo, tests = _readme_commands()
    assert demo.endswith("confidant demo") and "venv" in demo
    assert "[test]" in tests and "pytest" in tests
    ci = ROOT.joinpath(".ci", "run").read_text(encoding="utf-8")
    assert tests in ci.splitlines()


def test_the_two_commands_create_the_venv_they_use() -> None:
    for command in _readme_commands():
        venv = re.search(r"venv (\S+)", command)
        assert venv is not None
        assert f"{venv.group(1)}/bin/" in command


def _ruff() -> str:
    found = shutil.which("ruff", path=str(Path(sys.executable).parent))
    if found is None:
        pytest.skip("ruff is not installed beside this Python")
    return found


@pytest.mark.parametrize("arguments", [["check"], ["format", "--check"]], ids=["lint", "format"])
def test_ruff_is_clean(arguments: list[str]) -> None:
    result = subprocess.run(
        [_ruff(), *arguments, "confidant_tui", "tests", "benchmarks"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_import_contracts_of_pyproject_are_kept() -> None:
    """The layers of docs/architecture.md: `lint-imports` reads `[tool.importlinter]`."""
    found = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    if found is None:
        pytest.skip("import-linter is not installed beside this Python")
    result = subprocess.run(
        [found, "--no-cache", "--no-logo"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_finds_no_type_errors() -> None:
    """The package type-checks under `[tool.mypy]` of pyproject.toml."""
    found = shutil.which("mypy", path=str(Path(sys.executable).parent))
    if found is None:
        pytest.skip("mypy is not installed beside this Python")
    result = subprocess.run(
        [found, "--no-incremental", "--cache-dir", os.devnull],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
