"""Provides `Session`: the one place the app keeps the open vault, and the idle clock.

The UI never stores a `Vault` anywhere else: screens ask `session.vault` each time they call
a service, and get `VaultLocked` once the app is locked. The session knows nothing of
Textual, so the lock rules (count of failed tries, idle time) are tested without a UI.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING

from confidant_tui.errors import ConfidantError, VaultLocked, WrongPassphrase
from confidant_tui.i18n import _

# The vault's code (SQLCipher, Argon2, the audit log) is imported when first unlocking:
# the app's first frame, the unlock screen, needs none of it.
if TYPE_CHECKING:
    from confidant_tui.vault.store import Vault

Clock = Callable[[], float]
"""Seconds from an arbitrary start (`time.monotonic`); tests inject a fake one."""


class Session:
    """The vault of one app run: locked or unlocked, with the time of the last activity.

    Args:
        path: the vault's database file.
        clock: returns seconds; only differences are used.
        idle_minutes: minutes without activity after which `is_idle` becomes true.
    """

    def __init__(self, path: Path, *, clock: Clock = time.monotonic, idle_minutes: int = 5) -> None:
        self.path = Path(path)
        self.clock = clock
        self.idle_minutes = idle_minutes
        self.failed_attempts = 0
        """Wrong passphrases since the last successful unlock (shown on the unlock screen)."""
        self._vault: Vault | None = None
        self._last_activity = clock()
        self._guard = threading.Lock()

    @property
    def is_unlocked(self) -> bool:
        """Whether a vault is open."""
        return self._vault is not None and self._vault.is_open

    @property
    def vault(self) -> Vault:
        """The open vault, for calling services.

        Raises:
            VaultLocked: the app is locked; the screen asking should not exist any more.
        """
        vault = self._vault
        if vault is None or not vault.is_open:
            raise VaultLocked(_("The vault is locked."))
        return vault

    def unlock(self, passphrase: str, *, accept_rollback: bool = False) -> None:
        """Opens the vault (Argon2id: about a second; call it from a thread worker).

        Args:
            passphrase: the adviser's passphrase.
            accept_rollback: open a vault that went back in time all the same (the adviser
                saw the warning and said so).

        Raises:
            WrongPassphrase: counted in `failed_attempts`.
            VaultRolledBack: saves are missing; ask the adviser, then call again with
                `accept_rollback`.
            ConfidantError: any other reason the vault cannot be opened.
        """
        from confidant_tui.services import audit_acts
        from confidant_tui.services.vaults import open_vault

        try:
            vault = open_vault(self.path, passphrase, accept_rollback=accept_rollback)
        except WrongPassphrase:
            with self._guard:
                self.failed_attempts += 1
            raise
        with self._guard:
            if self._vault is not None:
                vault.close()
                return
            failed = self.failed_attempts
        try:
            # The unlock is in the audit log with the count of wrong passphrases tried on
            # this unlock screen before it (never the passphrases themselves).
            audit_acts.note(vault, "vault.unlocked", detail=str(failed))
        except BaseException:
            vault.close()
            raise
        with self._guard:
            if self._vault is not None:
                vault.close()
                return
            self._vault = vault
            self.failed_attempts = 0
        self.touch()

    def lock(self) -> None:
        """Closes the vault and forgets the key; waits for a running transaction to end."""
        with self._guard:
            vault, self._vault = self._vault, None
        if vault is not None:
            try:
                if vault.is_open:
                    # Before the vault closes (its key is gone after); a lock always
                    # happens, even when the disk refuses the entry.
                    from confidant_tui.services import audit_acts

                    with suppress(ConfidantError):
                        audit_acts.note(vault, "vault.locked")
            finally:
                vault.close()
                # The deadlines keep case codes and dates in memory between reads; they go
                # with the key. Imported here: start-up never needs the deadline rules.
                from confidant_tui.services import deadlines

                deadlines.forget_cached()
                # So do built reports (figures before suppression), if a report was built.
                report = sys.modules.get("confidant_tui.services.report")
                if report is not None:
                    report.forget_cached()

    def touch(self) -> None:
        """Records activity of the adviser (a key press, a click): restarts the idle time."""
        self._last_activity = self.clock()

    def idle_seconds(self) -> float:
        """Seconds since the last activity."""
        return max(0.0, self.clock() - self._last_activity)

    def is_idle(self) -> bool:
        """Whether the vault is open and the adviser has been away for `idle_minutes`."""
        return self.is_unlocked and self.idle_seconds() >= self.idle_minutes * 60
