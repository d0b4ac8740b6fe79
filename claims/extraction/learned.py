"""A learned check-worthiness scorer: hashed n-grams and explainable cues, logistic weights.

The model is a linear classifier trained offline by ``bench/train_checkworthiness.py`` on the
CLEF CheckThat! lab check-worthiness data (see the README, "Check-worthiness model"). Training
and inference share ONE featuriser, :func:`featurise`, written with numpy and the standard
library only, so the workbench needs neither scikit-learn nor the training data at runtime.

Features of one text, in three blocks of one weight vector:

* character n-grams of the normalised text (hashed into ``2**char_bits`` slots),
* word unigrams and bigrams of the normalised text (hashed into ``2**word_bits`` slots),
* a few dense, topic-independent cues (numbers, dates, attribution, comparison, hedges,
  questions, first person, length...), see :data:`CUE_NAMES`.

Normalisation removes what is topical or noisy rather than telling: URLs, mentions and
numbers become placeholders, Arabic letters are unified (hamza/alef forms, alef maqsura,
ta marbuta, diacritics, tatweel), English is lower-cased; a model may also keep hashtags
as a bare ``#`` without their (topical) words. Each n-gram block is weighted
``1 + log(count)`` and scaled to unit length, then multiplied by a per-block factor.

Public interface::

    probabilities(texts, language) -> list[float] | None
    probability(text, language) -> float | None
    is_checkworthy(p, language) -> bool | None
    cue_contributions(text, language) -> list[tuple[str, float]] | None
    model_info(language) -> dict | None

``None`` means "no model shipped for that language": callers fall back to other scoring.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import threading
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

MODELS_DIR = Path(__file__).resolve().parent / "models"
LANGUAGES = ("ar", "en")
FORMAT_VERSION = 1

# --------------------------------------------------------------------------------------------
# Normalisation
# --------------------------------------------------------------------------------------------

_ARABIC_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_ARABIC_LETTERS = str.maketrans(
    {
        "\u0622": "\u0627",  # آ -> ا
        "\u0623": "\u0627",  # أ -> ا
        "\u0625": "\u0627",  # إ -> ا
        "\u0671": "\u0627",  # ٱ -> ا
        "\u0649": "\u064a",  # ى -> ي
        "\u0629": "\u0647",  # ة -> ه
        "\u0624": "\u0648",  # ؤ -> و
        "\u0626": "\u064a",  # ئ -> ي
        "\u06cc": "\u064a",  # Persian yeh -> ي
        "\u06a9": "\u0643",  # keheh -> ك
        "\u060c": ",",  # Arabic comma
        "\u061b": ";",  # Arabic semicolon
        "\u061f": "?",  # Arabic question mark
        "\u066a": "%",  # Arabic percent sign
        "\u066b": ".",  # Arabic decimal separator
        "\u066c": ",",  # Arabic thousands separator
        "\u00ab": '"',
        "\u00bb": '"',
        "\u201c": '"',
        "\u201d": '"',
        "\u2019": "'",
        "\u2018": "'",
    }
)
_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_MENTION = re.compile(r"@\w+")
_HASHTAG = re.compile(r"#(\w+)")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_SPACES = re.compile(r"\s+")


def _digits_to_ascii(text: str) -> str:
    """Map every decimal digit (Arabic-Indic, Persian, ...) to its ASCII digit."""
    if text.isascii():
        return text
    out = []
    for ch in text:
        if ch.isdigit() and not ch.isascii():
            try:
                out.append(str(unicodedata.digit(ch)))
                continue
            except (TypeError, ValueError):
                pass
        out.append(ch)
    return "".join(out)


def normalise_letters(text: str, language: str) -> str:
    """Unicode compatibility form, ASCII digits, unified Arabic letters, lower-cased Latin."""
    text = unicodedata.normalize("NFKC", text).replace("\x00", " ")  # NUL: see _char_ngrams
    text = _digits_to_ascii(text)
    text = _ARABIC_DIACRITICS.sub("", text).translate(_ARABIC_LETTERS)
    return text.lower()


def normalise(
    text: str, language: str, letters: str | None = None, hashtag_words: bool = True
) -> str:
    """The text the n-grams are taken from: letters unified, placeholders for the topical.

    ``letters`` is ``normalise_letters(text, language)`` when the caller has it already.
    Hashtags become ``#`` followed by their words, or (``hashtag_words=False``) ``#`` alone.
    """
    text = normalise_letters(text, language) if letters is None else letters
    text = _URL.sub(" url ", text)
    text = _MENTION.sub(" @user ", text)
    if hashtag_words:
        text = _HASHTAG.sub(lambda m: " # " + m.group(1).replace("_", " ") + " ", text)
    else:
        text = _HASHTAG.sub(" # ", text)
    text = _NUMBER.sub("0", text)
    return _SPACES.sub(" ", text).strip()


# --------------------------------------------------------------------------------------------
# Explainable dense cues (self-contained; computed on the letter-normalised text)
# --------------------------------------------------------------------------------------------

# Words and two-word phrases per cue. Arabic entries are normalised like the text before
# lookup; an Arabic token also matches with a leading conjunction/preposition removed.
_LEXICON: dict[str, dict[str, str]] = {
    "en": {
        "attribution": "said says say according_to reported reports announced stated told "
        "claimed claims confirmed revealed testified wrote data statistics study survey report "
        "figures records",
        "comparison": "more less fewer higher lower increase increased increases decrease "
        "decreased rose fell grew dropped doubled tripled cut raised largest biggest smallest "
        "highest lowest most least than record percent times",
        "quantity": "percent million millions billion billions trillion thousand thousands "
        "hundred hundreds dollars dollar half third quarter twice jobs tax taxes budget "
        "deficit debt $ % £ €",
        "date": "january february march april may june july august september october "
        "november december monday tuesday wednesday thursday friday saturday sunday year years "
        "since ago last today yesterday decade century",
        "hedge": "i_think i_believe i_feel i_hope i_want we_must we_need we_should should must "
        "ought maybe perhaps probably going_to let_me let's thank thanks great wonderful "
        "terrible believe hope i'd i'll wish love",
        "first_person": "i i'm i've me my we we're we've us our",
        "second_person": "you your you're",
        "question": "?",
        "negation": "not no never n't nobody nothing don't doesn't didn't won't can't",
        "institution": "government congress senate president administration federal state "
        "states country nation america american americans united military law bill program "
        "plan health security care medicare social",
        "breaking": "breaking urgent update",
    },
    "ar": {
        "attribution": "قال قالت يقول تقول أعلن أعلنت يعلن تعلن أكد أكدت وفق وفقا بحسب حسب "
        "صرح تصريح تصريحات أفاد أفادت كشف كشفت ذكر ذكرت أوضح نقلا مصدر مصادر بيان رسميا "
        "وزارة تقرير دراسة",
        "comparison": "أكثر أقل ارتفاع ارتفع ارتفعت انخفاض انخفض زيادة تراجع ضعف أعلى أدنى "
        "أكبر أصغر الأعلى الأكبر الأول الأولى قياسي مقارنة نسبة",
        "quantity": "بالمئة بالمائة المئة المائة مليون ملايين مليار مليارات ألف آلاف دولار "
        "جنيه ريال درهم دينار يورو حالة حالات إصابة إصابات وفاة وفيات قتيل قتلى جرحى عدد %",
        "date": "يناير فبراير مارس أبريل ابريل مايو يونيو يوليو أغسطس سبتمبر أكتوبر نوفمبر "
        "ديسمبر كانون شباط آذار نيسان أيار حزيران تموز آب أيلول تشرين الأحد الاثنين الثلاثاء "
        "الأربعاء الخميس الجمعة السبت اليوم أمس غدا عام العام سنة شهر أسبوع منذ",
        "hedge": "أعتقد اعتقد أظن أرى نرى يجب ينبغي لابد ربما قد أتمنى نتمنى اللهم الله "
        "إن_شاء يا رأيي شكرا الحمد حفظ رحم أحب نحب للأسف صباح مساء",
        "first_person": "أنا انا نحن لي لنا عندي عندنا",
        "second_person": "أنت أنتم انت انتم لك لكم",
        "question": "? هل لماذا كيف متى أين ماذا",
        "negation": "لا لم لن ليس ليست غير بدون",
        "institution": "الرئيس رئيس وزير وزيرة الوزير وزارة الحكومة حكومة منظمة الأمم_المتحدة "
        "مجلس البرلمان الجيش الشرطة السلطات المتحدث الصحة رسمي",
        "breaking": "عاجل خبر بالفيديو فيديو شاهد صور",
    },
}

CUE_NAMES: tuple[str, ...] = (
    "has_number",
    "numbers",
    "has_year",
    "has_percent",
    "attribution",
    "comparison",
    "quantity",
    "date",
    "hedge",
    "first_person",
    "second_person",
    "question",
    "negation",
    "institution",
    "breaking",
    "named_entities",
    "has_url",
    "has_mention",
    "hashtags",
    "exclamation",
    "emoji",
    "short",
    "length",
)
_CUE_INDEX = {name: i for i, name in enumerate(CUE_NAMES)}


def _build_lexicon(language: str) -> dict[str, tuple[int, ...]]:
    table: dict[str, list[int]] = {}
    for name, words in _LEXICON[language].items():
        for word in words.split():
            key = normalise_letters(word.replace("_", " "), language)
            table.setdefault(key, []).append(_CUE_INDEX[name])
    return {k: tuple(v) for k, v in table.items()}


_LOOKUP = {lang: _build_lexicon(lang) for lang in _LEXICON}
# first words of the two-word phrases: only after one of them is a phrase looked up
_PHRASE_STARTS = {
    lang: frozenset(k.split(" ", 1)[0] for k in table if " " in k)
    for lang, table in _LOOKUP.items()
}
_CUE_TOKEN = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?|[?%$£€]")
_ARABIC_PREFIXES = ("و", "ف", "ب", "ل", "ك")
_YEAR = re.compile(r"(?<!\d)(?:1[89]\d\d|20\d\d)(?!\d)")
_PERCENT = re.compile(r"\d\s*%|%\s*\d")
_CAPITALISED = re.compile(r"(?<=[a-z,;:] )[A-Z][a-z]+")
_EMOJI = re.compile("[\U0001f300-\U0001faff\u2600-\u27bf]")


def cues(text: str, language: str, letters: str | None = None) -> list[float]:
    """Dense, bounded (0..1) topic-independent cues of one text, in :data:`CUE_NAMES` order.

    ``letters`` is ``normalise_letters(text, language)`` when the caller has it already.
    """
    lang = language if language in _LOOKUP else "en"
    lookup = _LOOKUP[lang]
    if letters is None:
        letters = normalise_letters(text, lang)
    no_urls = _URL.sub(" ", letters) if "http" in letters or "www." in letters else letters
    v = [0.0] * len(CUE_NAMES)
    numbers = len(_NUMBER.findall(_MENTION.sub(" ", no_urls) if "@" in no_urls else no_urls))
    v[0] = numbers > 0
    v[1] = min(numbers, 5) / 5.0
    v[2] = _YEAR.search(no_urls) is not None
    v[3] = _PERCENT.search(no_urls) is not None
    tokens = _CUE_TOKEN.findall(no_urls)
    counts = [0] * len(CUE_NAMES)
    phrase_starts = _PHRASE_STARTS[lang]
    previous = ""
    for token in tokens:
        hits = lookup.get(token)
        if hits is None and lang == "ar" and len(token) > 3 and token[0] in _ARABIC_PREFIXES:
            hits = lookup.get(token[1:])
        if hits:
            for i in hits:
                counts[i] += 1
        if previous in phrase_starts:
            for i in lookup.get(previous + " " + token, ()):
                counts[i] += 1
        previous = token
    for name in (
        "attribution",
        "comparison",
        "quantity",
        "date",
        "hedge",
        "first_person",
        "second_person",
        "question",
        "negation",
        "institution",
        "breaking",
    ):
        v[_CUE_INDEX[name]] = min(counts[_CUE_INDEX[name]], 3) / 3.0
    if tokens and tokens[0] in (
        "what",
        "why",
        "how",
        "who",
        "when",
        "where",
        "do",
        "does",
        "did",
        "is",
        "are",
        "can",
        "will",
        "would",
    ):
        v[_CUE_INDEX["question"]] = max(v[_CUE_INDEX["question"]], 1 / 3)
    n_tokens = max(len(no_urls.split()), 1)
    if lang == "en":
        named = len(_CAPITALISED.findall(text))
    else:
        named = letters.count("#")
    v[_CUE_INDEX["named_entities"]] = min(named, 5) / 5.0
    v[_CUE_INDEX["has_url"]] = no_urls is not letters and _URL.search(letters) is not None
    v[_CUE_INDEX["has_mention"]] = "@" in letters and _MENTION.search(letters) is not None
    v[_CUE_INDEX["hashtags"]] = min(letters.count("#"), 5) / 5.0
    v[_CUE_INDEX["exclamation"]] = "!" in letters
    v[_CUE_INDEX["emoji"]] = _EMOJI.search(text) is not None
    v[_CUE_INDEX["short"]] = n_tokens < 6
    v[_CUE_INDEX["length"]] = min(math.log1p(n_tokens) / math.log(80.0), 1.0)
    return [float(x) for x in v]


# --------------------------------------------------------------------------------------------
# The featuriser shared by training and inference
# --------------------------------------------------------------------------------------------

_MASK64 = np.uint64(0xFFFFFFFFFFFFFFFF)
_FNV_PRIME = np.uint64(0x100000001B3)
_FNV_OFFSET = 0xCBF29CE484222325
_MIX = np.uint64(0xFF51AFD7ED558CCD)


@dataclass(frozen=True)
class FeatureConfig:
    """How texts become features. Stored in the model file; training and runtime share it."""

    char_min: int = 2
    char_max: int = 5
    char_bits: int = 18
    word_bits: int = 18
    word_bigrams: bool = True
    char_weight: float = 1.0
    word_weight: float = 1.0
    cue_weight: float = 1.0
    hashtag_words: bool = True

    @property
    def n_char(self) -> int:
        return 1 << self.char_bits

    @property
    def n_word(self) -> int:
        return 1 << self.word_bits

    @property
    def n_features(self) -> int:
        return self.n_char + self.n_word + len(CUE_NAMES)

    def as_dict(self) -> dict:
        return {
            "char_min": self.char_min,
            "char_max": self.char_max,
            "char_bits": self.char_bits,
            "word_bits": self.word_bits,
            "word_bigrams": self.word_bigrams,
            "char_weight": self.char_weight,
            "word_weight": self.word_weight,
            "cue_weight": self.cue_weight,
            "hashtag_words": self.hashtag_words,
        }


@dataclass
class Features:
    """Sparse rows (``rows``, ``cols``, ``values``) of ``n_texts`` x ``config.n_features``."""

    n_texts: int
    rows: np.ndarray
    cols: np.ndarray
    values: np.ndarray
    config: FeatureConfig = field(default_factory=FeatureConfig)


def _finalise_hash(h: np.ndarray, bits: int) -> np.ndarray:
    h = h ^ (h >> np.uint64(33))
    h = h * _MIX
    h = h ^ (h >> np.uint64(29))
    return (h & np.uint64((1 << bits) - 1)).astype(np.int64)


def _char_ngrams(texts: list[str], config: FeatureConfig) -> tuple[np.ndarray, np.ndarray]:
    """(document index, hashed slot) of every character n-gram, vectorised over all texts.

    Each text is padded with a space at both ends; the texts are joined with a separator code
    point that no n-gram may contain.
    """
    if not texts:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    sep = "\x00"
    joined = sep + sep.join(" " + t + " " for t in texts) + sep
    cps = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    is_sep = cps == 0
    doc_of = np.cumsum(is_sep) - 1  # document index of every position
    n = len(cps)
    docs_out, slots_out = [], []
    with np.errstate(over="ignore"):
        h = np.full(n, _FNV_OFFSET, dtype=np.uint64)
        bad = np.zeros(n, dtype=bool)
        for k in range(config.char_max):
            # h[i] hashes cps[i : i + k + 1]
            valid_len = n - k
            h = h[:valid_len]
            bad = bad[:valid_len]
            h = (h ^ cps[k : k + valid_len]) * _FNV_PRIME
            bad = bad | is_sep[k : k + valid_len]
            size = k + 1
            if size >= config.char_min:
                keep = ~bad
                seeded = h[keep] ^ np.uint64(size * 0x9E3779B97F4A7C15 & 0xFFFFFFFFFFFFFFFF)
                slots_out.append(_finalise_hash(seeded, config.char_bits))
                docs_out.append(doc_of[:valid_len][keep])
    return np.concatenate(docs_out), np.concatenate(slots_out)


_TOKEN = re.compile(r"\w+|[^\w\s]")
_token_hash_cache: dict[str, int] = {}
_cache_lock = threading.Lock()


def _token_hash(token: str) -> int:
    value = _token_hash_cache.get(token)
    if value is None:
        digest = hashlib.blake2b(token.encode("utf-8"), digest_size=8).digest()
        value = int.from_bytes(digest, "little")
        with _cache_lock:
            if len(_token_hash_cache) > 500_000:
                _token_hash_cache.clear()
            _token_hash_cache[token] = value
    return value


def _word_ngrams(texts: list[str], config: FeatureConfig) -> tuple[np.ndarray, np.ndarray]:
    """(document index, hashed slot) of every word unigram and (optionally) bigram."""
    tokenised = [_TOKEN.findall(text) for text in texts]
    lengths = np.fromiter((len(t) for t in tokenised), dtype=np.int64, count=len(tokenised))
    cache = _token_hash_cache
    hashes = [cache[t] if t in cache else _token_hash(t) for tokens in tokenised for t in tokens]
    if not hashes:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    d = np.repeat(np.arange(len(texts), dtype=np.int64), lengths)
    h = np.asarray(hashes, dtype=np.uint64)
    uni = _finalise_hash(h ^ np.uint64(0x5555555555555555), config.word_bits)
    if not config.word_bigrams or len(h) < 2:
        return d, uni
    follows = d[1:] == d[:-1]  # no bigram across two texts
    with np.errstate(over="ignore"):
        bi_h = (h[:-1] * _FNV_PRIME) ^ (h[1:] * np.uint64(0x2545F4914F6CDD1D))
    bi = _finalise_hash(bi_h[follows], config.word_bits)
    return np.concatenate([d, d[1:][follows]]), np.concatenate([uni, bi])


def _weighted_block(
    docs: np.ndarray, slots: np.ndarray, n_slots: int, offset: int, scale: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Counts per (document, slot), weighted 1 + log(count), unit length per document."""
    if len(docs) == 0:
        empty = np.zeros(0, np.int64)
        return empty, empty, np.zeros(0, np.float32)
    keys, counts = np.unique(docs * n_slots + slots, return_counts=True)
    rows = keys // n_slots
    cols = keys % n_slots + offset
    values = 1.0 + np.log(counts.astype(np.float64))
    norms = np.sqrt(np.bincount(rows, weights=values * values))
    values = values / norms[rows] * scale
    return rows, cols, values.astype(np.float32)


def featurise(texts: list[str], language: str, config: FeatureConfig | None = None) -> Features:
    """The features of ``texts``: the one function training and inference both use."""
    config = config or FeatureConfig()
    letters = [normalise_letters(t or "", language) for t in texts]
    normalised = [
        normalise("", language, letters=x, hashtag_words=config.hashtag_words) for x in letters
    ]
    c_docs, c_slots = _char_ngrams(normalised, config)
    w_docs, w_slots = _word_ngrams(normalised, config)
    blocks = [
        _weighted_block(c_docs, c_slots, config.n_char, 0, config.char_weight),
        _weighted_block(w_docs, w_slots, config.n_word, config.n_char, config.word_weight),
    ]
    if texts and config.cue_weight:
        dense = np.array(
            [cues(t or "", language, letters=x) for t, x in zip(texts, letters, strict=True)],
            dtype=np.float32,
        )
        dense *= config.cue_weight
        r, c = np.nonzero(dense)
        blocks.append(
            (
                r.astype(np.int64),
                (c + config.n_char + config.n_word).astype(np.int64),
                dense[r, c].astype(np.float32),
            )
        )
    rows = np.concatenate([b[0] for b in blocks])
    cols = np.concatenate([b[1] for b in blocks])
    values = np.concatenate([b[2] for b in blocks])
    return Features(len(texts), rows, cols, values, config)


def margins(features: Features, weights: np.ndarray, bias: float) -> np.ndarray:
    """The linear decision value of every row."""
    contrib = features.values.astype(np.float64) * weights[features.cols].astype(np.float64)
    return np.bincount(features.rows, weights=contrib, minlength=features.n_texts) + bias


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -40, 40)))


# --------------------------------------------------------------------------------------------
# The shipped model: files, loading, prediction
# --------------------------------------------------------------------------------------------


class ModelFileError(RuntimeError):
    """A shipped model file exists but cannot be used (corrupt, wrong format, hash mismatch)."""


@dataclass(frozen=True)
class Model:
    language: str
    config: FeatureConfig
    weights: np.ndarray
    bias: float
    threshold: float
    meta: dict


def model_paths(language: str, directory: Path | None = None) -> tuple[Path, Path]:
    """(metadata JSON, weights npz) of the model for ``language``."""
    directory = directory or MODELS_DIR
    stem = f"checkworthiness-{language}"
    return directory / f"{stem}.json", directory / f"{stem}.npz"


def save_model(
    directory: Path,
    language: str,
    config: FeatureConfig,
    weights: np.ndarray,
    bias: float,
    threshold: float,
    meta: dict,
) -> tuple[Path, Path]:
    """Write the weights (float16, compressed) and the metadata that names their hash."""
    directory.mkdir(parents=True, exist_ok=True)
    meta_path, weights_path = model_paths(language, directory)
    if weights.shape != (config.n_features,):
        raise ValueError(f"weights have shape {weights.shape}, expected ({config.n_features},)")
    with open(weights_path, "wb") as fh:
        np.savez_compressed(fh, weights=weights.astype(np.float16))
    document = {
        "format_version": FORMAT_VERSION,
        "language": language,
        "features": config.as_dict(),
        "cues": list(CUE_NAMES),
        "bias": float(bias),
        "threshold": float(threshold),
        "weights_file": weights_path.name,
        "weights_sha256": hashlib.sha256(weights_path.read_bytes()).hexdigest(),
        **meta,
    }
    meta_path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", "utf-8")
    return meta_path, weights_path


def load_model(language: str, directory: Path | None = None) -> Model | None:
    """The model for ``language`` read from disk, or None when none is shipped."""
    meta_path, weights_path = model_paths(language, directory)
    if not meta_path.exists():
        return None
    try:
        meta = json.loads(meta_path.read_text("utf-8"))
        if meta.get("format_version") != FORMAT_VERSION:
            raise ModelFileError(
                f"{meta_path}: format_version {meta.get('format_version')!r}, "
                f"this code reads {FORMAT_VERSION}"
            )
        weights_file = meta_path.parent / meta["weights_file"]
        blob = weights_file.read_bytes()
        if hashlib.sha256(blob).hexdigest() != meta["weights_sha256"]:
            raise ModelFileError(f"{weights_file}: sha256 does not match {meta_path.name}")
        if list(meta["cues"]) != list(CUE_NAMES):
            raise ModelFileError(f"{meta_path}: trained with other cues than this code computes")
        config = FeatureConfig(**meta["features"])
        with np.load(weights_file, allow_pickle=False) as npz:
            weights = npz["weights"].astype(np.float32)
        if weights.shape != (config.n_features,):
            raise ModelFileError(
                f"{weights_file}: {weights.shape} weights, expected {config.n_features}"
            )
        return Model(
            language=language,
            config=config,
            weights=weights,
            bias=float(meta["bias"]),
            threshold=float(meta["threshold"]),
            meta=meta,
        )
    except (OSError, KeyError, TypeError, ValueError, zipfile.BadZipFile) as exc:
        raise ModelFileError(f"cannot load check-worthiness model {meta_path}: {exc}") from exc


_cache: dict[str, Model | None] = {}
_load_lock = threading.Lock()


def get_model(language: str) -> Model | None:
    """The shipped model for ``language`` (loaded once per process), or None."""
    if language not in LANGUAGES:
        return None
    try:
        return _cache[language]
    except KeyError:
        pass
    with _load_lock:
        if language not in _cache:
            _cache[language] = load_model(language)
        return _cache[language]


def clear_cache() -> None:
    """Forget loaded models (tests; after retraining in a running process)."""
    with _load_lock:
        _cache.clear()


def predict(model: Model, texts: list[str]) -> np.ndarray:
    """Probabilities of ``texts`` under ``model``."""
    features = featurise(list(texts), model.language, model.config)
    return sigmoid(margins(features, model.weights, model.bias))


def probabilities(texts: list[str], language: str) -> list[float] | None:
    """P(check-worthy) of every text, or None when no model is shipped for ``language``."""
    model = get_model(language)
    if model is None:
        return None
    if not texts:
        return []
    return [float(p) for p in predict(model, texts)]


def probability(text: str, language: str) -> float | None:
    """P(check-worthy) of one text, or None when no model is shipped for ``language``."""
    result = probabilities([text], language)
    return None if result is None else result[0]


def is_checkworthy(p: float, language: str) -> bool | None:
    """Whether probability ``p`` clears the model's threshold (chosen by cross-validation)."""
    model = get_model(language)
    if model is None:
        return None
    return p >= model.threshold


def cue_contributions(text: str, language: str) -> list[tuple[str, float]] | None:
    """The named cues present in ``text`` with their share of the model's decision value
    (positive: towards check-worthy), largest first; None when no model is shipped.

    Only the dense cues are named; the n-gram blocks are not readable one feature at a time.
    """
    model = get_model(language)
    if model is None:
        return None
    values = np.asarray(cues(text, language), dtype=np.float64) * model.config.cue_weight
    offset = model.config.n_char + model.config.n_word
    weights = model.weights[offset : offset + len(CUE_NAMES)].astype(np.float64)
    pairs = [
        (name, float(v * w))
        for name, v, w in zip(CUE_NAMES, values, weights, strict=True)
        if v and w
    ]
    return sorted(pairs, key=lambda pair: -abs(pair[1]))


def model_info(language: str) -> dict | None:
    """The metadata of the shipped model (provenance, hyperparameters, threshold), or None."""
    model = get_model(language)
    return None if model is None else dict(model.meta)
