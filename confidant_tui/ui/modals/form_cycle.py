"""Provides `FormCycle`: the save / cancel / keep-the-draft cycle every form shares.

The intake and conversation screens and every `FormModal` dialog work the same way:

- **Saving** (Ctrl+S, `action_save`): `collect()` builds the record from the fields, or
  returns the problems the form can see itself, which are shown next to their fields
  (`refuse_early`) and nothing is stored. Otherwise a thread worker calls `store()` with the
  app's context and posts the message it returns (the form's `Saved` or `Stored`), or the
  form's `Refused` with the service's `ValidationError`. An unexpected error posts an empty
  `Refused` first (so the form takes Ctrl+S again) and then ends the app as usual. One save
  runs at a time.
- **Leaving** (Escape, `action_cancel`): at once when nothing changed (`is_dirty`), else
  after `discard_question()`, whose safe button ("Keep editing") has the focus.
- **The draft**: `draft()` is everything typed, as plain values; `remember_pristine()`
  takes it as the unchanged state and `is_dirty` compares with it. The app reads `is_dirty`
  (and a screen's `lock_snapshot`, or a dialog's fields) when locking, quitting or stopping
  (`ui/drafts.py`, `ui/app_drafts.py`).

A form derives from `FormCycle[Built]` before `BaseScreen` or `BaseModal`, keeps its own
bindings and messages (its `Refused` derives from `FormCycle.Refused`), and its `@on`
handlers for them call `refused()` and `saved()`.

It lives with the dialogs, below the screens, because `FormModal` derives from it and it asks
with `ConfirmModal`: the form screens (`screens/intake.py`, `screens/conversation_editor.py`)
import it from here, as screens import any dialog.
"""

from __future__ import annotations

from functools import partial
from typing import Any, ClassVar, Generic, TypeVar

from textual.message import Message
from textual.screen import Screen

from confidant_tui.errors import ValidationError
from confidant_tui.i18n import _
from confidant_tui.ui.context import AppContext, context_of
from confidant_tui.ui.modals.confirm import ConfirmModal

Built = TypeVar("Built")
Problems = list[tuple[str, str]]
"""(field path, message) pairs, as `ValidationError.problems`."""


class FormCycle(Generic[Built]):
    """Mixin for a form screen or dialog (first in the bases): save, cancel, keep the draft."""

    SAVE_GROUP: ClassVar[str] = "form-save"
    """The worker group of the save (one save at a time per form)."""
    DIRTY_UNTIL_FILLED: ClassVar[bool] = True
    """Whether the form counts as changed before `remember_pristine` ran (a screen that
    fills in its fields after mounting: a lock meanwhile must keep the draft)."""
    NOTIFY_REFUSAL: ClassVar[bool] = True
    """Whether a refusal by the service is also said in a notification."""

    class Refused(Message):
        """The service refused the record; `error.problems` name the fields."""

        def __init__(self, error: ValidationError) -> None:
            super().__init__()
            self.error = error

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pristine: Any = None
        self._saving = False

    @property
    def _screen(self) -> Screen[Any]:
        assert isinstance(self, Screen)
        return self

    # -- what each form says -------------------------------------------------------------

    def draft(self) -> Any:
        """Everything typed so far, as plain values that compare equal when unchanged."""
        raise NotImplementedError

    def collect(self) -> Built | Problems:
        """The record built from the fields, or the problems the form sees itself."""
        raise NotImplementedError

    def store(self, context: AppContext, built: Built) -> Message:
        """Stores `built` through a service (in a thread worker); returns the message that
        says it was stored. Raises `ValidationError` when the service refuses."""
        raise NotImplementedError

    def show_problems(self, problems: Problems) -> None:
        """Shows each problem next to its field and clears the others."""
        raise NotImplementedError

    def discard_question(self) -> str:
        """The question before throwing away what was typed."""
        return _("Discard what you typed here?")

    def leave_unsaved(self) -> None:
        """Closes the form without storing (after the adviser agreed, or nothing changed)."""
        self._screen.dismiss()

    # -- the draft -----------------------------------------------------------------------

    def remember_pristine(self) -> None:
        """Takes the fields as they are now as the unchanged state."""
        self._pristine = self.draft()

    @property
    def is_dirty(self) -> bool:
        """Whether something was typed or chosen since the form was filled in."""
        if self._pristine is None:
            return self.DIRTY_UNTIL_FILLED
        return bool(self.draft() != self._pristine)

    # -- saving --------------------------------------------------------------------------

    def action_save(self) -> None:
        """Checks the form and stores the record (Ctrl+S)."""
        if self._saving:
            return
        built = self.collect()
        if isinstance(built, list):
            self.refuse_early(built)
            return
        self.show_problems([])
        self._saving = True
        self._screen.run_worker(
            partial(self._store, built), thread=True, exclusive=True, group=self.SAVE_GROUP
        )

    def refuse_early(self, problems: Problems) -> None:
        """Shows the problems the form found itself; nothing is stored."""
        self.show_problems(problems)

    def _store(self, built: Built) -> None:
        screen = self._screen
        context = context_of(screen.app)
        try:
            stored = self.store(context, built)
        except ValidationError as error:
            screen.post_message(self.Refused(error))
            return
        except Exception:
            screen.post_message(self.Refused(ValidationError("")))
            raise
        screen.post_message(stored)

    def refused(self, error: ValidationError, *, unplaced: str = "") -> None:
        """The service refused: shows its problems (those without a field under `unplaced`).

        An empty message (an unexpected error, which ends the app) only allows saving again.
        """
        self._saving = False
        if not error.message:
            return
        self.show_problems(error.problems or [(unplaced, error.message)])
        if self.NOTIFY_REFUSAL:
            self._screen.notify(error.message, severity="warning", markup=False)

    def saved(self) -> None:
        """The record was stored: what is on screen is the unchanged state now."""
        self._saving = False
        self.remember_pristine()

    # -- leaving -------------------------------------------------------------------------

    def action_cancel(self) -> None:
        """Leaves the form; asks first when something was typed (Escape)."""
        if not self.is_dirty:
            self.leave_unsaved()
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.leave_unsaved()

        self._screen.app.push_screen(
            ConfirmModal(
                self.discard_question(),
                confirm=_("Discard"),
                cancel=_("Keep editing"),
                danger=True,
            ),
            answered,
        )
