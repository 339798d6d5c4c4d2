"""Provides referral letters: which facts may go to a destination, and the letter itself.

A letter carries a fact only when three things hold: the destination's letter may carry it
(`data/referral_letters.toml`: the bedrijfsarts gets the work situation, never the period or
a summary), the case has something to say about it, and a live `referral` consent for *that*
destination covers its scope key. `name` and `contact` are no exception: an `identity`
consent names no destination, so it is not enough on its own. The adviser's question to the
recipient is always in the letter. Conversation notes, advice, wishes and outcome have no
scope key, so no path exists by which they could reach a letter.

The letter is built from a template by a single pass that replaces only the known
placeholders; what the adviser typed is inserted as it is and never read as a template.
What the letter needs that the vault does not hold (an address, court proceedings, the
accused's names, a signature) is a *blank*: filled in on the form and kept with the letter,
or shown as "[ONTBREEKT: ...]" and listed as missing.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from confidant_tui.domain.cases import Case, Identity
from confidant_tui.domain.consent import SCOPE_KEYS, ConsentLedger
from confidant_tui.domain.organisation import OrganisationRules
from confidant_tui.domain.route_rules import complaint_period_warnings
from confidant_tui.domain.taxonomy import Taxonomy
from confidant_tui.domain.written_dates import long_date
from confidant_tui.errors import InvalidInput, ValidationError
from confidant_tui.i18n import N_, SUPPORTED_LANGUAGES, _, translate

GENERAL = "general"
"""The letter kind of every destination without its own (organisations' `own.*` too)."""

QUESTION = "question"
"""The adviser's own request to the recipient: in every letter, needs no consent."""

WHISTLEBLOWER_AUTHORITY = "whistleblower_authority"
"""The prefix of the Huis voor Klokkenluiders' destinations (its conditions apply)."""

PLACEHOLDERS = frozenset(
    {"date", "recipient", "destination", "organisation", "facts", "question", "signature"}
)
"""The placeholders a template may use besides `{blank:KEY}`."""

PERIOD = N_("from {first} to {last}")
"""The incident period in a letter, "van 3 maart 2026 tot 5 april 2026"."""

_PLACEHOLDER = re.compile(r"\{(blank:[a-z_]+|[a-z_]+)\}")

Labels = Mapping[str, str]
"""A text in each language: {"nl": ..., "en": ...}."""


@dataclass(frozen=True)
class LetterKind:
    """One `[[letter]]` of the data file: the letter to one destination (or `general`).

    Attributes:
        destination: the destination key, or `general`.
        facts: the scope keys a letter of this kind may carry, in letter order.
        blanks: what the adviser fills in (keys of `LetterBook.blank_labels`).
        checklist: what a written request must hold (keys of `checklist_labels`).
        purpose: per language, one paragraph the adviser can read to the reporter.
        template: per language, the letter with placeholders.
    """

    destination: str
    facts: tuple[str, ...]
    blanks: tuple[str, ...]
    checklist: tuple[str, ...]
    purpose: Labels
    template: Labels


@dataclass(frozen=True)
class LetterBook:
    """Every letter kind, with the labels letters use (in the letter's own language, which
    need not be the interface's)."""

    kinds: Mapping[str, LetterKind]
    fact_labels: Mapping[str, Labels]
    blank_labels: Mapping[str, Labels]
    checklist_labels: Mapping[str, Labels]
    conditions: tuple[Labels, ...]
    markers: Mapping[str, Labels]

    def kind_for(self, destination: str) -> LetterKind:
        """The letter kind of `destination` (its own, else the general one)."""
        return self.kinds.get(destination) or self.kinds[GENERAL]

    def conditions_for(self, destination: str) -> tuple[Labels, ...]:
        """The conditions to go through with the reporter (the Huis voor Klokkenluiders')."""
        if destination.split(".", 1)[0] == WHISTLEBLOWER_AUTHORITY:
            return self.conditions
        return ()

    def fact_label(self, key: str, language: str) -> str:
        """The label of a fact (or of the question) in `language`."""
        if key == QUESTION:
            return self.markers["question"][language]
        return self.fact_labels[key][language]

    def blank_label(self, key: str, language: str) -> str:
        """The label of a blank in `language`."""
        return self.blank_labels[key][language]


def parse_letter_book(document: Mapping[str, Any]) -> LetterBook:
    """Reads `data/referral_letters.toml` (already parsed), checking every reference.

    Raises:
        ValueError: the file names an unknown fact, blank, checklist item or placeholder,
            lacks a language, or has no general letter (a packaging fault, caught by tests).
    """
    if document.get("format") != 1:
        raise ValueError("unknown referral letters format")
    fact_labels = _label_table(document["fact_labels"])
    if set(fact_labels) != set(SCOPE_KEYS):
        raise ValueError("fact labels must name exactly the scope keys")
    blank_labels = _label_table(document["blank_labels"])
    checklist_labels = _label_table(document["checklist_labels"])
    markers = _label_table(document["markers"])
    if set(markers) != {"missing", "no_facts", "question"}:
        raise ValueError("markers must be `missing`, `no_facts` and `question`")
    kinds: dict[str, LetterKind] = {}
    for entry in document["letter"]:
        kind = LetterKind(
            destination=str(entry["destination"]),
            facts=tuple(entry["facts"]),
            blanks=tuple(entry.get("blanks", ())),
            checklist=tuple(entry.get("checklist", ())),
            purpose=_languages(entry, "purpose"),
            template=_languages(entry, "template"),
        )
        _check_kind(kind, blank_labels, checklist_labels)
        if kind.destination in kinds:
            raise ValueError(f"letter {kind.destination} appears twice")
        kinds[kind.destination] = kind
    if GENERAL not in kinds:
        raise ValueError("no general letter")
    conditions = tuple(_languages(entry, None) for entry in document.get("condition", ()))
    return LetterBook(kinds, fact_labels, blank_labels, checklist_labels, conditions, markers)


def _languages(entry: Mapping[str, Any], stem: str | None) -> dict[str, str]:
    texts = {}
    for language in SUPPORTED_LANGUAGES:
        value = entry[language if stem is None else f"{stem}_{language}"]
        if not isinstance(value, str) or not value.strip():
            raise ValueError(f"{stem or 'text'} in {language} is missing")
        texts[language] = value.strip("\n")
    return texts


def _label_table(table: Mapping[str, Any]) -> dict[str, dict[str, str]]:
    return {key: _languages(value, None) for key, value in table.items()}


def _check_kind(
    kind: LetterKind, blank_labels: Mapping[str, Labels], checklist_labels: Mapping[str, Labels]
) -> None:
    unknown_facts = set(kind.facts) - set(SCOPE_KEYS)
    unknown_blanks = set(kind.blanks) - set(blank_labels)
    unknown_items = set(kind.checklist) - (set(checklist_labels) & set(_CHECKS))
    if unknown_facts or unknown_blanks or unknown_items:
        raise ValueError(f"letter {kind.destination} names unknown keys")
    for template in kind.template.values():
        for name in _PLACEHOLDER.findall(template):
            if name.startswith("blank:"):
                if name[6:] not in kind.blanks:
                    raise ValueError(f"letter {kind.destination} uses an undeclared {name}")
            elif name not in PLACEHOLDERS:
                raise ValueError(f"letter {kind.destination} uses an unknown {{{name}}}")


# -- what may go in -------------------------------------------------------------------------


@dataclass(frozen=True)
class FactChoice:
    """One fact a letter could carry, and whether this one may.

    Attributes:
        key: the scope key.
        value: the fact as the letter would write it (None: the case records nothing).
        carried: the destination's letter may carry this fact at all.
        consented: a live `referral` consent for the destination covers it.
    """

    key: str
    value: str | None
    carried: bool
    consented: bool

    @property
    def allowed(self) -> bool:
        """Whether the fact may be put in the letter."""
        return self.carried and self.consented and bool(self.value)

    def reason(self) -> str:
        """Why the fact may not go in (empty when it may), for the adviser."""
        if not self.carried:
            return _("A letter to this destination never carries this.")
        if not self.consented:
            return _("No consent: the reporter has not agreed to share this with this recipient.")
        if not self.value:
            return _("Nothing is recorded for this in the case.")
        return ""


def fact_choices(
    book: LetterBook,
    destination: str,
    values: Mapping[str, str | None],
    consented: Iterable[str],
) -> tuple[FactChoice, ...]:
    """Every fact a letter could carry, in letter order, each with whether it may.

    Args:
        book: the letter kinds.
        destination: the referral destination key.
        values: the facts of the case as the letter would write them (see the service).
        consented: the scope keys covered by live `referral` consents for `destination`.
    """
    carried = set(book.kind_for(destination).facts)
    granted = set(consented)
    return tuple(
        FactChoice(key, (values.get(key) or None), key in carried, key in granted)
        for key in SCOPE_KEYS
    )


def consented_scope(ledger: ConsentLedger, destination: str, *, now: dt.datetime) -> frozenset[str]:
    """The scope keys live `referral` consents for `destination` cover now (an `identity`
    consent names no destination, so it adds nothing here)."""
    return ledger.consented_now("referral", destination, now=now)


def relied_on(
    ledger: ConsentLedger, destination: str, facts: Iterable[str], *, now: dt.datetime
) -> tuple[int, ...]:
    """The ids of the live consents that cover at least one of `facts` (recorded with the
    letter, so it shows afterwards what it rested on)."""
    wanted = set(facts)
    return tuple(
        consent.id
        for consent in ledger.active_at(now, "referral", destination)
        if consent.id is not None and consent.scope & wanted
    )


def case_values(
    case: Case,
    identity: Identity,
    taxonomy: Taxonomy,
    *,
    language: str,
    summary: str | None,
) -> dict[str, str | None]:
    """The facts of a case as a letter in `language` writes them, one per scope key.

    Only these fields of a case can ever reach a letter: the reporter's name and contact,
    role, work situation, categories, incident period and routes, and the summary the
    adviser wrote in the referral itself. Conversation notes, advice, next steps, wishes and
    the outcome are not read here at all.
    """

    def in_language(message: str) -> str:
        return translate(message, language)

    def day(value: dt.date) -> str:
        return long_date(value, in_language)

    facts = case.facts
    first, last = facts.first_incident, facts.last_incident
    if first and last and first != last:
        period = in_language(PERIOD).format(first=day(first), last=day(last))
    elif first or last:
        period = day(first or last)  # type: ignore[arg-type]
    else:
        period = None
    routes = "; ".join(
        f"{taxonomy.label('route', route.route, language)} ({day(route.date)})"
        for route in case.routes
    )
    categories = ", ".join(taxonomy.label("category", key, language) for key in facts.categories)
    return {
        "name": identity.name or None,
        "contact": identity.contact or None,
        "role": taxonomy.label("reporter_role", facts.reporter_role, language),
        "work_situation": facts.work_situation or None,
        "categories": categories or None,
        "period": period,
        "summary": (summary or "").strip() or None,
        "routes": routes or None,
    }


def deadline_warnings(
    destination: str, case: Case, rules: OrganisationRules, today: dt.date
) -> tuple[str, ...]:
    """The complaint period check of a draft complaint: a warning when the organisation's
    period after the last incident has passed or ends within three months (empty for
    other destinations)."""
    if destination != "complaints_committee":
        return ()
    return tuple(
        warning.text for warning in complaint_period_warnings(case.facts, case.opened, rules, today)
    )


# -- the letter -------------------------------------------------------------------------


@dataclass(frozen=True)
class LetterRequest:
    """What the adviser asks for on the referral form.

    Attributes:
        destination: the destination key.
        destination_name: its name in the letter's language (own destinations included).
        organisation: the case's organisation.
        language: the letter's language, "nl" or "en".
        date: the letter's date.
        question: the adviser's own request to the recipient (required).
        include: the facts to put in (scope keys).
        blanks: what the adviser filled in for the blanks (key -> text).
    """

    destination: str
    destination_name: str
    organisation: str
    language: str
    date: dt.date
    question: str
    include: tuple[str, ...]
    blanks: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ChecklistItem:
    """One element a written request or complaint must hold, and whether it does."""

    key: str
    label: str
    present: bool


@dataclass(frozen=True)
class Letter:
    """A letter as it will be written.

    Attributes:
        destination: the destination key.
        language: the letter's language.
        text: the whole letter, exactly as exported.
        facts: the facts that went in (scope keys, in letter order).
        missing: the blanks still empty (keys), flagged in the text.
        checklist: the written request's elements (empty for most destinations).
    """

    destination: str
    language: str
    text: str
    facts: tuple[str, ...]
    missing: tuple[str, ...]
    checklist: tuple[ChecklistItem, ...]


def draft_letter(
    book: LetterBook,
    request: LetterRequest,
    values: Mapping[str, str | None],
    consented: Iterable[str],
) -> Letter:
    """Builds the letter, refusing any fact it may not carry.

    Raises:
        ValidationError: the question is empty, the language unknown, or a fact to include
            is not allowed (each problem names the fact and why: a missing consent, a fact
            this destination never gets, or nothing recorded).
    """
    if request.language not in SUPPORTED_LANGUAGES:
        raise InvalidInput(_("A letter is written in Dutch or English."))
    choices = {c.key: c for c in fact_choices(book, request.destination, values, consented)}
    problems: list[tuple[str, str]] = []
    if not request.question.strip():
        problems.append(
            (QUESTION, _("Write the question for the recipient: every letter has one."))
        )
    for key in request.include:
        choice = choices.get(key)
        if choice is None:
            problems.append((key, _("This is not a fact a letter can carry.")))
        elif not choice.allowed:
            problems.append((key, choice.reason()))
    if problems:
        raise ValidationError(_("The letter cannot be made like this."), problems)
    kind = book.kind_for(request.destination)
    included = tuple(key for key in SCOPE_KEYS if key in set(request.include))
    language = request.language
    blanks = {key: (request.blanks.get(key) or "").strip() for key in kind.blanks}
    missing = tuple(key for key in kind.blanks if not blanks[key])

    def blank_text(key: str) -> str:
        if blanks.get(key):
            return blanks[key]
        label = book.blank_label(key, language)
        return book.markers["missing"][language].replace("{label}", label)

    facts_text = (
        "\n".join(
            _fact_block(book.fact_label(key, language), str(choices[key].value)) for key in included
        )
        or book.markers["no_facts"][language]
    )
    fillers = {
        "date": long_date(request.date, lambda message: translate(message, language)),
        "recipient": blank_text("recipient") if "recipient" in kind.blanks else "",
        "destination": request.destination_name,
        "organisation": request.organisation,
        "facts": facts_text,
        "question": request.question.strip(),
        "signature": blank_text("signature") if "signature" in kind.blanks else "",
    }

    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        if name.startswith("blank:"):
            return blank_text(name[6:])
        return fillers[name]

    text = _PLACEHOLDER.sub(fill, kind.template[language]).strip("\n") + "\n"
    checklist = tuple(
        ChecklistItem(
            item,
            book.checklist_labels[item][language],
            _present(item, set(included), blanks, request.question),
        )
        for item in kind.checklist
    )
    return Letter(request.destination, language, text, included, missing, checklist)


def _fact_block(label: str, value: str) -> str:
    """A fact in the letter: "Label: value", or the label on its own line above a longer
    text."""
    value = value.strip()
    if "\n" in value or len(label) + len(value) > 70:
        return f"{label}:\n{value}\n"
    return f"{label}: {value}"


_CHECKS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # item: (facts that must be included (any one of a group joined by "|"), blanks filled)
    "question": ((), ()),
    "situation": (("summary|work_situation",), ()),
    "name_and_address": (("name",), ("reporter_address",)),
    "what_is_reported": (("summary",), ()),
    "suspicion": ((), ("suspicion",)),
    "organisation": ((), ("organisation_address",)),
    "court_proceedings": ((), ("court_proceedings",)),
    "date": ((), ()),
    "signature": ((), ("signature",)),
    "date_and_signature": ((), ("complainant_signature",)),
    "category": (("categories",), ()),
    "what_where_when": (("summary", "period"), ()),
    "witnesses": ((), ("witnesses",)),
    "complainant": (("name", "role"), ()),
    "accused": ((), ("accused_names",)),
    "steps_taken": (("routes",), ()),
}
"""What makes each checklist item present: the facts it needs in the letter and the blanks
it needs filled. `question` and `date` are always there (every letter has both)."""


def _present(item: str, included: set[str], blanks: Mapping[str, str], question: str) -> bool:
    needs_facts, needs_blanks = _CHECKS[item]
    if item == "question" and not question.strip():
        return False
    facts_ok = all(any(option in included for option in group.split("|")) for group in needs_facts)
    return facts_ok and all(blanks.get(key) for key in needs_blanks)
