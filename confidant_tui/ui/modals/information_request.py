"""Provides `InformationRequestModal`: who asked what about a case, and the adviser's answer.

The adviser has an internal right of non-disclosure (*verschoningsrecht*): recording each
request, and that it was declined or answered only with the reporter's consent, shows
afterwards that the right was kept. The answer may be left for later: `AnswerRequestModal`
records it afterwards, the request staying as it was.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from rich.text import Text
from textual.widget import Widget
from textual.widgets import Input, Select, Static, TextArea

from confidant_tui.domain.consent import ConsentLedger
from confidant_tui.domain.information_request import (
    ANSWERS,
    CONSENT_PURPOSES_FOR_ANSWERS,
    REQUESTERS,
    InformationAnswer,
    InformationRequest,
)
from confidant_tui.i18n import _, format_moment
from confidant_tui.services.vaults import Vault
from confidant_tui.ui.modals.form_modal import FormModal, Store, input_text, select_key
from confidant_tui.ui.presenters.literal import literal_text
from confidant_tui.ui.presenters.protocol_texts import (
    ANSWER_LABELS,
    PURPOSE_LABELS,
    REQUESTER_LABELS,
    label,
    scope_text,
)
from confidant_tui.ui.widgets.form_field import FormField
from confidant_tui.ui.widgets.moment_field import MomentField


def consent_options(ledger: ConsentLedger) -> list[tuple[Text, int]]:
    """The consents an answer may rest on, as Select options."""
    return [
        (
            Text(
                f"{label(PURPOSE_LABELS, c.purpose)} ({scope_text(c.scope)}; "
                f"{format_moment(c.given_at)})"
            ),
            c.id,
        )
        for c in ledger.effective()
        if c.purpose in CONSENT_PURPOSES_FOR_ANSWERS and c.id is not None
    ]


def answer_details(ledger: ConsentLedger, now: dt.datetime) -> Iterable[Widget]:
    """The fields of an answer after its kind, the same when asked and when answered later:
    the consent it rests on, when it was given, and what was said."""
    yield FormField(
        _("The consent the answer rests on"),
        Select(consent_options(ledger), id="consent", prompt=_("Only for an answer with consent")),
        field="consent",
    )
    yield FormField(_("Answered on"), MomentField(now, id_prefix="answered"), field="answered_at")
    yield FormField(_("What you said (optional)"), Input(id="note"), field="note")


class InformationRequestModal(FormModal):
    """Asks who asked, what, when, and (optionally) how the adviser answered.

    Args:
        case_id: the case.
        code: its code (for the heading).
        ledger: the case's consents (an answer with consent links one).
        now: the default moment (the rules use the app's clock at saving).
    """

    DEFAULT_CSS = """
    InformationRequestModal #dialog { width: 76; }
    InformationRequestModal TextArea { height: 4; }
    """

    def __init__(self, case_id: int, code: str, ledger: ConsentLedger, now: dt.datetime) -> None:
        super().__init__()
        self.case_id = case_id
        self.code = code
        self.ledger = ledger
        self.now = now

    def title_text(self) -> str:
        return _("Information request in case {code}").format(code=self.code)

    def fields(self) -> Iterable[Widget]:
        requesters = [(Text(label(REQUESTER_LABELS, r)), r) for r in REQUESTERS]
        yield FormField(
            _("Who asked"),
            Select(requesters, id="requester", prompt=_("Choose")),
            field="requester",
        )
        yield FormField(
            _("Which person or body (optional)"), Input(id="requester_detail"), field="detail"
        )
        yield FormField(_("What was asked"), TextArea(id="subject"), field="subject")
        yield FormField(_("When"), MomentField(self.now, id_prefix="asked"), field="asked_at")
        answers = [(Text(label(ANSWER_LABELS, a)), a) for a in ANSWERS]
        yield FormField(
            _("Your answer"),
            Select(answers, id="answer", prompt=_("Not answered yet")),
            hint=_("A court order is not a request: record it as a procedure (p)."),
            field="answer",
        )
        yield from answer_details(self.ledger, self.now)

    def build(self) -> Store | list[tuple[str, str]]:
        asked = self.query_one("#asked", MomentField)
        requester = select_key(self.query_one("#requester", Select))
        answer_key = select_key(self.query_one("#answer", Select))
        problems = []
        if requester is None:
            problems.append(("requester", _("Say who asked: choose one of the listed requesters.")))
        if asked.moment is None:
            problems.append(("asked_at", asked.problem or ""))
        answered = self.query_one("#answered", MomentField)
        if answer_key is not None and answered.moment is None:
            problems.append(("answered_at", answered.problem or ""))
        if problems or requester is None or asked.moment is None:
            return problems
        request = InformationRequest(
            requester=requester,
            subject=self.query_one("#subject", TextArea).text.strip(),
            asked_at=asked.moment,
            requester_detail=(self.query_one("#requester_detail", Input).value.strip()),
        )
        answer = None
        if answer_key is not None and answered.moment is not None:
            consent_id = select_key(self.query_one("#consent", Select))
            answer = InformationAnswer(
                request_id=0,
                answer=answer_key,
                answered_at=answered.moment,
                consent_id=consent_id if answer_key == "answered_with_consent" else None,
                note=input_text(self.query_one("#note", Input)) or "",
            )
        case_id, now = self.case_id, self.context.now()

        def store(vault: Vault) -> int:
            from confidant_tui.services.consent import record_information_request

            return record_information_request(vault, case_id, request, answer, now=now)

        return store


def request_text(request: InformationRequest) -> Text:
    """The request as asked: who, which person or body, when, and what (literal)."""
    text = Text(label(REQUESTER_LABELS, request.requester), style="bold")
    if request.requester_detail:
        text.append(" (")
        text.append_text(literal_text(request.requester_detail, single_line=True))
        text.append(")")
    text.append(", " + format_moment(request.asked_at) + "\n")
    text.append_text(literal_text(request.subject))
    return text


class AnswerRequestModal(FormModal):
    """Records the answer to a request recorded earlier without one; the request stays as
    it was (the answer is a record of its own).

    Args:
        case_id: the case.
        code: its code (for the heading).
        request: the unanswered request (with its id).
        ledger: the case's consents (an answer with consent links one).
        now: the default moment of the answer.
    """

    DEFAULT_CSS = """
    AnswerRequestModal #dialog { width: 76; }
    AnswerRequestModal #request-text { margin-bottom: 1; }
    """

    def __init__(
        self,
        case_id: int,
        code: str,
        request: InformationRequest,
        ledger: ConsentLedger,
        now: dt.datetime,
    ) -> None:
        super().__init__()
        self.case_id = case_id
        self.code = code
        self.request = request
        self.ledger = ledger
        self.now = now

    def title_text(self) -> str:
        return _("Answer an information request in case {code}").format(code=self.code)

    def fields(self) -> Iterable[Widget]:
        yield Static(request_text(self.request), id="request-text")
        answers = [(Text(label(ANSWER_LABELS, a)), a) for a in ANSWERS]
        yield FormField(
            _("Your answer"), Select(answers, id="answer", prompt=_("Choose")), field="answer"
        )
        yield from answer_details(self.ledger, self.now)

    def build(self) -> Store | list[tuple[str, str]]:
        answer_key = select_key(self.query_one("#answer", Select))
        answered = self.query_one("#answered", MomentField)
        problems = []
        if answer_key is None:
            problems.append(("answer", _("Choose how you answered.")))
        if answered.moment is None:
            problems.append(("answered_at", answered.problem or ""))
        if problems or answer_key is None or answered.moment is None:
            return problems
        consent_id = select_key(self.query_one("#consent", Select))
        request_id = self.request.id
        assert request_id is not None
        answer = InformationAnswer(
            request_id=request_id,
            answer=answer_key,
            answered_at=answered.moment,
            consent_id=consent_id if answer_key == "answered_with_consent" else None,
            note=input_text(self.query_one("#note", Input)) or "",
        )
        now = self.context.now()

        def store(vault: Vault) -> int:
            from confidant_tui.services.consent import answer_information_request

            return answer_information_request(vault, request_id, answer, now=now)

        return store
