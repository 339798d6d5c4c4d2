"""Provides `DeadlineMarkModal`: marks a deadline done, snoozes it to a day, or records the
one extension of a report's feedback term, always with the adviser's reason.

Three acts share the dialog (`act`):

- `done`: the deadline is handled; it leaves the today view (audited `deadline.done`).
- `snoozed`: hidden until a day after today, on which it is back (audited
  `deadline.snoozed`).
- `extend`: the feedback term of an integrity report or a report to the whistleblower
  authority is extended once by three months (audited `route.extended`); only for a
  `report_feedback` item.

The reason is required and kept in the vault (never in the audit log). A refusal (an empty
reason, a day that cannot be read or is not after today, a deadline that no longer exists)
is shown in the dialog next to its field; what was typed stays.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual.widget import Widget
from textual.widgets import Static

from confidant_tui.domain.deadlines import DueItem, describe, timing
from confidant_tui.errors import InvalidInput, ValidationError
from confidant_tui.i18n import _
from confidant_tui.services import deadlines
from confidant_tui.services.vaults import Vault
from confidant_tui.ui.modals.form_modal import FormModal, Store
from confidant_tui.ui.presenters.literal import literal_text, neutralise
from confidant_tui.ui.widgets.date_field import DateField
from confidant_tui.ui.widgets.form_field import FormField
from confidant_tui.ui.widgets.literal_fields import LiteralInput

ACTS = ("done", "snoozed", "extend")
"""What the dialog records."""


def route_id_of(item: DueItem) -> int | None:
    """The route a report item is about (its subject is "route:<id>"), None otherwise."""
    kind, _sep, number = item.deadline.subject.partition(":")
    if kind != "route" or not number.isdigit():
        return None
    return int(number)


class DeadlineMarkModal(FormModal):
    """Asks the reason (and for a snooze the day) and records the act on `item`.

    Args:
        item: the due item under the cursor of the today view.
        act: one of `ACTS`.
    """

    DEFAULT_CSS = """
    DeadlineMarkModal #dialog { width: 72; }
    DeadlineMarkModal #about { margin-bottom: 1; }
    """

    def __init__(self, item: DueItem, act: str) -> None:
        if act not in ACTS:
            raise ValueError(f"unknown act {act!r}")
        super().__init__()
        self.item = item
        self.act = act

    def title_text(self) -> str:
        code = self.item.deadline.code
        shown = neutralise(code, single_line=True) if code else ""  # the title is plain text
        if self.act == "done":
            title = _("Mark as done")
        elif self.act == "snoozed":
            title = _("Snooze until a later day")
        else:
            title = _("Extend the feedback term once")
        return f"{title} · {shown}" if shown else title

    def fields(self) -> Iterable[Widget]:
        deadline = self.item.deadline
        about = literal_text(describe(deadline))
        about.append(" · ")
        about.append(timing(self.item, self.context.today()))
        if self.act == "extend":
            about.append("\n")
            about.append(
                _(
                    "Some schemes allow one extension of three months; the term then runs "
                    "three months longer. This cannot be undone."
                )
            )
        yield Static(about, id="about")
        if self.act == "extend":
            hint = _("Kept with the report; the audit log keeps only that it was extended.")
        else:
            hint = _("Kept with the deadline; the audit log keeps only its kind and day.")
        yield FormField(_("Reason"), LiteralInput(id="reason"), hint=hint, field="reason")
        if self.act == "snoozed":
            yield FormField(
                _("Snooze until (a day after today)"),
                DateField(today=self.context.today(), id="until"),
                field="until",
            )

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#reason", LiteralInput).focus()

    def build(self) -> Store | list[tuple[str, str]]:
        problems: list[tuple[str, str]] = []
        reason = self.query_one("#reason", LiteralInput).stored_value.strip()
        if not reason:
            problems.append(("reason", _("Give a reason, in a few words.")))
        until = None
        if self.act == "snoozed":
            field = self.query_one("#until", DateField)
            until = field.date
            if field.problem:
                problems.append(("until", field.problem))
            elif until is None:
                problems.append(("until", _("Enter the day the item comes back.")))
            elif until <= self.context.today():
                problems.append(("until", _("Snooze to a day after today.")))
        if problems:
            return problems
        deadline, act = self.item.deadline, self.act
        settings, now = self.context.settings, self.context.now()
        route_id = route_id_of(self.item)

        def store(vault: Vault) -> None:
            try:
                if act == "done":
                    deadlines.mark_done(vault, deadline, reason=reason, now=now, settings=settings)
                elif act == "snoozed":
                    assert until is not None
                    deadlines.snooze(
                        vault, deadline, until=until, reason=reason, now=now, settings=settings
                    )
                else:
                    if route_id is None:
                        raise InvalidInput(
                            _(
                                "Only the feedback term of an integrity report or a report "
                                "to the whistleblower authority can be extended."
                            )
                        )
                    deadlines.extend_feedback(vault, route_id, reason=reason, now=now)
            except ValidationError:
                raise
            except InvalidInput as error:  # NotFound too: the dialog says why
                raise ValidationError(error.message) from error

        return store
