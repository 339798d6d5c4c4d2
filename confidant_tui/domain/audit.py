"""Provides the audit log's vocabulary: the stable action keys, an entry, and a filter.

An entry says what was done, when, and to which case (its code), never with what content:
no note text, no names, no typed values. `detail` carries at most a non-content fact (a
count, a file format, a status key, a count of failed tries). The keys are a contract
(`confidant audit --json` prints them): never rename one, only add.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from confidant_tui.i18n import N_, _

ACTIONS: dict[str, str] = {
    "vault.unlocked": N_("Vault unlocked"),
    "vault.locked": N_("Vault locked"),
    "vault.rollback_accepted": N_("Vault opened although saves were missing"),
    "vault.restored": N_("Vault restored from a backup"),
    "audit.tail_cut": N_("The end of the audit log was found cut off"),
    "passphrase.changed": N_("Passphrase changed"),
    "passphrase.recovered": N_("New passphrase set with the recovery key"),
    "recovery_key.replaced": N_("New recovery key made"),
    "key_derivation.strengthened": N_("Key derivation strengthened"),
    "settings.changed": N_("Settings changed"),
    "organisation.added": N_("Organisation added"),
    "organisation.changed": N_("Organisation changed"),
    "case.created": N_("Case created"),
    "case.changed": N_("Case facts changed"),
    "case.identity_changed": N_("Reporter's identity changed"),
    "case.status": N_("Case status changed"),
    "case.closed": N_("Case closed"),
    "case.destroyed": N_("Case destroyed"),
    "conversation.added": N_("Conversation added"),
    "conversation.edited": N_("Conversation edited"),
    "route.added": N_("Route added"),
    "route.changed": N_("Route changed"),
    "referral.added": N_("Referral added"),
    "letter.made": N_("Referral letter made"),
    "consent.recorded": N_("Consent recorded"),
    "consent.withdrawn": N_("Consent withdrawn"),
    "ledger.addendum": N_("Addendum to the consent ledger"),
    "statistics.opted_out": N_("Case left out of the yearly report"),
    "statistics.opted_in": N_("Case counted in the yearly report again"),
    "protocol.step": N_("Protocol step recorded"),
    "information_request.recorded": N_("Information request recorded"),
    "information_request.answered": N_("Information request answered"),
    "activity.recorded": N_("Work outside cases recorded"),
    "activity.changed": N_("Work outside cases changed"),
    "activity.deleted": N_("Work outside cases deleted"),
    "export.report": N_("Report written to a file"),
    "export.report_published": N_("Yearly report published"),
    "export.letter": N_("Letter written to a file"),
    "export.backup": N_("Backup made"),
    "import.cases": N_("Cases imported"),
    "retention.postponed": N_("Destruction postponed"),
    "deadline.done": N_("Deadline marked done"),
    "deadline.snoozed": N_("Deadline snoozed"),
    "route.extended": N_("Feedback term of a report extended"),
}
"""Every action key with its label (translated where shown)."""


def action_label(action: str) -> str:
    """The adviser's name of an action (an unknown key, from a newer version, as itself)."""
    label = ACTIONS.get(action)
    return _(label) if label else action


@dataclass(frozen=True)
class AuditEntry:
    """One act in the audit log.

    Attributes:
        id: its place in the chain (1, 2, 3, ...).
        at: when it happened (local time, to the second).
        action: a key of `ACTIONS`.
        case_code: the case it concerned (kept after the case is destroyed), or None.
        detail: a non-content fact (a count, a format), or None.
    """

    id: int
    at: dt.datetime
    action: str
    case_code: str | None = None
    detail: str | None = None


@dataclass(frozen=True)
class AuditFilter:
    """Which entries to show: all of them when every field is None.

    Attributes:
        action: one action key.
        case_code: one case.
        since: the first day to show.
        until: the last day to show.
    """

    action: str | None = None
    case_code: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None


@dataclass(frozen=True)
class ChainCheck:
    """The outcome of verifying the chain.

    Attributes:
        count: how many entries were read.
        first_broken: the id of the first entry whose MAC fails (None: the chain holds).
        head: the last entry's MAC (32 zero bytes for an empty log).
    """

    count: int
    first_broken: int | None
    head: bytes

    @property
    def intact(self) -> bool:
        """Whether every entry's MAC holds."""
        return self.first_broken is None
