"""Arabic and English text analysis for search and ranking."""

from sources import text


def test_arabic_letter_forms_are_normalised():
    assert text.normalize("أإآٱ") == "اااا"
    assert text.normalize("مؤتمر") == "موتمر"
    assert text.normalize("رئيس") == "رييس"
    assert text.normalize("مستشفى") == "مستشفي"
    assert text.normalize("الطائرة") == "الطايره"


def test_diacritics_and_tatweel_are_removed():
    assert text.normalize("الطَّائِرَةُ") == text.normalize("الطائرة")
    assert text.normalize("اليـــابان") == "اليابان"


def test_arabic_indic_digits_become_western_digits():
    assert text.normalize("٤٠٠ صاروخ") == "400 صاروخ"
    assert text.normalize("۲۰۲۲") == "2022"
    assert text.extract_numbers("اشترت ٤٠٠ صاروخ في عام ٢٠٢٢") == ["400", "2022"]


def test_codes_and_numbers_stay_whole_tokens():
    assert text.tokenize("F-35 and PAC-3 cost 1,000 or 3.5") == [
        "f-35",
        "and",
        "pac-3",
        "cost",
        "1,000",
        "or",
        "3.5",
    ]
    assert text.number_value("1,000") == "1000"


def test_stop_words_are_dropped_in_both_languages():
    assert text.analyze("The ministry said that it was in the city") == ["ministri", "citi"]
    assert text.analyze("قال إن الوزير في المدينة") == ["وزير", "مدين"]


def test_the_light_arabic_stemmer_strips_clitics_and_suffixes_conservatively():
    assert text.stem("والصواريخ") == "صواريخ"
    assert text.stem("للصناعات") == "صناع"
    assert text.stem(text.normalize("اليابانية")) == text.stem(text.normalize("اليابان"))
    # Short words keep at least three letters.
    assert text.stem("بحر") == "بحر"
    assert len(text.stem("ولد")) == 3


def test_english_words_are_stemmed():
    assert text.stem("missiles") == text.stem("missile")
    assert text.stem("purchased") == text.stem("purchasing")


def test_an_arabic_claim_query_keeps_latin_names_and_codes():
    claim = (
        "ينتج مصنع التجميع النهائي والفحص النهائي لطائرات F-35 التابع لشركة Mitsubishi Heavy "
        "بالقرب من ناغويا ستة طائرات من طائرات F-35 التابعة لشركة Lockheed Martin سنويًا"
    )
    query = text.build_query(claim)
    assert query.language == "ar"
    assert query.names[:3] == ["F-35", "Mitsubishi Heavy", "Lockheed Martin"]
    assert query.text.startswith('F-35 "Mitsubishi Heavy" "Lockheed Martin"')
    assert len(query.text.split()) <= 9


def test_an_arabic_query_names_people_after_title_cues():
    query = text.build_query("وحث السفير رام إيمانويل اليابان على زيادة مشاركتها في تطوير الأسلحة")
    assert "رام إيمانويل" in query.names
    assert "رام إيمانويل" in query.text
    # Stop words and clitic conjunctions are not sent.
    assert "على" not in query.text.split()
    assert "في" not in query.text.split()


def test_an_english_query_has_numbers_and_key_terms():
    query = text.build_query("The test ministry said it bought 400 test widgets in 2022.")
    assert query.numbers == ["400", "2022"]
    assert "widgets" in query.terms
    assert "said" not in query.text


def test_language_is_detected_by_script():
    assert text.detect_language("اليابان تشتري 400 صاروخ Tomahawk") == "ar"
    assert text.detect_language("Japan buys 400 Tomahawk missiles") == "en"
