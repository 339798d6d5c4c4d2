"""Provides the case file's texts: the facts, and the timeline of what happened in a case.

The timeline merges the opening, status changes, conversations, routes and referrals by
the moment each happened (`entry_order`, one rule for every kind of entry). Each entry has a
row key the case file uses to act on it (`conv-12`, `route-3`) and a full description shown
under the table; a group (a protocol procedure) holds its steps as `children`, which the
case file shows under it when the adviser expands it. Everything from the vault is literal
text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass

from rich.text import Text

from confidant_tui.domain.cases import ROUTE_MILESTONES, Case, Identity, Route
from confidant_tui.domain.consent import ConsentLedger
from confidant_tui.domain.deadlines import (
    ACKNOWLEDGEMENT_DAYS,
    RouteTerms,
    feedback_due,
    report_made,
)
from confidant_tui.domain.organisation import OrganisationRules
from confidant_tui.domain.route_rules import MELDING_ROUTES, manner_duty, route_warnings
from confidant_tui.domain.taxonomy import Taxonomy
from confidant_tui.domain.written_dates import long_date
from confidant_tui.i18n import N_, _, format_date, format_moment, ngettext
from confidant_tui.services.referrals import StoredLetter
from confidant_tui.ui.presenters.literal import literal_text
from confidant_tui.ui.presenters.protocol_texts import scope_text

CONVERSATION_TEXTS = (
    ("notes", N_("Notes")),
    ("advice", N_("Advice")),
    ("next_steps", N_("Next steps")),
)
MILESTONES = {
    "filed": N_("filed"),
    "acknowledged": N_("acknowledged"),
    "feedback": N_("feedback"),
    "ended": N_("ended"),
}


SUMMARY_WIDTH = 60
"""The most cells of a timeline summary; the full text shows under the table."""


@dataclass(frozen=True)
class Entry:
    """One line of the timeline.

    Attributes:
        key: the row key (`opened`, `status-0`, `conv-12`, `route-3`, `ref-4`).
        date: when it happened.
        kind: what it is, translated ("Conversation").
        summary: one line (literal text).
        detail: the full description (literal text).
        time: the time of day it happened, when recorded (protocol records, and
            conversations with a starting time).
        late: without a time: whether it comes after the day's timed entries (a route, a
            referral, a status change: outcomes recorded by date) rather than before them
            (the opening, a conversation).
        seq: the recording order among entries of the same day and time (kind, then id).
        children: the entries of a group (a procedure's steps), in the order they happened.
    """

    key: str
    date: dt.date
    kind: str
    summary: Text
    detail: Text
    time: dt.time | None = None
    late: bool = False
    seq: tuple[int, int] = (0, 0)
    children: tuple[Entry, ...] = ()


def entry_order(entry: Entry) -> tuple[dt.date, int, dt.time, tuple[int, int]]:
    """The sort key of every timeline entry: the day; within it, the entries recorded by date
    only that open the day (the opening, a conversation without a time), then the timed
    ones by time, then the outcomes recorded by date only (routes, referrals, status
    changes); entries at the same moment in recording order (`seq`)."""
    if entry.time is not None:
        return (entry.date, 1, entry.time, entry.seq)
    return (entry.date, 2 if entry.late else 0, dt.time(), entry.seq)


def in_order(entries: Iterable[Entry]) -> list[Entry]:
    """`entries` sorted by `entry_order` (stable)."""
    return sorted(entries, key=entry_order)


def timeline(
    case: Case,
    taxonomy: Taxonomy,
    *,
    rules: OrganisationRules | None = None,
    today: dt.date | None = None,
    letters: Mapping[int, Sequence[StoredLetter]] | None = None,
    ledger: ConsentLedger | None = None,
    extended: Collection[int] = (),
) -> list[Entry]:
    """The case's events, oldest first, by `entry_order`.

    With the rules of the case's organisation and today, a route's row is marked (⚠) when
    the rules warn about it, and its detail lists the warnings (`domain.route_rules`).
    With the letters made from each referral (by referral id), a referral's row says so and
    its detail names, per letter, the facts that went out and the consents relied on (given
    when, from `ledger`). An integrity or whistleblower report's detail states its terms
    (acknowledgement, feedback; `extended` holds the routes whose feedback term was extended).
    """
    entries = [
        Entry("opened", case.opened, _("Opened"), Text(_("Case opened")), Text(_("Case opened")))
    ]
    for index, change in enumerate(case.status_history):
        label = taxonomy.label("status", change.status)
        line = Text(_("Status: {status}").format(status=label))
        entries.append(
            Entry(
                f"status-{index}", change.date, _("Status"), line, line, late=True, seq=(3, index)
            )
        )
    for conversation in case.conversations:
        parts = [taxonomy.label("mode", conversation.mode) if conversation.mode else ""]
        if conversation.minutes is not None:
            parts.append(_("{minutes} min").format(minutes=conversation.minutes))
        heading = " · ".join(p for p in parts if p)
        first_line = (conversation.notes or "").strip().splitlines()
        summary = literal_text(first_line[0] if first_line else heading, single_line=True)
        summary.truncate(SUMMARY_WIDTH, overflow="ellipsis")
        detail = Text()
        when = format_date(conversation.date)
        if conversation.time is not None:
            when += " " + conversation.time.strftime("%H:%M")
        detail.append(_("Conversation on {when}").format(when=when), style="bold")
        if heading:
            detail.append(" · " + heading)
        if conversation.version > 1:
            detail.append(" · " + _("edited (h shows earlier versions)"), style="italic")
        detail.append("\n")
        for name, label in CONVERSATION_TEXTS:
            value = getattr(conversation, name)
            if value:
                detail.append(_(label) + "\n", style="underline")
                detail.append_text(literal_text(value))
                detail.append("\n")
        if conversation.follow_up:
            detail.append(_("Follow-up: {date}").format(date=format_date(conversation.follow_up)))
        entries.append(
            Entry(
                f"conv-{conversation.id}",
                conversation.date,
                _("Conversation"),
                summary,
                detail,
                time=conversation.time,
                seq=(1, conversation.id or 0),
            )
        )
    for route in case.routes:
        line, detail = _route_texts(case, route, taxonomy, rules, today, route.id in extended)
        entries.append(
            Entry(
                f"route-{route.id}",
                route.date,
                _("Route"),
                line,
                detail,
                late=True,
                seq=(1, route.id or 0),
            )
        )
    for referral in case.referrals:
        line = Text(taxonomy.label("destination", referral.destination))
        detail = line.copy()
        if referral.note:
            detail.append("\n")
            detail.append_text(literal_text(referral.note))
        made = (letters or {}).get(referral.id or 0, ())
        if made:
            line.append(
                " · " + ngettext("{n} letter", "{n} letters", len(made)).format(n=len(made))
            )
        for letter in made:
            detail.append("\n")
            detail.append_text(_letter_text(letter, ledger))
        detail.append("\n" + _("Enter makes a letter for this referral."), style="italic")
        entries.append(
            Entry(
                f"ref-{referral.id}",
                referral.date,
                _("Referral"),
                line,
                detail,
                late=True,
                seq=(2, referral.id or 0),
            )
        )
    return in_order(entries)


def _letter_text(letter: StoredLetter, ledger: ConsentLedger | None) -> Text:
    """One letter of a referral: when, in which file format, what went out, on which
    consents."""
    text = Text()
    heading = _("Letter of {moment}").format(moment=format_moment(letter.made_at))
    if letter.file_format:
        heading += f" (.{letter.file_format})"
    text.append(heading, style="bold")
    text.append(
        "\n" + _("Went out: {facts}, and the question.").format(facts=scope_text(letter.facts))
    )
    given = []
    for consent_id in letter.consents:
        record = ledger.by_id(consent_id) if ledger is not None else None
        given.append(format_moment(record.given_at) if record is not None else f"#{consent_id}")
    if given:
        text.append(
            "\n" + _("Relied on the consent(s) given {moments}.").format(moments=", ".join(given))
        )
    return text


def _route_texts(
    case: Case,
    route: Route,
    taxonomy: Taxonomy,
    rules: OrganisationRules | None,
    today: dt.date | None,
    extended: bool = False,
) -> tuple[Text, Text]:
    """A route's timeline row and detail: milestones, report terms, manner, outcome, measure,
    warnings."""
    label = taxonomy.label("route", route.route)
    milestones = [
        f"{_(MILESTONES[name])} {format_date(getattr(route, name))}"
        for name in ROUTE_MILESTONES
        if getattr(route, name)
    ]
    line = Text(label + (" (" + ", ".join(milestones) + ")" if milestones else ""))
    detail = line.copy()
    terms = report_terms(case, route, extended)
    if terms:
        detail.append("\n" + terms)
    for kind, key, heading in (
        ("manner", route.manner, N_("Manner")),
        ("route_outcome", route.outcome, N_("Outcome")),
        ("measure", route.measure, N_("Measure")),
    ):
        if key:
            shown = taxonomy.label(kind, key) if taxonomy.is_valid(kind, key) else key
            detail.append("\n" + _(heading) + ": ", style="bold")
            detail.append_text(literal_text(shown, single_line=True))
    if route.manner:
        detail.append("\n" + manner_duty(route.manner))
    found = route_warnings(route, case.facts, case.opened, rules, today) if rules and today else []
    if any(not w.reminder for w in found):
        line = Text("⚠ ", style="bold") + line
    for warning in found:
        detail.append("\n" + ("• " if warning.reminder else "⚠ ") + warning.text)
    detail.append("\n" + _("Enter records a milestone of this route."), style="italic")
    return line, detail


def report_terms(case: Case, route: Route, extended: bool = False) -> str:
    """The legal terms still open on an integrity or whistleblower report not ended yet
    ("Terms: acknowledgement by 30 November 2026; feedback by 28 February 2027."), or ""
    (`domain.deadlines`: 7 days, 3 months, one extension)."""
    if route.route not in MELDING_ROUTES or route.ended is not None:
        return ""
    terms = RouteTerms(
        route_id=route.id or 0,
        case_id=case.id or 0,
        route=route.route,
        date=route.date,
        filed=route.filed,
        acknowledged=route.acknowledged,
        feedback=route.feedback,
        ended=route.ended,
        extended=extended,
    )
    parts = []
    if route.acknowledged is None:
        due = report_made(terms) + dt.timedelta(days=ACKNOWLEDGEMENT_DAYS)
        parts.append(_("acknowledgement by {day}").format(day=long_date(due)))
    if route.feedback is None:
        feedback = _("feedback by {day}").format(day=long_date(feedback_due(terms)))
        if extended:
            feedback += " (" + _("extended once") + ")"
        parts.append(feedback)
    if not parts:
        return ""
    return _("Terms: {terms}.").format(terms="; ".join(parts))


def facts_text(case: Case, taxonomy: Taxonomy, identity: Identity | None) -> Text:
    """The case's facts as label: value lines (identity only when revealed)."""
    facts = case.facts
    text = Text()

    def line(label: str, value: str | Text | None) -> None:
        if value is None or value == "":
            return
        text.append(label + ": ", style="bold")
        text.append_text(value if isinstance(value, Text) else literal_text(value))
        text.append("\n")

    reporter = taxonomy.label("reporter_role", facts.reporter_role)
    if facts.reporter_alias:
        line(
            _("Reporter"),
            literal_text(facts.reporter_alias, single_line=True) + Text(f" ({reporter})"),
        )
    else:
        line(_("Reporter"), reporter)
    if identity is None:
        text.append(_("Identity hidden: press i to show it."), style="italic")
        text.append("\n")
    elif identity.is_empty:
        line(_("Identity"), _("not recorded"))
    else:
        line(_("Name"), identity.name)
        line(_("Contact"), identity.contact)
    line(_("Categories"), ", ".join(taxonomy.label("category", c) for c in facts.categories))
    if facts.first_incident or facts.last_incident:
        line(
            _("Incidents"),
            " – ".join(format_date(d) for d in (facts.first_incident, facts.last_incident) if d),
        )
    if facts.relation:
        line(_("Relation"), taxonomy.label("relation", facts.relation))
    if facts.power_imbalance is not None:
        line(_("Power imbalance"), _("yes") if facts.power_imbalance else _("no"))
    if facts.level:
        line(_("Level"), taxonomy.label("level", facts.level))
    line(_("Organisation"), facts.organisation)
    for person in facts.people:
        described = taxonomy.label("person_role", person.role)
        if person.relation:
            described += ", " + taxonomy.label("relation", person.relation)
        alias = literal_text(person.alias or "?", single_line=True)
        line(_("Involved"), alias + Text(f" ({described})"))
    line(_("Work situation"), facts.work_situation)
    line(_("Wishes"), facts.wishes)
    if facts.outcome_key:
        line(_("Outcome of the case"), taxonomy.label("outcome", facts.outcome_key))
    if facts.experience:
        line(_("How the reporter experienced it"), taxonomy.label("experience", facts.experience))
    line(_("Outcome"), facts.outcome)
    line(
        _("Confidentiality explained"), format_date(facts.confidentiality_explained) or _("not yet")
    )
    line(_("Consent to record"), format_date(facts.recording_consent) or _("not yet"))
    text.rstrip()
    return text
