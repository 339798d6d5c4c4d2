"""Provides the words the protocol screens use: grounds, steps, consents and requests.

The domain keeps stable keys (`conscientious_distress`, `consent_attempt`, `third_party`);
the adviser reads plain Dutch (or English). Everything here is a label or a one-line
explanation written for an adviser, not a lawyer.
"""

from __future__ import annotations

from rich.text import Text

from confidant_tui.i18n import N_, _
from confidant_tui.i18n import _ as translate

GROUND_LABELS: dict[str, str] = {
    "consent": N_("Sharing with consent"),
    "conscientious_distress": N_("Serious conscientious distress"),
    "duty_to_report": N_("Legal duty to report"),
    "duty_to_disclose": N_("Legal duty to disclose"),
}

GROUND_EXPLANATIONS: dict[str, str] = {
    "consent": N_(
        "The reporter agrees to what you share and with whom; record that consent first."
    ),
    "conscientious_distress": N_(
        "Keeping the secret puts someone's life or safety at serious risk; all eight LVV "
        "conditions must hold."
    ),
    "duty_to_report": N_(
        "The law obliges you to report a serious crime (art. 160 Sv; art. 162 Sv in public "
        "service)."
    ),
    "duty_to_disclose": N_(
        "A court or the public prosecutor demands the information; you cannot refuse."
    ),
}

STEP_LABELS: dict[str, str] = {
    "ground": N_("Ground chosen"),
    "legal_basis": N_("Legal basis"),
    "condition": N_("LVV condition"),
    "consent_attempt": N_("Consent attempt"),
    "consultation": N_("Consultation"),
    "informing": N_("Reporter informed"),
    "informing_forbidden": N_("Informing forbidden"),
    "referral_offer": N_("Referral offered"),
    "justification": N_("Justification"),
    "disclosure": N_("Disclosure"),
    "abandonment": N_("Decided not to disclose"),
    "addendum": N_("Addendum"),
}

STEP_EXPLANATIONS: dict[str, str] = {
    "condition": N_("Explain one of the eight LVV conditions in your own words."),
    "consent_attempt": N_("What you did to get the reporter's consent, and how it went."),
    "consultation": N_("Whom you consulted, with the case anonymised (colleague, LVV helpdesk)."),
    "informing": N_("When and how you told the reporter of your intention, and the reaction."),
    "referral_offer": N_("Whether you offered a referral to another adviser, or why not."),
    "justification": N_("Your written justification: why you break confidentiality."),
    "ground": N_("Choose or change the ground of this procedure."),
    "legal_basis": N_("For a legal duty: the article of law or order, and who demands it."),
    "informing_forbidden": N_("For a legal duty to disclose: the authority forbade telling."),
    "disclosure": N_("Record what you shared, with whom and when. This closes the procedure."),
    "abandonment": N_(
        "You decided not to disclose after all, or opened this procedure by mistake. This "
        "closes the procedure (x)."
    ),
}

PURPOSE_LABELS: dict[str, str] = {
    "recording": N_("Recording in the register"),
    "statistics": N_("Counting in the yearly report"),
    "referral": N_("Referral"),
    "third_party": N_("Sharing with a third party"),
    "identity": N_("Revealing the identity"),
}

SCOPE_LABELS: dict[str, str] = {
    "name": N_("name"),
    "contact": N_("contact details"),
    "role": N_("role"),
    "work_situation": N_("work situation"),
    "categories": N_("what happened (categories)"),
    "period": N_("period"),
    "summary": N_("summary"),
    "routes": N_("routes taken"),
}

FORM_LABELS: dict[str, str] = {"oral": N_("oral"), "written": N_("written")}

REQUESTER_LABELS: dict[str, str] = {
    "manager": N_("A manager"),
    "board": N_("The board"),
    "committee": N_("A committee"),
    "police": N_("The police"),
    "court": N_("A court"),
    "other": N_("Someone else"),
}

ANSWER_LABELS: dict[str, str] = {
    "declined": N_("Declined (right of non-disclosure)"),
    "referred_to_reporter": N_("Referred to the reporter"),
    "answered_with_consent": N_("Answered with the reporter's consent"),
}


def label(table: dict[str, str], key: str | None) -> str:
    """The translated label of `key` in one of the tables above (the key itself if unknown)."""
    if key is None:
        return ""
    return translate(table[key]) if key in table else key


def ground_label(ground: str | None) -> str:
    """The ground's label, or "ground not chosen yet"."""
    return label(GROUND_LABELS, ground) if ground else _("ground not chosen yet")


def scope_text(keys: frozenset[str] | set[str] | tuple[str, ...]) -> str:
    """Scope keys as a readable list, in the fixed order of the labels."""
    return ", ".join(translate(SCOPE_LABELS[k]) for k in SCOPE_LABELS if k in keys) or _("nothing")


def muted(text: str) -> Text:
    """A translated, app-made hint in the muted style."""
    return Text(text, style="italic")
