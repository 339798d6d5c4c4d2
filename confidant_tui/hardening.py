"""Provides process hardening: no core dumps, private file permissions.

Called once at start-up by the command line, before a vault is opened.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import resource
import sys

PR_SET_DUMPABLE = 4


def harden_process() -> None:
    """Disables core dumps and makes new files private to the user (umask 077).

    A core dump of the unlocked process would hold the data key and case text in plain.
    """
    os.umask(0o077)
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)
