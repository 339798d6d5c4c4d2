"""Provides what the referral screen decides that is not a widget: the facts' states, the
letter asked for, the file format, and the texts of the checks and the export question.

The rules themselves are the service's (`services.referrals`): which facts may go in comes
from `referral_draft`, the letter from `draft`. What is decided here is only how the form
shows that: a fact the destination never gets is listed once, not as a row; the summary the
adviser types counts at once (the draft was read without it); a missing consent can be
recorded from the screen when the destination is one a consent can name.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from rich.text import Text

from confidant_tui.domain.consent import is_referral_destination
from confidant_tui.i18n import _
from confidant_tui.services.referrals import Letter, LetterInput, ReferralDraft
from confidant_tui.services.report_publish import default_folder
from confidant_tui.ui.presenters.literal import literal_text
from confidant_tui.ui.presenters.protocol_texts import SCOPE_LABELS, label, scope_text

SUMMARY = "summary"
"""The fact the adviser writes on the form itself (scope `summary`)."""


@dataclass(frozen=True)
class FactState:
    """How one fact shows on the form.

    Attributes:
        key: the scope key.
        label: its name in the interface language.
        carried: the destination's letter may carry it at all.
        allowed: it may go in now.
        reason: why not (empty when it may).
        consent_missing: the only thing missing is the reporter's consent, and it can be
            recorded from the screen.
    """

    key: str
    label: str
    carried: bool
    allowed: bool
    reason: str
    consent_missing: bool


def fact_states(draft: ReferralDraft, summary: str) -> tuple[FactState, ...]:
    """Every fact of `draft` as the form shows it, with the summary as typed now."""
    states = []
    for choice in draft.choices:
        value = summary.strip() if choice.key == SUMMARY else choice.value
        allowed = choice.carried and choice.consented and bool(value)
        if allowed:
            reason = ""
        elif choice.carried and choice.consented and choice.key == SUMMARY:
            reason = _("Write the summary below to put it in.")
        else:
            reason = choice.reason() or _("Nothing is recorded for this in the case.")
        states.append(
            FactState(
                key=choice.key,
                label=label(SCOPE_LABELS, choice.key),
                carried=choice.carried,
                allowed=allowed,
                reason=reason,
                consent_missing=(
                    choice.carried
                    and not choice.consented
                    and is_referral_destination(draft.destination)
                ),
            )
        )
    return tuple(states)


def summary_open(draft: ReferralDraft) -> bool:
    """Whether the summary may be written: the letter carries it and a consent covers it."""
    return any(c.key == SUMMARY and c.carried and c.consented for c in draft.choices)


def never_carried(states: Iterable[FactState]) -> str:
    """The facts the destination never gets, as one line (empty when there are none)."""
    keys = tuple(state.key for state in states if not state.carried)
    if not keys:
        return ""
    return _("A letter to this destination never carries: {facts}.").format(facts=scope_text(keys))


def letter_input(
    destination: str,
    *,
    question: str,
    summary: str,
    include: Iterable[str],
    blanks: Mapping[str, str],
    language: str,
) -> LetterInput:
    """The letter asked for on the form (the summary only when it goes in)."""
    included = tuple(include)
    return LetterInput(
        destination=destination,
        question=question,
        summary=summary if SUMMARY in included and summary.strip() else None,
        include=included,
        blanks={key: value for key, value in blanks.items() if value.strip()},
        language=language,
    )


def default_file_name(code: str, destination: str) -> str:
    """A file to start from: the case code and the destination, as PDF, in the adviser's
    documents folder (where the yearly report goes too)."""
    tail = destination.replace(".", "-").replace("_", "-")
    return str(default_folder() / f"{_('letter')}-{code}-{tail}.pdf")


def checklist_text(letter: Letter | None, missing_labels: Mapping[str, str]) -> Text:
    """The written request's elements, each present (✓) or missing (✗), and the blanks
    still empty."""
    text = Text()
    if letter is not None and letter.checklist:
        text.append(_("What the request must hold") + "\n", style="bold")
        for item in letter.checklist:
            mark, style = ("✓ ", "green") if item.present else ("✗ ", "bold red")
            text.append(mark, style=style)
            text.append_text(literal_text(item.label, single_line=True))
            if not item.present:
                text.append(" — " + _("missing"), style="red")
            text.append("\n")
    if letter is not None and letter.missing:
        names = ", ".join(missing_labels.get(key, key) for key in letter.missing)
        text.append(_("Still blank, flagged in the letter: {names}").format(names=names))
    text.rstrip()
    return text


def export_question(path: Path, replacing: bool, facts: Iterable[str]) -> Text:
    """The question before writing: the file is not encrypted, where it goes, what it holds,
    and whether it replaces a file."""
    question = Text()
    question.append(_("The letter leaves the vault unencrypted.") + "\n\n", "bold")
    question.append(
        _(
            "Anyone who can open this file can read it. Show the reporter the preview "
            "first: it is exactly what will be written."
        )
        + "\n\n"
    )
    question.append(_("File:") + " ")
    question.append_text(literal_text(str(path), single_line=True))
    question.append(
        "\n" + _("It holds: {facts}, and the question.").format(facts=scope_text(tuple(facts)))
    )
    if replacing:
        question.append("\n\n" + _("This file already exists and will be replaced."), "bold")
    return question
