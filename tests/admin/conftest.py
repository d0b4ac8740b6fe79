import pytest
from django.urls import reverse

from claims.models import Verdict
from tests.factories import (
    ArticleFactory,
    ClaimFactory,
    EvidenceFactory,
    FactCheckFactory,
    FetchJobFactory,
    SourceFactory,
    UserFactory,
    VerdictFactory,
)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Test users' passwords need no real key stretching (it dominates these tests' time)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def plain_static_storage(settings):
    """Production settings (DATABASE_URL set) use the manifest storage, which needs
    collectstatic; pages rendered in tests only need the URLs."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def role_admin(db):
    """An Admin who is not a superuser: access comes from the role and the staff flag."""
    return UserFactory(username="role-admin", role="admin", is_staff=True)


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.fixture
def desk(db, reviewer):
    """One object of every model, all test data."""
    from accounts.models import ApiToken
    from sources.models import FactCheckMatch

    article = ArticleFactory(url="https://test-news.invalid/story-1")
    claim = ClaimFactory(article=article)
    source = SourceFactory()
    evidence = EvidenceFactory(claim=claim, source=source)
    verdict = VerdictFactory(
        claim=claim, author=reviewer, label=Verdict.Label.REFUTED, status=Verdict.Status.SUBMITTED
    )
    verdict.cited_evidence.add(evidence)
    factcheck = FactCheckFactory()
    match = FactCheckMatch.objects.create(
        claim=claim, factcheck=factcheck, score=0.7, provider="test"
    )
    job = FetchJobFactory(claim=claim, article=article, status="failed", last_error="TEST boom")
    token, _key = ApiToken.issue(user=reviewer, name="TEST client")
    return {
        "article": article,
        "claim": claim,
        "source": source,
        "evidence": evidence,
        "verdict": verdict,
        "factcheck": factcheck,
        "factcheckmatch": match,
        "fetchjob": job,
        "apitoken": token,
        "user": reviewer,
    }


def changelist_url(app_model: str) -> str:
    app, model = app_model.split(".")
    return reverse(f"admin:{app}_{model}_changelist")


def change_url(obj) -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


def messages_of(response) -> list[str]:
    from django.contrib.messages import get_messages

    return [str(m) for m in get_messages(response.wsgi_request)]


def run_action(client, app_model: str, action: str, objects, **extra):
    data = {"action": action, "_selected_action": [o.pk for o in objects], **extra}
    return client.post(changelist_url(app_model), data, follow=True)
