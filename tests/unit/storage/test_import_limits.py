"""The limits of reading an import file: size, kind of file, nesting depth, number range."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from confidant_tui.errors import InvalidInput
from confidant_tui.services import importing


def nested(depth: int) -> Any:
    value: Any = 0
    for _ in range(depth):
        value = [value]
    return value


def refusal(text: str) -> str:
    with pytest.raises(InvalidInput) as caught:
        importing.parse_json(text)
    return caught.value.message


def test_the_documented_limits() -> None:
    assert importing.MAX_FILE_BYTES == 256 * 1024 * 1024
    assert importing.MAX_DEPTH == 64
    assert importing.MAX_INTEGER == 2**63 - 1


def test_nesting_up_to_the_limit_is_read_and_one_more_is_refused() -> None:
    assert importing.parse_json(json.dumps(nested(64))) == nested(64)
    assert importing.parse_json(json.dumps({"a": nested(63)})) == {"a": nested(63)}
    assert "meer dan 64 niveaus diep" in refusal(json.dumps(nested(65)))
    assert "meer dan 64 niveaus diep" in refusal(json.dumps({"a": nested(64)}))


@pytest.mark.parametrize("opening", ["[", '{"a":', '[{"a":'])
def test_a_million_openings_are_refused_without_recursion_errors(opening: str) -> None:
    assert "meer dan 64 niveaus diep" in refusal(opening * 1_000_000)


def test_whole_numbers_in_the_64_bit_range_are_read_and_others_refused() -> None:
    assert importing.parse_json("[9223372036854775807, -9223372036854775808, -0, 1e308]") == [
        2**63 - 1,
        -(2**63),
        0,
        1e308,
    ]
    for number in ("9223372036854775808", "-9223372036854775809", "1e400", "-1e400", "9" * 5000):
        message = refusal(f"[{number}]")
        assert "te groot voor elk veld" in message, number
        assert len(message) < 200
    assert "NaN" in refusal("[NaN]") and "NaN" in refusal("[-Infinity]")


def test_a_file_is_read_up_to_the_limit_and_refused_beyond_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(importing, "MAX_FILE_BYTES", 20)
    file = tmp_path / "f.json"
    file.write_text('{"a": "0123456789"}', encoding="utf-8")  # 19 bytes
    assert importing.read_file(file) == {"a": "0123456789"}
    file.write_text('{"a": "01234567890"}', encoding="utf-8")  # 20 bytes
    assert importing.read_file(file) == {"a": "01234567890"}
    file.write_text('{"a": "012345678901"}', encoding="utf-8")  # 21 bytes
    with pytest.raises(InvalidInput, match="groter dan 0 MiB"):
        importing.read_file(file)


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_the_read_itself_stops_past_the_limit_even_on_an_endless_source() -> None:
    descriptor = os.open("/dev/zero", os.O_RDONLY)
    try:
        with pytest.raises(InvalidInput, match="groter dan"):
            importing.read_at_most(descriptor, 3 * 1024 * 1024, "x")
    finally:
        os.close(descriptor)
    read, write = os.pipe()
    os.write(write, b"12345")
    os.close(write)
    try:
        assert importing.read_at_most(read, 5, "x") == b"12345"
    finally:
        os.close(read)


def test_a_file_that_grows_after_the_check_is_not_read_past_the_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    file = tmp_path / "f.json"
    file.write_text("[" + "1," * 100 + "1]", encoding="utf-8")
    checked: list[int] = []

    def check_then_grow(info: os.stat_result, name: str) -> None:
        checked.append(info.st_size)  # the size checked is small; the file then grows
        with file.open("a", encoding="utf-8") as handle:
            handle.write(" " * 100)

    monkeypatch.setattr(importing, "MAX_FILE_BYTES", 250)
    monkeypatch.setattr(importing, "_check_kind", check_then_grow)
    with pytest.raises(InvalidInput, match="groter dan"):
        importing.read_file(file)
    assert checked[0] <= 250 < checked[-1]  # only the bounded read can have refused it


def test_a_fifo_a_folder_and_a_missing_file_are_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    with pytest.raises(InvalidInput, match="geen gewoon bestand"):
        importing.read_file(fifo)
    with pytest.raises(InvalidInput, match="is een map"):
        importing.read_file(tmp_path)
    with pytest.raises(InvalidInput, match="bestaat niet"):
        importing.read_file(tmp_path / "missing.json")


def test_control_characters_in_a_path_are_not_repeated(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput) as caught:
        importing.read_file(tmp_path / "\x1b]52;c;aGk=\x07.json")
    assert "\x1b" not in caught.value.message and "\x07" not in caught.value.message


def test_an_oversized_file_is_refused_before_a_byte_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    big = tmp_path / "big.json"
    with big.open("wb") as handle:
        handle.truncate(importing.MAX_FILE_BYTES + 1)

    def never(*args: object) -> bytes:
        raise AssertionError("an oversized file was read")

    monkeypatch.setattr(importing, "read_at_most", never)
    with pytest.raises(InvalidInput, match="groter dan 256 MiB"):
        importing.read_file(big)


def test_the_bounded_read_takes_at_most_one_byte_past_the_limit() -> None:
    read, write = os.pipe()
    os.write(write, b"x" * 100)
    os.close(write)
    try:
        with pytest.raises(InvalidInput):
            importing.read_at_most(read, 10, "x")
        assert len(os.read(read, 1000)) == 89
    finally:
        os.close(read)


def test_a_fifo_swapped_in_after_the_check_is_opened_without_blocking(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    regular = tmp_path / "cases.json"
    regular.write_text("{}", encoding="utf-8")
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    real_stat = os.stat

    def stat_of_a_regular_file(path: Any, *args: Any, **kwargs: Any) -> os.stat_result:
        return real_stat(regular if Path(path) == fifo else path, *args, **kwargs)

    monkeypatch.setattr(importing.os, "stat", stat_of_a_regular_file)
    # Without O_NONBLOCK, opening a FIFO with no writer waits forever (pytest-timeout).
    with pytest.raises(InvalidInput, match="geen gewoon bestand"):
        importing.read_file(fifo)
