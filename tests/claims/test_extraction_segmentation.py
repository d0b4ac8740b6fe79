"""Segmentation: claim-sized spans with exact offsets, in Arabic and English."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claims.extraction import extract
from claims.extraction.segmentation import BIDI_CONTROLS, ZERO_WIDTH, segment, sentences


def units(text):
    return [text[a:b] for a, b in segment(text)]


def test_english_abbreviations_and_decimal_points_do_not_end_a_sentence():
    text = (
        "Dr. Smith met Mr. Jones in the U.S. Senate on Tuesday. "
        "The U.S. economy grew 3.5 percent in 2023. Exports rose, e.g. cars and steel."
    )
    assert units(text) == [
        "Dr. Smith met Mr. Jones in the U.S. Senate on Tuesday.",
        "The U.S. economy grew 3.5 percent in 2023.",
        "Exports rose, e.g. cars and steel.",
    ]


def test_an_acronym_before_a_new_sentence_ends_the_sentence():
    text = "He bought it from the U.S. The deal was signed in 2020 by both sides."
    assert units(text) == [
        "He bought it from the U.S.",
        "The deal was signed in 2020 by both sides.",
    ]


def test_arabic_sentence_ends_and_arabic_indic_decimals():
    text = (
        "بلغ النمو ٣٫٥ في المئة في عام ٢٠٢٣. وقال الوزير إن الحكومة اشترت 3.5 مليون طن؟ "
        "لا أحد يعرف ذلك! هذا رائع جدا."
    )
    assert units(text) == [
        "بلغ النمو ٣٫٥ في المئة في عام ٢٠٢٣.",
        "وقال الوزير إن الحكومة اشترت 3.5 مليون طن؟",
        "لا أحد يعرف ذلك!",
        "هذا رائع جدا.",
    ]


def test_bullets_and_headlines_without_a_full_stop_are_units_of_their_own():
    text = (
        "- أول بند في القائمة هنا\n- ثاني بند في القائمة هنا\n"
        "عنوان رئيسي بلا نقطة في آخره\nنص الخبر هنا وهو جملة كاملة."
    )
    assert units(text) == [
        "أول بند في القائمة هنا",
        "ثاني بند في القائمة هنا",
        "عنوان رئيسي بلا نقطة في آخره",
        "نص الخبر هنا وهو جملة كاملة.",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "He said “We bought 400 missiles. We will buy more.” The ministry confirmed it on Monday.",
        "وقال الرئيس «نحن اشترينا 400 طائرة. وسنشتري المزيد» أمام البرلمان. ووافق البرلمان أمس.",
    ],
)
def test_a_short_quotation_is_not_split_inside(text):
    found = units(text)
    assert len(found) == 2
    first = found[0]
    assert first.count("“") == first.count("”") and first.count("«") == first.count("»")


def test_a_semicolon_separates_two_claims_when_both_sides_stand_alone():
    text = (
        "أعلنت الوزارة زيادة الميزانية بنسبة عشرة في المئة؛ وأكدت الحكومة أن الخطة ستنفذ هذا العام."
    )
    assert units(text) == [
        "أعلنت الوزارة زيادة الميزانية بنسبة عشرة في المئة",
        "وأكدت الحكومة أن الخطة ستنفذ هذا العام.",
    ]


def test_a_comma_followed_by_and_and_a_past_verb_starts_a_new_claim():
    text = "وتعهدت اليابان بالحصول على قدرات جديدة، واشترت 400 صاروخ من طراز توماهوك."
    assert units(text) == [
        "وتعهدت اليابان بالحصول على قدرات جديدة",
        "واشترت 400 صاروخ من طراز توماهوك.",
    ]


def test_a_comma_before_a_coordinated_noun_does_not_split():
    text = "وسمحت ببيع الأسلحة إلى البلدان الحليفة، والمبيعات الخارجية لطائرة مقاتلة جديدة."
    assert units(text) == [text]


def test_latin_tokens_inside_arabic_text_stay_in_their_sentence():
    text = "ينتج مصنع شركة Mitsubishi Heavy طائرات F-35 لشركة Lockheed Martin. وشحنت صواريخ PAC-3."
    assert units(text) == [
        "ينتج مصنع شركة Mitsubishi Heavy طائرات F-35 لشركة Lockheed Martin.",
        "وشحنت صواريخ PAC-3.",
    ]


def test_fragments_of_fewer_than_three_words_are_not_claims():
    assert units("Advertisement\n\nThe ministry bought 400 widgets.\n***") == [
        "The ministry bought 400 widgets."
    ]


def test_sentences_keep_short_units_and_ignore_clauses():
    text = "Yes. The ministry bought widgets; the army bought tanks in large numbers."
    assert [text[a:b] for a, b in sentences(text)] == [
        "Yes.",
        "The ministry bought widgets; the army bought tanks in large numbers.",
    ]


# --- the offset invariant -------------------------------------------------------------------
FRAGMENTS = [
    "قال الوزير",
    "إن الحكومة",
    "اشترت",
    "400",
    "٣٫٥",
    "3.5",
    "صاروخ",
    "F-35",
    "PAC-3",
    "Mitsubishi Heavy",
    "Lockheed Martin",
    "U.S.",
    "Dr.",
    "Mr.",
    "e.g.",
    "the ministry",
    "bought",
    "in 2022",
    "عام ٢٠٢٢",
    "“",
    "”",
    "«",
    "»",
    '"',
    ".",
    "،",
    "؛",
    "؟",
    "!",
    "?",
    ";",
    ",",
    "…",
    "- ",
    "\n",
    "\n- ",
    "\r\n",
    "  ",
    "\t",
    "\u200f",
    "\u200b",
    "\u202b",
    "\u2067",
    "\u0640",
    "ً",
    "1. ",
    "و",
    "واشترت",
    "وتعهدت",
]
mixed_text = st.lists(st.sampled_from(FRAGMENTS), max_size=60).map(" ".join) | st.lists(
    st.sampled_from(FRAGMENTS), max_size=60
).map("".join)
odd_unicode = st.text(
    alphabet=st.characters(codec="utf-8")
    | st.sampled_from(list(BIDI_CONTROLS + ZERO_WIDTH + "؟،؛.«»“”\n\r")),
    max_size=300,
)


def _check_spans(text):
    spans = segment(text)
    previous_end = 0
    for start, end in spans:
        assert previous_end <= start < end <= len(text)
        unit = text[start:end]
        assert unit == unit.strip()
        assert unit[0] not in BIDI_CONTROLS + ZERO_WIDTH
        previous_end = end
    for candidate in extract(text, "ar"):
        assert text[candidate.start : candidate.end] == candidate.text
        assert 0.0 <= candidate.score.value <= 1.0


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mixed_text)
def test_spans_of_mixed_arabic_and_english_text_are_exact_and_ordered(text):
    _check_spans(text)


@settings(max_examples=300, deadline=None)
@given(odd_unicode)
def test_random_unicode_with_bidi_controls_never_crashes_and_keeps_the_invariant(text):
    _check_spans(text)


def test_a_missing_space_after_an_arabic_full_stop_still_ends_the_sentence():
    text = "اشترت الحكومة طائرات جديدة.وقال الوزير إن الصفقة تمت أمس."
    assert units(text) == ["اشترت الحكومة طائرات جديدة.", "وقال الوزير إن الصفقة تمت أمس."]


def test_arabic_one_letter_abbreviations_do_not_end_a_sentence():
    text = "وقال د. سعد الفقيه إن الحكومة اشترت طائرات. وأكد م. أحمد ذلك أمس."
    assert units(text) == ["وقال د. سعد الفقيه إن الحكومة اشترت طائرات.", "وأكد م. أحمد ذلك أمس."]


def test_hard_wrapped_english_lines_are_joined_into_their_sentence():
    text = (
        "The test ministry bought 400 widgets\nin 2022 and sold them\nlast year. A new one.\n"
        "Headline Without A Stop\nNext paragraph here."
    )
    assert units(text) == [
        "The test ministry bought 400 widgets\nin 2022 and sold them\nlast year.",
        "A new one.",
        "Headline Without A Stop",
        "Next paragraph here.",
    ]


def test_kama_and_a_past_verb_after_a_comma_start_a_new_claim():
    text = "افتتحت الحكومة مصنعا جديدا في المدينة، كما أعلنت زيادة الميزانية بنسبة عشرة في المئة."
    assert units(text) == [
        "افتتحت الحكومة مصنعا جديدا في المدينة",
        "كما أعلنت زيادة الميزانية بنسبة عشرة في المئة.",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "." * 50_000 + "a",
        "!?" * 25_000 + "x",
        "؟" * 50_000 + "ب",
        "“a. " * 20_000,
        '"' + "a. b " * 20_000,
        " " * 200_000 + "a b c.",
        "U.S." * 20_000 + "x",
        "اشترت الحكومة طائرة" + "، وقالت" * 40_000,
        "a b; " * 50_000,
    ],
)
def test_pathological_input_is_segmented_in_linear_time(text):
    import time

    started = time.process_time()
    extract(text, "en")
    assert time.process_time() - started < 2.0
