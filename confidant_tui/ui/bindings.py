"""Provides `LocalisedBindings`: key binding descriptions translated when a node is created.

Textual reads `BINDINGS` when a class is defined, so a description written as `_("Lock")`
would be frozen in whatever language was active at import. Instead, write descriptions as
English ids marked with `N_("Lock")`, and derive the screen (or app) from
`LocalisedBindings`: each instance translates its own copy of the bindings in its
`__init__`. A second app in the same process with another language shows the other
language (the UI tests do exactly that).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from textual.binding import BindingsMap
from textual.dom import DOMNode

from confidant_tui.i18n import _ as translate


def localise_bindings(node: DOMNode) -> None:
    """Replaces `node`'s bindings with a copy whose descriptions are in the current language.

    Args:
        node: a screen, widget or app whose `BINDINGS` descriptions are `N_()` ids.
    """
    localised = BindingsMap()
    for _key, binding in node._bindings:
        localised._add_binding(
            replace(
                binding,
                description=translate(binding.description) if binding.description else "",
                tooltip=translate(binding.tooltip) if binding.tooltip else "",
            )
        )
    node._bindings = localised


class LocalisedBindings:
    """Mixin (put it first in the bases) that translates binding descriptions per instance."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        assert isinstance(self, DOMNode)
        localise_bindings(self)
