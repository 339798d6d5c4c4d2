"""Provides `SettingsScreen`: the adviser's preferences, validated beside each field.

Saving writes the settings file (see `confidant_tui.settings`). The idle lock applies at
once, and so does a new language: once this screen has closed, the app rebuilds every open
screen in it (`ConfidantApp.use_language`; what was typed in them stays). At the next start
`--lang` and `CONFIDANT_LANG` still choose before the setting.
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Checkbox, Header, Input, Label, Select, Static

from confidant_tui.errors import ConfidantError
from confidant_tui.i18n import N_, _, get_language, translator
from confidant_tui.services.audit_acts import note
from confidant_tui.settings import Settings, field_problem, save_settings
from confidant_tui.ui.base import BaseScreen, Restorer
from confidant_tui.ui.context import apply_settings
from confidant_tui.ui.presenters.literal import literal_text
from confidant_tui.ui.widgets.key_footer import KeyFooter
from confidant_tui.ui.widgets.marks import TickBox

SAVED = N_("Settings saved.")

NUMBER_FIELDS = ("idle_minutes", "backup_interval_days", "aftercare_weeks")
TEXT_FIELDS: tuple[str, ...] = ()
FLAG_FIELDS = ("today_on_unlock",)
"""Settings that are on or off (a checkbox)."""
FIELDS = ("idle_minutes", "backup_interval_days", "language", "aftercare_weeks", "today_on_unlock")
"""The adviser's own settings; each organisation's rules are on the organisations screen."""


def _labels() -> dict[str, str]:
    return {
        "idle_minutes": _("Lock after idle minutes"),
        "backup_interval_days": _("Backup reminder after days"),
        "language": _("Language"),
        "aftercare_weeks": _("Aftercare check-in after weeks"),
        "today_on_unlock": _("Today view"),
    }


def _hints() -> dict[str, str]:
    return {
        "backup_interval_days": _(
            "When you unlock the vault and the last verified backup is older than this, "
            "Confidant reminds you to make one."
        ),
        "aftercare_weeks": _(
            "When a route has ended, a check-in with the reporter is due after this many weeks "
            "(unless a conversation took place by then)."
        ),
        "today_on_unlock": _(
            "What is overdue and due this week, right after unlocking. The key t on the case "
            "list always opens it."
        ),
    }


class SettingsScreen(BaseScreen):
    """Edits the settings; Ctrl+S saves, Escape leaves without saving.

    Args:
        draft: field texts to show instead of the saved settings (restored after a lock).
    """

    CSS_PATH = Path(__file__).with_suffix(".tcss")
    BINDINGS: ClassVar = [
        Binding("ctrl+s", "save", N_("Save"), priority=True),
        Binding("escape", "app.pop_screen", N_("Back")),
    ]
    AUTO_FOCUS = "#idle_minutes"
    HELP = N_("Change your preferences and save with Ctrl+S. They apply at once, the language too.")

    def __init__(self, draft: dict[str, str] | None = None) -> None:
        super().__init__()
        self._draft = dict(draft or {})
        self._judged: dict[str, str] = {}
        """Each field whose problem is shown, with the text it was judged on."""

    def compose(self) -> ComposeResult:
        settings = self.context.settings
        labels = _labels()
        hints = _hints()
        yield Header()
        with VerticalScroll(id="form", can_focus=False):  # the fields scroll into view
            for key in FIELDS:
                with Horizontal(classes="field"):
                    yield Label(labels[key], classes="label")
                    with Vertical(classes="value"):
                        current = self._draft.get(key, str(getattr(settings, key)))
                        if key in FLAG_FIELDS:
                            yield TickBox(
                                _("show after unlocking"), _is_on(current), id=key, compact=True
                            )
                        elif key == "language":
                            yield Select(
                                [("Nederlands", "nl"), ("English", "en")],
                                value=current if current in ("nl", "en") else "nl",
                                allow_blank=False,
                                compact=True,
                                id=key,
                            )
                        else:
                            yield Input(current, id=key, compact=True)
                        yield Static("", id=f"{key}-problem", classes="problem")
                        if key in hints:
                            yield Static(literal_text(hints[key]), classes="hint")
                        if key == "language" and settings.language != get_language():
                            yield Static(_language_overridden(), classes="hint", id="overridden")
            yield Static(
                _(
                    "A new language applies as soon as you save. At start, CONFIDANT_LANG or "
                    "--lang chooses before this setting."
                ),
                id="note",
            )
            yield Static(
                _(
                    "Each organisation's rules (complaint period, report date and threshold, "
                    "units) are kept in the vault: see Organisations in the command palette."
                ),
                id="organisations-note",
            )
            with Horizontal(id="buttons"):
                yield Button(_("Save"), id="save", variant="primary")
                yield Button(_("Back"), id="back")
        yield KeyFooter()

    def _values(self) -> dict[str, str]:
        values: dict[str, str] = {}
        for key in FIELDS:
            if key in FLAG_FIELDS:
                values[key] = str(self.query_one(f"#{key}", Checkbox).value)
            elif key == "language":
                values[key] = str(self.query_one(f"#{key}", Select).value)
            else:
                values[key] = self.query_one(f"#{key}", Input).value
        return values

    def lock_snapshot(self) -> Restorer | None:
        """Keeps what was typed (unsaved) across a lock."""
        return partial(SettingsScreen, draft=self._values())

    def _typed(self, key: str, text: str) -> Any:
        if key in FLAG_FIELDS:
            return _is_on(text)
        if key in NUMBER_FIELDS:
            stripped = text.strip()
            return int(stripped) if stripped.isascii() and stripped.isdigit() else stripped
        return text.strip() if key in TEXT_FIELDS else text

    def action_save(self) -> None:
        """Validates every field; saves when all are right, otherwise shows the problems."""
        texts = self._values()
        values = {key: self._typed(key, text) for key, text in texts.items()}
        problems = {key: field_problem(key, value) for key, value in values.items()}
        for key in FIELDS:
            self._show_problem(key, problems[key])
        self._judged = {key: texts[key] for key in FIELDS if problems[key]}
        if any(problems.values()):
            self.notify(_("Some settings need a correction."), severity="warning")
            return
        previous = self.context.settings
        settings = replace(previous, **values)
        try:
            save_settings(settings)
        except (OSError, ConfidantError):
            self.notify(_("The settings could not be saved."), severity="error")
            return
        self._record_change(previous, settings)
        apply_settings(self.app, settings)
        # In the language the app is about to speak (a new one applies once this closes).
        self.notify(translator(settings.language).gettext(SAVED))
        self.dismiss()

    def _show_problem(self, key: str, problem: str | None) -> None:
        """Shows why one setting is refused beside it (None: clears it)."""
        shown = self.query_one(f"#{key}-problem", Static)
        shown.update(literal_text(problem or ""))
        shown.set_class(bool(problem), "-shown")

    @on(Input.Changed)
    @on(Select.Changed)
    @on(Checkbox.Changed)
    def _edited(self, event: Input.Changed | Select.Changed | Checkbox.Changed) -> None:
        """A problem described the value its field had when saved: it goes once the adviser
        changes that value, as under a `FormField` (the next save judges it again)."""
        key = event.control.id or ""
        if key in self._judged and self._values()[key] != self._judged[key]:
            del self._judged[key]
            self._show_problem(key, None)

    def _record_change(self, previous: Settings, saved: Settings) -> None:
        """Puts the save in the vault's audit log when the vault is unlocked, naming the
        settings that changed (their keys, never their values). The file is saved already,
        so a refused entry does not undo it."""
        session = self.context.session
        if not session.is_unlocked:
            return
        changed = [key for key in FIELDS if getattr(previous, key) != getattr(saved, key)]
        with suppress(ConfidantError):
            note(session.vault, "settings.changed", detail=",".join(changed) or None)

    @on(Button.Pressed, "#save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#back")
    def _back_pressed(self) -> None:
        self.dismiss()


def _language_overridden() -> str:
    return (
        _(
            "Confidant shows English now: CONFIDANT_LANG or --lang chose it when it started. "
            "This setting applies when neither is given."
        )
        if get_language() == "en"
        else _(
            "Confidant shows Dutch now: CONFIDANT_LANG or --lang chose it when it started. "
            "This setting applies when neither is given."
        )
    )


def _is_on(text: str) -> bool:
    """Whether a flag's text (as `str(bool)` keeps it in a draft) means on."""
    return text.strip().lower() == "true"
