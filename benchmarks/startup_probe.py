"""Start-up probe for `benchmarks/run.py`: runs one app until its first frame, prints the time.

Usage: python benchmarks/startup_probe.py confidant VAULT | python benchmarks/startup_probe.py minimal

Both apps run headless at the same size, and both are stopped the same way: `App._display`
(the method the compositor calls with each finished frame; headless, it draws nothing) is
wrapped, and its first call with a frame prints `time.perf_counter()` (CLOCK_MONOTONIC, the
same clock in the parent) and ends the process at once. So "first frame" is the moment the
app has composed, mounted, laid out and rendered its first screen. "confidant" runs the real
entry point (`confidant open --vault VAULT`, with its imports, settings and language);
"minimal" is the reference Textual app of issue 19: a Header, a password Input and a Footer.
"""

from __future__ import annotations

import os
import sys
import time

from textual.app import App

SIZE = (100, 30)


def _install_hooks() -> None:
    display = App._display
    run = App.run

    def first_frame(self: App, screen: object, renderable: object) -> None:  # type: ignore[type-arg]
        display(self, screen, renderable)  # type: ignore[arg-type]
        if renderable is not None and not self._batch_count and self._running:
            sys.stdout.write(f"FRAME {time.perf_counter():.6f} {type(screen).__name__}\n")
            sys.stdout.flush()
            os._exit(0)

    def headless_run(self: App, *args: object, **kwargs: object) -> object:  # type: ignore[type-arg]
        kwargs["headless"] = True
        kwargs["size"] = SIZE
        return run(self, *args, **kwargs)  # type: ignore[arg-type]

    App._display = first_frame  # type: ignore[method-assign]
    App.run = headless_run  # type: ignore[method-assign]


def _minimal() -> None:
    from textual.app import ComposeResult
    from textual.widgets import Footer, Header, Input

    class Minimal(App[None]):
        def compose(self) -> ComposeResult:
            yield Header()
            yield Input(password=True, placeholder="Passphrase")
            yield Footer()

    Minimal().run()


def main() -> None:
    _install_hooks()
    if sys.argv[1] == "minimal":
        _minimal()
    else:
        from confidant_tui.cli.main import main as confidant

        confidant(["open", "--vault", sys.argv[2]])
    sys.stdout.write("NOFRAME\n")
    sys.exit(1)


if __name__ == "__main__":
    main()
