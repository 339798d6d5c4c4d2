"""Provides `Taxonomy`: the stable keys of DOMAIN.md's appendix with their labels.

The keys and their Dutch and English labels are shipped in `data/taxonomy.toml`; this module
only parses the already-read document (no I/O), so it can be tested on any dict. Categories
form a hierarchy through the dot (`discrimination.origin` is a sub-kind of `discrimination`);
the other kinds are flat lists whose keys may contain a dot too.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from confidant_tui import i18n
from confidant_tui.i18n import N_, get_language

KINDS: tuple[str, ...] = (
    "category",
    "reporter_role",
    "relation",
    "level",
    "route",
    "destination",
    "mode",
    "status",
    "person_role",
    "manner",
    "route_outcome",
    "measure",
    "outcome",
    "experience",
    "activity",
)
"""The kinds of key the taxonomy file holds (each a `[[kind]]` array of tables)."""


class TaxonomyError(ValueError):
    """The taxonomy document is malformed (a fault in the shipped data, not the adviser's)."""


@dataclass(frozen=True)
class Term:
    """One key with its labels.

    Attributes:
        kind: one of `KINDS`.
        key: the stable key.
        labels: full label per language ("nl", "en").
        short: short label per language (for narrow columns); falls back to the label.
        group: the top-level group of a top-level category (e.g. "unwanted_behaviour").
    """

    kind: str
    key: str
    labels: Mapping[str, str]
    short: Mapping[str, str] = field(default_factory=dict)
    group: str | None = None

    @property
    def parent(self) -> str | None:
        """The key before the last dot for a sub-category, else None."""
        if self.kind != "category" or "." not in self.key:
            return None
        return self.key.rsplit(".", 1)[0]

    def label(self, language: str | None = None) -> str:
        """The full label in `language` (default: the interface language)."""
        language = language or get_language()
        return self.labels.get(language) or self.labels.get("en") or self.key

    def short_label(self, language: str | None = None) -> str:
        """The short label in `language`, or the full label when there is none."""
        language = language or get_language()
        return self.short.get(language) or self.label(language)


class Taxonomy:
    """All keys by kind, in the order of the data file.

    Args:
        terms: the terms, in order; keys must be unique per kind.
        groups: top-level category groups (key -> labels).
    """

    def __init__(
        self, terms: Iterable[Term], groups: Mapping[str, Mapping[str, str]] | None = None
    ):
        self._terms: dict[str, dict[str, Term]] = {kind: {} for kind in KINDS}
        for term in terms:
            if term.kind not in self._terms:
                raise TaxonomyError(f"unknown kind {term.kind!r}")
            if term.key in self._terms[term.kind]:
                raise TaxonomyError(f"duplicate {term.kind} key {term.key!r}")
            self._terms[term.kind][term.key] = term
        self.groups: dict[str, Mapping[str, str]] = dict(groups or {})
        for term in self._terms["category"].values():
            if term.parent is not None and term.parent not in self._terms["category"]:
                raise TaxonomyError(f"category {term.key!r} has no parent {term.parent!r}")

    def keys(self, kind: str) -> tuple[str, ...]:
        """Every key of `kind`, in file order."""
        return tuple(self._terms[kind])

    def terms(self, kind: str) -> tuple[Term, ...]:
        """Every term of `kind`, in file order."""
        return tuple(self._terms[kind].values())

    def is_valid(self, kind: str, key: object) -> bool:
        """Whether `key` is a known key of `kind`."""
        return isinstance(key, str) and key in self._terms[kind]

    def term(self, kind: str, key: str) -> Term:
        """The term for `key`; raises KeyError when unknown."""
        return self._terms[kind][key]

    def label(self, kind: str, key: str, language: str | None = None) -> str:
        """The full label of a key; an unknown key shows as itself (never fails on display)."""
        term = self._terms[kind].get(key)
        return term.label(language) if term else key

    def short_label(self, kind: str, key: str, language: str | None = None) -> str:
        """The short label of a key; an unknown key shows as itself."""
        term = self._terms[kind].get(key)
        return term.short_label(language) if term else key

    def children(self, category: str) -> tuple[str, ...]:
        """The sub-categories of a top-level category (for discrimination: the grounds)."""
        prefix = category + "."
        return tuple(k for k in self._terms["category"] if k.startswith(prefix))

    def top_levels(self) -> tuple[str, ...]:
        """The top-level category keys."""
        return tuple(k for k in self._terms["category"] if "." not in k)

    def with_terms(self, extra: Iterable[Term]) -> Taxonomy:
        """A copy that also knows an organisation's own terms (units, destinations, measures).

        A key the taxonomy knows already keeps its shipped term: an organisation adds keys,
        it never relabels the shipped ones.
        """
        everything = [t for kind in KINDS for t in self._terms[kind].values()]
        added: dict[tuple[str, str], Term] = {}
        for term in extra:
            if term.key not in self._terms[term.kind]:
                added.setdefault((term.kind, term.key), term)
        return Taxonomy([*everything, *added.values()], self.groups)


def top_level(category: str) -> str:
    """The top-level key of a category key (`integrity.gifts` -> `integrity`)."""
    return category.split(".", 1)[0]


def parse_taxonomy(document: Mapping[str, Any]) -> Taxonomy:
    """Builds the taxonomy from the parsed TOML document of `data/taxonomy.toml`.

    Organisations' own terms are added with `Taxonomy.with_terms`.

    Args:
        document: the parsed TOML (`tomllib.loads`).

    Returns:
        The shipped taxonomy.

    Raises:
        TaxonomyError: the document misses a label or repeats a key.
    """
    terms: list[Term] = []
    for kind in KINDS:
        entries = document.get(kind)
        if not isinstance(entries, list) or not entries:
            raise TaxonomyError(f"no entries for {kind!r}")
        for entry in entries:
            terms.append(_term(kind, entry))
    groups: dict[str, Mapping[str, str]] = {}
    for entry in document.get("group", []):
        groups[str(entry["key"])] = {"nl": str(entry["nl"]), "en": str(entry["en"])}
    return Taxonomy(terms, groups)


def _term(kind: str, entry: Mapping[str, Any]) -> Term:
    try:
        key, nl, en = entry["key"], entry["nl"], entry["en"]
    except (KeyError, TypeError):
        raise TaxonomyError(f"a {kind} entry misses key, nl or en") from None
    if not all(isinstance(v, str) and v for v in (key, nl, en)):
        raise TaxonomyError(f"a {kind} entry has an empty key or label")
    short = {lang: entry[f"short_{lang}"] for lang in ("nl", "en") if f"short_{lang}" in entry}
    return Term(kind, key, {"nl": nl, "en": en}, short, entry.get("group"))


KIND_NAMES: dict[str, str] = {
    "category": N_("category"),
    "reporter_role": N_("reporter's role"),
    "relation": N_("relation"),
    "level": N_("level"),
    "route": N_("route"),
    "destination": N_("referral destination"),
    "mode": N_("conversation mode"),
    "status": N_("status"),
    "person_role": N_("role of the person involved"),
    "manner": N_("way the report was made"),
    "route_outcome": N_("outcome of a route"),
    "measure": N_("measure"),
    "outcome": N_("outcome of the case"),
    "experience": N_("reporter's experience of the outcome"),
    "activity": N_("kind of work outside cases"),
}


def kind_name(kind: str) -> str:
    """The adviser-facing name of a kind of key, in the interface language."""
    return i18n._(KIND_NAMES[kind])
