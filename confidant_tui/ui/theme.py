"""Provides Confidant's one theme: calm, high contrast, readable at 80×24.

Textual paints every cell itself, so the terminal's own light or dark background does not
show through; one dark-blue-grey theme with clear contrast works on both.
"""

from __future__ import annotations

from textual.theme import Theme

CONFIDANT_THEME = Theme(
    name="confidant",
    primary="#5B8DB8",
    secondary="#7A9E7E",
    accent="#D9A441",
    warning="#E0A030",
    error="#E06C6C",
    success="#6DB37A",
    foreground="#E8EBEE",
    background="#1B2026",
    surface="#232A32",
    panel="#2C3540",
    boost="#33404D",
    dark=True,
    variables={
        "footer-key-foreground": "#D9A441",
        "input-selection-background": "#5B8DB8 40%",
    },
)
