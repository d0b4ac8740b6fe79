"""Check-worthiness: a pure score with the reasons behind it, and language detection."""

import pytest

from claims.extraction.features import REASON_LABELS, WEIGHTS
from claims.extraction.language import detect_language
from claims.extraction.scoring import Score, blend, score, score_many


def codes(result):
    return {r["code"] for r in result.reasons}


def test_a_factual_english_sentence_scores_high_with_its_reasons():
    result = score("The ministry bought 400 tanks from Germany in 2022, officials said.", "en")
    assert result.value > 0.7
    assert {"quantity", "date", "action", "attribution", "organisation"} <= codes(result)
    evidence = {r["code"]: r["evidence"] for r in result.reasons}
    assert evidence["quantity"] == "400"
    assert evidence["date"] == "2022"


def test_a_factual_arabic_sentence_scores_high_with_arabic_cues():
    result = score("وقال رئيس الوزراء إن اليابان اشترت 400 صاروخ في عام ٢٠٢٢.", "ar")
    assert result.value > 0.7
    assert {"quantity", "date", "person", "place", "attribution", "action"} <= codes(result)


@pytest.mark.parametrize(
    ("fact", "not_fact", "language", "code"),
    [
        (
            "The government approved 12 new schools in 2021.",
            "Should the government approve new schools?",
            "en",
            "question",
        ),
        (
            "The government approved 12 new schools in 2021.",
            "I think we must approve new schools.",
            "en",
            "opinion",
        ),
        (
            "اشترت الحكومة ١٢ طائرة جديدة في عام ٢٠٢١.",
            "يجب على الحكومة أن تشتري طائرات جديدة.",
            "ar",
            "opinion",
        ),
        (
            "اشترت الحكومة ١٢ طائرة جديدة في عام ٢٠٢١.",
            "هل تشتري الحكومة طائرات جديدة؟",
            "ar",
            "question",
        ),
        (
            "The senator voted against the bill on Tuesday.",
            "Let's stand together for our future!",
            "en",
            "call",
        ),
        (
            "The army received 40 tanks in 2020.",
            "Maybe the army received some tanks.",
            "en",
            "hedge",
        ),
    ],
)
def test_opinions_questions_hedges_and_calls_score_lower_than_facts(fact, not_fact, language, code):
    low = score(not_fact, language)
    assert code in codes(low)
    assert low.value < score(fact, language).value
    assert low.value < 0.4


def test_every_reason_has_a_code_with_a_label_a_weight_and_evidence():
    texts = [
        "هل قال الوزير إن الشركة اشترت 400 طائرة أكثر من العام الماضي؟ يجب أن نعرف!",
        "I think the U.S. Senate will probably approve more than 3.5 billion dollars, we must act!",
    ]
    for result in score_many(texts, "en"):
        assert result.reasons
        for reason in result.reasons:
            assert set(reason) == {"code", "weight", "evidence"}
            assert reason["code"] in REASON_LABELS
            assert isinstance(reason["weight"], float)
            assert isinstance(reason["evidence"], str) and reason["evidence"]
    assert set(WEIGHTS) <= set(REASON_LABELS)


def test_evidence_quotes_the_words_as_written_in_the_text():
    result = score("ينتج المصنع ستة طائرات سنويًا لشركة يابانية.", "ar")
    evidence = {r["code"]: r["evidence"] for r in result.reasons}
    assert evidence["quantity"] == "ستة"
    assert evidence["organisation"] == "لشركة"


def test_product_codes_are_names_not_quantities():
    result = score("وشحنت اليابان صواريخ PAC-3 وطائرات F-35 إلى الحلفاء.", "ar")
    evidence = {r["code"]: r["evidence"] for r in result.reasons}
    assert "quantity" not in evidence
    assert evidence["name"] == "PAC-3, F-35"


def test_score_is_a_pure_function():
    text = "The ministry bought 400 tanks in 2022."
    assert score(text, "en") == score(text, "en")
    assert score_many([text, text], "en") == [score(text, "en")] * 2


def test_blend_without_a_learned_probability_keeps_the_rule_score():
    rule = score("The ministry bought 400 tanks in 2022.", "en")
    assert blend(rule, None) is rule


def test_blend_with_a_learned_probability_moves_the_score_and_says_so():
    rule = Score(0.8, [{"code": "quantity", "weight": 1.0, "evidence": "400"}])
    blended = blend(rule, 0.2, weight=0.5)
    assert blended.value == pytest.approx(0.5)
    model = blended.reasons[-1]
    assert model["code"] == "model" and model["evidence"] == "0.20"
    assert model["weight"] == pytest.approx(-0.3)
    assert blend(rule, 7.0).value <= 1.0


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("حث السفير الأمريكي لدى اليابان طوكيو على القيام بدور أكبر", "ar"),
        ("مرحبا", "ar"),
        ("The ministry said it bought 400 widgets in 2022 and will buy more.", "en"),
        ("Hello", "en"),
        ("وقال إن شركة Lockheed Martin تنتج طائرات F-35 في الولايات المتحدة", "ar"),
        ("12345 !!!", ""),
    ],
)
def test_language_is_detected_from_script_and_words(text, language):
    assert detect_language(text) == language


def test_links_and_handles_are_neither_names_nor_quantities():
    result = score("شاهد هذا الفيديو @user123 https://t.co/3VgApG6C2C", "ar")
    assert not codes(result) & {"name", "quantity"}


def test_extract_blends_in_a_learned_predictor_when_one_is_given():
    from claims.extraction import extract

    text = "The ministry bought 400 tanks in 2022. I think this is wonderful."
    plain = extract(text, "en")
    seen = []

    def predictor(units, language):
        seen.append((units, language))
        return [0.0, None]

    blended = extract(text, "en", learned=predictor)
    assert seen == [([c.text for c in plain], "en")]
    assert blended[0].score.value < score(plain[0].text, "en").value
    assert blended[0].score.reasons[-1]["code"] == "model"
    assert blended[1].score == score(plain[1].text, "en")


def test_calibration_puts_the_model_threshold_on_the_half_boundary():
    from claims.extraction.scoring import calibrate

    assert calibrate(0.3, 0.3) == pytest.approx(0.5)
    assert calibrate(0.15, 0.3) == pytest.approx(0.25)
    assert calibrate(0.65, 0.3) == pytest.approx(0.75)
    assert calibrate(0.0, 0.3) == 0.0 and calibrate(1.0, 0.3) == 1.0


def test_checkworthiness_blends_the_learned_model_and_names_it_in_the_reasons():
    from claims.extraction import learned
    from claims.extraction.scoring import calibrate, checkworthiness

    texts = ["The unemployment rate fell to 3.5% in 2019.", "Thank you all very much!"]
    model = learned.get_model("en")
    results = checkworthiness(texts, "en", weight=0.75)
    for text, result, p in zip(texts, results, learned.probabilities(texts, "en"), strict=True):
        rule = score(text, "en")
        expected = 0.25 * rule.value + 0.75 * calibrate(p, model.threshold)
        assert result.value == pytest.approx(expected, abs=1e-3)
        reason = result.reasons[-1]
        assert reason["code"] == "learned"
        assert rule.value + reason["weight"] == pytest.approx(result.value, abs=1e-3)
    assert results[0].value >= 0.5 > results[1].value


def test_checkworthiness_with_weight_one_decides_like_the_learned_model():
    from claims.extraction import learned
    from claims.extraction.scoring import checkworthiness

    texts = [
        "The unemployment rate fell to 3.5% in 2019.",
        "Thank you all very much!",
        "We did it.",
    ]
    values = [s.value >= 0.5 for s in checkworthiness(texts, "en", weight=1.0)]
    probs = learned.probabilities(texts, "en")
    assert values == [learned.is_checkworthy(p, "en") for p in probs]


def test_checkworthiness_without_a_model_is_the_rule_score():
    from claims.extraction.scoring import checkworthiness

    text = "Le ministère a acheté 400 chars en 2022."
    assert checkworthiness([text], "fr") == [score(text, "fr")]
