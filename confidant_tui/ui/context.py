"""Provides `AppContext`: everything a screen may ask of the app, built once by `make_app`.

Context is passed, not discovered. `make_app` builds one `AppContext` (the session with the
open vault, the settings, the taxonomy with the organisations' own terms, the clock) and the app
holds it as `app.context`; screens and dialogs reach it through `context_of(self.app)` (or the
`context` property of `BaseScreen` and `BaseModal`) and hand what they read from it to the
services: `context.vault`, `taxonomy=context.taxonomy`, `today=context.today()`,
`now=context.now()`. Tests build the app with a `FixedClock` and move it by hand.

The organisations (with their rules) are read from the vault when it is unlocked and after
the organisations screen changed one (`with_organisations`); the taxonomy then knows their
own units, destinations and measures.

Screens never keep a `Vault`: they ask `context.vault` at the moment a worker calls a
service, and get `VaultLocked` once the app is locked. New settings (the settings screen)
replace the whole context (`with_settings`): it is frozen, so nobody sees half of a change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from textual.app import App

from confidant_tui.domain.clock import Clock
from confidant_tui.domain.protocol_time import to_minute
from confidant_tui.domain.taxonomy import Taxonomy
from confidant_tui.i18n import _
from confidant_tui.services.session import Session
from confidant_tui.services.shipped_taxonomy import load_taxonomy
from confidant_tui.settings import Settings

if TYPE_CHECKING:
    # The organisations' code (and through it the vault's) is imported when first needed,
    # after unlocking: the app's first frame, the unlock screen, needs none of it.
    from confidant_tui.services.organisations import Organisation, OrganisationRules
    from confidant_tui.services.vaults import Vault


@dataclass(frozen=True)
class AppContext:
    """What the app shares with its screens.

    Attributes:
        session: holds the vault path and the open vault (or none while locked).
        settings: the adviser's settings.
        clock: today, now and idle seconds (`SystemClock`; tests pass a `FixedClock`).
        organisations: the vault's organisations with their rules (empty while locked).
        own_taxonomy: the shipped taxonomy plus the organisations' own terms, once the
            organisations are known (None: the shipped taxonomy); read `taxonomy`.
    """

    session: Session
    settings: Settings
    clock: Clock
    organisations: tuple[Organisation, ...] = ()
    own_taxonomy: Taxonomy | None = None

    @classmethod
    def build(cls, session: Session, settings: Settings, clock: Clock) -> AppContext:
        """The context for `settings`, with the shipped taxonomy (no vault read yet)."""
        return cls(session, settings, clock)

    @property
    def taxonomy(self) -> Taxonomy:
        """The shipped taxonomy plus the organisations' own terms. The shipped one is read
        when first asked for: the app's first frame, the unlock screen, needs none."""
        return self.own_taxonomy if self.own_taxonomy is not None else load_taxonomy()

    def with_settings(self, settings: Settings) -> AppContext:
        """The same context with new settings."""
        return replace(self, settings=settings)

    def with_organisations(self, organisations: Iterable[Organisation]) -> AppContext:
        """The same context with the vault's organisations (and their own terms)."""
        from confidant_tui.services.organisations import taxonomy as organisation_taxonomy

        found = tuple(organisations)
        return replace(self, organisations=found, own_taxonomy=organisation_taxonomy(found))

    def rules_of(self, name: str | None) -> OrganisationRules:
        """The rules of the organisation called `name` (the defaults when unknown)."""
        from confidant_tui.services.organisations import OrganisationRules

        for organisation in self.organisations:
            if organisation.name == name:
                return organisation.rules
        return OrganisationRules()

    @property
    def active_organisations(self) -> tuple[Organisation, ...]:
        """The organisations new cases can be opened for (not archived)."""
        return tuple(o for o in self.organisations if o.active)

    @property
    def vault(self) -> Vault:
        """The open vault, for calling services in a worker.

        Raises:
            VaultLocked: the app is locked.
        """
        return self.session.vault

    def today(self) -> dt.date:
        """Today's date by the app's clock."""
        return self.clock.today()

    def now(self) -> dt.datetime:
        """The current moment by the app's clock, to the minute (the protocol's precision)."""
        return to_minute(self.clock.now())

    @property
    def organisation(self) -> str:
        """The organisation a new case belongs to when the adviser names none."""
        from confidant_tui.services.organisations import default_organisation

        default = default_organisation(self.organisations)
        return default.name if default is not None else _("My organisation")


@runtime_checkable
class HoldsContext(Protocol):
    """What `ConfidantApp` offers its screens (checked here, so screens need not import it)."""

    context: AppContext

    def apply_settings(self, settings: Settings) -> None:
        """Uses new settings from now on (replaces the context)."""
        ...

    def apply_organisations(self, organisations: Iterable[Organisation]) -> None:
        """Uses the vault's organisations as they are now (replaces the context)."""
        ...


def _holder(app: App[Any]) -> HoldsContext:
    if not isinstance(app, HoldsContext):
        raise TypeError("a Confidant screen needs the app built by make_app")
    return app


def context_of(app: App[Any]) -> AppContext:
    """The context of a Confidant app (`app.context`, set by `make_app`).

    Raises:
        TypeError: `app` is not a Confidant app built by `make_app`.
    """
    return _holder(app).context


def apply_settings(app: App[Any], settings: Settings) -> None:
    """Makes the app use `settings` from now on (the settings screen, after saving them)."""
    _holder(app).apply_settings(settings)


def apply_organisations(app: App[Any], organisations: Iterable[Organisation]) -> None:
    """Makes the app use the vault's organisations as they are now (the organisations screen,
    after a change): the taxonomy and the intake see their rules and own terms at once."""
    _holder(app).apply_organisations(organisations)
