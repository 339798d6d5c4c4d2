"""Provides how one screen opens another: by name, so no screen module imports another.

The case list opens a case file, the case file opens the intake form, the intake form opens
the case file it saved: if each imported the other, the screens would form import cycles
(hidden inside functions until now). Instead a screen calls a function here, e.g.
`open_case_file(self.app, case_id)`, and this module finds the screen class by its name in
`SCREENS` ("module:Class", imported only when opened, as in `ui/commands.py`). Add a
screen that others open with arguments to `SCREENS` and give it a function below.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.app import App
from textual.screen import Screen

from confidant_tui.ui.commands import load_screen_class

SCREENS: dict[str, str] = {
    "case_file": "confidant_tui.ui.screens.case_file:CaseFileScreen",
    "conversation": "confidant_tui.ui.screens.conversation_editor:ConversationScreen",
    "conversation_view": "confidant_tui.ui.screens.conversation_view:ConversationViewScreen",
    "intake": "confidant_tui.ui.screens.intake:IntakeScreen",
    "protocol": "confidant_tui.ui.screens.protocol:ProtocolScreen",
    "referral": "confidant_tui.ui.screens.referral:ReferralScreen",
    "search": "confidant_tui.ui.screens.search:SearchScreen",
}
"""The screens opened from other screens, as "module:Class"."""


def build_screen(name: str, *args: Any, **kwargs: Any) -> Screen[Any]:
    """A new screen of the class registered as `name`, built with the given arguments.

    Raises:
        KeyError: no screen has that name.
    """
    return load_screen_class(SCREENS[name])(*args, **kwargs)


def open_case_file(app: App[Any], case_id: int, *, select: str | None = None) -> None:
    """Shows the case file of `case_id` (`select`: the timeline row to put the cursor on)."""
    app.push_screen(build_screen("case_file", case_id, select=select))


def switch_to_case_file(app: App[Any], case_id: int) -> None:
    """Replaces the screen on top (a saved intake form) with the case file of `case_id`."""
    app.switch_screen(build_screen("case_file", case_id))


def open_intake(
    app: App[Any],
    draft: dict[str, Any] | None = None,
    *,
    case_id: int | None = None,
    code: str | None = None,
) -> None:
    """Opens the intake form: empty for a new case, or with a case's facts to edit them."""
    app.push_screen(build_screen("intake", draft, case_id=case_id, code=code))


def open_conversation(
    app: App[Any],
    case_id: int,
    conversation_id: int | None,
    when_closed: Callable[[int | None], None] | None = None,
) -> None:
    """Opens the conversation editor (`conversation_id` None: a new conversation).

    Args:
        when_closed: called with the id of the saved conversation, or None when left unsaved.
    """
    app.push_screen(build_screen("conversation", case_id, conversation_id), when_closed)


def view_conversation(
    app: App[Any],
    case_id: int,
    conversation_id: int,
    when_closed: Callable[[int | None], None] | None = None,
) -> None:
    """Shows a recorded conversation read-only (`e` there opens the editor).

    Args:
        when_closed: called with the id of the conversation when it was edited and saved,
            or None when it was only read.
    """
    app.push_screen(build_screen("conversation_view", case_id, conversation_id), when_closed)


def open_protocol(app: App[Any], case_id: int, procedure_id: int | None) -> None:
    """Opens a protocol procedure of the case (None: a new one, asking for the ground)."""
    app.push_screen(build_screen("protocol", case_id, procedure_id))


def open_referral(
    app: App[Any], case_id: int, referral_id: int | None = None, destination: str | None = None
) -> None:
    """Opens the referral letter of a case: a new referral (to `destination` at first, when
    given), or a letter for the existing referral `referral_id` (its destination fixed)."""
    app.push_screen(
        build_screen("referral", case_id, referral_id=referral_id, destination=destination)
    )


def open_search(app: App[Any]) -> None:
    """Opens the search over notes and case texts."""
    app.push_screen(build_screen("search"))
