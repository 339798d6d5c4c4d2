"""Provides the readers of a case's lists in an interchange file: people, status, and events.

Each reader turns one raw list of the case object into domain objects, recording problems
(wrong types, missing required fields, unknown keys) on the `FieldReader`; the case rules are
checked afterwards, on the objects.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from confidant_tui.domain.case_rules import join
from confidant_tui.domain.cases import Conversation, Person, Referral, Route, StatusChange
from confidant_tui.domain.interchange_reader import FieldReader
from confidant_tui.i18n import _

PERSON_KEYS = ("alias", "role", "relation")
STATUS_KEYS = ("status", "date")
ROUTE_KEYS = (
    "route",
    "date",
    "filed",
    "acknowledged",
    "feedback",
    "ended",
    "manner",
    "outcome",
    "measure",
)
REFERRAL_KEYS = ("to", "date", "note")
CONVERSATION_KEYS = (
    "date",
    "time",
    "minutes",
    "mode",
    "notes",
    "advice",
    "next_steps",
    "follow_up",
)


def read_people(r: FieldReader, case: Mapping[str, Any], path: str) -> list[Person]:
    """The people involved (`people`), each with a role."""
    people = []
    for i, item in enumerate(r.items(case.get("people"), join(path, "people"))):
        ppath = join(path, f"people[{i}]")
        person = r.mapping(item, ppath, PERSON_KEYS)
        if person is None:
            continue
        person_role = r.text(person.get("role"), join(ppath, "role"))
        if person_role is None:
            r.add(join(ppath, "role"), _("The role of the person involved is missing."))
        people.append(
            Person(
                person_role or "",
                r.text(person.get("alias"), join(ppath, "alias")),
                r.text(person.get("relation"), join(ppath, "relation")),
            )
        )
    return people


def read_status_history(r: FieldReader, case: Mapping[str, Any], path: str) -> list[StatusChange]:
    """The status changes (`status`); incomplete entries are left out (and reported)."""
    history = []
    for i, item in enumerate(r.items(case.get("status"), join(path, "status"))):
        spath = join(path, f"status[{i}]")
        change = r.mapping(item, spath, STATUS_KEYS)
        if change is None:
            continue
        status = r.text(change.get("status"), join(spath, "status"))
        if status is None:
            r.add(join(spath, "status"), _("The status is missing."))
        date = r.date(change.get("date"), join(spath, "date"), required=True)
        if status is not None and date is not None:
            history.append(StatusChange(status, date))
    return history


def read_conversations(r: FieldReader, case: Mapping[str, Any], path: str) -> list[Conversation]:
    """The conversations (`conversations`)."""
    conversations = []
    for i, item in enumerate(r.items(case.get("conversations"), join(path, "conversations"))):
        cpath = join(path, f"conversations[{i}]")
        raw = r.mapping(item, cpath, CONVERSATION_KEYS)
        if raw is None:
            continue
        date = r.date(raw.get("date"), join(cpath, "date"), required=True)
        conversation = Conversation(
            date=date or dt.date.min,
            time=r.time(raw.get("time"), join(cpath, "time")),
            minutes=r.integer(raw.get("minutes"), join(cpath, "minutes")),
            mode=r.text(raw.get("mode"), join(cpath, "mode")),
            notes=r.text(raw.get("notes"), join(cpath, "notes")),
            advice=r.text(raw.get("advice"), join(cpath, "advice")),
            next_steps=r.text(raw.get("next_steps"), join(cpath, "next_steps")),
            follow_up=r.date(raw.get("follow_up"), join(cpath, "follow_up")),
        )
        conversations.append(conversation)
    return conversations


def read_routes(r: FieldReader, case: Mapping[str, Any], path: str) -> list[Route]:
    """The formal routes taken (`routes`), with their milestone dates."""
    routes = []
    for i, item in enumerate(r.items(case.get("routes"), join(path, "routes"))):
        rpath = join(path, f"routes[{i}]")
        raw = r.mapping(item, rpath, ROUTE_KEYS)
        if raw is None:
            continue
        key = r.text(raw.get("route"), join(rpath, "route"))
        if key is None:
            r.add(join(rpath, "route"), _("The route is missing."))
        date = r.date(raw.get("date"), join(rpath, "date"), required=True)
        filed, acknowledged, feedback, ended = (
            r.date(raw.get(name), join(rpath, name))
            for name in ("filed", "acknowledged", "feedback", "ended")
        )
        routes.append(
            Route(
                key or "",
                date or dt.date.min,
                filed=filed,
                acknowledged=acknowledged,
                feedback=feedback,
                ended=ended,
                manner=r.text(raw.get("manner"), join(rpath, "manner")),
                outcome=r.text(raw.get("outcome"), join(rpath, "outcome")),
                measure=r.text(raw.get("measure"), join(rpath, "measure")),
            )
        )
    return routes


def read_referrals(r: FieldReader, case: Mapping[str, Any], path: str) -> list[Referral]:
    """The referrals (`referrals`)."""
    referrals = []
    for i, item in enumerate(r.items(case.get("referrals"), join(path, "referrals"))):
        fpath = join(path, f"referrals[{i}]")
        raw = r.mapping(item, fpath, REFERRAL_KEYS)
        if raw is None:
            continue
        destination = r.text(raw.get("to"), join(fpath, "to"))
        if destination is None:
            r.add(join(fpath, "to"), _("The referral's destination is missing."))
        date = r.date(raw.get("date"), join(fpath, "date"), required=True)
        referrals.append(
            Referral(
                destination or "", date or dt.date.min, r.text(raw.get("note"), join(fpath, "note"))
            )
        )
    return referrals
