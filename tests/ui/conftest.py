import pytest

from tests.factories import ArticleFactory, ClaimFactory, EvidenceFactory, SourceFactory


@pytest.fixture(autouse=True)
def _fast_and_english(settings):
    settings.LANGUAGE_CODE = "en"
    # Test users only: a fast hasher keeps factories cheap.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # With DATABASE_URL the manifest storage is on; tests do not run collectstatic.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def signed_in(client, reviewer):
    client.force_login(reviewer)
    return client


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def claim(db):
    return ClaimFactory()


@pytest.fixture
def claim_with_sources(claim):
    for n in range(3):
        EvidenceFactory(claim=claim, source=SourceFactory(), score=0.1 * (n + 1))
    return claim


@pytest.fixture
def article_with_claims(db):
    text = (
        "TEST DATA. First test claim about 400 widgets. Second test claim, in 2022, "
        "about roads. Third test sentence."
    )
    article = ArticleFactory(text=text)
    spans = []
    for sentence in (
        "First test claim about 400 widgets.",
        "Second test claim, in 2022, about roads.",
    ):
        start = text.index(sentence)
        spans.append(ClaimFactory(article=article, start=start, end=start + len(sentence)))
    return article, spans
