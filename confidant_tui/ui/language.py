"""Provides `retranslate_bindings`: a node's key descriptions in a language chosen later;
and `declared_by_confidant`: whether a key is Confidant's own or one of Textual's.

`ui/bindings.py` translates an instance's bindings once, when it is made. When the adviser
changes the language in the settings, the app (`ConfidantApp.use_language`) rebuilds the
screens of the vault, whose new instances are translated anew; the app itself and the unlock
screen stay, and this translates their bindings again from the English ids in their classes'
`BINDINGS` (their own copies already hold the old language's words).
"""

from __future__ import annotations

from dataclasses import replace

from textual.binding import Binding
from textual.dom import DOMNode

from confidant_tui.i18n import _ as translate
from confidant_tui.ui.textual_private import bindings_of, set_bindings


def _english(node: DOMNode, *, own: bool = False) -> dict[tuple[str, str], Binding]:
    """The bindings the classes of `node` declare (English ids), by key and action; a
    subclass's binding wins over its base's, as in Textual. `own`: only those Confidant's
    classes declare (not Textual's, such as a table's "Cursor up")."""
    found: dict[tuple[str, str], Binding] = {}
    for cls in reversed(type(node).__mro__):
        if own and not cls.__module__.startswith("confidant_tui."):
            continue
        declared = cls.__dict__.get("BINDINGS")
        if not declared:
            continue
        for binding in Binding.make_bindings(declared):
            found[(binding.key, binding.action)] = binding
    return found


def declared_by_confidant(node: DOMNode, binding: Binding) -> bool:
    """Whether one of Confidant's classes of `node` declares `binding` (its key and action):
    the help lists those keys, not the ones Textual's widgets bring along."""
    return (binding.key, binding.action) in _english(node, own=True)


def retranslate_bindings(node: DOMNode) -> None:
    """Translates the descriptions of `node`'s bindings again, into the current language.

    A binding its classes do not declare (none of Confidant's) keeps its description.
    """
    english = _english(node)
    updated = []
    for _key, binding in bindings_of(node):
        source = english.get((binding.key, binding.action))
        if source is not None:
            binding = replace(
                binding,
                description=translate(source.description) if source.description else "",
                tooltip=translate(source.tooltip) if source.tooltip else "",
            )
        updated.append(binding)
    set_bindings(node, updated)
