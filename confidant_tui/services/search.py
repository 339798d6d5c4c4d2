"""Provides full-text search over notes and case texts, with plain-text snippets.

The adviser's query is never passed to FTS5 as syntax: words become quoted prefix terms and
text in double quotes a quoted phrase, so any input is a valid query. Snippets come back as
plain text plus the (start, end) spans of the matches — no markup, so the UI renders the
text literally and styles the spans itself.

A query whose words all have fewer than `MIN_LETTERS` letters is not searched (`too_short`):
"de" or "a b" would match most of the index and tell the adviser nothing. How hits are
ranked (best first among at most `search_repo.WINDOW` matches, else the most recent ones,
newest first) is described in `vault.search_repo`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from confidant_tui.domain.cases import SearchHit
from confidant_tui.vault import search_repo
from confidant_tui.vault.store import Vault

_PART = re.compile(r'"([^"]*)"?|([^\s"]+)')
_WORD = re.compile(r"\w+")
MIN_LETTERS = 3
"""A query is searched once one of its words has this many letters."""
WINDOW = search_repo.WINDOW
"""The most matches ranked by relevance; beyond it the most recent ones are shown."""


@dataclass(frozen=True)
class Results:
    """The hits of one search.

    Attributes:
        hits: the hits, in the order to show.
        complete: False when more than `WINDOW` texts matched and `hits` are the most
            recent of them, newest first (True: every match was ranked, best first).
    """

    hits: list[SearchHit]
    complete: bool = True


def too_short(text: str) -> bool:
    """Whether `text` has words but none of `MIN_LETTERS` letters or more (not searched)."""
    words = _WORD.findall(text)
    return bool(words) and all(len(word) < MIN_LETTERS for word in words)


def build_query(text: str) -> str | None:
    """Turns what the adviser typed into a safe FTS5 query (None when nothing to search).

    Words match as prefixes (`pest` finds `pesten`); `"two words"` matches the phrase. All
    parts must match (AND).
    """
    terms: list[str] = []
    for match in _PART.finditer(text):
        phrase, word = match.group(1), match.group(2)
        tokens = _WORD.findall(phrase if phrase is not None else word)
        if not tokens:
            continue
        quoted = '"' + " ".join(tokens) + '"'
        terms.append(quoted if phrase is not None else quoted + "*")
    return " AND ".join(terms) if terms else None


def unmark(marked: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    """Removes the match marks from a snippet and returns the text and the match spans."""
    pieces: list[str] = []
    spans: list[tuple[int, int]] = []
    length = 0
    start: int | None = None
    index = 0
    while index < len(marked):
        if marked.startswith(search_repo.START_MARK, index):
            start = length
            index += len(search_repo.START_MARK)
        elif marked.startswith(search_repo.END_MARK, index):
            if start is not None and length > start:
                spans.append((start, length))
            start = None
            index += len(search_repo.END_MARK)
        else:
            pieces.append(marked[index])
            length += 1
            index += 1
    return "".join(pieces), tuple(spans)


def search(vault: Vault, query: str, *, limit: int = 50) -> list[SearchHit]:
    """Finds cases and conversations whose texts match `query`, best first (see `find`)."""
    found = find(vault, query, limit=limit)
    return found.hits if found is not None else []


def find(
    vault: Vault,
    query: str,
    *,
    limit: int = 50,
    cancelled: Callable[[], bool] | None = None,
) -> Results | None:
    """Finds cases and conversations whose texts match `query`.

    Args:
        vault: the open vault.
        query: what the adviser typed (words, "a phrase").
        limit: the most hits to return.
        cancelled: asked while the search runs (a newer query arrived, the screen closed);
            True stops its SQL at once.

    Returns:
        The hits, each with the case code, the conversation (if any), the field, and a
        plain-text snippet with the match spans; no hits for a query that is `too_short`.
        None when `cancelled()` stopped the search.
    """
    fts_query = build_query(query)
    if fts_query is None or too_short(query):
        return Results([])
    try:
        with vault.reading() as conn:
            found = search_repo.search(conn, fts_query, limit, cancelled=cancelled)
    except search_repo.Cancelled:
        return None
    hits = []
    for case_id, code, conversation_id, conversation_date, field, marked in found.rows:
        snippet, spans = unmark(marked)
        hits.append(
            SearchHit(
                case_id=int(case_id),
                code=code,
                field=field,
                snippet=snippet,
                spans=spans,
                conversation_id=conversation_id,
                conversation_date=dt.date.fromisoformat(conversation_date)
                if conversation_date
                else None,
            )
        )
    return Results(hits, complete=found.complete)
