"""Provides the palette commands of single screens: the case file and a protocol procedure.

Each screen's `palette_commands()` returns its tuple here; the palette offers them while
that screen is on top, and the help screen lists them. Titles and help are English ids
marked with `N_()` (see `ui/commands.py`).
"""

from __future__ import annotations

from confidant_tui.i18n import N_
from confidant_tui.ui.commands import PaletteCommand

CASE_FILE_COMMANDS: tuple[PaletteCommand, ...] = (
    PaletteCommand(
        N_("Add a conversation"),
        N_("Record a conversation in this case"),
        "screen.new_conversation",
        "c",
    ),
    PaletteCommand(
        N_("Change the status"),
        N_("Aftercare, close or reopen this case"),
        "screen.change_status",
        "s",
    ),
    PaletteCommand(
        N_("Add a route"),
        N_("Complaint, report, informal or external route"),
        "screen.add_route",
        "r",
    ),
    PaletteCommand(
        N_("Add a referral"),
        N_("Refer the reporter to other help"),
        "screen.add_referral",
        "d",
    ),
    PaletteCommand(
        N_("Referral letter"),
        N_("A letter to the bedrijfsarts, the Huis voor Klokkenluiders or others, with consent"),
        "screen.referral_letter",
        "l",
    ),
    PaletteCommand(
        N_("Edit the facts"), N_("Change the facts of this case"), "screen.edit_facts", "e"
    ),
    PaletteCommand(
        N_("Show or hide the identity"),
        N_("The reporter's name and contact"),
        "screen.toggle_identity",
        "i",
    ),
    PaletteCommand(
        N_("Earlier versions"),
        N_("Texts of the conversation before editing"),
        "screen.versions",
        "h",
    ),
    PaletteCommand(
        N_("Protocol procedure"),
        N_("Break confidentiality step by step (vertrouwelijk, tenzij)"),
        "screen.procedure",
        "p",
    ),
    PaletteCommand(
        N_("Record a consent"),
        N_("What the reporter agreed to share, with whom"),
        "screen.consent",
        "t",
    ),
    PaletteCommand(
        N_("Withdraw a consent"),
        N_("The reporter withdrew a consent"),
        "screen.withdraw_consent",
        "w",
    ),
    PaletteCommand(
        N_("Information request"),
        N_("Someone asked about this case; your answer"),
        "screen.information_request",
        "v",
    ),
    PaletteCommand(
        N_("Answer an information request"),
        N_("The answer to a request recorded without one"),
        "screen.answer_request",
        "a",
    ),
    PaletteCommand(
        N_("Add an addendum to a consent or request"),
        N_("A dated note on the highlighted entry; the entry stays as recorded"),
        "screen.ledger_addendum",
        "n",
    ),
    PaletteCommand(
        N_("Change the identity"),
        N_("The reporter's name and contact, shown only when you ask"),
        "screen.edit_identity",
        "I",
    ),
    PaletteCommand(
        N_("Counting in the yearly report"),
        N_("Leave this case out of the yearly report, or count it again"),
        "screen.statistics_opt_out",
        "o",
    ),
)
"""The case file's own commands (`CaseFileScreen`)."""

PROTOCOL_COMMANDS: tuple[PaletteCommand, ...] = (
    PaletteCommand(
        N_("Record a protocol step"),
        N_("Condition, consent attempt, consultation, informing, justification"),
        "screen.step_menu",
        "s",
    ),
    PaletteCommand(
        N_("Record the disclosure"),
        N_("Refused, with the reason, while a step is missing"),
        "screen.step('disclosure')",
        "d",
    ),
    PaletteCommand(
        N_("Add an addendum"),
        N_("A note pointing to the highlighted step; the step stays"),
        "screen.correct",
        "c",
    ),
    PaletteCommand(
        N_("Decide not to disclose"),
        N_("Close this procedure without breaking confidentiality"),
        "screen.step('abandonment')",
        "x",
    ),
)
"""A protocol procedure's own commands (`ProtocolScreen`)."""
