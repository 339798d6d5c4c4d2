"""The shipped taxonomy holds the stable keys of DOMAIN.md's appendix, labelled.

`APPENDIX` is the key list of release 0.1.0 (its vaults and interchange files use it): no key of
it may change or go. `ADDED` holds the keys added since, each under the parent it belongs to.
"""

from __future__ import annotations

import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest

from confidant_tui import i18n
from confidant_tui.domain.taxonomy import KINDS, TaxonomyError, Term, parse_taxonomy, top_level
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

RELEASE_0_1_0 = "7a19185"
"""The commit of release 0.1.0, whose `data/taxonomy.toml` holds exactly `APPENDIX`."""

ADDED: dict[str, dict[str, str | None]] = {
    "category": {
        "discrimination.culture": "discrimination",
        "safer_space_breach": None,
        "integrity.data_carrier_loss": "integrity",
        "integrity.relationship": "integrity",
        "integrity.justice_contact": "integrity",
    },
    "manner": dict.fromkeys(["named", "confidential", "anonymous"]),
    "route_outcome": dict.fromkeys(
        [
            "resolved",
            "upheld",
            "partly_upheld",
            "not_upheld",
            "inadmissible",
            "withdrawn",
            "no_action",
            "referred_on",
        ]
    ),
    "measure": dict.fromkeys(
        [
            "none",
            "conversation",
            "warning",
            "reprimand",
            "training",
            "removal_from_position",
            "suspension",
            "expulsion",
            "other",
        ]
    ),
    "outcome": dict.fromkeys(
        [
            "resolved_informally",
            "resolved_formally",
            "measure_taken",
            "not_resolved",
            "withdrawn",
            "reporter_left",
            "unknown",
        ]
    ),
    "experience": dict.fromkeys(["positive", "mixed", "negative", "not_asked"]),
    "activity": dict.fromkeys(
        [
            "advice_requested",
            "advice_unrequested",
            "information_session",
            "consultation",
            "supervision",
            "training",
            "other",
        ]
    ),
}
"""Keys added after 0.1.0 (issue 14), each with its parent category (None: top-level or not
a category). Six kinds are new: outcomes, measures and the adviser's work outside cases."""

ADDED_GROUPS = {"safer_space_breach": "unwanted_behaviour"}
"""The group of each added top-level category."""


@pytest.fixture(scope="module")
def document() -> dict:
    return tomllib.loads(data_file("taxonomy.toml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("kind", KINDS)
def test_the_shipped_keys_are_the_appendix_and_the_additions(document: dict, kind: str) -> None:
    taxonomy = parse_taxonomy(document)
    assert sorted(taxonomy.keys(kind)) == sorted([*APPENDIX.get(kind, []), *ADDED.get(kind, {})])


@pytest.mark.parametrize("kind", KINDS)
def test_keys_are_unique(document: dict, kind: str) -> None:
    keys = [entry["key"] for entry in document[kind]]
    assert len(keys) == len(set(keys))


def _released_document() -> dict | None:
    """`data/taxonomy.toml` as released in 0.1.0, when this is a git checkout that has it."""
    git = shutil.which("git")
    root = Path(__file__).resolve().parents[3]
    if git is None or not (root / ".git").exists():
        return None
    shown = subprocess.run(
        [git, "show", f"{RELEASE_0_1_0}:data/taxonomy.toml"],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    return tomllib.loads(shown.stdout) if shown.returncode == 0 else None


def test_appendix_is_the_key_list_of_release_0_1_0() -> None:
    released = _released_document()
    if released is None:
        pytest.skip("not a git checkout with release 0.1.0")
    for kind in KINDS:
        assert [entry["key"] for entry in released.get(kind, [])] == APPENDIX.get(kind, []), kind


@pytest.mark.parametrize("kind", KINDS)
def test_no_released_key_changed_or_went(document: dict, kind: str) -> None:
    taxonomy = parse_taxonomy(document)
    for key in APPENDIX.get(kind, []):
        assert taxonomy.is_valid(kind, key), key
    released = _released_document()
    if released is None:
        return
    for entry in released.get(kind, []):
        term = taxonomy.term(kind, entry["key"])
        assert term.group == entry.get("group"), entry["key"]


@pytest.mark.parametrize(("key", "parent"), ADDED["category"].items())
def test_each_added_category_sits_under_its_parent_with_every_label(
    document: dict, key: str, parent: str | None
) -> None:
    taxonomy = parse_taxonomy(document)
    term = taxonomy.term("category", key)
    if parent is None:
        assert term.parent is None and term.group == ADDED_GROUPS[key]
        assert term.group in taxonomy.groups
        assert key in taxonomy.top_levels()
        # The case list's category filter shows top-level labels in one line of 24 characters.
        assert len(term.labels["nl"]) <= 24 and len(term.labels["en"]) <= 24
    else:
        assert term.parent == parent and top_level(key) == parent
        assert key in taxonomy.children(parent)
        # The picker shows a sub-kind by the part of its label after "Parent: ".
        assert ": " in term.labels["nl"] and ": " in term.labels["en"]
    entry = next(e for e in document["category"] if e["key"] == key)
    for field in ("nl", "en", "short_nl", "short_en"):
        assert entry[field].strip() == entry[field] and entry[field], field
    assert len(entry["short_nl"]) <= 24 and len(entry["short_en"]) <= 24
    assert entry["nl"] != entry["en"]


def test_each_added_category_has_labels_no_other_category_has(document: dict) -> None:
    taxonomy = parse_taxonomy(document)
    for field in ("label", "short_label"):
        for language in ("nl", "en"):
            labels = [getattr(term, field)(language) for term in taxonomy.terms("category")]
            for key in ADDED["category"]:
                label = getattr(taxonomy.term("category", key), field)(language)
                assert labels.count(label) == 1, (key, field, language)


def test_every_key_has_a_dutch_and_an_english_label_and_a_short_one(document: dict) -> None:
    taxonomy = parse_taxonomy(document)
    for kind in KINDS:
        for term in taxonomy.terms(kind):
            assert term.label("nl") and term.label("en")
            assert term.short_label("nl") and len(term.short_label("nl")) <= 24, term.key


def test_discrimination_has_its_grounds_as_sub_kinds(document: dict) -> None:
    taxonomy = parse_taxonomy(document)
    grounds = [*GROUNDS[:1], "culture", *GROUNDS[1:]]
    assert taxonomy.children("discrimination") == tuple(f"discrimination.{g}" for g in grounds)
    assert taxonomy.children("discrimination")[-1] == "discrimination.other"
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


def test_own_terms_are_added_but_never_relabel_a_shipped_key(document: dict) -> None:
    own = [
        Term("level", "youth_wing", {"nl": "Jongerenafdeling", "en": "Youth wing"}),
        Term("level", "local", {"nl": "Mijn lokaal", "en": "Mine"}),
    ]
    taxonomy = parse_taxonomy(document).with_terms(own)
    assert taxonomy.keys("level")[-1] == "youth_wing"
    assert taxonomy.keys("level").count("local") == 1
    assert taxonomy.label("level", "youth_wing", "nl") == "Jongerenafdeling"
    assert taxonomy.label("level", "local", "nl") == "Lokale afdeling"
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
