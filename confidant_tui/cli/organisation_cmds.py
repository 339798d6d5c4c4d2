"""Provides `confidant organisation list|add NAME|edit NAME`: organisations for scripts.

Every rule of `domain.organisation.OrganisationRules` has an option. The values that need
no vault (numbers, yes/no, choices, dates, texts, the due date, the confidentiality file)
are checked before the passphrase is asked, so a typing mistake changes nothing, not even
the vault's bytes. Then the vault is opened for writing and settled (`CommandContext.settle`:
a 0.1.x settings file's values move in), and the change is one service call. A list option
(`--unit`, `--destination`, `--measure`) replaces the whole list; a unit or destination
whose label stays keeps its key, so cases recorded under it keep pointing at it.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from confidant_tui.cli.common import command_context, passphrases, say, vault_path
from confidant_tui.display_text import visible
from confidant_tui.domain.organisation import (
    ADVISER_POSITIONS,
    ADVISER_SERVES,
    OWN_PREFIX,
    OrganisationRules,
    field_label,
    rules_from_dict,
    rules_to_dict,
)
from confidant_tui.errors import ExitCode, InvalidInput, UsageError
from confidant_tui.i18n import _, format_date, ngettext, parse_date
from confidant_tui.services import organisations, vaults
from confidant_tui.services.cases import load_taxonomy

YES = ("yes", "ja")
NO = ("no", "nee")
TEXT_OPTIONS = {
    "complaints_committee": "--complaints-committee",
    "integrity_desk": "--integrity-desk",
    "board": "--board",
    "report_recipients": "--recipients",
}
NUMBER_OPTIONS = {
    "complaint_period_years": "--complaint-period-years",
    "report_threshold": "--report-threshold",
    "retention_years": "--retention-years",
}
FLAG_OPTIONS = {
    "complaint_written_only": "--complaint-written-only",
    "complaint_anonymous": "--complaint-anonymous",
    "melding_anonymous": "--melding-anonymous",
    "melding_confidential": "--melding-confidential",
    "adviser_may_mediate": "--may-mediate",
}
CHOICE_OPTIONS = {
    "adviser_position": ("--adviser-position", ADVISER_POSITIONS),
    "adviser_serves": ("--adviser-serves", ADVISER_SERVES),
}
DATE_OPTIONS = {"appointed_on": "--appointed-on", "appointed_until": "--appointed-until"}


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Adds `organisation` with its subcommands `list`, `add` and `edit`."""
    group = subparsers.add_parser(
        "organisation",
        parents=[common],
        help=_("list, add and change the organisations you serve and their rules"),
    )
    commands = group.add_subparsers(dest="action", metavar=_("ACTION"), parser_class=type(group))
    listing = commands.add_parser(
        "list", parents=[common], help=_("one line per organisation (or its rules as JSON)")
    )
    listing.add_argument(
        "--json", action="store_true", help=_("print every organisation's rules as JSON")
    )
    listing.set_defaults(func=run_list)
    add = commands.add_parser("add", parents=[common], help=_("add an organisation"))
    add.add_argument("name", metavar=_("NAME"), help=_("the organisation's name"))
    _rule_options(add)
    add.add_argument(
        "--default", action="store_true", help=_("make it the organisation of new cases")
    )
    add.set_defaults(func=run_add)
    edit = commands.add_parser(
        "edit", parents=[common], help=_("change an organisation's rules or name")
    )
    edit.add_argument("name", metavar=_("NAME"), help=_("the organisation's current name"))
    _rule_options(edit)
    edit.add_argument("--rename", metavar=_("NEW"), help=_("give it a new name"))
    edit.add_argument(
        "--default", action="store_true", help=_("make it the organisation of new cases")
    )
    archive = edit.add_mutually_exclusive_group()
    archive.add_argument(
        "--archive",
        action="store_true",
        help=_("archive it: it keeps its cases and reports, but gets no new cases"),
    )
    archive.add_argument("--restore", action="store_true", help=_("bring it back from the archive"))
    edit.set_defaults(func=run_edit)
    group.set_defaults(func=_need_action)


def _rule_options(parser: argparse.ArgumentParser) -> None:
    rules = parser.add_argument_group(_("rules (absent: unchanged, or the default)"))
    text = _("TEXT")
    rules.add_argument(
        "--unit",
        action="append",
        metavar=_("LABEL"),
        help=_("a unit of the organisation (repeat it; replaces the list; '' empties it)"),
    )
    rules.add_argument(
        "--escalation",
        metavar=_("LEVELS"),
        help=_("the escalation chain: level keys or labels separated by commas"),
    )
    for name, option in TEXT_OPTIONS.items():
        rules.add_argument(option, dest=name, metavar=text, help=field_label(name))
    for name, option in NUMBER_OPTIONS.items():
        rules.add_argument(option, dest=name, metavar="N", help=field_label(name))
    for name, option in FLAG_OPTIONS.items():
        rules.add_argument(option, dest=name, metavar="yes|no", help=field_label(name))
    for name, (option, choices) in CHOICE_OPTIONS.items():
        rules.add_argument(option, dest=name, metavar="|".join(choices), help=field_label(name))
    for name, option in DATE_OPTIONS.items():
        rules.add_argument(
            option,
            dest=name,
            metavar=_("DATE"),
            help=_("{rule} (dd-mm-yyyy; '' clears it)").format(rule=field_label(name)),
        )
    rules.add_argument(
        "--confidentiality-text-file",
        metavar=_("FILE"),
        help=_("a UTF-8 file with the confidentiality text (an empty file: the default text)"),
    )
    rules.add_argument(
        "--destination",
        action="append",
        metavar=_("'LABEL: description'"),
        help=_("an own referral destination (repeat it; replaces the list; '' empties it)"),
    )
    rules.add_argument(
        "--measure",
        action="append",
        metavar=_("LABEL"),
        help=_("an own measure (repeat it; replaces the list; '' empties it)"),
    )
    rules.add_argument("--report-due", metavar="MM-DD", help=field_label("report_due"))


def _need_action(args: argparse.Namespace) -> int:
    raise UsageError(
        _("Wrong use of the command: {detail}. See 'confidant --help'.").format(
            detail=_("say list, add or edit")
        )
    )


# -- reading the options -----------------------------------------------------------------


def _problem(name: str, text: str) -> InvalidInput:
    return InvalidInput(_("{rule}: {problem}").format(rule=field_label(name), problem=text))


def _flag(name: str, value: str) -> bool:
    word = value.strip().casefold()
    if word in YES or word in NO:
        return word in YES
    raise _problem(name, _("answer yes or no."))


def _number(value: str) -> int | str:
    stripped = value.strip()
    return int(stripped) if stripped.isascii() and stripped.isdigit() else stripped


def _date(name: str, value: str) -> str | None:
    if not value.strip():
        return None
    try:
        return parse_date(value).isoformat()
    except ValueError as error:
        raise _problem(name, str(error)) from None


def _read_text_file(given: str) -> str:
    path = Path(given)
    try:
        if not path.is_file():
            raise InvalidInput(_("{path} is not a file.").format(path=visible(path)))
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise _problem("confidentiality_text", _("the file is not UTF-8 text.")) from None
    except OSError:
        raise InvalidInput(_("{path} cannot be read.").format(path=visible(path))) from None


def simple_changes(args: argparse.Namespace) -> dict[str, Any]:
    """The rules given by options that need no vault, checked (the JSON form).

    Raises:
        InvalidInput: a wrong value, naming the rule.
    """
    changes: dict[str, Any] = {}
    for name in TEXT_OPTIONS:
        if getattr(args, name) is not None:
            changes[name] = getattr(args, name)
    for name in NUMBER_OPTIONS:
        if getattr(args, name) is not None:
            changes[name] = _number(getattr(args, name))
    for name in FLAG_OPTIONS:
        if getattr(args, name) is not None:
            changes[name] = _flag(name, getattr(args, name))
    for name in CHOICE_OPTIONS:
        if getattr(args, name) is not None:
            changes[name] = getattr(args, name).strip()
    for name in DATE_OPTIONS:
        if getattr(args, name) is not None:
            changes[name] = _date(name, getattr(args, name))
    if args.confidentiality_text_file is not None:
        changes["confidentiality_text"] = _read_text_file(args.confidentiality_text_file)
    if args.report_due is not None:
        changes["report_due"] = args.report_due.strip()
    rules_from_dict(changes)
    return changes


def _labels(values: Sequence[str] | None) -> list[str] | None:
    if values is None:
        return None
    return [value.strip() for value in values if value.strip()]


def list_changes(args: argparse.Namespace, base: OrganisationRules) -> dict[str, Any]:
    """The units, destinations, measures and escalation chain given (the JSON form); a label
    that was there keeps its key.

    Raises:
        InvalidInput: an escalation level that does not exist.
    """
    # Imported here: every `confidant` command imports this module to register its options,
    # and the organisation form's helpers pull in Textual (about 0.3 s) for all of them.
    from confidant_tui.ui.controllers.organisation_form import escalation_keys, keep_keys

    changes: dict[str, Any] = {}
    taxonomy = load_taxonomy()
    units = _labels(args.unit)
    if units is not None:
        keys = keep_keys(
            units,
            [u.label for u in base.units],
            [u.key for u in base.units],
            prefix="",
            reserved=set(taxonomy.keys("level")),
        )
        changes["units"] = [{"key": k, "label": v} for k, v in zip(keys, units, strict=True)]
    measures = _labels(args.measure)
    if measures is not None:
        keys = keep_keys(
            measures,
            [m.label for m in base.measures],
            [m.key for m in base.measures],
            prefix=OWN_PREFIX,
            reserved=set(),
        )
        changes["measures"] = [{"key": k, "label": v} for k, v in zip(keys, measures, strict=True)]
    destinations = _labels(args.destination)
    if destinations is not None:
        pairs = [line.partition(":") for line in destinations]
        labels = [label.strip() for label, _sep, _rest in pairs]
        keys = keep_keys(
            labels,
            [d.label for d in base.destinations],
            [d.key for d in base.destinations],
            prefix=OWN_PREFIX,
            reserved=set(),
        )
        changes["destinations"] = [
            {"key": key, "label": label, "description": rest.strip()}
            for key, label, (_l, _sep, rest) in zip(keys, labels, pairs, strict=True)
        ]
    if args.escalation is not None:
        own = changes.get("units") or [{"key": u.key, "label": u.label} for u in base.units]
        try:
            changes["escalation"] = escalation_keys(args.escalation, own, taxonomy)
        except ValueError as error:
            raise InvalidInput(str(error)) from None
    return changes


# -- the commands ------------------------------------------------------------------------


def _open(args: argparse.Namespace) -> tuple[Any, list[organisations.Organisation]]:
    path = vault_path(args)
    vaults.ensure_vault(path, for_writing=True)
    context = command_context()
    passphrase = passphrases(args).read(_("Passphrase: "))
    vault = vaults.open_vault(path, passphrase)
    try:
        return vault, context.settle(vault)
    except BaseException:
        vault.close()
        raise


def run_list(args: argparse.Namespace) -> int:
    """Prints one line per organisation, or (`--json`) every organisation's rules.

    Listing only reads: the vault is opened read-only, so it works beside the open app.
    """
    path = vault_path(args)
    vaults.ensure_vault(path)
    command_context()  # a settings file with a mistake stops here, as in every command
    passphrase = passphrases(args).read(_("Passphrase: "))
    vault = vaults.open_vault(path, passphrase, read_only=True)
    try:
        entries = organisations.overview(vault)
    finally:
        vault.close()
    if args.json:
        document = [
            {
                "name": entry.organisation.name,
                "default": entry.organisation.is_default,
                "archived": None
                if entry.organisation.archived is None
                else entry.organisation.archived.isoformat(),
                "cases": entry.cases,
                "rules": rules_to_dict(entry.organisation.rules),
            }
            for entry in entries
        ]
        say(json.dumps(document, ensure_ascii=True, indent=2))
        return ExitCode.OK
    for entry in entries:
        say(_line(entry))
    return ExitCode.OK


def _line(entry: organisations.OrganisationEntry) -> str:
    from confidant_tui.ui.presenters.month_day import format_month_day  # see list_changes

    organisation = entry.organisation
    rules = organisation.rules
    if organisation.archived is None:
        status = _("active")
    else:
        status = _("archived {date}").format(date=format_date(organisation.archived))
    if organisation.is_default:
        status = _("{status}, default").format(status=status)
    return _(
        "{name}: {status}; {cases}; complaint period {period}; report due {due}; "
        "smallest count shown {threshold}"
    ).format(
        name=visible(organisation.name),
        status=status,
        cases=ngettext("{count} case", "{count} cases", entry.cases).format(count=entry.cases),
        period=ngettext("{count} year", "{count} years", rules.complaint_period_years).format(
            count=rules.complaint_period_years
        ),
        due=format_month_day(rules.report_due),
        threshold=rules.report_threshold,
    )


def run_add(args: argparse.Namespace) -> int:
    """Adds an organisation with the rules given (the defaults for the others)."""
    changes = simple_changes(args)
    vault, _settled = _open(args)
    try:
        changes.update(list_changes(args, OrganisationRules()))
        added = organisations.add_organisation(vault, args.name, changes)
        if args.default:
            organisations.edit_organisation(vault, added.name, {}, make_default=True)
    finally:
        vault.close()
    say(_("Organisation {name} added.").format(name=visible(added.name)))
    return ExitCode.OK


def run_edit(args: argparse.Namespace) -> int:
    """Changes an organisation's rules, name, default and archive state.

    Everything that can be refused is checked before the first write: the rules and the
    name by the first service call (one transaction), archiving the last active
    organisation before it.
    """
    if args.default and args.archive:
        raise UsageError(
            _("Wrong use of the command: {detail}. See 'confidant --help'.").format(
                detail=_("--default and --archive exclude each other")
            )
        )
    changes = simple_changes(args)
    context = command_context()
    vault, settled = _open(args)
    try:
        current = organisations.find(settled, args.name)
        changes.update(list_changes(args, current.rules))
        if args.archive and current.active and sum(o.active for o in settled) == 1:
            raise InvalidInput(
                _("This is the only active organisation; add another one before archiving it.")
            )
        edited = organisations.edit_organisation(
            vault,
            current.name,
            changes,
            new_name=args.rename,
            make_default=args.default and not args.restore,
        )
        if args.restore:
            organisations.set_archived(vault, edited.name, archived=False, today=context.today())
            if args.default:
                organisations.edit_organisation(vault, edited.name, {}, make_default=True)
        if args.archive:
            organisations.set_archived(vault, edited.name, archived=True, today=context.today())
    finally:
        vault.close()
    say(_("Organisation {name} changed.").format(name=visible(edited.name)))
    return ExitCode.OK
