"""Confidant: an encrypted, offline case register for confidential advisers."""

from __future__ import annotations

__version__ = "0.1.0"
