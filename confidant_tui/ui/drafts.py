"""Provides the UI side of drafts: turning open forms into drafts and drafts back into forms.

A form screen's draft is its lock snapshot (see `ui/base.py`): the `partial` that
rebuilds it, e.g. `partial(IntakeScreen, {...values, "_dirty": True}, case_id=None)`. Only
snapshots of forms with unsaved text become drafts. Stored in the vault (by
`services.drafts`), a snapshot is the JSON object

    {"screen": "intake" | "conversation", "args": [...], "kwargs": {...}}

holding exactly the partial's arguments (plain values), so restoring it is calling the
screen class with them. A form dialog cannot be rebuilt (it needs the case's state at the
moment it opened), so its draft is the dialog's title and each field's label and text:
`{"title": "...", "fields": [{"label": "...", "value": "..."}]}`, shown back read-only.

A screen built from a stored draft carries its id in `stored_draft_id`, so the stored
draft is replaced when the form is stored again and deleted once the form is left (saved
or discarded).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from textual.screen import Screen
from textual.widgets import Input, Select, TextArea

from confidant_tui.services.drafts import Draft, NewDraft
from confidant_tui.ui import navigation
from confidant_tui.ui.base import Restorer
from confidant_tui.ui.commands import load_screen_class
from confidant_tui.ui.modals.form_modal import FormModal
from confidant_tui.ui.presenters.draft_labels import describe
from confidant_tui.ui.textual_private import select_prompts
from confidant_tui.ui.widgets.form_field import FormField

DRAFT_SCREENS = ("intake", "conversation")
"""The form screens whose lock snapshot can be stored as a draft, by their name in
`navigation.SCREENS`."""

DRAFT_ID = "stored_draft_id"
"""The attribute of a screen that was built from a stored draft (its id in the vault)."""


@dataclass
class Collected:
    """What the open screens of the vault hold, bottom to top.

    Attributes:
        restorers: how to rebuild each screen after unlocking (the lock snapshots).
        drafts: the unsaved forms and dialogs, as drafts to store.
        restorer_of: for each draft, the index in `restorers` of the screen it rebuilds
            (None for a dialog, which is not rebuilt).
        replacing: ids of stored drafts that these screens were built from.
        labels: what each unsaved form is, for the question before quitting.
    """

    restorers: list[Restorer] = field(default_factory=list)
    drafts: list[NewDraft] = field(default_factory=list)
    restorer_of: list[int | None] = field(default_factory=list)
    replacing: list[int] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)


def screen_kind(cls: type) -> str | None:
    """The snapshot name of a form screen class ("intake", "conversation"), or None."""
    for name in DRAFT_SCREENS:
        module, _sep, class_name = navigation.SCREENS[name].partition(":")
        if cls.__module__ == module and cls.__name__ == class_name:
            return name
    return None


def collect(stack: Sequence[Screen]) -> Collected:
    """Takes every screen's lock snapshot and every unsaved form as a draft.

    Reads widgets only (no I/O), so it may run inside a signal handler on the app's loop.
    """
    found = Collected()
    for screen in stack:
        held = getattr(screen, DRAFT_ID, None)
        if isinstance(held, int):
            found.replacing.append(held)
        snapshot = getattr(screen, "lock_snapshot", None)
        restorer = snapshot() if callable(snapshot) else None
        if restorer is not None:
            found.restorers.append(restorer)
            draft = restorer_draft(restorer)
            if draft is not None:
                found.drafts.append(draft)
                found.restorer_of.append(len(found.restorers) - 1)
                found.labels.append(describe(draft.kind, getattr(screen, "code", None) or None))
            elif _unsaved_other_form(screen):
                # a form that is not a case's (an organisation's rules): stored like a dialog
                # (shown back read-only after a stop), but after a lock the form itself comes
                # back and holds the draft, so it is not offered twice
                found.drafts.append(dialog_draft(screen))
                found.restorer_of.append(len(found.restorers) - 1)
                found.labels.append(describe("dialog", None))
        elif isinstance(screen, FormModal) and screen.is_dirty:
            draft = dialog_draft(screen)
            found.drafts.append(draft)
            found.restorer_of.append(None)
            found.labels.append(describe("dialog", getattr(screen, "code", None) or None))
    return found


def _unsaved_other_form(screen: Screen) -> bool:
    """A form screen outside `DRAFT_SCREENS` with unsaved text (it offers `title_text`)."""
    return bool(getattr(screen, "is_dirty", False)) and callable(
        getattr(screen, "title_text", None)
    )


def restorer_draft(restorer: Restorer) -> NewDraft | None:
    """The draft in a form screen's lock snapshot, or None when nothing is unsaved."""
    if not isinstance(restorer, partial) or not isinstance(restorer.func, type):
        return None
    name = screen_kind(restorer.func)
    if name is None:
        return None
    args, kwargs = list(restorer.args), dict(restorer.keywords)
    values = args[0] if name == "intake" and args else kwargs.get("draft")
    if not isinstance(values, dict) or not values.get("_dirty"):
        return None
    if name == "intake":
        case_id = kwargs.get("case_id")
        kind = "intake" if case_id is None else "facts"
    else:
        case_id = args[0] if args else kwargs.get("case_id")
        kind = "conversation"
    return NewDraft(kind, case_id, {"screen": name, "args": args, "kwargs": kwargs})


def dialog_draft(dialog: Any) -> NewDraft:
    """A form dialog's title and fields as a draft (it is shown back read-only)."""
    fields: list[dict[str, str]] = []
    for form_field in dialog.query(FormField):
        value = control_text(form_field.control)
        if value:
            fields.append({"label": str(form_field.label), "value": value})
    snapshot = {"title": str(dialog.title_text()), "fields": fields}
    case_id = getattr(dialog, "case_id", None)
    return NewDraft("dialog", case_id if isinstance(case_id, int) else None, snapshot)


def control_text(control: Any) -> str:
    """What a form control holds, as text ("" when empty or unchosen)."""
    if isinstance(control, TextArea):
        return control.text
    if isinstance(control, Input):
        return control.value
    if isinstance(control, Select):
        if control.is_blank():
            return ""
        for prompt, value in select_prompts(control):  # the label shown
            if value == control.value:
                return str(prompt)
        return str(control.value)
    value = getattr(control, "value", None)
    return "" if value is None else str(value)


def restorer_for(draft: Draft) -> Restorer | None:
    """How to rebuild the form of a stored draft (None for a dialog or an unknown screen)."""
    name = draft.snapshot.get("screen")
    if name not in DRAFT_SCREENS:
        return None
    cls = load_screen_class(navigation.SCREENS[name])
    args = draft.snapshot.get("args") or []
    kwargs = draft.snapshot.get("kwargs") or {}
    if not isinstance(args, list) or not isinstance(kwargs, dict):
        return None
    return partial(cls, *args, **{str(k): v for k, v in kwargs.items()})


def held_ids(stack: Iterable[Screen]) -> list[int]:
    """Ids of the stored drafts that open screens were built from."""
    return [i for i in (getattr(s, DRAFT_ID, None) for s in stack) if isinstance(i, int)]
