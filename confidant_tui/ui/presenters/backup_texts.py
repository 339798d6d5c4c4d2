"""Provides what the backup dialog and the unlock reminder say, and the backup passphrase check.

The moment of the last verified backup is written so that no reader can misread it: the
day with the month's name and the time ("2 december 2026, 14:03"), and how long ago that
was ("vandaag", "gisteren", "9 dagen geleden"). Backups are recorded in UTC; they are shown
in the computer's local time, which is the time of the app's clock.
"""

from __future__ import annotations

import datetime as dt

from confidant_tui.domain.written_dates import long_date
from confidant_tui.errors import WeakPassphrase
from confidant_tui.i18n import _, ngettext
from confidant_tui.services.backups import backup_overdue
from confidant_tui.services.vaults import validate_new_passphrase


def local_moment(moment: dt.datetime) -> dt.datetime:
    """`moment` in the computer's local time, naive (as the app's clock reads); a naive
    `moment` is taken as local time already."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone().replace(tzinfo=None)


def written_moment(moment: dt.datetime, now: dt.datetime) -> str:
    """ "2 december 2026, 14:03 (3 dagen geleden)": the day, the time and how long ago.

    Args:
        moment: when it happened (aware, or naive local time).
        now: the current local time (the app's clock, naive).
    """
    local = local_moment(moment)
    written = _("{date}, {time}").format(date=long_date(local.date()), time=local.strftime("%H:%M"))
    days = (local_moment(now).date() - local.date()).days
    if days < 0:
        return written
    if days == 0:
        ago = _("today")
    elif days == 1:
        ago = _("yesterday")
    else:
        ago = ngettext("{count} day ago", "{count} days ago", days).format(count=days)
    return _("{moment} ({ago})").format(moment=written, ago=ago)


def last_backup_line(last: dt.datetime | None, now: dt.datetime) -> str:
    """The dialog's line about the last verified backup made on this computer."""
    if last is None:
        return _("No backup has been made yet (on this computer).")
    return _("Last verified backup: {moment}.").format(moment=written_moment(last, now))


def reminder(last: dt.datetime | None, *, interval_days: int, now: dt.datetime) -> str | None:
    """The notification shown after unlocking when a backup is due, else None.

    Args:
        last: the last verified backup (aware UTC), or None.
        interval_days: the setting `backup_interval_days`.
        now: the current local time (the app's clock, naive).
    """
    if not backup_overdue(last, interval_days=interval_days, now=now):
        return None
    how = _('Make one now: Ctrl+P, then "{command}".').format(command=_("Make a backup"))
    if last is None:
        return _("No backup of this vault has been made yet.") + " " + how
    return (
        _("Your last verified backup was made on {moment}.").format(
            moment=written_moment(last, now)
        )
        + " "
        + how
    )


def separate_passphrase_problems(first: str, second: str) -> tuple[str | None, str | None]:
    """What is wrong with a separate backup passphrase and its repetition (None: nothing).

    Returns:
        The problem beside the passphrase field and the one beside the repetition.
    """
    if not first:
        return _("Type the passphrase the backup will open with."), None
    try:
        validate_new_passphrase(first)
    except WeakPassphrase as error:
        return error.message, None
    if second != first:
        return None, _("The two passphrases differ. Type the same passphrase twice.")
    return None, None
