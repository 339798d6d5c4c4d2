"""Provides the case model: dossiers, people, conversations, routes, referrals (pure data).

Every object is a frozen dataclass; ids are None until stored. Identity (name and contact)
is a separate `Identity`, never part of a `Case`, so case content can be shown and used
without identity (DOMAIN.md §7).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from confidant_tui.domain.taxonomy import top_level

STATUSES: tuple[str, ...] = ("open", "aftercare", "closed")
"""Case statuses; a case is `open` from its opening date until the first change."""

PERSON_ROLES: tuple[str, ...] = ("accused", "witness", "other")

TEXT_FIELDS: tuple[str, ...] = ("wishes", "work_situation", "outcome")
"""The free-text facts of a case (searched, like the conversation texts)."""

CONVERSATION_TEXTS: tuple[str, ...] = ("notes", "advice", "next_steps")
"""The free-text fields of a conversation (searched; earlier versions kept on edit)."""

ROUTE_MILESTONES: tuple[str, ...] = ("filed", "acknowledged", "feedback", "ended")

MANNER_ROUTES: tuple[str, ...] = (
    "formal.complaint",
    "formal.integrity_report",
    "external.whistleblower_authority",
)
"""The routes that record how the report was made (named, confidential, anonymous)."""


@dataclass(frozen=True)
class Identity:
    """Who the reporter is; kept apart from the case content and shown only on request."""

    name: str | None = None
    contact: str | None = None

    @property
    def is_empty(self) -> bool:
        """True when neither name nor contact is recorded (an empty text is recorded)."""
        return self.name is None and self.contact is None


@dataclass(frozen=True)
class Person:
    """Someone involved in a case, by alias only (never a name).

    Attributes:
        role: `accused`, `witness` or `other`.
        alias: what the adviser calls them ("B.").
        relation: for the accused, the relation to the reporter (a relation key).
    """

    role: str
    alias: str | None = None
    relation: str | None = None
    id: int | None = None


@dataclass(frozen=True)
class StatusChange:
    """A change of a case's status on a date."""

    status: str
    date: dt.date


@dataclass(frozen=True)
class CaseFacts:
    """The facts of a case the adviser can edit (everything but code, dates of record and
    the conversations, routes and referrals).

    Attributes:
        reporter_role: the reporter's role in this case (a key).
        categories: one or more category keys, in the adviser's order.
        reporter_alias: what the app shows for the reporter (it belongs to the reporter,
            shared by their cases; on update, None keeps the current alias).
        organisation: the organisation's name; None means the default of the settings
            (on create) or the case's current organisation (on update).
        relation: the accused's relation to the reporter, for statistics (shorthand when
            there is one accused; see `Case.main_relation`).
        power_imbalance: whether there is a power imbalance (None: not recorded).
        level: the unit where it happened (a level key).
        people: the people involved.
        outcome: the adviser's own words on the outcome (free text).
        outcome_key: the outcome of the case (kind `outcome`), for the yearly report.
        experience: how the reporter experienced it (kind `experience`).
    """

    reporter_role: str
    categories: tuple[str, ...]
    reporter_alias: str | None = None
    organisation: str | None = None
    relation: str | None = None
    power_imbalance: bool | None = None
    level: str | None = None
    first_incident: dt.date | None = None
    last_incident: dt.date | None = None
    wishes: str | None = None
    work_situation: str | None = None
    outcome: str | None = None
    confidentiality_explained: dt.date | None = None
    recording_consent: dt.date | None = None
    people: tuple[Person, ...] = ()
    outcome_key: str | None = None
    experience: str | None = None


@dataclass(frozen=True)
class Intake:
    """What the adviser records to open a case.

    Attributes:
        opened: the opening date (the first contact).
        facts: the facts known at intake.
        identity: the reporter's name and contact, if given (stored apart).
        code: a code to keep (imports); None lets the app number the case.
        reporter_id: a returning reporter's id, to link the new case to them.
    """

    opened: dt.date
    facts: CaseFacts
    identity: Identity = field(default_factory=Identity)
    code: str | None = None
    reporter_id: int | None = None


@dataclass(frozen=True)
class Conversation:
    """One conversation (or contact) with the reporter.

    Attributes:
        date: when it took place (not in the future).
        time: the starting time, if recorded.
        minutes: time spent (for the yearly report's hours).
        mode: a conversation mode key.
        follow_up: when to follow up (may lie in the future).
        version: 1 for the first text; each edit of the texts adds one.
    """

    date: dt.date
    time: dt.time | None = None
    minutes: int | None = None
    mode: str | None = None
    notes: str | None = None
    advice: str | None = None
    next_steps: str | None = None
    follow_up: dt.date | None = None
    id: int | None = None
    version: int = 1


@dataclass(frozen=True)
class ConversationVersion:
    """An earlier text of a conversation, kept when it was edited."""

    version: int
    replaced_on: dt.date
    notes: str | None
    advice: str | None
    next_steps: str | None


@dataclass(frozen=True)
class Route:
    """A route the reporter took, with its start date and milestones (for legal terms).

    Attributes:
        manner: how a complaint or melding was made (kind `manner`; only `MANNER_ROUTES`):
            it decides what the adviser must keep secret.
        outcome: how the route ended (kind `route_outcome`).
        measure: a measure taken (kind `measure`, or the organisation's own `own.*`).
    """

    route: str
    date: dt.date
    filed: dt.date | None = None
    acknowledged: dt.date | None = None
    feedback: dt.date | None = None
    ended: dt.date | None = None
    id: int | None = None
    manner: str | None = None
    outcome: str | None = None
    measure: str | None = None


@dataclass(frozen=True)
class Referral:
    """A referral to other help (destination key), with a short note."""

    destination: str
    date: dt.date
    note: str | None = None
    id: int | None = None


@dataclass(frozen=True)
class Case:
    """A full dossier without identity (see `Identity`, `reveal_identity`).

    Conversations are ordered by date and time; routes, referrals and the status history in
    the order they were recorded.
    """

    id: int
    code: str
    opened: dt.date
    reporter_id: int
    facts: CaseFacts
    status_history: tuple[StatusChange, ...] = ()
    conversations: tuple[Conversation, ...] = ()
    routes: tuple[Route, ...] = ()
    referrals: tuple[Referral, ...] = ()

    @property
    def status(self) -> str:
        """The current status."""
        return self.status_history[-1].status if self.status_history else "open"

    def status_on(self, day: dt.date) -> str | None:
        """The status at the end of `day`; None when the case was not yet opened."""
        return status_on(self.opened, self.status_history, day)

    @property
    def main_relation(self) -> str | None:
        """The relation counted in statistics: `facts.relation`, else the first accused's."""
        if self.facts.relation:
            return self.facts.relation
        for person in self.facts.people:
            if person.role == "accused" and person.relation:
                return person.relation
        return None

    @property
    def top_categories(self) -> tuple[str, ...]:
        """The distinct top-level categories, in order."""
        return tuple(dict.fromkeys(top_level(c) for c in self.facts.categories))

    @property
    def next_follow_up(self) -> dt.date | None:
        """The follow-up date of the latest conversation (None when it has none)."""
        return self.conversations[-1].follow_up if self.conversations else None


def status_on(opened: dt.date, history: tuple[StatusChange, ...], day: dt.date) -> str | None:
    """The status of a case at the end of `day` (None before it was opened)."""
    if day < opened:
        return None
    current = "open"
    for change in history:
        if change.date <= day:
            current = change.status
    return current


@dataclass(frozen=True)
class CaseSummary:
    """One row of the home list: no notes, no identity."""

    id: int
    code: str
    opened: dt.date
    status: str
    status_date: dt.date
    categories: tuple[str, ...]
    next_follow_up: dt.date | None
    organisation: str
    reporter_alias: str | None
    has_protocol: bool = False
    """Whether a protocol procedure ("vertrouwelijk, tenzij") was opened on the case."""


SORT_KEYS: tuple[str, ...] = ("code", "opened", "status", "follow_up")


@dataclass(frozen=True)
class CaseFilter:
    """Which cases the home list shows, in which order, and which page.

    Attributes:
        status: only cases with this current status.
        year: only cases opened in this year.
        category: only cases with this category or one of its sub-kinds.
        organisation: only cases of this organisation (by name).
        sort: one of `SORT_KEYS`.
        descending: newest (or highest) first.
        offset, limit: the page (limit None: all).
    """

    status: str | None = None
    year: int | None = None
    category: str | None = None
    organisation: str | None = None
    sort: str = "opened"
    descending: bool = True
    offset: int = 0
    limit: int | None = 100


@dataclass(frozen=True)
class SearchHit:
    """One search result: where it was found and a plain-text snippet.

    Attributes:
        field: `wishes`, `work_situation`, `outcome`, `notes`, `advice` or `next_steps`.
        snippet: plain text (render literally, never as markup).
        spans: (start, end) offsets into `snippet` of the matched words.
        conversation_id: set when the text is a conversation's.
    """

    case_id: int
    code: str
    field: str
    snippet: str
    spans: tuple[tuple[int, int], ...]
    conversation_id: int | None = None
    conversation_date: dt.date | None = None
