"""Provides the import section for `consents` and `protocol` (the hook of services.importing).

`services.importing` finds this module by name (`SECTION_MODULES`) and calls, per case, the
pure check of `domain.protocol_interchange` during validation and
`vault.protocol_interchange_repo.store_case_section` inside the import transaction; export
uses `vault.protocol_interchange_repo.export_case_protocol`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from confidant_tui.domain.interchange import ImportedCase
from confidant_tui.domain.protocol_interchange import (
    ImportedProtocol,
    parse_case_consents_and_protocol,
)
from confidant_tui.domain.protocol_time import to_minute
from confidant_tui.services.importing import ImportSection
from confidant_tui.vault.protocol_interchange_repo import export_case_protocol, store_case_section

KEYS = ("consents", "protocol")


def _validate(
    values: Mapping[str, Any], case: ImportedCase, now: dt.datetime
) -> tuple[ImportedProtocol, list[tuple[str, str]]]:
    return parse_case_consents_and_protocol(values, case.path, to_minute(now))


def import_sections() -> list[ImportSection]:
    """The one section this area provides: `consents` and `protocol`."""
    return [ImportSection("protocol", KEYS, _validate, store_case_section, export_case_protocol)]
