"""Provides `confidant report`: the yearly anonymised report as Markdown, CSV, JSON or PDF.

The `--out` file is checked before the passphrase is asked (`services.exports`): never a
vault file or a non-regular file, and an existing file only with `--force`.

Without `--publish` the vault is opened read-only (the app may be open meanwhile) and the
file is a draft: nothing is recorded. With `--publish` the vault is opened for writing (not
while the app has it open) and the report is recorded as published in the same step as the
file is written, so next year's report repeats exactly these figures for this year.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from pathlib import Path

from confidant_tui.cli.common import command_context, passphrases, say, vault_path, warn
from confidant_tui.display_text import visible
from confidant_tui.domain.taxonomy import Taxonomy
from confidant_tui.errors import ExitCode, InvalidInput, NotFound, UsageError
from confidant_tui.i18n import _, get_language, ngettext
from confidant_tui.services import exports, organisations, vaults
from confidant_tui.services import report as report_service
from confidant_tui.settings import legacy_values

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
        "--force",
        action="store_true",
        help=_("replace the file named by --out if it exists (never a vault file)"),
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


def _writer(
    built: report_service.BuiltReport, form: str, out: Path, vault: Path, replace: bool
) -> Callable[[], None]:
    def write() -> None:
        try:
            if form == "pdf":
                try:
                    from confidant_tui.services.report_pdf import report_pdf_bytes
                except ModuleNotFoundError:
                    raise UsageError(_("This Confidant cannot write PDF reports.")) from None
                data = report_pdf_bytes(
                    built.document,
                    language=get_language(),
                    labels=report_service.label_function(built.taxonomy),
                )
            else:
                data = report_service.render(built, form).encode("utf-8")
            exports.write_export(out, data, vault_path=vault, replace=replace)
        except exports.OutputExists as exists:
            raise _exists_error(exists.path) from None

    return write


def _exists_error(path: Path) -> InvalidInput:
    return InvalidInput(
        _("{path} already exists. Add --force to replace it.").format(path=visible(path))
    )


def _checked_output(args: argparse.Namespace, vault: Path) -> Path:
    """The `--out` file, checked before the passphrase is asked (see `services.exports`)."""
    try:
        return exports.check_output_path(Path(args.out), vault_path=vault, replace=bool(args.force))
    except exports.OutputExists as exists:
        raise _exists_error(exists.path) from None


def _build(
    vault: vaults.Vault, args: argparse.Namespace, taxonomy: Taxonomy
) -> report_service.BuiltReport:
    """The report of `--year` for `--organisation`; an unknown name is refused with the
    names the vault knows, so the adviser can pick one."""
    try:
        return report_service.build_report(
            vault, args.year, taxonomy=taxonomy, organisation=args.organisation
        )
    except NotFound:
        if args.organisation is None:
            raise
        known = [o.name for o in organisations.list_organisations(vault)]
        raise NotFound(unknown_organisation(args.organisation, known)) from None
    except InvalidInput as error:
        if args.organisation is not None or error.message != _(SEVERAL_ORGANISATIONS):
            raise
        known = [o.name for o in organisations.list_organisations(vault)]
        raise InvalidInput(" ".join((error.message, _choices(known)))) from None


SEVERAL_ORGANISATIONS = (
    "The vault holds cases of several organisations; choose one with --organisation."
)
"""The refusal of `services.report` when no organisation is named and there are several
(its message id: the command adds the names to choose from)."""


def unknown_organisation(name: str, known: Sequence[str]) -> str:
    """The refusal of an unknown `--organisation`, naming the organisations there are."""
    message = _("There is no organisation called '{name}' in the vault.").format(name=visible(name))
    if not known:
        return message
    return " ".join((message, _choices(known)))


def _choices(known: Sequence[str]) -> str:
    names = ", ".join(f"'{visible(n)}'" for n in known)
    return _("Choose one of: {names} (--organisation NAME).").format(names=names)


def run_report(args: argparse.Namespace) -> int:
    """Builds the report, warns that it leaves the vault unencrypted, writes (and publishes)."""
    path = vault_path(args)
    vaults.ensure_vault(path)
    out = _checked_output(args, path)
    context = command_context()
    passphrase = passphrases(args).read(_("Passphrase: "))
    vault = vaults.open_vault(path, passphrase, read_only=not args.publish)
    try:
        if args.publish:
            context.settle(vault)  # the organisation's own threshold is the one published
        elif legacy_values():
            warn(
                _(
                    "Note: your settings file still holds the organisation settings of an "
                    "older Confidant. Open the vault once in the app (or publish) to move them "
                    "into the vault; until then this draft uses the organisation's rules as "
                    "the vault has them."
                )
            )
        built = _build(vault, args, context.taxonomy)
        warn(
            _(
                "Note: the report is written to {path} UNENCRYPTED, outside the vault. It holds "
                "only anonymised counts; keep it with care."
            ).format(path=visible(out.resolve()))
        )
        if built.earlier_differs:
            warn(
                _(
                    "Warning: a report for {year} was published before with other figures. "
                    "Readers who compare both versions may learn about single cases."
                ).format(year=args.year)
            )
        if args.publish and report_service.year_running(built.year, context.today()):
            warn(report_service.year_running_warning(built.year))
        write = _writer(built, args.form, out, path, bool(args.force))
        if args.publish:
            report_service.publish(vault, built, args.form, context.today(), write)
            say(
                _("Report for {year} written to {path} and recorded as published.").format(
                    year=args.year, path=visible(out)
                )
            )
        else:
            report_service.write_draft(vault, args.form, write)
            say(
                _("Draft report for {year} written to {path}.").format(
                    year=args.year, path=visible(out)
                )
            )
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
                say("  " + visible(line))
        elif built.hidden:
            say(
                ngettext(
                    "{count} figure was hidden to protect small numbers; see --show-hidden.",
                    "{count} figures were hidden to protect small numbers; see --show-hidden.",
                    len(built.hidden),
                ).format(count=len(built.hidden))
            )
    finally:
        vault.close()
    return ExitCode.OK
