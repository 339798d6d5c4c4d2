"""Provides `SafeInput`: an `Input` that never copies a passphrase anywhere.

The app as a whole never writes to the system clipboard (see `ConfidantApp.copy_to_clipboard`:
copies stay inside Confidant and are forgotten on lock). A passphrase field goes further:
copying and cutting do nothing at all, so the passphrase is not even kept in the app's own
clipboard.

Enter submits the field the moment the field reads the key. Textual runs an `Input`'s Enter
binding only after the key has bubbled up through the screen, and a terminal delivers fast
typing in one burst, so the keys typed right after Enter reached the field first and were
submitted with it: a passphrase, Enter and `n d` typed in one go was tried as
"...n d" and counted as a failed attempt.
"""

from __future__ import annotations

from textual import events
from textual.widgets import Input

from confidant_tui.i18n import _


class SafeInput(Input):
    """An `Input` whose copy and cut are refused while it is a password field."""

    async def _on_key(self, event: events.Key) -> None:
        """Submits on Enter at once, in the order typed (see the module docstring)."""
        if event.key == "enter":
            event.stop()
            event.prevent_default()
            await self.action_submit()
            return
        await super()._on_key(event)

    def action_copy(self) -> None:
        """Copies the selection inside the app, except from a password field."""
        if self.password:
            self.notify(_("A passphrase cannot be copied."), severity="warning")
            return
        super().action_copy()

    def action_cut(self) -> None:
        """Cuts the selection inside the app, except from a password field."""
        if self.password:
            self.notify(_("A passphrase cannot be copied."), severity="warning")
            return
        super().action_cut()
