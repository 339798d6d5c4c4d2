"""Provides the registries of screens and command-palette commands.

Adding a screen that the adviser can open from the palette takes two lines here:

    SCREENS["case_list"] = "confidant_tui.ui.screens.case_list:CaseListScreen"
    COMMANDS.append(PaletteCommand(N_("Cases"), N_("Show the list of cases"),
                                   "open_screen('case_list')", key="f3"))

Screens are named as "module:Class" strings and imported only when opened, so this module
imports no screen (no import cycles) and a screen module may import anything. The screen
class must be constructible without arguments; `app.open_screen(name)` pushes it.
Commands that only make sense on one screen do not go here: give that screen a method
`palette_commands(self) -> Iterable[PaletteCommand]` and the palette offers them while the
screen is on top. Titles and help are English ids marked with `N_()`, translated when the
palette opens; list them in a `.po` catalogue like any other string.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from textual.screen import Screen

from confidant_tui.i18n import N_


@dataclass(frozen=True)
class PaletteCommand:
    """One entry of the command palette (and of the help screen).

    Attributes:
        title: English id (marked with `N_`) of the title the adviser searches for.
        help: English id of the line shown under the title.
        action: a Textual action run on the app, e.g. `"lock"` or `"open_screen('settings')"`.
        key: the key that does the same (None: palette only); the help screen shows it
            beside the command where that key runs it and is not listed already.
    """

    title: str
    help: str
    action: str
    key: str | None = None


SCREENS: dict[str, str] = {
    "home": "confidant_tui.ui.screens.case_list:CaseListScreen",
    "search": "confidant_tui.ui.screens.search:SearchScreen",
    "intake": "confidant_tui.ui.screens.intake:IntakeScreen",
    "help": "confidant_tui.ui.screens.help:HelpScreen",
    "settings": "confidant_tui.ui.screens.settings:SettingsScreen",
    "report": "confidant_tui.ui.screens.report:ReportScreen",
    "organisations": "confidant_tui.ui.screens.organisations:OrganisationsScreen",
    "activities": "confidant_tui.ui.screens.activities:ActivitiesScreen",
    "backup": "confidant_tui.ui.modals.backup:BackupModal",
    "retention": "confidant_tui.ui.screens.retention:RetentionScreen",
    "audit": "confidant_tui.ui.screens.audit:AuditScreen",
    "today": "confidant_tui.ui.screens.today:TodayScreen",
}
"""Screens that `app.open_screen(name)` can open, as "module:Class"."""

COMMANDS: list[PaletteCommand] = [
    PaletteCommand(N_("Home"), N_("Go back to the start screen"), "open_screen('home')"),
    PaletteCommand(N_("Cases"), N_("Go back to the list of cases"), "open_screen('home')"),
    PaletteCommand(N_("New case"), N_("Start the intake form"), "open_screen('intake')", key="n"),
    PaletteCommand(
        N_("Search notes"), N_("Search notes and case texts"), "open_screen('search')", key="/"
    ),
    PaletteCommand(
        N_("Work outside cases"),
        N_("Advice to the board, information sessions, peer supervision, training"),
        "open_screen('activities')",
    ),
    PaletteCommand(N_("Help"), N_("Show the keys and how Confidant works"), "help", key="f1"),
    PaletteCommand(N_("Settings"), N_("Idle lock, language, reminders"), "open_screen('settings')"),
    PaletteCommand(
        N_("Lock now"), N_("Close the vault until the passphrase is typed"), "lock", key="ctrl+l"
    ),
    PaletteCommand(N_("Quit"), N_("Lock the vault and leave Confidant"), "quit", key="ctrl+q"),
    PaletteCommand(
        N_("Yearly report"),
        N_("Figures for the board, with charts; publish"),
        "open_screen('report')",
    ),
    PaletteCommand(
        N_("Organisations"),
        N_("The organisations you serve and their rules"),
        "open_screen('organisations')",
    ),
    PaletteCommand(
        N_("Make a backup"),
        N_("An encrypted copy of the vault, checked after writing"),
        "open_screen('backup')",
    ),
    PaletteCommand(
        N_("Due for destruction"),
        N_("Closed cases to destroy or postpone, and what stays of them"),
        "open_screen('retention')",
        key="d",
    ),
    PaletteCommand(
        N_("Audit log"),
        N_("Every act recorded, newest first, and whether the chain is intact"),
        "open_screen('audit')",
        key="a",
    ),
    PaletteCommand(
        N_("Today"),
        N_("What is due: overdue, this week, coming up"),
        "open_screen('today')",
        key="t",
    ),
]
"""Commands offered everywhere once the vault is unlocked."""


def screen_class(name: str) -> type[Screen]:
    """Imports and returns the screen class registered as `name` in `SCREENS`.

    Raises:
        KeyError: no screen has that name.
    """
    return load_screen_class(SCREENS[name])


def load_screen_class(target: str) -> type[Screen]:
    """Imports and returns the screen class named by `target`, "module:Class" (the form of
    every screen registry: `SCREENS` here, `navigation.SCREENS`)."""
    module_name, _, class_name = target.partition(":")
    screen = getattr(importlib.import_module(module_name), class_name)
    if not (isinstance(screen, type) and issubclass(screen, Screen)):
        raise TypeError(f"{target} is not a screen")
    return screen
