"""Provides the passphrase policy: long enough, and not a common or guessable one.

The vault is only as strong as its passphrase. Argon2id makes each guess cost about a
second; a passphrase from a list of common passwords or a simple pattern would still fall
quickly, so it is refused with the reason.
"""

from __future__ import annotations

from confidant_tui.errors import WeakPassphrase
from confidant_tui.i18n import _

MIN_LENGTH = 12
MIN_GUESSES_LOG10 = 8.0
_CHECKED_PREFIX = 72
"""zxcvbn refuses longer input (ValueError); judging the first 72 characters is enough."""


def check_passphrase(passphrase: str) -> None:
    """Refuses a passphrase that is too short, common or guessable.

    Args:
        passphrase: the proposed passphrase.

    Raises:
        WeakPassphrase: with the reason, in the adviser's language.
    """
    if len(passphrase) < MIN_LENGTH:
        raise WeakPassphrase(
            _(
                "The passphrase is too short: use at least {minimum} characters, "
                "for example four or five unrelated words."
            ).format(minimum=MIN_LENGTH)
        )
    if not passphrase.strip():
        raise WeakPassphrase(_("The passphrase cannot be only spaces."))
    from zxcvbn import zxcvbn  # its word lists take 50-100 ms to load: only when checking

    estimate = zxcvbn(passphrase[:_CHECKED_PREFIX])
    if estimate["guesses_log10"] < MIN_GUESSES_LOG10:
        raise WeakPassphrase(
            _(
                "This passphrase is too easy to guess: it is a common password or a simple "
                "pattern. Choose four or five unrelated words."
            )
        )
