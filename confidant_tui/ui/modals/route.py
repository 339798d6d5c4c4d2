"""Provides `RouteModal`: records a route the reporter takes, or its milestones later.

A formal complaint or integrity report has legal terms (acknowledgement within 7 days,
feedback within 3 months), so the milestones are dates the adviser fills in as they come.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from textual.containers import Horizontal
from textual.widget import Widget

from confidant_tui.domain.cases import ROUTE_MILESTONES, Route
from confidant_tui.domain.taxonomy import Taxonomy
from confidant_tui.i18n import N_, _
from confidant_tui.services.vaults import Vault
from confidant_tui.ui.modals.form_modal import FormModal, Store
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
    """Asks for the route, its start date and milestones; adds or updates the route.

    Args:
        case_id: the case.
        code: its code (for the heading).
        taxonomy: for the route labels.
        today: the default start date.
        route: the route to update (None: a new route).
    """

    def __init__(
        self,
        case_id: int,
        code: str,
        taxonomy: Taxonomy,
        today: dt.date,
        route: Route | None = None,
    ) -> None:
        super().__init__()
        self.case_id = case_id
        self.code = code
        self.taxonomy = taxonomy
        self.today = today
        self.route = route

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
        for pair in (ROUTE_MILESTONES[:2], ROUTE_MILESTONES[2:]):
            yield Horizontal(self._milestone(pair[0]), self._milestone(pair[1]), classes="pair")

    def _milestone(self, name: str) -> FormField:
        value = getattr(self.route, name) if self.route else None
        return FormField(
            _(MILESTONE_LABELS[name]), DateField(value, today=self.today, id=name), field=name
        )

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
