"""Provides `DraftKeeping`: the app's side of drafts, the unsaved forms stored in the vault.

Locking (and a stop signal, see `app_signals.py`) takes every open form with unsaved text as
a draft (`take_drafts`) and stores them in one transaction (`write_pending_drafts`) while
the vault is still open. After the next unlock the forms come back from the lock snapshots,
and stored drafts whose form is not back on screen are offered one by one
(`offer_stored_drafts`): continue editing, discard, or later. A form built from a stored
draft deletes that draft once it is left, saved or discarded (`screen_replaced`), but not
when the app locks or stops. How open screens become drafts and back is in `ui/drafts.py`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import work
from textual.screen import Screen

from confidant_tui.errors import VaultLocked
from confidant_tui.ui.textual_private import AppHooks, in_any_screen_stack

# The drafts' code (and the vault's behind it) is imported where used, after unlocking:
# the app's first frame, the unlock screen, needs none of it.
if TYPE_CHECKING:
    from confidant_tui.services.drafts import Draft
    from confidant_tui.services.session import Session
    from confidant_tui.ui import drafts as ui_drafts
    from confidant_tui.ui.context import AppContext


class DraftKeeping(AppHooks[None]):
    """App base that stores unsaved forms as drafts and offers them back after unlocking.

    The app says which screens hold case work (`vault_screens`) and whether it is locking
    (`_locking`); `_stopping` is set by `StopOnSignal`.
    """

    _locking: bool
    _stopping: bool

    if TYPE_CHECKING:

        @property
        def session(self) -> Session: ...

        context: AppContext

        @property
        def is_locked(self) -> bool: ...

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._restorer_drafts: dict[int, int] = {}
        self._pending_drafts: tuple[ui_drafts.Collected, bool] | None = None

    def vault_screens(self) -> list[Screen[Any]]:
        """The screens of the open vault, bottom to top (none while locked)."""
        raise NotImplementedError

    def take_drafts(self, keep: bool) -> ui_drafts.Collected:
        """Takes every screen's lock snapshot and unsaved form, to store at the next
        `write_pending_drafts` (with `keep` False only the drafts they came from go)."""
        from confidant_tui.ui import drafts as ui_drafts

        collected = ui_drafts.collect(self.vault_screens())
        self._pending_drafts = (collected, keep)
        return collected

    def unsaved_forms(self) -> list[str]:
        """What each open form or dialog with unsaved text is, for a question."""
        from confidant_tui.ui import drafts as ui_drafts

        return ui_drafts.collect(self.vault_screens()).labels

    def write_pending_drafts(self) -> None:
        """Stores the drafts taken by `take_drafts` (once) in one transaction.

        Remembers which restorer (by index) rebuilds the form of which stored draft, for
        `restored_draft_ids`. A failed write is not an error here: the forms stay in memory,
        the app goes on locking or stopping.
        """
        self._restorer_drafts = self._write_pending_drafts()

    def _write_pending_drafts(self) -> dict[int, int]:
        from confidant_tui.services.drafts import save_drafts

        pending, self._pending_drafts = self._pending_drafts, None
        if pending is None:
            return {}
        collected, keep = pending
        drafts = collected.drafts if keep else []
        if not drafts and not collected.replacing:
            return {}
        try:
            ids = save_drafts(
                self.session.vault,
                drafts,
                replacing=collected.replacing,
                now=self.context.clock.now(),
            )
        except Exception:
            return {}
        if not keep:
            return {}
        return {i: d for i, d in zip(collected.restorer_of, ids, strict=True) if i is not None}

    def store_drafts_on_signal(self) -> None:
        """Stores the open forms as drafts now (a stop signal; a lock under way goes on)."""
        if self._pending_drafts is None and not self._locking:
            self.take_drafts(True)
        self._write_pending_drafts()

    def restored_draft_ids(self) -> dict[int, int]:
        """Once after unlocking: the stored draft of each restorer (by index) that has one."""
        draft_ids, self._restorer_drafts = self._restorer_drafts, {}
        return draft_ids

    @work(thread=True, exclusive=True, group="draft-offer", exit_on_error=False)
    def offer_stored_drafts(self) -> None:
        """Reads the stored drafts and offers those whose form is not open again."""
        from confidant_tui.services.drafts import list_drafts

        session = self.session
        try:
            stored = list_drafts(session.vault)
        except VaultLocked:
            return
        if stored:
            self.call_from_thread(self._offer_next, stored)

    def _offer_next(self, waiting: list[Draft]) -> None:
        """Asks about the first waiting draft: continue editing, discard or later."""
        from confidant_tui.ui import drafts as ui_drafts
        from confidant_tui.ui.modals.draft_offer import DISCARD, RESTORE, DraftOfferModal
        from confidant_tui.ui.modals.draft_text import DraftTextModal

        if self.is_locked:
            return
        held = set(ui_drafts.held_ids(self.vault_screens()))
        waiting = [draft for draft in waiting if draft.id not in held]
        if not waiting:
            return
        draft, rest = waiting[0], waiting[1:]

        def read(done: bool | None) -> None:
            if done:
                self._forget_draft(draft.id)
            self._offer_next(rest)

        def answered(choice: str | None) -> None:
            if choice == RESTORE:
                restorer = ui_drafts.restorer_for(draft)
                if restorer is None:
                    self.push_screen(DraftTextModal(draft), read)
                    return
                screen = restorer()
                setattr(screen, ui_drafts.DRAFT_ID, draft.id)
                self.push_screen(screen)
            elif choice == DISCARD:
                self._forget_draft(draft.id)
            self._offer_next(rest)

        self.push_screen(DraftOfferModal(draft), answered)

    def screen_replaced(self, screen: Screen[Any]) -> None:
        """A form built from a stored draft that is left (saved, or discarded) deletes that
        draft. Locking and stopping keep it."""
        from confidant_tui.ui import drafts as ui_drafts

        super().screen_replaced(screen)
        draft_id = getattr(screen, ui_drafts.DRAFT_ID, None)
        gone = not in_any_screen_stack(self, screen)
        if isinstance(draft_id, int) and gone and not (self._locking or self._stopping):
            setattr(screen, ui_drafts.DRAFT_ID, None)
            self._forget_draft(draft_id)

    @work(thread=True, group="draft-forget", exit_on_error=False)
    def _forget_draft(self, draft_id: int) -> None:
        from confidant_tui.services.drafts import discard_drafts

        discard_drafts(self.session.vault, [draft_id])
