"""Provides `confidant report`: the yearly anonymised report as Markdown, CSV, JSON or PDF.

Without `--publish` the vault is opened read-only (the app may be open meanwhile) and the
file is a draft: nothing is recorded. With `--publish` the vault is opened for writing (not
while the app has it open) and the report is recorded as published in the same step as the
file is written, so next year's report repeats exactly these figures for this year.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from confidant_tui.cli.common import passphrases, say, vault_path
from confidant_tui.errors import ExitCode, UsageError
from confidant_tui.i18n import _, get_language
from confidant_tui.services import report as report_service
from confidant_tui.services import vaults
from confidant_tui.vault.store import Vault

FORMATS = ("md", "csv", "json", "pdf")


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Adds `report` to the parser."""
    command = subparsers.add_parser(
        "report",
        parents=[common],
        help=_("write the yearly anonymised report for the board"),
    )
    command.add_argument(
        "--year", type=int, required=True, metavar=_("YEAR"), help=_("the calendar year")
    )
    command.add_argument(
        "--organisation",
        metavar=_("NAME"),
        help=_("the organisation (needed when the vault holds several)"),
    )
    command.add_argument(
        "--format", dest="form", choices=FORMATS, default="md", help=_("the file format")
    )
    command.add_argument(
        "--out", required=True, metavar=_("FILE"), help=_("where to write the report")
    )
    command.add_argument(
        "--publish",
        action="store_true",
        help=_(
            "record the report as published (needs the app closed); without it the file is a draft"
        ),
    )
    command.add_argument(
        "--show-hidden",
        action="store_true",
        help=_("list what was hidden and why (on the screen only, never in the file)"),
    )
    command.set_defaults(func=run_report)


def _settings_threshold() -> int:
    from confidant_tui.settings import load_settings

    return load_settings().report_threshold


def _writer(built: report_service.BuiltReport, form: str, out: Path, vault: Path):
    def write() -> None:
        if form == "pdf":
            try:
                from confidant_tui.services.report_pdf import write_report_pdf
            except ModuleNotFoundError:
                raise UsageError(_("This Confidant cannot write PDF reports.")) from None
            write_report_pdf(
                built.document, out, language=get_language(), labels=report_service.label_function()
            )
        else:
            report_service.write_text(report_service.render(built, form), out, vault)

    return write


def run_report(args: argparse.Namespace) -> int:
    """Builds the report, warns that it leaves the vault unencrypted, writes (and publishes)."""
    path = vault_path(args)
    vaults.ensure_vault(path)
    out = Path(args.out).expanduser()
    threshold = _settings_threshold()
    passphrase = passphrases(args).read(_("Passphrase: "))
    vault = Vault.open(path, passphrase, read_only=not args.publish)
    try:
        built = report_service.build_report(
            vault, args.year, threshold=threshold, organisation=args.organisation
        )
        print(
            _(
                "Note: the report is written to {path} UNENCRYPTED, outside the vault. It holds "
                "only anonymised counts; keep it with care."
            ).format(path=out.resolve()),
            file=sys.stderr,
            flush=True,
        )
        if built.earlier_differs:
            print(
                _(
                    "Warning: a report for {year} was published before with other figures. "
                    "Readers who compare both versions may learn about single cases."
                ).format(year=args.year),
                file=sys.stderr,
                flush=True,
            )
        write = _writer(built, args.form, out, path)
        if args.publish:
            report_service.publish(vault, built, args.form, dt.date.today(), write)
            say(
                _("Report for {year} written to {path} and recorded as published.").format(
                    year=args.year, path=out
                )
            )
        else:
            write()
            say(_("Draft report for {year} written to {path}.").format(year=args.year, path=out))
            say(
                _(
                    "It was not recorded as published: use --publish for the copy you hand to "
                    "the board, so next year's report repeats exactly these figures."
                )
            )
        if args.show_hidden:
            lines = report_service.hidden_lines(built)
            say(_("Hidden in the report (for you only):") if lines else _("Nothing was hidden."))
            for line in lines:
                say("  " + line)
        elif built.hidden:
            say(
                _(
                    "{count} figure(s) were hidden to protect small numbers; see --show-hidden."
                ).format(count=len(built.hidden))
            )
    finally:
        vault.close()
    return ExitCode.OK
