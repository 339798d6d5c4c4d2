"""Provides the organisation's rules applied to a route: warnings and what a manner means.

Codes of conduct differ on the points that decide whether a route is open to the reporter:
how long after the incident a complaint can be filed, whether a complaint or melding may be
anonymous or made confidentially via the adviser, whether the adviser may mediate
(DOMAIN.md §5). These checks never block saving (the adviser decides, with the reporter);
they are shown in the route dialog before saving and in the case file. Pure functions: the
day is always passed in.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from confidant_tui.domain.cases import CaseFacts, Route
from confidant_tui.domain.organisation import OrganisationRules
from confidant_tui.domain.taxonomy import Taxonomy
from confidant_tui.i18n import N_, _, format_date, ngettext

COMPLAINT = "formal.complaint"
MELDING_ROUTES: tuple[str, ...] = ("formal.integrity_report", "external.whistleblower_authority")
MEDIATION = "informal.mediation"
WARN_MONTHS = 3
"""The complaint period is flagged this many months before it ends."""

MANNER_DUTIES: dict[str, str] = {
    "named": N_(
        "Named: the reporter makes the report in their own name. What they told you stays "
        "confidential all the same; share nothing beyond the report without their consent."
    ),
    "confidential": N_(
        "Confidential via you: only you know the reporter's identity. Never give it to the "
        "integrity desk, not even when asked; keep the identity apart (in the identity "
        "field, never in notes or letters) and pass on only what cannot reveal the reporter."
    ),
    "anonymous": N_(
        "Anonymous: nobody is told who reports, and the desk cannot ask the reporter "
        "anything back. Leave out every detail that could reveal the reporter; you keep the "
        "identity secret as well."
    ),
}
"""What each manner of a complaint or melding means for what the adviser must keep secret."""


@dataclass(frozen=True)
class RouteWarning:
    """One point the adviser should weigh before (or after) recording a route.

    Attributes:
        kind: what it is about (`period_passed`, `period_ending`, `complaint_anonymous`,
            `complaint_written`, `melding_anonymous`, `melding_confidential`, `mediation`),
            for tests and styling.
        text: the translated message.
        reminder: True for a reminder (the rule holds, nothing is wrong yet).
    """

    kind: str
    text: str
    reminder: bool = False


def add_years(day: dt.date, years: int) -> dt.date:
    """`day` moved `years` years on; 29 February falls on 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def months_before(day: dt.date, months: int) -> dt.date:
    """`day` moved `months` months back; a day the month lacks falls on its last day."""
    return months_after(day, -months)


def months_after(day: dt.date, months: int) -> dt.date:
    """`day` moved `months` months on; a day the month lacks falls on its last day
    (30 November + 3 months is 28 February, or 29 February in a leap year)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def complaint_start(facts: CaseFacts, opened: dt.date) -> dt.date:
    """The day the complaint period counts from: the last incident, else the first, else
    the opening of the case."""
    return facts.last_incident or facts.first_incident or opened


def complaint_deadline(facts: CaseFacts, opened: dt.date, rules: OrganisationRules) -> dt.date:
    """The last day a complaint can be filed under `rules` (the period counts from
    `complaint_start`)."""
    return add_years(complaint_start(facts, opened), rules.complaint_period_years)


def route_warnings(
    route: Route,
    facts: CaseFacts,
    opened: dt.date,
    rules: OrganisationRules,
    today: dt.date,
) -> list[RouteWarning]:
    """What the organisation's rules say about `route` in this case.

    Args:
        route: the route (possibly not saved yet).
        facts: the case's facts (incident dates).
        opened: the case's opening date.
        rules: the rules of the case's organisation.
        today: the adviser's today (a filed complaint is judged on its filing date).

    Returns:
        The warnings and reminders, in a stable order; empty when there is nothing to say.
    """
    found: list[RouteWarning] = []
    if route.route == COMPLAINT:
        found += _period_warnings(route, facts, opened, rules, today)
        if route.manner == "anonymous" and not rules.complaint_anonymous:
            found.append(
                RouteWarning(
                    "complaint_anonymous",
                    _("This organisation does not accept anonymous complaints."),
                )
            )
        if rules.complaint_written_only:
            found.append(
                RouteWarning(
                    "complaint_written",
                    _("A complaint must be made in writing, dated and signed by the complainant."),
                    reminder=True,
                )
            )
    elif route.route in MELDING_ROUTES:
        if route.manner == "anonymous" and not rules.melding_anonymous:
            found.append(
                RouteWarning(
                    "melding_anonymous",
                    _("This organisation does not accept anonymous meldingen."),
                )
            )
        if route.manner == "confidential" and not rules.melding_confidential:
            found.append(
                RouteWarning(
                    "melding_confidential",
                    _(
                        "This organisation does not accept a melding made confidentially "
                        "via the adviser."
                    ),
                )
            )
    elif route.route == MEDIATION and not rules.adviser_may_mediate:
        found.append(
            RouteWarning(
                "mediation",
                _(
                    "This organisation does not let the adviser mediate: someone else must "
                    "be the mediator."
                ),
            )
        )
    return found


def complaint_period_warnings(
    facts: CaseFacts, opened: dt.date, rules: OrganisationRules, today: dt.date
) -> list[RouteWarning]:
    """The complaint period check for a complaint not filed yet (a draft complaint): passed,
    or ending within three months (`WARN_MONTHS`)."""
    return _period_warnings(Route(COMPLAINT, today), facts, opened, rules, today)


def _period_warnings(
    route: Route,
    facts: CaseFacts,
    opened: dt.date,
    rules: OrganisationRules,
    today: dt.date,
) -> list[RouteWarning]:
    deadline = complaint_deadline(facts, opened, rules)
    years = rules.complaint_period_years
    reference = route.filed or today
    if reference > deadline:
        return [
            RouteWarning(
                "period_passed",
                ngettext(
                    "The complaint period of {years} year ended on {date}; the committee "
                    "may declare the complaint inadmissible.",
                    "The complaint period of {years} years ended on {date}; the committee "
                    "may declare the complaint inadmissible.",
                    years,
                ).format(years=years, date=format_date(deadline)),
            )
        ]
    if route.filed is None and today >= months_before(deadline, WARN_MONTHS):
        return [
            RouteWarning(
                "period_ending",
                ngettext(
                    "The complaint period of {years} year ends on {date}.",
                    "The complaint period of {years} years ends on {date}.",
                    years,
                ).format(years=years, date=format_date(deadline)),
            )
        ]
    return []


def manner_duty(manner: str | None) -> str:
    """What `manner` means for what the adviser must keep secret ("" for none)."""
    return _(MANNER_DUTIES[manner]) if manner in MANNER_DUTIES else ""


def escalation_text(rules: OrganisationRules, taxonomy: Taxonomy) -> str:
    """The organisation's escalation chain as labels (`Local branch → Region`), or ""."""
    labels = [
        taxonomy.label("level", key) if taxonomy.is_valid("level", key) else key
        for key in rules.escalation
    ]
    return " → ".join(labels)
