"""Provides `PeopleEditor`: the people involved in a case, one row each, by alias only.

Each row holds an alias ("B."), a role (accused, witness, other) and, for the accused, the
relation to the reporter. Rows are added with the "Add person" button and removed with
their own; `people` gives the `Person` objects, `draft` plain values that survive a lock.
Adding or removing a row posts `ValueChanged`, so a problem shown under the list goes as
typing in a row does (see `FormField`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input

from confidant_tui.domain.cases import Person
from confidant_tui.domain.taxonomy import Taxonomy
from confidant_tui.i18n import _
from confidant_tui.ui.widgets.form_field import ValueChanged
from confidant_tui.ui.widgets.literal_fields import LiteralInput
from confidant_tui.ui.widgets.taxonomy_picker import KeySelect


class PersonRow(Horizontal):
    """One person involved: alias, role, relation and a remove button."""

    DEFAULT_CSS = """
    PersonRow { height: auto; }
    PersonRow > Input { width: 14; }
    PersonRow > KeySelect { width: 1fr; }
    PersonRow > Button { min-width: 5; width: 5; }
    """

    def __init__(self, taxonomy: Taxonomy, values: dict[str, Any] | None = None) -> None:
        super().__init__()
        self.taxonomy = taxonomy
        self.values = values or {}

    def compose(self) -> ComposeResult:
        yield LiteralInput(
            self.values.get("alias") or "", placeholder=_("Alias, e.g. B."), classes="alias"
        )
        yield KeySelect(
            self.taxonomy,
            "person_role",
            self.values.get("role") or "accused",
            allow_blank=False,
            classes="role",
        )
        yield KeySelect(
            self.taxonomy,
            "relation",
            self.values.get("relation"),
            prompt=_("Relation to the reporter"),
            classes="relation",
        )
        yield Button("×", classes="remove", tooltip=_("Remove this person"))

    def draft(self) -> dict[str, Any]:
        """The row's values as plain data."""
        return {
            "alias": self.query_one(".alias", LiteralInput).stored_value,
            "role": self.query_one(".role", KeySelect).key,
            "relation": self.query_one(".relation", KeySelect).key,
        }


class PeopleEditor(Vertical):
    """The list of people involved, editable.

    Args:
        taxonomy: the loaded taxonomy.
        people: the rows to show first, as `draft()` dictionaries.
        **kwargs: passed on to `Vertical` (id, ...).
    """

    DEFAULT_CSS = """
    PeopleEditor { height: auto; }
    PeopleEditor > #add-person { margin-top: 0; }
    """

    def __init__(
        self, taxonomy: Taxonomy, people: Iterable[dict[str, Any]] = (), **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self.taxonomy = taxonomy
        self._initial = list(people)

    def compose(self) -> ComposeResult:
        for values in self._initial:
            yield PersonRow(self.taxonomy, values)
        yield Button(_("Add person"), id="add-person")

    @on(Button.Pressed, "#add-person")
    async def _add(self, event: Button.Pressed) -> None:
        event.stop()
        row = PersonRow(self.taxonomy)
        await self.mount(row, before=self.query_one("#add-person"))
        row.query_one(".alias", Input).focus()
        self.post_message(ValueChanged())

    @on(Button.Pressed, ".remove")
    async def _remove(self, event: Button.Pressed) -> None:
        """Removes the row, then says the list changed (once the row is gone from it)."""
        event.stop()
        row = event.button.parent
        if isinstance(row, PersonRow):
            await row.remove()
            self.post_message(ValueChanged())

    def draft(self) -> list[dict[str, Any]]:
        """Every row's values as plain data, in order."""
        return [row.draft() for row in self.query(PersonRow)]

    @property
    def people(self) -> tuple[Person, ...]:
        """The people entered; rows left entirely empty are ignored."""
        result = []
        for values in self.draft():
            alias = (values["alias"] or "").strip() or None
            if alias is None and values["relation"] is None:
                continue
            result.append(Person(values["role"] or "accused", alias, values["relation"]))
        return tuple(result)


def person_draft(person: Person) -> dict[str, Any]:
    """A stored `Person` as a row's plain values."""
    return {"alias": person.alias or "", "role": person.role, "relation": person.relation}
