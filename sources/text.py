"""Text analysis for search and ranking: Arabic and English.

- ``normalize``: Unicode NFKC, lower case, Arabic letter normalisation (hamza forms, alef
  maqsura, ta marbuta, diacritics, tatweel) and Arabic-Indic digits to Western digits;
- ``tokenize``: words, numbers and codes such as ``F-35``, ``PAC-3`` or ``3.5``;
- ``analyze``: tokens with stop words removed and a light stem (what BM25 indexes);
- ``build_query``: the short query sent to providers for a claim: names, numbers and dates,
  and the key terms, in the claim's own surface forms (Latin names and numbers kept as they
  are, so an Arabic claim still reaches English sources).

Pure functions, no Django: the ranking is evaluated on labelled data without a database.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field

import snowballstemmer
from pyarabic import araby

# --- Normalisation -------------------------------------------------------------------------

_ARABIC_LETTERS = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ؤ": "و",
        "ئ": "ي",
        "ى": "ي",
        "ة": "ه",
        "ـ": None,  # tatweel
        # Arabic-Indic and Extended Arabic-Indic (Persian) digits.
        **{chr(0x0660 + i): str(i) for i in range(10)},
        **{chr(0x06F0 + i): str(i) for i in range(10)},
        "٫": ".",  # Arabic decimal separator
        "٬": ",",  # Arabic thousands separator
        "،": ",",
        "؛": ";",
        "؟": "?",
    }
)
# Typographic quotes and dashes to their plain forms.
_PUNCT = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "‘": "'", "’": "'"})
_DASHES = re.compile(r"[\u2010-\u2015\u2212]")


_DIACRITICS = re.compile("[" + "".join(araby.TASHKEEL) + "\u0670\u0640]")


def strip_diacritics(text: str) -> str:
    """Remove Arabic tashkeel (harakat, tanwin, shadda, sukun, dagger alef) and tatweel."""
    return _DIACRITICS.sub("", text)


def normalize_arabic(text: str) -> str:
    """Arabic letter normalisation on both sides of every comparison."""
    return strip_diacritics(text).translate(_ARABIC_LETTERS)


def normalize(text: str) -> str:
    """The form text is compared in: NFKC, lower case, Arabic letters and digits normalised."""
    text = unicodedata.normalize("NFKC", text or "")
    text = _DASHES.sub("-", text.translate(_PUNCT))
    return normalize_arabic(text).lower()


# --- Tokenisation --------------------------------------------------------------------------

# A word: letters/digits, optionally joined by - . , / inside (F-35, 3.5, 1,000, 24/7).
_TOKEN = re.compile(r"[^\W_]+(?:[-.,/'][^\W_]+)*", re.UNICODE)
_NUMBER = re.compile(r"^\d+(?:[.,]\d+)*$")
_HAS_DIGIT = re.compile(r"\d")
_ARABIC_CHAR = re.compile(r"[\u0600-\u06FF]")
_LATIN_CHAR = re.compile(r"[A-Za-z]")


def tokenize(text: str) -> list[str]:
    """Tokens of the normalised text (numbers with separators and codes kept whole)."""
    return _TOKEN.findall(normalize(text))


def is_number(token: str) -> bool:
    return bool(_NUMBER.match(token))


def number_value(token: str) -> str:
    """A canonical form of a number token: thousands separators dropped (``1,000`` -> 1000)."""
    if "," in token and "." not in token and re.fullmatch(r"\d{1,3}(?:,\d{3})+", token):
        return token.replace(",", "")
    return token.replace(",", ".")


def is_arabic(text: str) -> bool:
    return bool(_ARABIC_CHAR.search(text))


def detect_language(text: str) -> str:
    """'ar' when Arabic letters outnumber Latin ones, else 'en' (enough for analysis)."""
    arabic = len(_ARABIC_CHAR.findall(text or ""))
    latin = len(_LATIN_CHAR.findall(text or ""))
    return "ar" if arabic > latin else "en"


# --- Stop words ----------------------------------------------------------------------------

_EN_STOP = set(
    """
a about above after again against all also am an and any are as at be because been before
being below between both but by can could did do does doing down during each few for from
further had has have having he her here hers herself him himself his how i if in into is it
its itself just me more most my myself no nor not now of off on once only or other our ours
ourselves out over own same she should so some such than that the their theirs them
themselves then there these they this those through to too under until up very was we were
what when where which while who whom why will with would you your yours yourself
yourselves said says say according also its it's would could may might must shall us new one
two told per via since among amid upon within without including however yet
""".split()
)

# Written plainly; normalised with the same function as the text before comparison.
_AR_STOP_RAW = """
في من على إلى الى عن مع أن إن أنه إنه أنها إنها كان كانت يكون تكون ليس لم لن لا ما ماذا
هذا هذه ذلك تلك هؤلاء هو هي هم هن نحن أنا أنت أنتم الذي التي الذين اللذين اللتين اللواتي
كما بعد قبل بين حتى عند عندما حيث كل بعض غير أي أو أم ثم بل لكن لكنه قد لقد و ف ب ل ك
إذا اذا إذ منذ خلال ضد نحو لدى لدي عليه عليها عليهم فيه فيها فيهم منه منها منهم به بها بهم
له لها لهم إليه إليها اليوم أمس وقال قال قالت وقالت يقول تقول وأضاف أضاف وأضافت أضافت وأكد
أكد وأشار أشار كذلك أيضا أيضاً وهو وهي وهذا وهذه وفي ومن وعلى وإلى وعن ومع وأن وإن وكان
وكانت ولا وما وقد ولم ولن إنما أما وأما سوف هناك هنا تم يتم جدا جداً فقط ذات ذو التى عام
عاما مثل دون لدى وفق وفقا ضمن عبر أكثر أقل إلا الا بأن بان لأن لان كي لكي وسط أمام خلف
فوق تحت عدة عدد وذلك ذلك بذلك لذلك وقال إنه ولكن الآن حول نيابة بشكل بينما
السبت الأحد الاثنين الثلاثاء الأربعاء الخميس الجمعة العديد القيام كبير كبيرة الغاية يمكن
يمكننا ستة خاصة حين
"""
_AR_STOP = {normalize(word) for word in _AR_STOP_RAW.split()}

STOP_WORDS = frozenset(_EN_STOP | _AR_STOP)


def is_stop(token: str) -> bool:
    return token in STOP_WORDS or (len(token) == 1 and not token.isdigit())


# --- Light stemming ------------------------------------------------------------------------

# Normalised forms (ة -> ه, أ -> ا): the stemmer runs after ``normalize``.
_AR_ARTICLE_PREFIXES = ("وبال", "وكال", "فبال", "وال", "فال", "بال", "كال", "لل", "ال")
_AR_SUFFIXES = (
    "ات",
    "ون",
    "ين",
    # No "ان": it ends too many names (اليابان, ايران, لبنان) to be worth the duals.
    "تين",
    "تان",
    "ها",
    "هم",
    "هن",
    "كم",
    "نا",
    "يه",
    "ه",
    "ي",
)
_AR_ONE_LETTER_PREFIXES = ("و", "ف", "ب", "ك", "ل")
_en_stemmer = snowballstemmer.stemmer("english")


def stem_arabic(token: str) -> str:
    """A conservative light stemmer: the article with its clitics, then one suffix.

    Never leaves fewer than three letters; a lone و/ف/ب/ك/ل prefix is only removed from
    words long enough that it is very likely a clitic.
    """
    word = token
    for prefix in _AR_ARTICLE_PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 3:
            word = word[len(prefix) :]
            break
    else:
        if len(word) >= 5 and word[0] in _AR_ONE_LETTER_PREFIXES:
            word = word[1:]
    for suffix in sorted(_AR_SUFFIXES, key=len, reverse=True):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    return word


@functools.lru_cache(maxsize=100_000)
def stem(token: str) -> str:
    """Light stem of a normalised token (Arabic or English); numbers and codes unchanged."""
    if _HAS_DIGIT.search(token):
        return number_value(token) if is_number(token) else token
    if _ARABIC_CHAR.search(token):
        return stem_arabic(token)
    if token.isascii() and token.isalpha():
        return _en_stemmer.stemWord(token)
    return token


def analyze(text: str) -> list[str]:
    """Index terms: normalised tokens, stop words removed, lightly stemmed."""
    return [stem(token) for token in tokenize(text) if not is_stop(token)]


# --- Names, numbers and queries ------------------------------------------------------------

# Latin capitalised sequences (Mitsubishi Heavy, Lockheed Martin) and codes (F-35, PAC-3).
_LATIN_NAME = re.compile(r"\b[A-Z][\w&.'-]*(?:\s+(?:of\s+|de\s+|al-)?[A-Z][\w&.'-]*)*")
_CODE = re.compile(r"\b[A-Za-z]{1,6}-?\d+[A-Za-z]?\b|\b\d+[A-Za-z]{1,3}\b")
# Words that introduce an Arabic proper noun (titles, kinds of organisation and place).
_AR_PERSON_CUES_RAW = """
السفير الرئيس رئيس الوزير وزير وزيرة الملك الأمير الشيخ الجنرال العقيد اللواء المتحدث
المتحدثة السيد السيدة الدكتور الرئيسة النائب القائد
"""
_AR_ORG_CUES_RAW = "شركة شركات مدينة جامعة منظمة وكالة صحيفة حزب حركة مجلس بنك مصرف مطار ميناء"
_AR_PERSON_CUES = {normalize(word) for word in _AR_PERSON_CUES_RAW.split()}
_AR_NAME_CUES = _AR_PERSON_CUES | {normalize(word) for word in _AR_ORG_CUES_RAW.split()}
_AR_NAME_STOP = {normalize(w) for w in "الأمريكي الأمريكية لدى في من على الوزراء".split()}
# "in 2022", months and years.
_YEAR = re.compile(r"^(1[89]\d\d|20\d\d)$")


@dataclass
class QueryParts:
    text: str  # what providers are sent
    names: list[str] = field(default_factory=list)
    numbers: list[str] = field(default_factory=list)
    terms: list[str] = field(default_factory=list)  # key terms, surface forms
    language: str = ""


def extract_names(text: str) -> list[str]:
    """Proper names: Latin capitalised sequences, codes such as F-35, words after Arabic cues."""
    names: list[str] = []
    sentence_starts = {m.end() for m in re.finditer(r"(?:^|[.!?]\s+)", text)}
    for match in _LATIN_NAME.finditer(text):
        name = match.group(0).strip(" .'-")
        words = name.split()
        # A lone capitalised word at the start of a sentence is usually not a name.
        if len(words) == 1 and match.start() in sentence_starts and name.lower() in _EN_STOP:
            continue
        if name.lower() in _EN_STOP or len(name) < 2:
            continue
        names.append(name)
    for match in _CODE.finditer(text):
        code = match.group(0)
        if not is_number(code) and not any(code in name for name in names):
            names.append(code)
    words = strip_diacritics(text).split()
    for index, word in enumerate(words[:-1]):
        bare = normalize(word.strip("\"'“”«»,.:;()"))
        for prefix in ("و", "ل", "ب"):  # وقال السفير, لشركة, بشركة
            if bare not in _AR_NAME_CUES and bare.startswith(prefix) and bare[1:] in _AR_NAME_CUES:
                bare = bare[1:]
        if bare in _AR_NAME_CUES:
            picked = []
            for follower in words[index + 1 : index + 4]:
                clean = follower.strip("\"'“”«»,.:;()،؛؟")
                if not clean or normalize(clean) in _AR_NAME_STOP or normalize(clean) in _AR_STOP:
                    break
                if not is_arabic(clean):
                    break
                # People's names rarely take the article: "السفير الأمريكي" is no name.
                if bare in _AR_PERSON_CUES and normalize(clean).startswith("ال"):
                    break
                picked.append(clean)
                if len(picked) == 2:
                    break
            if picked:
                names.append(" ".join(picked))
    return _unique(names)


def extract_numbers(text: str) -> list[str]:
    """Numbers and years, in Western digits (``٤٠٠`` -> ``400``)."""
    return _unique(number_value(tok) for tok in tokenize(text) if is_number(tok))


def _search_form(word: str) -> str:
    """A word as sent to a search engine: diacritics and clitic conjunctions removed."""
    word = strip_diacritics(word).strip("\"'“”«»,.:;()!?[]،؛؟")
    if is_arabic(word):
        for clitic in ("وبال", "وال", "فال", "بال", "كال"):
            if word.startswith(clitic) and len(word) > len(clitic) + 2:
                return "ال" + word[len(clitic) :]
        if word.startswith("لل") and len(word) > 4:
            return "ال" + word[2:]
    return word


def build_query(text: str, *, language: str = "", max_terms: int = 6) -> QueryParts:
    """The query for a claim: names, then numbers, then the longest key terms.

    Short on purpose (search engines AND their terms): at most ``max_terms`` words.
    """
    language = language or detect_language(text)
    names = extract_names(text)
    numbers = extract_numbers(text)
    name_tokens = {normalize(tok) for name in names for tok in name.split()}
    seen: set[str] = set()
    terms: list[tuple[int, int, str]] = []
    for position, raw in enumerate(strip_diacritics(text).split()):
        form = _search_form(raw)
        if not form:
            continue
        norm = normalize(form)
        tokens = _TOKEN.findall(norm)
        if not tokens or len(tokens) > 1 and not is_arabic(form):
            # e.g. "1,000" is one token; "end-of-year" splits: keep the parts below.
            pass
        key = stem(norm) if tokens else norm
        if (
            not tokens
            or is_stop(norm)
            or norm in name_tokens
            or is_number(norm)
            or key in seen
            or len(norm) < 3
        ):
            continue
        seen.add(key)
        terms.append((position, len(norm), form))
    # Longest words carry most meaning in both languages; keep the claim's order.
    budget = max(0, max_terms - len(names) - len(numbers))
    chosen = sorted(sorted(terms, key=lambda t: (-t[1], t[0]))[: max(budget, 2)])
    key_terms = [form for _pos, _len, form in chosen]
    parts: list[str] = []
    for name in names:
        parts.append(f'"{name}"' if " " in name and not is_arabic(name) else name)
    parts.extend(numbers)
    parts.extend(key_terms)
    words: list[str] = []
    for part in parts:
        if len(words) >= max_terms:
            break
        words.append(part)
    return QueryParts(
        text=" ".join(words),
        names=names,
        numbers=numbers,
        terms=key_terms,
        language=language,
    )


def _unique(items) -> list[str]:
    seen: set[str] = set()
    out: list[str] = []
    for item in items:
        key = normalize(item)
        if item and key not in seen:
            seen.add(key)
            out.append(item)
    return out
