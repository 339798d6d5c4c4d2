"""Provides `confidant import`: a `confidant-cases/1` file into the vault, all or nothing.

Steps: read the JSON (duplicate keys refused), validate every case (`domain.interchange`,
plus the extra sections), check the codes against the vault, then store every case in ONE
transaction. Any problem anywhere refuses the whole file; nothing is written.

Extension hook for the consents and protocol entries: a module named in `SECTION_MODULES`
(owned by that area) exposes `import_sections() -> list[ImportSection]`. Each section has a
per-case validate step (pure, called during validation with the parsed case) and a per-case
store step (called inside the import transaction with the new case id), plus an export step;
the store and export steps live in the vault layer (`vault.interchange_repo`).
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
import math
import os
import re
import stat
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, NoReturn

from confidant_tui.display_text import neutralise
from confidant_tui.domain import interchange
from confidant_tui.domain.case_rules import shown
from confidant_tui.domain.interchange import ImportedCase
from confidant_tui.domain.interchange_terms import with_file_terms
from confidant_tui.domain.taxonomy import Taxonomy
from confidant_tui.errors import InvalidInput, ValidationError
from confidant_tui.i18n import _
from confidant_tui.services import audit_acts
from confidant_tui.services.cases import load_taxonomy
from confidant_tui.vault import cases_query, cases_repo, interchange_repo
from confidant_tui.vault.interchange_repo import ImportSection
from confidant_tui.vault.store import Vault

SECTION_MODULES: tuple[str, ...] = ("confidant_tui.services.protocol_import",)
"""Modules providing `import_sections()`; a module that does not exist yet is skipped."""


def import_sections() -> list[ImportSection]:
    """Every section the installed areas provide (see `SECTION_MODULES`)."""
    return [
        section
        for name in SECTION_MODULES
        for section in importlib.import_module(name).import_sections()
    ]


MAX_FILE_BYTES = 256 * 1024 * 1024
"""The largest import file (256 MiB): refused before reading, and never read past."""
MAX_DEPTH = 64
"""The deepest nesting of objects and lists in an import file (a real file needs 6)."""
MAX_INTEGER = 2**63 - 1
"""Whole numbers beyond SQLite's 64-bit range (either sign) fit no field: refused."""
_CHUNK = 1024 * 1024


def read_file(path: Path) -> Any:
    """Reads an interchange file as JSON, refusing duplicate keys and non-standard numbers.

    Only a regular file of at most `MAX_FILE_BYTES` is read: a folder, a device or a pipe
    (FIFO) is refused at once, without waiting for it, and a file that grows while it is
    read is not read past the limit.

    Raises:
        InvalidInput: the file cannot be read, is not a regular file, is too large, or is
            not valid JSON (with line and column).
    """
    name = shown(path, 300)
    try:
        _check_kind(os.stat(path), name)
        descriptor = os.open(
            path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | getattr(os, "O_CLOEXEC", 0)
        )
    except FileNotFoundError:
        raise InvalidInput(_("The file {path} does not exist.").format(path=name)) from None
    except (OSError, ValueError):
        raise InvalidInput(_("The file {path} cannot be read.").format(path=name)) from None
    try:
        _check_kind(os.fstat(descriptor), name)  # the file opened is the file checked
        data = read_at_most(descriptor, MAX_FILE_BYTES, name)
    except OSError:
        raise InvalidInput(_("The file {path} cannot be read.").format(path=name)) from None
    finally:
        os.close(descriptor)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidInput(_("The file is not UTF-8 text.")) from None
    return parse_json(text)


def _check_kind(info: os.stat_result, name: str) -> None:
    if stat.S_ISDIR(info.st_mode):
        raise InvalidInput(_("{path} is a folder; give the JSON file to import.").format(path=name))
    if not stat.S_ISREG(info.st_mode):
        raise InvalidInput(
            _(
                "{path} is not an ordinary file (but, for example, a device or a pipe); "
                "give the JSON file to import."
            ).format(path=name)
        )
    if info.st_size > MAX_FILE_BYTES:
        _too_large(name)


def _too_large(name: str) -> NoReturn:
    raise InvalidInput(
        _("The file {path} is larger than {size} MiB, the most Confidant imports.").format(
            path=name, size=MAX_FILE_BYTES // (1024 * 1024)
        )
    )


def read_at_most(descriptor: int, limit: int, name: str) -> bytes:
    """Reads an open file to its end, refusing it as soon as it holds more than `limit` bytes.

    Raises:
        InvalidInput: the file is larger than the limit (it grew after it was checked).
    """
    chunks: list[bytes] = []
    total = 0
    while True:
        chunk = os.read(descriptor, min(_CHUNK, limit + 1 - total))
        if not chunk:
            return b"".join(chunks)
        total += len(chunk)
        if total > limit:
            _too_large(name)
        chunks.append(chunk)


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKey(key)
        result[key] = value
    return result


class _DuplicateKey(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


class _TooLarge(ValueError):
    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


def _no_constant(name: str) -> Any:
    raise ValueError(name)


def _bounded_integer(text: str) -> int:
    # Checked on the digits first: int() of thousands of digits is slow or refused.
    if len(text.lstrip("-")) > len(str(MAX_INTEGER)):
        raise _TooLarge(text)
    value = int(text)
    if not -MAX_INTEGER - 1 <= value <= MAX_INTEGER:
        raise _TooLarge(text)
    return value


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):  # 1e400: too large for a float
        raise _TooLarge(text)
    return value


def _depth_exceeds(document: Any, limit: int) -> bool:
    """Whether objects and lists nest deeper than `limit` (without recursion)."""
    stack = [(document, 1)]
    while stack:
        value, depth = stack.pop()
        children = value.values() if isinstance(value, dict) else value
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False


def parse_json(text: str) -> Any:
    """Decodes the JSON text of an interchange file.

    Raises:
        InvalidInput: invalid JSON, a key given twice in one object, NaN or Infinity, a
            number too large for any field, or nesting deeper than `MAX_DEPTH`.
    """
    too_deep = _(
        "The file nests objects and lists more than {depth} levels deep; a Confidant case "
        "file never does."
    ).format(depth=MAX_DEPTH)
    try:
        document = json.loads(
            text.removeprefix("\ufeff"),
            object_pairs_hook=_no_duplicates,
            parse_constant=_no_constant,
            parse_int=_bounded_integer,
            parse_float=_finite_float,
        )
    except _DuplicateKey as error:
        raise InvalidInput(
            _("The file gives the field '{key}' twice in one object.").format(key=shown(error.key))
        ) from None
    except _TooLarge as error:
        raise InvalidInput(
            _("The file holds the number {number}, too large for any field.").format(
                number=shown(error.text, 30)
            )
        ) from None
    except RecursionError:
        raise InvalidInput(too_deep) from None
    except json.JSONDecodeError as error:
        raise InvalidInput(
            _("The file is not valid JSON (line {line}, column {column}).").format(
                line=error.lineno, column=error.colno
            )
        ) from None
    except ValueError:
        raise InvalidInput(
            _("The file holds a number JSON does not allow (NaN or Infinity).")
        ) from None
    if isinstance(document, dict | list) and _depth_exceeds(document, MAX_DEPTH):
        raise InvalidInput(too_deep)
    return document


def validate_document(
    document: Any,
    *,
    now: dt.datetime,
    taxonomy: Taxonomy,
    sections: Sequence[ImportSection] | None = None,
) -> list[ImportedCase]:
    """Validates a decoded document without touching the vault (the validate step).

    `now` is the moment of the import: its date is the adviser's today. A level or measure
    `taxonomy` lacks may be an organisation's own: it passes here and is checked again by
    `store_validated` once the vault is open (`domain.interchange_terms`).

    Raises:
        ValidationError: listing every problem; nothing is imported.
    """
    chosen = import_sections() if sections is None else list(sections)
    lenient = with_file_terms(document, taxonomy)
    return interchange.parse_document(document, lenient, now, chosen)


def store_validated(
    vault: Vault,
    cases: Sequence[ImportedCase],
    *,
    now: dt.datetime,
    default_organisation: str,
    sections: Sequence[ImportSection] | None = None,
) -> list[str]:
    """Stores cases from `validate_document` in one transaction; returns their codes.

    `now` is the moment of the import, recorded with the protocol entries; `sections`
    (default: `import_sections()`) store the entries the validation parsed. First each
    case's level and measures are checked against the shipped keys and the own terms of
    the organisation it names (the second pass).

    Raises:
        ValidationError: a level or measure neither shipped nor the organisation's own, or
            a code already used in the vault (nothing is imported).
    """
    chosen = import_sections() if sections is None else sections
    with vault.transaction() as conn:
        codes = interchange_repo.store_cases(
            conn,
            cases,
            default_organisation=default_organisation,
            recorded_at=now,
            base=load_taxonomy(),
            sections=chosen,
        )
        audit_acts.append(vault, conn, "import.cases", detail=str(len(codes)), at=now)
        return codes


def import_document(
    vault: Vault,
    document: Any,
    *,
    now: dt.datetime,
    taxonomy: Taxonomy,
    default_organisation: str,
) -> list[str]:
    """Imports a decoded interchange document, all or nothing.

    Args:
        vault: the open vault.
        document: the decoded JSON.
        now: the moment of the import (its date is the adviser's today).
        taxonomy: the keys (shipped keys plus the settings' extra levels).
        default_organisation: for cases without `organisation` (the setting).

    Returns:
        The codes of the imported cases, in file order.

    Raises:
        ValidationError: the file breaks a rule; each problem names its path and case code.
    """
    sections = import_sections()
    cases = validate_document(document, now=now, taxonomy=taxonomy, sections=sections)
    return store_validated(
        vault, cases, now=now, default_organisation=default_organisation, sections=sections
    )


def import_file(
    vault: Vault,
    path: Path,
    *,
    now: dt.datetime,
    taxonomy: Taxonomy,
    default_organisation: str,
) -> list[str]:
    """Reads and imports an interchange file; see `import_document`."""
    return import_document(
        vault,
        read_file(path),
        now=now,
        taxonomy=taxonomy,
        default_organisation=default_organisation,
    )


_CASE_PATH = re.compile(r"cases\[(\d+)\](?:\.(.*))?", re.DOTALL)
_STEP = re.compile(r"([^\[\]]*)((?:\[\d+\])+)", re.DOTALL)
_CASE_REFERENCE = re.compile(r"cases\[(\d+)\]")


def file_codes(document: Any) -> dict[int, str]:
    """The code of each case of a decoded import file, by its place (0 first), for
    `problem_lines`; a case without a readable code is left out."""
    cases = document.get("cases") if isinstance(document, dict) else None
    if not isinstance(cases, list):
        return {}
    return {
        index: case["code"]
        for index, case in enumerate(cases)
        if isinstance(case, dict) and isinstance(case.get("code"), str)
    }


def problem_lines(error: ValidationError, codes: Mapping[int, str]) -> list[str]:
    """The problems of a refused import as the adviser reads them, one line each.

    The place of a problem counts cases as a person does, from 1, and names the case's
    code: `cases[0].opened` reads "case 1 (2025-003), field opened", and
    `cases[2].protocol[0].informed_at` reads "case 3 (2025-007), protocol 1, field
    informed_at". The code the message starts with ("case 2025-003: ...") is left out
    there, as the place names it already.

    Args:
        error: the refusal of `validate_document` or `store_validated`.
        codes: each case's code by its place: `file_codes(document)`, or the indexes and
            codes of the validated cases.
    """
    lines = []
    for path, message in error.problems:
        place, code = _place(path, codes)
        if code is not None:
            prefix = neutralise(_("case {code}: {problem}").format(code=shown(code), problem=""))
            message = message.removeprefix(prefix)
        message = _CASE_REFERENCE.sub(lambda m: _case_number(int(m.group(1))), message)
        lines.append(f"{place}: {message}" if place else message)
    return lines


def _case_number(index: int) -> str:
    return _("case {number}").format(number=index + 1)


def _place(path: str, codes: Mapping[int, str]) -> tuple[str, str | None]:
    """A problem's path in people's words, and the code of its case (None: no case)."""
    if not path:
        return "", None
    found = _CASE_PATH.fullmatch(path)
    if found is None:
        return _("field {name}").format(name=path), None
    index = int(found.group(1))
    code = codes.get(index)
    if code is None:
        parts = [_case_number(index)]
    else:
        parts = [_("case {number} ({code})").format(number=index + 1, code=shown(code))]
    if found.group(2):
        parts += _steps(found.group(2).split("."))
    return neutralise(", ".join(parts), single_line=True), code


def _steps(steps: Sequence[str]) -> list[str]:
    """The steps of a path inside a case, its list positions counted from 1, the last one
    named as the field: `protocol[0].conditions.other` -> "protocol 1", "field
    conditions.other"; `categories[1]` -> "field categories 2"."""
    parts: list[str] = []
    names: list[str] = []
    for step in steps:
        found = _STEP.fullmatch(step)
        if found is None:
            names.append(step)
            continue
        numbers = [str(int(n) + 1) for n in re.findall(r"\d+", found.group(2))]
        parts.append(" ".join([".".join([*names, found.group(1)]), *numbers]))
        names = []
    if names:
        parts.append(_("field {name}").format(name=".".join(names)))
    elif parts:
        parts[-1] = _("field {name}").format(name=parts[-1])
    return parts


def export_cases(vault: Vault, codes: Iterable[str] | None = None) -> dict[str, Any]:
    """The interchange document of some or all cases (identity included: handle with care).

    Args:
        codes: the cases to export; None exports every case, in code order.
    """
    sections = import_sections()
    with vault.reading() as conn:
        if codes is None:
            ids = cases_repo.case_ids(conn)
        else:
            ids = [cases_query.resolve_case(conn, code) for code in codes]
        exported = [interchange_repo.case_entry(conn, case_id, sections) for case_id in ids]
    return interchange.document(exported)
