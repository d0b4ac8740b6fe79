"""Word lists behind segmentation and the check-worthiness features (Arabic and English).

Arabic words are compared after ``normalize_arabic`` (no diacritics or tatweel; alef forms,
alef maqsura and taa marbuta unified) and with their common clitics spelled out once here
(و ف ب ك ل and the article ال), so a lookup is a set membership test, not a regex.
"""

from __future__ import annotations

# --- Arabic normalisation --------------------------------------------------------------------
ARABIC_NORMALIZE = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ى": "ي",
        "ة": "ه",
        "ؤ": "و",
        "ئ": "ي",
        **{chr(c): None for c in range(0x064B, 0x0653)},  # tashkeel
        "\u0670": None,  # superscript alef
        "\u0640": None,  # tatweel
    }
)


def normalize_arabic(text: str) -> str:
    return text.translate(ARABIC_NORMALIZE)


def _arabic_noun_forms(words: str) -> frozenset[str]:
    """Each word with the clitics it commonly carries: واليابان، لليابان، بالرئيس، وشركة."""
    forms = set()
    for word in words.split():
        word = normalize_arabic(word)
        if word.startswith("ال"):
            bare = word[2:]
            defined = [word]
        else:
            bare = word
            defined = [word, "ال" + word]
        for w in defined:
            forms.update({w, "و" + w, "ف" + w, "ب" + w, "وب" + w, "ك" + w})
        forms.update({"لل" + bare, "ولل" + bare, "فلل" + bare})
        if not word.startswith("ال"):
            forms.update({"ل" + word, "ول" + word})
    return frozenset(forms)


def _arabic_plain_forms(words: str) -> frozenset[str]:
    forms = set()
    for word in words.split():
        word = normalize_arabic(word)
        forms.update({word, "و" + word, "ف" + word})
    return frozenset(forms)


def _arabic_past_forms(stems: str) -> frozenset[str]:
    """Third-person past forms of each stem (he, she, they) with و/ف: واشترت، وقالوا."""
    core = set()
    for stem in stems.split():
        stem = normalize_arabic(stem)
        base = stem[:-1] if stem[-1] in "اي" else stem
        core.update({stem, base + "ت", base + "وا"})
    return frozenset(core | {p + w for w in core for p in ("و", "ف")})


# Past-tense verbs of verifiable actions (bought, allowed, shipped, visited...).
ARABIC_ACTION_STEMS = """
اشترى باع سمح شحن وقع وافق أقر رفع خفض زاد أطلق قتل أصاب اعتقل زار التقى استقبل أرسل نشر
أصدر صادق تبنى خفف هاجم استهدف ضرب دمر بنى افتتح سجل بلغ وصل تجاوز ارتفع انخفض تراجع فاز
خسر حصل منح قدم دفع أنفق استورد صدر انتخب عين استقال أغلق فتح حظر منع اتهم أدان حكم أنتج
طور أنشأ أسس تعهد أبرم سلم تسلم نفذ أجرى شارك ساهم اعترف ألغى أوقف علق خصص مول استثمر
اكتشف أعاد نقل أخلى احتل انسحب سيطر أسقط دخل غادر توفي هبط صعد ضاعف تضاعف وقعت جاء أكمل
"""
ARABIC_ATTRIBUTION_STEMS = """
قال أعلن أكد أضاف أوضح أشار ذكر صرح كشف أفاد وصف أبلغ نفى شدد حث أعرب نقل
"""
ARABIC_ACTION = _arabic_past_forms(ARABIC_ACTION_STEMS) | frozenset({"تم", "وتم", "فتم"})
ARABIC_ATTRIBUTION = _arabic_past_forms(ARABIC_ATTRIBUTION_STEMS) | _arabic_plain_forms(
    "وفقا بحسب حسب نقلا يقول تقول أعلنت مصادر بيان يعلن تعلن يؤكد تؤكد يعلنون"
)
ARABIC_PAST_VERBS = ARABIC_ACTION | ARABIC_ATTRIBUTION


def is_arabic_past_verb(word: str) -> bool:
    """Is ``word`` (after a و/ف conjunction) a third-person past verb starting a clause?"""
    word = normalize_arabic(word)
    if word in ARABIC_PAST_VERBS:
        return True
    # Unknown verbs: a feminine past form ends in ت (not the plural noun ending ات) and
    # carries no article: تعهدت، سمحت، أكدت.
    return (
        4 <= len(word) <= 6
        and word.endswith("ت")
        and not word.endswith("ات")
        and not (word.startswith("ال"))
    )


ARABIC_PERSON = _arabic_noun_forms(
    """السفير سفير الرئيس رئيس وزير وزيرة الوزير وزراء الملك الأمير الشيخ المتحدث الناطق
    النائب الجنرال اللواء العميد الدكتور السيناتور المستشار المسؤول مسؤول المدير الأمين
    القائد حاكم الحاكم المرشد البابا مدير"""
)
ARABIC_ORGANISATION = _arabic_noun_forms(
    """شركة وزارة حكومة مجلس البرلمان الجيش جيش منظمة الأمم حلف الناتو البنك بنك صندوق
    جامعة وكالة هيئة محكمة حزب حماس الاتحاد الكونغرس الكنيست مؤسسة المفوضية اللجنة لجنة
    البنتاغون الشرطة السلطات مستشفى الخارجية الداخلية"""
)
ARABIC_PLACE = _arabic_noun_forms(
    """اليابان أمريكا أميركا الصين روسيا أوكرانيا غزة إسرائيل فلسطين بريطانيا إيطاليا فرنسا
    ألمانيا كوريا إيران العراق سوريا لبنان مصر السعودية الإمارات قطر الكويت البحرين عمان
    اليمن الأردن تركيا الهند باكستان أفغانستان ليبيا تونس الجزائر المغرب السودان إسبانيا
    كندا أستراليا البرازيل المكسيك تايوان الفلبين إندونيسيا ماليزيا واشنطن طوكيو بكين
    موسكو كييف لندن باريس برلين القدس القاهرة الرياض دبي بغداد دمشق بيروت طهران أنقرة
    ناغويا أوروبا إفريقيا أفريقيا آسيا الخليج الضفة نيويورك جنيف بروكسل إسطنبول سيول"""
)
ARABIC_QUANTITY = _arabic_noun_forms(
    """واحد اثنان اثنين ثلاثة ثلاث أربعة أربع خمسة خمس ستة ست سبعة سبع ثمانية ثماني تسعة
    تسع عشرة عشر عشرين ثلاثين أربعين خمسين مئة مائة مئات ألف آلاف ألفا مليون ملايين مليار
    مليارات نصف ثلث ربع ضعف أضعاف بالمئة بالمائة المئة دولار دولارا يورو طن كيلومتر نسبة
    عدد"""
)
ARABIC_DATE = _arabic_noun_forms(
    """يناير فبراير مارس أبريل مايو يونيو يوليو أغسطس سبتمبر أكتوبر نوفمبر ديسمبر كانون شباط
    آذار نيسان أيار حزيران تموز آب أيلول تشرين الاثنين الثلاثاء الأربعاء الخميس الجمعة
    السبت الأحد أمس عام العام سنة الشهر الأسبوع"""
)
ARABIC_COMPARISON = _arabic_noun_forms(
    """أكثر أكبر أقل أصغر أعلى أدنى أطول أقصر أسرع أفضل أسوأ أول الأولى أحدث أقوى أضعف أغلى
    أرخص أكبرها أعظم مقارنة قياسي قياسية"""
)
ARABIC_OPINION = _arabic_plain_forms(
    """يجب ينبغي لابد أعتقد نعتقد أظن نظن أرى نرى أتمنى نتمنى أشعر رأيي برأيي نأمل آمل
    أؤمن نؤمن عار"""
)
ARABIC_HEDGE = _arabic_plain_forms("ربما لعل يبدو محتمل المحتمل يحتمل ممكن")
ARABIC_CALL = _arabic_plain_forms("علينا دعونا لنعمل فلنعمل لنقف هيا يا أيها تعالوا تسقط والله")
# Reported events (a death, an injury, an arrest, an outbreak...): checkable happenings.
ARABIC_EVENT = _arabic_noun_forms(
    """وفاة مقتل إصابة إصابات اعتقال انفجار هجوم حريق زلزال تفشي اكتشاف تسجيل ارتفاع انخفاض
    قصف غارة اغتيال حادث انهيار"""
)
ENGLISH_EVENT = frozenset(
    """death deaths killing explosion attack fire earthquake outbreak arrest arrests crash
    injuries casualties""".split()
)
ARABIC_QUESTION_START = _arabic_plain_forms("هل لماذا كيف متى أين ماذا أليس")

# --- English -----------------------------------------------------------------------------------
ENGLISH_ACTION = frozenset(
    """bought sold approved signed launched shipped killed visited met passed voted won lost
    raised cut increased decreased rose fell built opened closed banned allowed arrested
    invested spent paid received released published produced developed acquired hired fired
    elected appointed resigned died reached exceeded doubled tripled declined grew ordered
    delivered exported imported deployed attacked struck destroyed agreed adopted eased
    pledged sent seized captured injured wounded fined sued charged convicted sentenced
    vetoed ratified enacted funded purchased bombed invaded withdrew announced created
    cost costs lowered cancelled canceled suspended reported recorded""".split()
)
ENGLISH_ATTRIBUTION = frozenset(
    """said says told announced stated according reported confirmed claimed denied wrote
    added explained testified""".split()
)
ENGLISH_PERSON = frozenset(
    """president minister ambassador senator governor secretary spokesman spokeswoman
    spokesperson chairman ceo mayor chancellor king queen prince general dr mr mrs ms prof
    congressman congresswoman judge director""".split()
)
ENGLISH_ORGANISATION = frozenset(
    """ministry company government council agency parliament congress senate army navy
    nato un university bank corporation inc corp ltd party court commission committee
    department administration""".split()
)
ENGLISH_QUANTITY = frozenset(
    """million millions billion billions trillion thousand thousands hundred hundreds percent
    per cent half third quarter dozen dozens two three four five six seven eight nine ten
    eleven twelve twenty thirty forty fifty dollars euros tons""".split()
)
ENGLISH_DATE = frozenset(
    """january february march april june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday yesterday today decade
    year years""".split()
)
ENGLISH_COMPARISON = frozenset(
    """than largest biggest highest lowest smallest fastest most least record first
    greatest worst best compared double triple fewer""".split()
)
ENGLISH_OPINION = frozenset(
    """should must ought think believe feel hope opinion shame disgrace wonderful terrible
    awful""".split()
)
ENGLISH_HEDGE = frozenset("maybe perhaps possibly probably might could seems seem".split())
ENGLISH_QUESTION_START = frozenset(
    "why how what who whom whose which do does did is are can could would should will".split()
)
ENGLISH_FIRST_PERSON = frozenset("i i'm i've we we're we've let's us".split())

# --- Segmentation ------------------------------------------------------------------------------
# Full stops after these never end a sentence ("Dr. Suzuki", "e.g. the").
TITLE_ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof gen sen rep gov st mt lt col capt sgt maj adm cmdr rev hon fr vs
    e.g i.e cf approx fig no nos vol pp al jan feb mar apr jun jul aug sep sept oct nov dec
    mr. dr.""".split()
)
# After these a sentence ends only if a typical sentence opener follows ("U.S. The deal").
ACRONYM_ABBREVIATIONS = frozenset("u.s u.k u.n e.u inc ltd corp co jr sr etc a.m p.m".split())
SENTENCE_STARTERS = frozenset(
    """The A An He She It They We I But And In On At This That These Those There His Her
    Their Its Our As After Before When While If However Meanwhile Also So Yet Then""".split()
)
ARABIC_FIRST_PERSON = _arabic_plain_forms("أنا نحن إننا لي لنا")
ARABIC_FUTURE = _arabic_plain_forms("سوف سيتم ستتم سيكون ستكون سيجري ستجري لن")
ENGLISH_FUTURE = frozenset("will won't shall".split())
