"""Provides how a protocol step reads on screen: a one-line summary and its full record.

Everything the adviser typed is literal text. A step is final once stored: the detail says
so, names the addenda that point to it, and a corrected step says what replaced it.
"""

from __future__ import annotations

from rich.text import Text

from confidant_tui.domain.protocol import (
    Abandonment,
    Addendum,
    ConditionExplained,
    ConsentAttempt,
    Consultation,
    Disclosure,
    GroundChosen,
    Informing,
    InformingForbidden,
    Justification,
    LegalBasis,
    Procedure,
    ReferralOffer,
    Step,
    condition_title,
)
from confidant_tui.i18n import _, format_moment
from confidant_tui.ui.presenters.literal import literal_text
from confidant_tui.ui.presenters.protocol_texts import STEP_LABELS, ground_label, label, scope_text


def step_number(procedure: Procedure, step: Step) -> int:
    """The step's position in the procedure (1 = recorded first), as the adviser sees it."""
    return next(i for i, s in enumerate(procedure.steps, start=1) if s is step)


def step_name(procedure: Procedure, step: Step) -> str:
    """ "step 3 (Reporter informed, 01-05-2025 10:00)": how addenda name their target."""
    return _("step {number} ({kind}, {when})").format(
        number=step_number(procedure, step),
        kind=label(STEP_LABELS, step.kind),
        when=format_moment(step.at),
    )


def _fields(step: Step) -> list[tuple[str, str]]:
    """The step's contents as (label, text) pairs, labels translated."""
    if isinstance(step, GroundChosen):
        return [(_("Ground"), ground_label(step.ground))]
    if isinstance(step, LegalBasis):
        return [(_("Legal basis"), step.legal_basis), (_("Demanded by"), step.demanded_by)]
    if isinstance(step, ConditionExplained):
        title = f"{step.number}. {condition_title(step.number)}"
        return [(_("Condition"), title), (_("Explanation"), step.explanation)]
    if isinstance(step, ConsentAttempt):
        return [(_("Attempt"), step.description)]
    if isinstance(step, Consultation):
        return [(_("Consulted"), step.consulted), (_("Notes"), step.notes)]
    if isinstance(step, Informing):
        return [(_("How"), step.how), (_("Reaction"), step.reaction)]
    if isinstance(step, InformingForbidden):
        return [(_("Forbidden by"), step.forbidden_by), (_("Reference"), step.reference)]
    if isinstance(step, ReferralOffer):
        offered = {True: _("yes, offered"), False: _("no"), None: _("not known")}[step.offered]
        return [(_("Offered"), offered), (_("How, or why not"), step.explanation)]
    if isinstance(step, Justification):
        return [(_("Justification"), step.text)]
    if isinstance(step, Disclosure):
        return [
            (_("To whom"), step.recipient),
            (_("How"), step.how),
            (_("What was shared"), step.what),
            (_("Shared"), scope_text(step.shared)),
        ]
    if isinstance(step, Abandonment):
        return [(_("Why not"), step.reason)]
    if isinstance(step, Addendum):
        return [(_("Addendum"), step.text)]
    return []


def step_summary(procedure: Procedure, step: Step) -> Text:
    """One line: the step's main content (an addendum names the step it points to)."""
    fields = [value for _label, value in _fields(step) if value]
    if isinstance(step, ConditionExplained):
        fields = [f"{step.number}: {step.explanation}"]
    if isinstance(step, Addendum) and step.corrects is not None:
        target = procedure.step_by_id(step.corrects)
        pointer = "→ " + (
            _("step {number}").format(number=step_number(procedure, target)) if target else "?"
        )
        return Text(pointer + ": ") + literal_text(fields[0] if fields else "", single_line=True)
    return literal_text(" · ".join(fields), single_line=True)


def step_detail(procedure: Procedure, step: Step) -> Text:
    """The full record of a step, with its addenda and whether it still counts."""
    text = Text()
    text.append(
        _("Step {number}: {kind}").format(
            number=step_number(procedure, step), kind=label(STEP_LABELS, step.kind)
        ),
        style="bold",
    )
    text.append("  " + format_moment(step.at) + "\n")
    if isinstance(step, Addendum) and step.corrects is not None:
        target = procedure.step_by_id(step.corrects)
        if target is not None:
            text.append(_("Addendum to {step}").format(step=step_name(procedure, target)) + "\n")
    for name, value in _fields(step):
        if value:
            text.append(name + ": ", style="bold")
            text.append_text(literal_text(value))
            text.append("\n")
    replaced = [s for s in procedure.steps if s.corrects == step.id and s.kind == step.kind]
    if replaced:
        text.append(
            _("Replaced by {step}; this version no longer counts.").format(
                step=step_name(procedure, replaced[-1])
            )
            + "\n",
            style="italic",
        )
    for addendum in (s for s in procedure.steps if s.kind == "addendum" and s.corrects == step.id):
        assert isinstance(addendum, Addendum)
        text.append(_("Addendum of {when}: ").format(when=format_moment(addendum.at)), style="bold")
        text.append_text(literal_text(addendum.text))
        text.append("\n")
    text.append(
        _("Recorded as final. c adds an addendum that points to this step."), style="italic"
    )
    return text
