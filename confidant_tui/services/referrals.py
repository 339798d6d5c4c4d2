"""Provides referral letters as use cases: what may go to a destination, the letter as it
will be written, and recording it on the case (see `domain.referral_letters` for the rules).

The screen and the `confidant referral` command call the same three functions, so both make
exactly the same letter:

1. `referral_draft`: for a case and a destination, every fact a letter could carry with
   whether it may (and why not), the blanks, the checklist's conditions, the deadline check;
2. `draft`: the letter as it will be written, from the adviser's choices (refused, naming the
   missing consent, when a fact is not allowed);
3. `record_letter`: stores the letter with its referral (a new referral row, or the existing
   one it was made from) in one transaction, checking the consents again at that moment.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache

from confidant_tui.domain.cases import Case, Referral
from confidant_tui.domain.consent import ConsentLedger
from confidant_tui.domain.referral_letters import (
    FactChoice,
    Letter,
    LetterBook,
    LetterKind,
    LetterRequest,
    case_values,
    consented_scope,
    deadline_warnings,
    draft_letter,
    fact_choices,
    parse_letter_book,
    relied_on,
)
from confidant_tui.domain.taxonomy import Taxonomy
from confidant_tui.errors import InvalidInput, NotFound
from confidant_tui.i18n import _
from confidant_tui.resources import data_file
from confidant_tui.services import audit_acts, organisations
from confidant_tui.services.cases import CaseRef
from confidant_tui.vault import (
    cases_query,
    cases_repo,
    letters_repo,
    organisations_repo,
    protocol_repo,
)
from confidant_tui.vault.case_events_repo import insert_referral
from confidant_tui.vault.letters_repo import StoredLetter
from confidant_tui.vault.store import Connection, Vault

__all__ = [
    "FactChoice",
    "Letter",
    "LetterInput",
    "RecordedLetter",
    "ReferralDraft",
    "StoredLetter",
    "draft",
    "letters_of_case",
    "load_letter_book",
    "record_letter",
    "referral_draft",
]


@cache
def load_letter_book() -> LetterBook:
    """The shipped letter kinds (`data/referral_letters.toml`), read once."""
    with data_file("referral_letters.toml").open("rb") as handle:
        return parse_letter_book(tomllib.load(handle))


@dataclass(frozen=True)
class LetterInput:
    """What the adviser chose on the referral form (or on the command line).

    Attributes:
        destination: the destination key (shipped or the organisation's own `own.*`).
        question: the adviser's own request to the recipient (always in the letter).
        summary: the adviser's summary for this letter (scope `summary`; None: none).
        include: the facts to put in (scope keys); None means every allowed fact.
        blanks: what the adviser filled in for the blanks.
        language: the letter's language ("nl" or "en").
    """

    destination: str
    question: str
    summary: str | None = None
    include: tuple[str, ...] | None = None
    blanks: Mapping[str, str] = field(default_factory=dict)
    language: str = "nl"


@dataclass(frozen=True)
class ReferralDraft:
    """What the referral screen shows for one destination of one case.

    Attributes:
        case_code: the case.
        destination: the destination key.
        destination_name: its name in the letter's language.
        organisation: the case's organisation.
        kind: the letter kind (its facts, blanks and checklist).
        choices: every fact, with whether it may go in and why not.
        purpose: what the destination is for, to read to the reporter.
        conditions: the conditions to go through with the reporter (the Huis voor
            Klokkenluiders'), in the letter's language.
        warnings: the complaint period check (a draft complaint only).
        blank_labels: the label of each blank, in the letter's language.
    """

    case_code: str
    destination: str
    destination_name: str
    organisation: str
    kind: LetterKind
    choices: tuple[FactChoice, ...]
    purpose: str
    conditions: tuple[str, ...]
    warnings: tuple[str, ...]
    blank_labels: Mapping[str, str]

    @property
    def allowed(self) -> tuple[str, ...]:
        """The facts that may go in, in letter order."""
        return tuple(choice.key for choice in self.choices if choice.allowed)


@dataclass(frozen=True)
class RecordedLetter:
    """A letter stored with its referral."""

    referral_id: int
    letter_id: int
    letter: Letter


@dataclass(frozen=True)
class _Context:
    case: Case
    values: dict[str, str | None]
    consented: frozenset[str]
    ledger: ConsentLedger
    destination_name: str
    organisation: str
    warnings: tuple[str, ...]


def _context(
    conn: Connection,
    case: CaseRef,
    destination: str,
    summary: str | None,
    *,
    language: str,
    now: dt.datetime,
    taxonomy: Taxonomy,
) -> _Context:
    found = cases_query.existing_case(conn, case)
    identity = cases_repo.identity_of_case(conn, found.id)
    ledger = protocol_repo.load_ledger(conn, found.id)
    known = organisations_repo.load_all(conn)
    terms = organisations.taxonomy(known) if known else taxonomy
    if not terms.is_valid("destination", destination):
        raise InvalidInput(_("There is no referral destination '{key}'.").format(key=destination))
    rules = None
    if found.facts.organisation:
        try:
            rules = organisations.find(known, found.facts.organisation).rules
        except NotFound:
            rules = None
    warnings = deadline_warnings(destination, found, rules, now.date()) if rules is not None else ()
    return _Context(
        case=found,
        values=case_values(found, identity, terms, language=language, summary=summary),
        consented=consented_scope(ledger, destination, now=now),
        ledger=ledger,
        destination_name=terms.label("destination", destination, language),
        organisation=found.facts.organisation or "",
        warnings=warnings,
    )


def referral_draft(
    vault: Vault,
    case: CaseRef,
    destination: str,
    *,
    language: str,
    now: dt.datetime,
    taxonomy: Taxonomy,
    summary: str | None = None,
) -> ReferralDraft:
    """Every fact a letter to `destination` could carry for this case, with whether it may.

    Raises:
        NotFound: no such case.
        InvalidInput: an unknown destination.
    """
    book = load_letter_book()
    with vault.reading() as conn:
        context = _context(
            conn, case, destination, summary, language=language, now=now, taxonomy=taxonomy
        )
    kind = book.kind_for(destination)
    return ReferralDraft(
        case_code=context.case.code,
        destination=destination,
        destination_name=context.destination_name,
        organisation=context.organisation,
        kind=kind,
        choices=fact_choices(book, destination, context.values, context.consented),
        purpose=kind.purpose[language].replace("{destination}", context.destination_name),
        conditions=tuple(c[language] for c in book.conditions_for(destination)),
        warnings=context.warnings,
        blank_labels={key: book.blank_label(key, language) for key in kind.blanks},
    )


def _request(
    choice: LetterInput, context: _Context, allowed: tuple[str, ...], day: dt.date
) -> LetterRequest:
    return LetterRequest(
        destination=choice.destination,
        destination_name=context.destination_name,
        organisation=context.organisation,
        language=choice.language,
        date=day,
        question=choice.question,
        include=allowed if choice.include is None else choice.include,
        blanks=dict(choice.blanks),
    )


def _allowed(book: LetterBook, choice: LetterInput, context: _Context) -> tuple[str, ...]:
    return tuple(
        c.key
        for c in fact_choices(book, choice.destination, context.values, context.consented)
        if c.allowed
    )


def draft(
    vault: Vault, case: CaseRef, choice: LetterInput, *, now: dt.datetime, taxonomy: Taxonomy
) -> Letter:
    """The letter exactly as it will be written (the preview), dated today.

    Raises:
        ValidationError: a fact is not allowed (the problem names it and the missing
            consent) or the question is empty.
    """
    with vault.reading() as conn:
        return _letter(conn, case, choice, now=now, taxonomy=taxonomy)[1]


def _letter(
    conn: Connection, case: CaseRef, choice: LetterInput, *, now: dt.datetime, taxonomy: Taxonomy
) -> tuple[_Context, Letter]:
    """The case's context and the letter for `choice`, read through one connection."""
    book = load_letter_book()
    context = _context(
        conn,
        case,
        choice.destination,
        choice.summary,
        language=choice.language,
        now=now,
        taxonomy=taxonomy,
    )
    request = _request(choice, context, _allowed(book, choice, context), now.date())
    return context, draft_letter(book, request, context.values, context.consented)


def record_letter(
    vault: Vault,
    case: CaseRef,
    choice: LetterInput,
    *,
    now: dt.datetime,
    taxonomy: Taxonomy,
    referral_id: int | None = None,
    file_format: str | None = None,
) -> RecordedLetter:
    """Stores the letter with its referral, in one transaction (consents checked again now).

    Args:
        referral_id: the existing referral the letter was made from (it then belongs to
            that row and adds no referral); None adds a referral for the destination, dated
            today.
        file_format: how the letter was written out ("md", "txt", "pdf"), if it was.

    Raises:
        NotFound: no such case, or the referral is not one of this case's.
        InvalidInput: the referral is to another destination than the letter.
        ValidationError: see `draft`.
    """
    with vault.transaction() as conn:
        context, letter = _letter(conn, case, choice, now=now, taxonomy=taxonomy)
        added = referral_id is None
        if referral_id is None:
            referral_id = insert_referral(
                conn, context.case.id, Referral(choice.destination, now.date())
            )
        else:
            owner = letters_repo.referral_case(conn, referral_id)
            if owner is None or owner[0] != context.case.id:
                raise NotFound(_("That referral is not one of this case's."))
            if owner[1] != choice.destination:
                raise InvalidInput(
                    _("A letter from a referral row goes to that referral's destination.")
                )
        stored = StoredLetter(
            id=0,
            referral_id=referral_id,
            made_at=now.replace(second=0, microsecond=0),
            language=choice.language,
            facts=letter.facts,
            consents=relied_on(context.ledger, choice.destination, letter.facts, now=now),
            question=choice.question.strip(),
            summary=(choice.summary or None) if "summary" in letter.facts else None,
            blanks={key: value for key, value in choice.blanks.items() if value.strip()},
            text=letter.text,
            file_format=file_format,
        )
        letter_id = letters_repo.insert_letter(conn, stored)
        code = context.case.code
        if added:
            audit_acts.append(vault, conn, "referral.added", case_code=code, at=now)
        audit_acts.append(vault, conn, "letter.made", case_code=code, detail=file_format, at=now)
        if file_format is not None:
            # The callers write the file first and record it here: the share and its
            # record are saved together (a file whose recording fails is removed again).
            audit_acts.append(
                vault, conn, "export.letter", case_code=code, detail=file_format, at=now
            )
    return RecordedLetter(referral_id, letter_id, letter)


def letters_of_case(vault: Vault, case: CaseRef) -> tuple[StoredLetter, ...]:
    """Every letter of a case, oldest first (for the timeline)."""
    with vault.reading() as conn:
        return letters_repo.letters_of_case(conn, cases_query.resolve_case(conn, case))
