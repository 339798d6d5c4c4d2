"""Provides `SafeInput`: an `Input` that never copies a passphrase anywhere.

The app as a whole never writes to the system clipboard (see `ConfidantApp.copy_to_clipboard`:
copies stay inside Confidant and are forgotten on lock). A passphrase field goes further:
copying and cutting do nothing at all, so the passphrase is not even kept in the app's own
clipboard.
"""

from __future__ import annotations

from textual.widgets import Input

from confidant_tui.i18n import _


class SafeInput(Input):
    """An `Input` whose copy and cut are refused while it is a password field."""

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
