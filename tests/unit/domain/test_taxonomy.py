"""The shipped taxonomy holds exactly the stable keys of DOMAIN.md's appendix, labelled."""

from __future__ import annotations

import tomllib

import pytest

from confidant_tui import i18n
from confidant_tui.domain.taxonomy import KINDS, TaxonomyError, parse_taxonomy, top_level
from confidant_tui.resources import data_file

GROUNDS = [
    "origin",
    "sex_gender",
    "sexual_orientation",
    "age",
    "disability",
    "religion",
    "political",
    "contract",
    "civil_status",
    "class",
    "language",
    "immigration",
    "other",
]
APPENDIX = {
    "category": ["discrimination", *(f"discrimination.{g}" for g in GROUNDS)]
    + [
        "sexual_harassment",
        *(f"sexual_harassment.{s}" for s in ["verbal", "nonverbal", "physical", "power"]),
    ]
    + [
        "bullying",
        "aggression",
        *(f"aggression.{s}" for s in ["verbal", "psychological", "physical"]),
    ]
    + ["intimidation", "stalking", "abuse_of_power", "extremism", "integrity"]
    + [
        f"integrity.{s}"
        for s in [
            "financial",
            "conflict_of_interest",
            "information",
            "powers",
            "resources",
            "gifts",
            "private_conduct",
        ]
    ]
    + ["irregularity", "wrongdoing"]
    + [
        f"wrongdoing.{s}"
        for s in ["eu_law", "law_or_rules", "public_health", "safety", "environment", "functioning"]
    ]
    + ["other", *(f"other.{s}" for s in ["labour_conflict", "workload", "question", "other"])],
    "reporter_role": [
        "applicant",
        "employee",
        "volunteer",
        "intern",
        "board_member",
        "member",
        "elected_representative",
        "contractor",
        "guest",
        "former",
        "other",
    ],
    "relation": [
        "manager",
        "colleague",
        "board_member",
        "elected_representative",
        "member",
        "subordinate",
        "external",
        "unknown",
    ],
    "level": ["local", "regional", "national_office", "parliamentary_group"],
    "route": [
        "story_only",
        "advice",
        "informal.self",
        "informal.supported",
        "informal.mediation",
        "informal.manager",
        "informal.hr",
        "formal.complaint",
        "formal.integrity_report",
        "external.whistleblower_authority",
        "external.police",
    ],
    "destination": [
        "occupational_health",
        "whistleblower_authority.advice",
        "whistleblower_authority.investigation",
        "gp",
        "social_work",
        "victim_support",
        "police",
        "sexual_violence_centre",
        "legal_aid",
        "complaints_committee",
        "integrity_desk",
        "other_adviser",
    ],
    "mode": ["in_person", "phone", "video", "email", "chat", "other"],
    "status": ["open", "aftercare", "closed"],
    "person_role": ["accused", "witness", "other"],
}


@pytest.fixture(scope="module")
def document() -> dict:
    return tomllib.loads(data_file("taxonomy.toml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("kind", KINDS)
def test_the_shipped_keys_are_exactly_the_appendix(document: dict, kind: str) -> None:
    taxonomy = parse_taxonomy(document)
    assert sorted(taxonomy.keys(kind)) == sorted(APPENDIX[kind])


def test_every_key_has_a_dutch_and_an_english_label_and_a_short_one(document: dict) -> None:
    taxonomy = parse_taxonomy(document)
    for kind in KINDS:
        for term in taxonomy.terms(kind):
            assert term.label("nl") and term.label("en")
            assert term.short_label("nl") and len(term.short_label("nl")) <= 24, term.key


def test_discrimination_has_its_grounds_as_sub_kinds(document: dict) -> None:
    taxonomy = parse_taxonomy(document)
    assert taxonomy.children("discrimination") == tuple(f"discrimination.{g}" for g in GROUNDS)
    assert "bullying" in taxonomy.top_levels()
    assert "discrimination.age" not in taxonomy.top_levels()
    assert top_level("integrity.gifts") == "integrity"
    assert taxonomy.term("category", "integrity.gifts").parent == "integrity"


def test_labels_follow_the_interface_language(document: dict) -> None:
    taxonomy = parse_taxonomy(document)
    assert taxonomy.label("status", "aftercare") == "Nazorg"
    i18n.set_language("en")
    assert taxonomy.label("status", "aftercare") == "Aftercare"
    assert taxonomy.label("status", "unknown-key") == "unknown-key"


def test_extra_levels_are_added_and_labelled_by_their_key(document: dict) -> None:
    taxonomy = parse_taxonomy(document, ["youth_wing", "local"])
    assert taxonomy.keys("level")[-1] == "youth_wing"
    assert taxonomy.keys("level").count("local") == 1
    assert taxonomy.label("level", "youth_wing") == "youth_wing"
    assert not parse_taxonomy(document).is_valid("level", "youth_wing")


def _minimal() -> dict:
    return {kind: [{"key": "a", "nl": "A", "en": "A"}] for kind in KINDS}


def test_a_repeated_key_is_a_fault_in_the_data() -> None:
    document = _minimal()
    document["mode"].append({"key": "a", "nl": "B", "en": "B"})
    with pytest.raises(TaxonomyError, match="duplicate"):
        parse_taxonomy(document)


def test_a_missing_label_or_parent_is_a_fault_in_the_data() -> None:
    document = _minimal()
    document["route"] = [{"key": "x", "nl": "X"}]
    with pytest.raises(TaxonomyError):
        parse_taxonomy(document)
    document = _minimal()
    document["category"].append({"key": "b.sub", "nl": "B", "en": "B"})
    with pytest.raises(TaxonomyError, match="parent"):
        parse_taxonomy(document)
