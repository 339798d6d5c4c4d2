"""Provides the one error hierarchy of Confidant, with messages fit for the adviser.

Every error the adviser may meet is a `ConfidantError`. Its `message` is already
translated (built with `confidant_tui.i18n._` where it is raised) and its `exit_code` is
what the command line returns. The exit codes are documented in `docs/cli.md`; they are
a contract for scripts, so never renumber them.
"""

from __future__ import annotations

from enum import IntEnum

from confidant_tui.display_text import neutralise


class ExitCode(IntEnum):
    """Exit codes of the `confidant` command."""

    OK = 0
    INVALID_INPUT = 1
    USAGE = 2
    WRONG_PASSPHRASE = 3
    VAULT_UNUSABLE = 4
    VAULT_IN_USE = 5
    STORAGE = 6
    ROLLED_BACK = 7
    AUDIT_BROKEN = 8
    INTERRUPTED = 130


class ConfidantError(Exception):
    """Base of every error shown to the adviser.

    Args:
        message: the translated, adviser-facing message. It must never contain case
            content (no notes, names or SQL parameters): it may end up on a terminal.
            Values quoted in it (a path, a name) should pass through
            `display_text.visible`; as a safety net every control character left in the
            message is shown as a visible symbol here, so no message can carry an escape
            sequence to the terminal.
    """

    exit_code: ExitCode = ExitCode.INVALID_INPUT

    def __init__(self, message: str) -> None:
        message = neutralise(message)
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class UsageError(ConfidantError):
    """The command was called with wrong arguments."""

    exit_code = ExitCode.USAGE


class InvalidInput(ConfidantError):
    """Input the adviser gave cannot be accepted (a weak passphrase, a bad date, ...)."""


class WeakPassphrase(InvalidInput):
    """A new passphrase was refused; the message says why."""


class ValidationError(InvalidInput):
    """Facts that break a domain rule. `problems` lists each one with its field or path.

    Args:
        message: a summary for the adviser.
        problems: (path, message) pairs; the path names a field (`opened`) or a place in an
            import file (`cases[3].protocol[0].informed_at`).
    """

    def __init__(self, message: str, problems: list[tuple[str, str]] | None = None) -> None:
        super().__init__(message)
        self.problems: list[tuple[str, str]] = [
            (neutralise(str(path), single_line=True), neutralise(str(text)))
            for path, text in problems or []
        ]


class ProtocolViolation(ValidationError):
    """A step of "vertrouwelijk, tenzij" was recorded out of order or incomplete."""


class NotFound(InvalidInput):
    """A case, conversation or other record the adviser named does not exist."""


class WrongPassphrase(ConfidantError):
    """The passphrase does not unlock this vault."""

    exit_code = ExitCode.WRONG_PASSPHRASE


class VaultUnusable(ConfidantError):
    """The vault cannot be opened for a reason other than the passphrase."""

    exit_code = ExitCode.VAULT_UNUSABLE


class VaultMissing(VaultUnusable):
    """No vault exists at the given path."""


class NotAVault(VaultUnusable):
    """The path exists but holds no Confidant vault."""


class DamagedHeader(VaultUnusable):
    """The header file beside the database is damaged or hostile."""


class DamagedDatabase(VaultUnusable):
    """The encrypted database is damaged (a page fails its check)."""


class VaultTooNew(VaultUnusable):
    """The vault was written by a newer version of Confidant."""


class VaultExists(VaultUnusable):
    """`init` was asked to create a vault where one already exists."""


class VaultRolledBack(VaultUnusable):
    """The vault holds fewer saves than its own header or this computer's record of it
    remembers: saves were lost after a crash, or the vault was replaced by an older copy.

    Args:
        message: the adviser-facing message (says how many saves are missing).
        missing: how many saves are missing (at least 1).
    """

    exit_code = ExitCode.ROLLED_BACK

    def __init__(self, message: str, missing: int) -> None:
        super().__init__(message)
        self.missing = missing


class WrongRecoveryKey(WrongPassphrase):
    """A well-formed recovery key that does not open this vault (or the vault has none)."""


class VaultInUse(ConfidantError):
    """Another process has the vault open for writing."""

    exit_code = ExitCode.VAULT_IN_USE


class VaultLocked(ConfidantError):
    """An operation needed the open vault, but the app is locked."""


class StorageError(ConfidantError):
    """The disk refused a write (full, read-only, I/O error); nothing was changed."""

    exit_code = ExitCode.STORAGE
