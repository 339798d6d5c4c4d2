"""The page check reads a failing page again before reporting it: a page torn by a
checkpoint of the app beside it passes a later read, real damage fails every read."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from confidant_tui.vault import checks


class Reads:
    """A connection whose `cipher_integrity_check` gives the prepared answers in turn."""

    def __init__(self, answers: list[list[tuple[str]]]) -> None:
        self._answers: Iterator[list[tuple[str]]] = iter(answers)
        self.count = 0

    def execute(self, sql: str) -> Reads:
        assert sql == "PRAGMA cipher_integrity_check"
        self.count += 1
        self._current = next(self._answers)
        return self

    def fetchall(self) -> list[tuple[str]]:
        return self._current


@pytest.fixture(autouse=True)
def _pauses(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    waited: list[float] = []
    monkeypatch.setattr(checks.time, "sleep", waited.append)
    return waited


PAGE_4 = ("HMAC verification failed for page 4",)
PAGE_9 = ("HMAC verification failed for page 9",)


def test_a_page_torn_on_the_first_reads_passes_and_is_not_reported(_pauses) -> None:
    reads = Reads([[PAGE_4, PAGE_9], [PAGE_4, PAGE_9], [PAGE_4], []])
    result = checks.check_pages(reads)  # type: ignore[arg-type]
    assert result.ok and reads.count == 4
    assert _pauses == list(checks.RETRY_PAUSES)
    assert sum(checks.RETRY_PAUSES) >= 1.0  # spread over time, not three reads at once


def test_a_page_that_fails_every_read_is_reported(_pauses) -> None:
    reads = Reads([[PAGE_4, PAGE_9], [PAGE_4], [PAGE_4, PAGE_9], [PAGE_4]])
    result = checks.check_pages(reads)  # type: ignore[arg-type]
    assert not result.ok and "1 beschadigde pagina" in result.detail
    assert reads.count == 4


def test_a_clean_file_is_read_once(_pauses) -> None:
    reads = Reads([[]])
    assert checks.check_pages(reads).ok  # type: ignore[arg-type]
    assert reads.count == 1 and _pauses == []
