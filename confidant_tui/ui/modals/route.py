"""Provides `RouteModal`: records a route the reporter takes, or its milestones later.

A formal complaint or integrity report has legal terms (acknowledgement within 7 days,
feedback within 3 months), so the milestones are dates the adviser fills in as they come.
The case's organisation has its own rules (complaint period, anonymous or confidential
complaints and meldingen, mediation by the adviser): the dialog shows what they say about
the route as it is being filled in (`domain.route_rules`), and for a complaint or melding
what the manner chosen means for what the adviser must keep secret. Warnings never block
saving: the adviser decides, with the reporter.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from rich.text import Text
from textual import on
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Input, Select, Static

from confidant_tui.domain.cases import MANNER_ROUTES, ROUTE_MILESTONES, Case, CaseFacts, Route
from confidant_tui.domain.organisation import OrganisationRules
from confidant_tui.domain.route_rules import (
    COMPLAINT,
    RouteWarning,
    escalation_text,
    manner_duty,
    route_warnings,
)
from confidant_tui.domain.taxonomy import Taxonomy
from confidant_tui.i18n import N_, _
from confidant_tui.services.cases import load_taxonomy
from confidant_tui.services.vaults import Vault
from confidant_tui.ui.modals.form_modal import FormModal, Store
from confidant_tui.ui.presenters.literal import literal_text
from confidant_tui.ui.widgets.date_field import DateField
from confidant_tui.ui.widgets.form_field import FormField
from confidant_tui.ui.widgets.taxonomy_picker import KeySelect

MILESTONE_LABELS: dict[str, str] = {
    "filed": N_("Filed on"),
    "acknowledged": N_("Acknowledged on"),
    "feedback": N_("Feedback on"),
    "ended": N_("Ended on"),
}


class RouteModal(FormModal):
    """Asks for the route, its start date, milestones, manner, outcome and measure; adds or
    updates the route.

    Args:
        case_id: the case.
        code: its code (for the heading).
        taxonomy: for the route labels.
        today: the default start date.
        route: the route to update (None: a new route).
        case: the case itself, for its organisation's rules and its incident dates (without
            it the default rules and the opening on `today` are assumed).
    """

    DEFAULT_CSS = """
    RouteModal #dialog { width: 76; }
    RouteModal #warnings { color: $warning; margin-bottom: 1; }
    RouteModal #manner-duty, RouteModal #escalation { color: $text-muted; margin-bottom: 1; }
    """

    def __init__(
        self,
        case_id: int,
        code: str,
        taxonomy: Taxonomy,
        today: dt.date,
        route: Route | None = None,
        *,
        case: Case | None = None,
    ) -> None:
        super().__init__()
        self.case_id = case_id
        self.code = code
        self.taxonomy = taxonomy
        self.today = today
        self.route = route
        self.case = case

    @property
    def rules(self) -> OrganisationRules:
        """The rules of the case's organisation."""
        return self.context.rules_of(self.case.facts.organisation if self.case else None)

    def title_text(self) -> str:
        if self.route is not None:
            return _("Route in case {code}").format(code=self.code)
        return _("New route in case {code}").format(code=self.code)

    def fields(self) -> Iterable[Widget]:
        route = self.route
        yield FormField(
            _("Route"),
            KeySelect(
                self.taxonomy,
                "route",
                route.route if route else None,
                id="route",
                prompt=_("Choose"),
            ),
            field="route",
        )
        yield FormField(
            _("Started on"),
            DateField(route.date if route else self.today, today=self.today, id="date"),
            field="date",
        )
        yield FormField(
            _("How the report is made"),
            KeySelect(
                self.taxonomy,
                "manner",
                route.manner if route else None,
                id="manner",
                prompt=_("Not recorded"),
            ),
            field="manner",
        )
        yield Static(id="manner-duty")
        yield Static(id="escalation")
        yield Static(id="warnings")
        for pair in (ROUTE_MILESTONES[:2], ROUTE_MILESTONES[2:]):
            yield Horizontal(self._milestone(pair[0]), self._milestone(pair[1]), classes="pair")
        yield FormField(
            _("Outcome of the route"),
            KeySelect(
                self.taxonomy,
                "route_outcome",
                route.outcome if route else None,
                id="outcome",
                prompt=_("Not recorded"),
            ),
            field="outcome",
        )
        own = tuple(m.key for m in self.rules.measures)
        yield FormField(
            _("Measure taken"),
            KeySelect(
                self.taxonomy,
                "measure",
                route.measure if route else None,
                keys=load_taxonomy().keys("measure") + own,
                id="measure",
                prompt=_("Not recorded"),
            ),
            field="measure",
        )

    def _milestone(self, name: str) -> FormField:
        value = getattr(self.route, name) if self.route else None
        return FormField(
            _(MILESTONE_LABELS[name]), DateField(value, today=self.today, id=name), field=name
        )

    def on_mount(self) -> None:
        # FormModal's own on_mount runs as well (Textual calls each class's handler).
        self._show_rules()

    @on(Select.Changed)
    @on(Input.Changed, "#filed")
    def _show_rules(self) -> None:
        """Shows what the organisation's rules say about the route as it stands now."""
        key = self.query_one("#route", KeySelect).key
        manner = self.query_one("#manner", KeySelect).key if key in MANNER_ROUTES else None
        for form_field in self.query(FormField):
            if form_field.field == "manner":
                form_field.display = key in MANNER_ROUTES
        self.query_one("#manner-duty", Static).update(manner_duty(manner))
        self.query_one("#manner-duty", Static).display = manner is not None
        chain = escalation_text(self.rules, self.context.taxonomy) if key == COMPLAINT else ""
        escalation = self.query_one("#escalation", Static)
        escalation.update(
            literal_text(_("Escalation chain: {chain}").format(chain=chain)) if chain else ""
        )
        escalation.display = bool(chain)
        found = self._warnings(key, manner)
        text = Text()
        for warning in found:
            text.append(("• " if warning.reminder else "⚠ ") + warning.text + "\n")
        text.rstrip()
        warnings = self.query_one("#warnings", Static)
        warnings.update(text)
        warnings.display = bool(found)

    def _warnings(self, key: str | None, manner: str | None) -> list[RouteWarning]:
        if key is None:
            return []
        filed = self.query_one("#filed", DateField)
        start = self.query_one("#date", DateField)
        opened = self.case.opened if self.case else self.today
        facts = self.case.facts if self.case else CaseFacts("", ())
        probe = Route(
            key,
            start.date if not start.problem and start.date else self.today,
            filed=None if filed.problem else filed.date,
            manner=manner,
        )
        return route_warnings(probe, facts, opened, self.rules, self.context.today())

    def build(self) -> Store | list[tuple[str, str]]:
        key = self.query_one("#route", KeySelect).key
        problems: list[tuple[str, str]] = []
        if key is None:
            problems.append(("route", _("Choose the route.")))
        dates: dict[str, dt.date | None] = {}
        for name in ("date", *ROUTE_MILESTONES):
            field = self.query_one(f"#{name}", DateField)
            if field.problem:
                problems.append((name, field.problem))
            dates[name] = field.date
        if dates["date"] is None and not any(p[0] == "date" for p in problems):
            problems.append(("date", _("Give the date the route started.")))
        if problems or key is None or dates["date"] is None:
            return problems
        route = Route(
            key,
            dates["date"],
            filed=dates["filed"],
            acknowledged=dates["acknowledged"],
            feedback=dates["feedback"],
            ended=dates["ended"],
            manner=self.query_one("#manner", KeySelect).key if key in MANNER_ROUTES else None,
            outcome=self.query_one("#outcome", KeySelect).key,
            measure=self.query_one("#measure", KeySelect).key,
        )
        case_id, today, taxonomy = self.case_id, self.context.today(), self.context.taxonomy
        route_id = self.route.id if self.route else None

        def store(vault: Vault) -> None:
            from confidant_tui.services.cases import add_route, update_route

            if route_id is None:
                add_route(vault, case_id, route, today=today, taxonomy=taxonomy)
            else:
                update_route(vault, route_id, route, today=today, taxonomy=taxonomy)

        return store
