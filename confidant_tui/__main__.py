"""Runs Confidant with `python -m confidant_tui`."""

from __future__ import annotations

import sys

from confidant_tui.cli.main import main

if __name__ == "__main__":
    sys.exit(main())
