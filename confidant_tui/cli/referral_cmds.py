"""Provides `confidant referral`: a referral letter from a case to a file, recorded on the case.

It builds exactly the letter the referral screen would (`services.referrals`): only facts a
live `referral` consent for the destination covers, `--include` defaulting to every allowed
fact, and the adviser's question always in it. A fact without consent is refused (exit 1,
naming the fact and the missing consent); nothing is then written or recorded.

Order of the steps, and why:

1. Everything that needs no vault is checked before the passphrase is asked: the file name
   (`.md`, `.txt`, `.pdf`), the output-path rules, the facts and blanks named.
2. The vault is opened for writing (like `import`) and settled; the letter is drafted.
3. The command says that the file is not encrypted, then writes the file.
4. Only then is the letter recorded (a referral on the case, or the existing one of
   `--referral`). A failed write thus records nothing: no referral that never went out,
   nothing counted in the yearly report. If recording fails after the file was written, the
   file is removed again, so no letter exists that the case file does not show.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from confidant_tui.cli.common import command_context, passphrases, say, vault_path, warn
from confidant_tui.display_text import visible
from confidant_tui.domain.consent import SCOPE_KEYS
from confidant_tui.errors import ExitCode, InvalidInput, NotFound, ValidationError
from confidant_tui.i18n import SUPPORTED_LANGUAGES, _, get_language, ngettext
from confidant_tui.services import exports, referrals, vaults
from confidant_tui.services.cases import get_case
from confidant_tui.services.letter_files import (
    LETTER_FORMATS,
    discard_letter_file,
    letter_format,
    write_letter,
)


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Adds `referral` to the parser."""
    command = subparsers.add_parser(
        "referral",
        parents=[common],
        help=_("write a referral letter from a case, with only what the reporter consented to"),
    )
    command.add_argument("--case", required=True, metavar=_("CODE"), help=_("the case code"))
    command.add_argument(
        "--to",
        metavar=_("DESTINATION"),
        help=_(
            "the destination key, e.g. occupational_health or whistleblower_authority.advice "
            "(not needed with --referral)"
        ),
    )
    command.add_argument(
        "--question",
        required=True,
        metavar=_("TEXT"),
        help=_("your question to the recipient (always in the letter)"),
    )
    command.add_argument(
        "--summary", metavar=_("TEXT"), help=_("your summary for this letter (needs consent)")
    )
    command.add_argument(
        "--include",
        action="extend",
        nargs="+",
        metavar=_("FACT"),
        help=_("the facts to put in: {facts} (default: every fact with consent)").format(
            facts=", ".join(SCOPE_KEYS)
        ),
    )
    command.add_argument(
        "--blank",
        action="append",
        metavar=_("KEY=VALUE"),
        help=_("fill in a blank of the letter, e.g. recipient=... or signature=... (repeat it)"),
    )
    command.add_argument(
        "--referral",
        type=int,
        metavar=_("ID"),
        help=_("make the letter for this existing referral of the case (adds no referral)"),
    )
    command.add_argument(
        "--letter-lang",
        choices=SUPPORTED_LANGUAGES,
        default=None,
        help=_("the letter's language (default: the interface language)"),
    )
    command.add_argument(
        "--out",
        required=True,
        metavar=_("FILE"),
        help=_("where to write the letter: a name ending in {formats}").format(
            formats=", ".join("." + form for form in LETTER_FORMATS)
        ),
    )
    command.add_argument(
        "--force",
        action="store_true",
        help=_("replace the file named by --out if it exists (never a vault file)"),
    )
    command.set_defaults(func=run_referral)


def _label_language() -> str:
    language = get_language()
    return language if language in SUPPORTED_LANGUAGES else "en"


def _fact_label(key: str) -> str:
    book = referrals.load_letter_book()
    if key in SCOPE_KEYS or key == "question":
        return book.fact_label(key, _label_language())
    return key


def _blank_label(key: str) -> str:
    return referrals.load_letter_book().blank_label(key, _label_language())


def _exists_error(path: Path) -> InvalidInput:
    return InvalidInput(
        _("{path} already exists. Add --force to replace it.").format(path=visible(path))
    )


def _checked_output(args: argparse.Namespace, vault: Path) -> tuple[Path, str]:
    """The `--out` file and its format, checked before the passphrase is asked."""
    form = letter_format(Path(args.out))
    try:
        out = exports.check_output_path(Path(args.out), vault_path=vault, replace=bool(args.force))
    except exports.OutputExists as exists:
        raise _exists_error(exists.path) from None
    return out, form


def _included(args: argparse.Namespace) -> tuple[str, ...] | None:
    if args.include is None:
        return None
    facts = tuple(dict.fromkeys(fact.strip() for fact in args.include if fact.strip()))
    unknown = [fact for fact in facts if fact not in SCOPE_KEYS]
    if unknown:
        raise InvalidInput(
            _("{facts}: not a fact a letter can carry; choose from {known}.").format(
                facts=", ".join(visible(fact) for fact in unknown), known=", ".join(SCOPE_KEYS)
            )
        )
    return facts


def _blanks(args: argparse.Namespace) -> dict[str, str]:
    book = referrals.load_letter_book()
    blanks: dict[str, str] = {}
    for given in args.blank or ():
        key, equals, value = given.partition("=")
        key = key.strip()
        if not equals or key not in book.blank_labels:
            raise InvalidInput(
                _("--blank takes KEY=VALUE with KEY one of {keys}.").format(
                    keys=", ".join(sorted(book.blank_labels))
                )
            )
        if key in blanks:
            raise InvalidInput(_("--blank {key} is given twice.").format(key=key))
        blanks[key] = value.strip()
    return blanks


def _destination(args: argparse.Namespace, vault: vaults.Vault) -> str:
    """`--to`, or the destination of the `--referral` row (which must be one of the case's)."""
    if args.referral is None:
        if not args.to:
            raise InvalidInput(_("Say where the letter goes with --to (or use --referral ID)."))
        return str(args.to).strip()
    case = get_case(vault, args.case)
    found = next((r for r in case.referrals if r.id == args.referral), None)
    if found is None:
        raise NotFound(
            _("Referral {id} is not one of the referrals of case {code}.").format(
                id=args.referral, code=visible(case.code)
            )
        )
    if args.to and args.to.strip() != found.destination:
        raise InvalidInput(
            _("Referral {id} goes to {destination}; a letter from it goes there too.").format(
                id=args.referral, destination=found.destination
            )
        )
    return found.destination


def _refused(error: ValidationError, draft: referrals.ReferralDraft) -> ValidationError:
    """Names each refused fact and, for a missing consent, the consent to record first."""
    consent_missing = {c.key for c in draft.choices if c.carried and not c.consented}
    lacking: list[str] = []
    for key, message in error.problems:
        warn(f"  {_fact_label(key)} ({key}): {message}")
        if key in consent_missing:
            lacking.append(_fact_label(key))
    if lacking:
        warn(
            _(
                "  Missing consent: a consent of purpose 'referral' for {destination} that "
                "covers {facts}. Record it in the case file (or leave these out with "
                "--include)."
            ).format(destination=visible(draft.destination_name), facts=", ".join(lacking))
        )
    warn(_("Nothing was written and nothing was recorded."))
    return error


def _check_blanks(blanks: dict[str, str], draft: referrals.ReferralDraft) -> None:
    unused = [key for key in blanks if key not in draft.kind.blanks]
    if unused:
        raise InvalidInput(
            _("A letter to {destination} has no blank {keys}; its blanks are {own}.").format(
                destination=visible(draft.destination_name),
                keys=", ".join(unused),
                own=", ".join(draft.kind.blanks) or "-",
            )
        )


def _report_gaps(letter: referrals.Letter, draft: referrals.ReferralDraft) -> None:
    """Warns about what the letter still lacks: its empty blanks and checklist items."""
    for warning in draft.warnings:
        warn(_("Deadline check: {text}").format(text=warning))
    for key in letter.missing:
        warn(
            _(
                "Not filled in (marked as missing in the letter): {label} (--blank {key}=...)"
            ).format(label=_blank_label(key), key=key)
        )
    for item in letter.checklist:
        if not item.present:
            warn(
                _("Missing from what the recipient needs: {item}").format(
                    item=referrals.load_letter_book().checklist_labels[item.key][_label_language()]
                )
            )
    if draft.conditions:
        warn(_("Go through these conditions with the reporter:"))
        for condition in referrals.load_letter_book().conditions_for(draft.destination):
            warn("  - " + condition[_label_language()])


def run_referral(args: argparse.Namespace) -> int:
    """Drafts the letter, warns that the file is not encrypted, writes it, then records it."""
    path = vault_path(args)
    vaults.ensure_vault(path, for_writing=True)
    out, form = _checked_output(args, path)
    include = _included(args)
    blanks = _blanks(args)
    language = args.letter_lang or _label_language()
    context = command_context()
    passphrase = passphrases(args).read(_("Passphrase: "))
    vault = vaults.open_vault(path, passphrase)
    try:
        context.settle(vault)
        now = context.now()
        destination = _destination(args, vault)
        draft = referrals.referral_draft(
            vault,
            args.case,
            destination,
            language=language,
            now=now,
            taxonomy=context.taxonomy,
            summary=args.summary,
        )
        _check_blanks(blanks, draft)
        choice = referrals.LetterInput(
            destination=destination,
            question=args.question,
            summary=args.summary,
            include=include,
            blanks=blanks,
            language=language,
        )
        try:
            letter = referrals.draft(vault, args.case, choice, now=now, taxonomy=context.taxonomy)
        except ValidationError as error:
            raise _refused(error, draft) from None
        _report_gaps(letter, draft)
        warn(
            _(
                "Note: the letter is written to {path} UNENCRYPTED, outside the vault. It holds "
                "what the reporter agreed to share with {destination}; keep it with care."
            ).format(path=visible(out), destination=visible(draft.destination_name))
        )
        try:
            written = write_letter(letter, out, vault_path=path, replace=bool(args.force))
        except exports.OutputExists as exists:
            raise _exists_error(exists.path) from None
        try:
            recorded = referrals.record_letter(
                vault,
                args.case,
                choice,
                now=now,
                taxonomy=context.taxonomy,
                referral_id=args.referral,
                file_format=form,
            )
        except BaseException:
            discard_letter_file(written)
            warn(_("The letter could not be recorded, so its file was removed again."))
            raise
        if recorded.letter.text != letter.text:  # the same vault and moment: never expected
            write_letter(recorded.letter, written, vault_path=path, replace=True)
    finally:
        vault.close()
    facts = ", ".join(_fact_label(key) for key in recorded.letter.facts) or "-"
    say(
        _("Letter to {destination} written to {path}.").format(
            destination=visible(draft.destination_name), path=visible(written)
        )
    )
    say(
        ngettext(
            "It carries {count} fact: {facts}.",
            "It carries {count} facts: {facts}.",
            len(recorded.letter.facts),
        ).format(count=len(recorded.letter.facts), facts=facts)
    )
    if args.referral is None:
        say(
            _("Recorded on case {code} as a new referral (number {id}).").format(
                code=visible(draft.case_code), id=recorded.referral_id
            )
        )
    else:
        say(
            _("Recorded on case {code} with referral {id}.").format(
                code=visible(draft.case_code), id=recorded.referral_id
            )
        )
    return ExitCode.OK
