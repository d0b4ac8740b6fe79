"""Extraction on the real seed article (Arabic news)."""

from pathlib import Path

import pytest

from claims import services
from claims.extraction import extract
from claims.models import Claim

SEED = Path(__file__).resolve().parents[2] / "seeds" / "000_50f76b988ce1c267.txt"

# One distinctive phrase per fact that must be a claim of its own.
FACTS = {
    "tomahawk": "400 صاروخ كروز",
    "f35_plant": "ستة طائرات",
    "strategy_2022": "في عام 2022",
    "pac3": "صواريخ PAC-3",
    "fighter_with_britain_and_italy": "مع بريطانيا وإيطاليا",
}


@pytest.fixture(scope="module")
def seed_text():
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def candidates(seed_text):
    return extract(seed_text, "ar")


def test_the_seed_article_gives_at_least_fifteen_claims(candidates):
    assert len(candidates) >= 15


@pytest.mark.parametrize("fact", FACTS)
def test_each_key_fact_is_in_exactly_one_claim_and_ranks_in_the_top_half(candidates, fact):
    holding = [c for c in candidates if FACTS[fact] in c.text]
    assert len(holding) == 1, [c.text for c in holding]
    ranked = sorted(candidates, key=lambda c: -c.score.value)
    assert ranked.index(holding[0]) < len(ranked) / 2


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("tomahawk", "strategy_2022"),
        ("pac3", "fighter_with_britain_and_italy"),
        ("tomahawk", "pac3"),
    ],
)
def test_key_facts_are_never_in_the_same_claim(candidates, one, other):
    assert not [c for c in candidates if FACTS[one] in c.text and FACTS[other] in c.text]


def test_the_tomahawk_purchase_is_split_from_the_pledge_in_its_sentence(candidates):
    pledge = [c for c in candidates if "وتعهدت اليابان" in c.text]
    purchase = [c for c in candidates if "واشترت 400" in c.text]
    assert len(pledge) == 1 and len(purchase) == 1
    assert pledge[0] is not purchase[0]
    assert purchase[0].text.startswith("واشترت 400")


def test_bullets_and_the_headline_line_are_claims_without_their_markers(candidates, seed_text):
    texts = [c.text for c in candidates]
    assert texts[0].startswith("وحث السفير رام إيمانويل")
    assert (
        "الولايات المتحدة واليابان وكوريا الجنوبية تجري مناورات عسكرية في بحر الصين الشرقي "
        "المتنازع عليه"
    ) in texts
    assert not any(t.startswith("-") for t in texts)


@pytest.mark.django_db
def test_ingesting_the_seed_stores_claims_whose_offsets_match_the_text(seed_text):
    result = services.article_ingest(text=seed_text, title="Seed")
    article = result.article
    assert article.language == "ar"
    assert article.text == seed_text
    claims = list(Claim.objects.filter(article=article))
    assert len(claims) == result.claims_created >= 15
    for claim in claims:
        assert article.text[claim.start : claim.end] == claim.text
        assert claim.reasons and all("code" in r for r in claim.reasons)
