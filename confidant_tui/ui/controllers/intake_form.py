"""Provides the plain-data side of the intake form: its draft, refilling it, problem paths,
and which organisations and levels it offers.

A draft is a dict of plain values (strings, keys, lists) keyed by the field ids of
`IntakeScreen`; it is what survives a lock in memory, and what the case file passes in to
edit a case's facts. Keeping it apart from the screen keeps the screen module small.

The organisation is asked only when there is a choice (more than one active organisation);
the levels offered are the shipped ones plus the chosen organisation's own units.
"""

from __future__ import annotations

import contextlib
import re
from typing import Any

from textual.dom import DOMNode
from textual.widgets import Input, Select, TextArea
from textual.widgets.select import InvalidSelectValueError

from confidant_tui.domain.cases import Case
from confidant_tui.domain.taxonomy import Taxonomy
from confidant_tui.i18n import format_date
from confidant_tui.services.cases import load_taxonomy
from confidant_tui.ui.context import AppContext
from confidant_tui.ui.widgets.literal_fields import LiteralInput, LiteralTextArea
from confidant_tui.ui.widgets.people_editor import PeopleEditor, PersonRow, person_draft
from confidant_tui.ui.widgets.taxonomy_picker import CategoryPicker

DATE_FIELDS: tuple[str, ...] = (
    "opened",
    "first_incident",
    "last_incident",
    "confidentiality_explained",
    "recording_consent",
)
INPUTS: tuple[str, ...] = ("reporter_alias", "name", "contact", *DATE_FIELDS)
TEXT_AREAS: tuple[str, ...] = ("work_situation", "wishes", "outcome")
SELECTS: tuple[str, ...] = (
    "organisation",
    "reporter_role",
    "relation",
    "power_imbalance",
    "level",
    "outcome_key",
    "experience",
)


def organisation_choices(context: AppContext, current: str | None = None) -> list[str]:
    """The organisations a case may be given: the active ones, plus `current` (the case's
    own, even when archived, so that editing other facts does not move the case)."""
    names = [o.name for o in context.active_organisations]
    if current and current not in names:
        names.append(current)
    return names


def level_keys(context: AppContext, organisation: str | None) -> tuple[str, ...]:
    """The levels offered for a case of `organisation`: the shipped ones and its own units."""
    own = tuple(unit.key for unit in context.rules_of(organisation).units)
    shipped = load_taxonomy().keys("level")
    return shipped + tuple(key for key in own if key not in shipped)


def form_draft(form: DOMNode) -> dict[str, Any]:
    """Reads every field of the form into a draft."""
    draft: dict[str, Any] = {}
    for name in INPUTS:
        for widget in form.query(f"#{name}").results(Input):
            draft[name] = widget.stored_value if isinstance(widget, LiteralInput) else widget.value
    for name in TEXT_AREAS:
        for area in form.query(f"#{name}").results(TextArea):
            draft[name] = area.stored_text if isinstance(area, LiteralTextArea) else area.text
    for name in SELECTS:
        for select in form.query(f"#{name}").results(Select):
            value = select.value
            draft[name] = value if isinstance(value, (str, bool)) else None
    for picker in form.query("#categories").results(CategoryPicker):
        draft["categories"] = list(picker.keys)
    for editor in form.query("#people").results(PeopleEditor):
        draft["people"] = editor.draft()
    return draft


async def apply_draft(form: DOMNode, draft: dict[str, Any], taxonomy: Taxonomy) -> None:
    """Fills the form's fields from a draft (fields the form lacks are skipped)."""
    for name in INPUTS:
        if name in draft:
            for widget in form.query(f"#{name}").results(Input):
                if isinstance(widget, LiteralInput):
                    widget.load(draft[name] or "")
                else:
                    widget.value = draft[name] or ""
    for name in TEXT_AREAS:
        if name in draft:
            for area in form.query(f"#{name}").results(TextArea):
                area.load_text(draft[name] or "")
    for name in SELECTS:
        if name in draft:
            for select in form.query(f"#{name}").results(Select):
                # a value no longer offered (or a blank where one is required) is skipped
                with contextlib.suppress(InvalidSelectValueError):
                    if draft[name] is None:
                        select.clear()
                    else:
                        select.value = draft[name]
    if "categories" in draft:
        for picker in form.query("#categories").results(CategoryPicker):
            picker.deselect_all()
            for key in draft["categories"]:
                picker.select(key)
    if draft.get("people"):
        for editor in form.query("#people").results(PeopleEditor):
            await editor.remove_children(PersonRow)
            rows = [PersonRow(taxonomy, values) for values in draft["people"]]
            await editor.mount_all(rows, before=editor.query_one("#add-person"))


def case_draft(case: Case) -> dict[str, Any]:
    """The facts of a stored case as a draft, for editing them in the intake form."""
    facts = case.facts
    return {
        "organisation": facts.organisation or "",
        "reporter_alias": facts.reporter_alias or "",
        "reporter_role": facts.reporter_role,
        "categories": list(facts.categories),
        "first_incident": format_date(facts.first_incident),
        "last_incident": format_date(facts.last_incident),
        "work_situation": facts.work_situation or "",
        "relation": facts.relation,
        "power_imbalance": facts.power_imbalance,
        "level": facts.level,
        "people": [person_draft(p) for p in facts.people],
        "wishes": facts.wishes or "",
        "outcome": facts.outcome or "",
        "outcome_key": facts.outcome_key,
        "experience": facts.experience,
        "confidentiality_explained": format_date(facts.confidentiality_explained),
        "recording_consent": format_date(facts.recording_consent),
    }


_FIELD_NAMES = frozenset({*INPUTS, *TEXT_AREAS, *SELECTS, "categories", "people"})


def problem_field(path: str) -> str:
    """The form field a problem's path names (`facts.people[0].alias` -> `people`)."""
    parts = [p for p in re.split(r"[.\[\]]", path) if p and not p.isdigit()]
    for part in parts:
        if part in _FIELD_NAMES:
            return part
    if "identity" in parts:
        return "name"
    if "reporter" in parts and "role" in parts:
        return "reporter_role"
    if "reporter" in parts and "alias" in parts:
        return "reporter_alias"
    return parts[-1] if parts else ""
