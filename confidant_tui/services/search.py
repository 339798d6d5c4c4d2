"""Provides full-text search over notes and case texts, with plain-text snippets.

The adviser's query is never passed to FTS5 as syntax: words become quoted prefix terms and
text in double quotes a quoted phrase, so any input is a valid query. Snippets come back as
plain text plus the (start, end) spans of the matches — no markup, so the UI renders the
text literally and styles the spans itself.
"""

from __future__ import annotations

import datetime as dt
import re

from confidant_tui.domain.cases import SearchHit
from confidant_tui.vault import search_repo
from confidant_tui.vault.store import Vault

_PART = re.compile(r'"([^"]*)"?|([^\s"]+)')
_WORD = re.compile(r"\w+")


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
    """Finds cases and conversations whose texts match `query`, best first.

    Args:
        vault: the open vault.
        query: what the adviser typed (words, "a phrase").
        limit: the most hits to return.

    Returns:
        The hits, each with the case code, the conversation (if any), the field, and a
        plain-text snippet with the match spans.
    """
    fts_query = build_query(query)
    if fts_query is None:
        return []
    with vault.reading() as conn:
        rows = search_repo.search(conn, fts_query, limit)
    hits = []
    for case_id, code, conversation_id, conversation_date, field, marked in rows:
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
    return hits
