"""The learned check-worthiness scorer: shipped model files, featuriser, loading, prediction.

These tests use only the model files shipped in claims/extraction/models/, never the
evaluation data.
"""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from claims.extraction import learned

ROOT = Path(__file__).resolve().parents[2]

FACT_EN = "The unemployment rate fell to 3.5% in 2019, according to the Labor Department."
OPINION_EN = "I think this is a great day for everyone."
FACT_AR = "أعلنت وزارة الصحة تسجيل 1200 إصابة جديدة بفيروس كورونا و35 وفاة خلال الـ24 ساعة الماضية."
OPINION_AR = "اللهم احفظ بلادنا وأهلها، صباح الخير على الجميع ❤️"


@pytest.fixture(autouse=True)
def fresh_cache():
    learned.clear_cache()
    yield
    learned.clear_cache()


@pytest.mark.parametrize("language", ["ar", "en"])
def test_the_shipped_model_loads_and_gives_probabilities_between_zero_and_one(language):
    texts = [FACT_EN, OPINION_EN, FACT_AR, OPINION_AR, "", "?", "0 0 0"]

    result = learned.probabilities(texts, language)

    assert result is not None
    assert len(result) == len(texts)
    assert all(0.0 <= p <= 1.0 for p in result)
    assert len(set(result)) > 1


@pytest.mark.parametrize("language", ["ar", "en"])
def test_the_shipped_model_records_its_provenance_and_threshold(language):
    info = learned.model_info(language)

    assert info["language"] == language
    assert "CheckThat" in info["data"]["source"]
    assert "research" in info["data"]["licence"]
    (train_file,) = info["data"]["files"]
    assert train_file.endswith("train.tsv")
    assert len(info["data"]["files"][train_file]["sha256"]) == 64
    assert 0.0 < info["threshold"] < 1.0
    assert "cross-validation" in info["selection"]["method"]


def test_the_shipped_model_files_stay_small():
    total = sum(p.stat().st_size for p in learned.MODELS_DIR.iterdir() if p.is_file())

    assert total < 5_000_000


def test_a_sourced_english_statistic_scores_higher_than_an_opinion():
    fact, opinion = learned.probabilities([FACT_EN, OPINION_EN], "en")

    assert fact > opinion


def test_a_reported_arabic_statistic_scores_higher_than_a_greeting():
    fact, opinion = learned.probabilities([FACT_AR, OPINION_AR], "ar")

    assert fact > opinion


def test_probability_of_one_text_equals_its_probability_in_a_batch():
    batch = learned.probabilities([OPINION_EN, FACT_EN], "en")

    assert learned.probability(FACT_EN, "en") == pytest.approx(batch[1])


def test_is_checkworthy_compares_with_the_threshold_stored_in_the_model():
    threshold = learned.model_info("en")["threshold"]

    assert learned.is_checkworthy(threshold, "en") is True
    assert learned.is_checkworthy(threshold - 0.01, "en") is False


def test_cue_contributions_name_the_cues_present_largest_first():
    contributions = learned.cue_contributions(FACT_EN, "en")

    names = [name for name, _ in contributions]
    assert "has_percent" in names
    assert "hedge" not in names  # absent from the sentence, so not a reason
    sizes = [abs(value) for _, value in contributions]
    assert sizes == sorted(sizes, reverse=True)
    assert learned.cue_contributions(FACT_EN, "fr") is None


def test_an_empty_batch_gives_an_empty_list():
    assert learned.probabilities([], "en") == []


@pytest.mark.parametrize("language", ["fr", "", "AR", "english"])
def test_an_unsupported_language_gives_none(language):
    assert learned.probabilities([FACT_EN], language) is None
    assert learned.probability(FACT_EN, language) is None
    assert learned.is_checkworthy(0.9, language) is None
    assert learned.model_info(language) is None
    assert learned.cue_contributions(FACT_EN, language) is None


def test_a_missing_model_file_gives_none(monkeypatch, tmp_path):
    monkeypatch.setattr(learned, "MODELS_DIR", tmp_path)

    assert learned.probabilities([FACT_EN], "en") is None
    assert learned.probability(FACT_EN, "ar") is None


def test_a_weights_file_that_does_not_match_its_recorded_hash_is_refused(monkeypatch, tmp_path):
    for path in learned.model_paths("en"):
        (tmp_path / path.name).write_bytes(path.read_bytes())
    weights = tmp_path / learned.model_paths("en")[1].name
    weights.write_bytes(weights.read_bytes() + b"tampered")
    monkeypatch.setattr(learned, "MODELS_DIR", tmp_path)

    with pytest.raises(learned.ModelFileError, match="sha256"):
        learned.probabilities([FACT_EN], "en")


def test_a_model_file_of_another_format_version_is_refused(monkeypatch, tmp_path):
    meta_path, weights_path = learned.model_paths("en")
    meta = json.loads(meta_path.read_text("utf-8"))
    meta["format_version"] = 999
    (tmp_path / meta_path.name).write_text(json.dumps(meta), "utf-8")
    (tmp_path / weights_path.name).write_bytes(weights_path.read_bytes())
    monkeypatch.setattr(learned, "MODELS_DIR", tmp_path)

    with pytest.raises(learned.ModelFileError, match="format_version"):
        learned.probabilities([FACT_EN], "en")


def test_a_saved_model_predicts_what_its_weights_say(tmp_path):
    config = learned.FeatureConfig(char_bits=8, word_bits=8)
    weights = np.zeros(config.n_features, dtype=np.float32)
    weights[config.n_char + config.n_word + learned.CUE_NAMES.index("has_number")] = 4.0
    learned.save_model(tmp_path, "en", config, weights, bias=-2.0, threshold=0.5, meta={})

    model = learned.load_model("en", tmp_path)
    with_number, without = learned.predict(model, ["It was 42 degrees.", "It was warm."])

    assert with_number == pytest.approx(1 / (1 + np.exp(-2.0)), abs=1e-3)
    assert without == pytest.approx(1 / (1 + np.exp(2.0)), abs=1e-3)


def test_the_featuriser_gives_the_same_features_every_time():
    texts = [FACT_EN, OPINION_EN, FACT_AR, "#hashtag @someone https://example.invalid/x"]

    first = learned.featurise(texts, "en")
    second = learned.featurise(list(reversed(texts)), "en")
    again = learned.featurise(texts[:1], "en")

    def row(features, i):
        mask = features.rows == i
        order = np.argsort(features.cols[mask])
        return features.cols[mask][order], features.values[mask][order]

    for i in range(len(texts)):
        cols_a, vals_a = row(first, i)
        cols_b, vals_b = row(second, len(texts) - 1 - i)
        assert np.array_equal(cols_a, cols_b)
        assert np.allclose(vals_a, vals_b)
    assert np.array_equal(row(first, 0)[0], row(again, 0)[0])


def test_the_featuriser_does_not_depend_on_the_python_hash_seed():
    code = (
        "from claims.extraction import learned\n"
        f"f = learned.featurise([{FACT_AR!r}, {OPINION_AR!r}], 'ar')\n"
        "print(sorted(zip(f.rows.tolist(), f.cols.tolist())))\n"
    )
    outputs = set()
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        run = subprocess.run(
            [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
        )
        assert run.returncode == 0, run.stderr
        outputs.add(run.stdout)

    assert len(outputs) == 1


def test_a_nul_character_in_one_text_does_not_disturb_the_others():
    texts = [OPINION_EN, "GDP grew\x003%", FACT_EN]

    scored = learned.probabilities(texts, "en")

    assert scored[0] == pytest.approx(learned.probability(OPINION_EN, "en"))
    assert scored[2] == pytest.approx(learned.probability(FACT_EN, "en"))
    assert scored[1] == pytest.approx(learned.probability("GDP grew 3%", "en"))


def test_arabic_normalisation_unifies_letter_forms_and_hides_numbers_and_links():
    text = "أعلنت إدارة آلـمدينة ٢٥ حالةً جديدة https://t.example.invalid/x @user_1 #عاجل_الآن"

    normalised = learned.normalise(text, "ar")

    assert normalised == "اعلنت اداره المدينه 0 حاله جديده url @user # عاجل الان"


def test_english_normalisation_lowercases_and_replaces_numbers():
    assert learned.normalise("GDP grew 3.2% in 2019", "en") == "gdp grew 0% in 0"


def test_the_cues_name_what_a_factual_sentence_contains():
    cues = dict(zip(learned.CUE_NAMES, learned.cues(FACT_EN, "en"), strict=True))

    assert cues["has_number"] == 1.0
    assert cues["has_year"] == 1.0
    assert cues["has_percent"] == 1.0
    assert cues["attribution"] > 0
    assert cues["hedge"] == 0.0


def test_ten_thousand_sentences_are_scored_quickly():
    texts = [f"{FACT_EN} Sentence {i}." for i in range(5000)]
    texts += [f"{FACT_AR} رقم {i}" for i in range(5000)]
    learned.probabilities(texts[:10], "en")  # load the model outside the timing

    start = time.process_time()  # CPU time: other processes on a busy CI machine do not count
    result = learned.probabilities(texts, "en")
    elapsed = time.process_time() - start

    assert len(result) == 10_000
    assert elapsed < 5.0  # about 0.5 s on one idle core; generous for a slow CI machine
