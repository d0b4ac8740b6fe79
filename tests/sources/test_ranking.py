"""Ranking documents and passages against a claim (pure functions, no database)."""

from hypothesis import given
from hypothesis import strategies as st

from sources import ranking

DOCS = [
    "TEST DATA. The weather in the test city was sunny all week.",
    "TEST DATA. The test ministry bought 400 test widgets in 2022.",
    "TEST DATA. The ministry of tests published a report on widgets.",
    "TEST DATA. Nothing here relates.",
]


def test_the_document_that_says_the_claim_ranks_first():
    ranked = ranking.rank_documents("Ministry bought 400 widgets in 2022", DOCS, "en", top_k=3)
    assert ranked[0][0] == 1
    assert [i for i, _ in ranked] == [1, 2] or ranked[1][0] == 2
    assert all(0 < score <= 1 for _, score in ranked)
    assert ranked == sorted(ranked, key=lambda item: -item[1])


def test_documents_that_share_no_term_are_left_out_and_top_k_is_respected():
    ranked = ranking.rank_documents("widgets ministry", DOCS, "en", top_k=1)
    assert len(ranked) == 1
    assert ranking.rank_documents("zebra", DOCS, "en", top_k=5) == []
    assert ranking.rank_documents("", DOCS, "en", top_k=5) == []
    assert ranking.rank_documents("widgets", [], "en", top_k=5) == []


def test_numbers_decide_between_otherwise_similar_documents():
    docs = [
        "TEST DATA. Japan bought 300 Tomahawk cruise missiles.",
        "TEST DATA. Japan bought 400 Tomahawk cruise missiles.",
    ]
    ranked = ranking.rank_documents("Japan bought 400 Tomahawk missiles", docs, "en", top_k=2)
    assert ranked[0][0] == 1
    assert ranked[0][1] > ranked[1][1]


def test_arabic_spelling_variants_and_digits_match():
    docs = [
        "بيانات اختبار. اشترت اليابان ٤٠٠ صاروخ كروز من طراز توماهوك.",
        "بيانات اختبار. الطقس في المدينة كان مشمسا.",
    ]
    claim = "وتعهدت اليابانُ بشراء 400 صاروخِ كروز طويل المدى من طراز توماهوك"
    ranked = ranking.rank_documents(claim, docs, "ar", top_k=2)
    assert ranked[0][0] == 0
    assert len(ranked) == 1


def test_latin_names_connect_an_arabic_claim_to_an_english_document():
    docs = [
        "TEST DATA. The weather in Nagoya.",
        "TEST DATA. The Mitsubishi Heavy plant assembles F-35 jets for Lockheed Martin.",
    ]
    claim = "ينتج مصنع لطائرات F-35 التابع لشركة Mitsubishi Heavy طائرات لشركة Lockheed Martin"
    assert ranking.rank_documents(claim, docs, "ar", top_k=1)[0][0] == 1


def test_the_best_passage_has_offsets_into_the_text():
    text = (
        "TEST DATA. First sentence about the weather. Second one about lunch.\n"
        "The test ministry bought 400 test widgets in 2022. The audit said so.\n"
        "A closing sentence."
    )
    passage, score = ranking.best_passage("The ministry bought 400 widgets", text)
    assert text[passage.start : passage.end] == passage.text
    assert "400 test widgets" in passage.text
    assert 0.5 < score <= 1
    assert ranking.best_passage("zebra crossing", text) is None


def test_passages_are_windows_of_sentences():
    text = "One a. Two b! Three c? Four d؟ Five e."
    passages = ranking.split_passages(text, window=2)
    assert [p.text for p in passages][:2] == ["One a. Two b!", "Two b! Three c?"]
    assert passages[-1].text == "Five e."


@given(st.text(alphabet=st.sampled_from("ab .!?\n؟ا"), max_size=300))
def test_every_passage_is_an_exact_slice_of_the_text(text):
    for passage in ranking.split_passages(text):
        assert text[passage.start : passage.end] == passage.text
        assert passage.text.strip() == passage.text and passage.text


def test_the_evidence_score_is_absolute_and_bounded():
    claim = "The ministry bought 400 widgets in 2022"
    full = ranking.evidence_score(claim, "The ministry bought 400 widgets in 2022.")
    half = ranking.evidence_score(claim, "The ministry bought things.")
    none = ranking.evidence_score(claim, "Weather report.")
    assert full == 1.0
    assert 0 < half < full
    assert none == 0.0


def test_near_duplicates_are_recognised():
    a = "TEST title\nThe ministry bought 400 widgets in 2022, records show."
    b = "TEST title\nThe ministry bought 400 widgets in 2022, records show!"
    c = "TEST title\nThe weather was sunny in the capital all week long."
    assert ranking.near_duplicates(a, b)
    assert not ranking.near_duplicates(a, c)


def test_ranking_many_queries_against_the_same_documents_reuses_the_analysis():
    first = ranking.rank_documents("ministry bought 400 widgets", DOCS, "en", top_k=2)
    corpus = ranking.corpus_for(DOCS)
    again = ranking.rank_documents("ministry bought 400 widgets", list(DOCS), "en", top_k=2)
    assert again == first
    assert ranking.corpus_for(list(DOCS)) is corpus
    other = ["TEST DATA. Widgets were bought."]
    assert ranking.rank_documents("widgets bought", other, "en", top_k=2)[0][0] == 0
    assert ranking.corpus_for(other) is not corpus
