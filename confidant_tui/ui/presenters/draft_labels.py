"""Provides `describe`: what a stored draft is, in words, for a sentence about it."""

from __future__ import annotations

from confidant_tui.i18n import _


def describe(kind: str, code: str | None) -> str:
    """What a draft is, for a sentence: "a new intake", "a conversation in case 2025-007"."""
    if kind == "intake":
        return _("a new intake")
    if kind == "facts":
        return _("the facts of case {code}").format(code=code or "?")
    if kind == "conversation":
        return _("a conversation in case {code}").format(code=code or "?")
    if code:
        return _("a dialog in case {code}").format(code=code)
    return _("a dialog")
