"""Every admin page loads for an Admin and is refused to everyone else."""

import pytest
from django.urls import reverse

from tests.admin.conftest import change_url, changelist_url
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CHANGELISTS = [
    "claims.article",
    "claims.claim",
    "claims.verdict",
    "sources.source",
    "sources.evidence",
    "sources.factcheck",
    "sources.factcheckmatch",
    "sources.fetchjob",
    "accounts.apitoken",
    "auth.user",
    "auth.group",
]
OBJECTS = [
    "article",
    "claim",
    "source",
    "evidence",
    "verdict",
    "factcheck",
    "factcheckmatch",
    "fetchjob",
    "apitoken",
    "user",
]


@pytest.fixture(params=["superuser", "role_admin"])
def any_admin_client(request, client, admin_user, role_admin):
    client.force_login(admin_user if request.param == "superuser" else role_admin)
    return client


@pytest.mark.parametrize("model", CHANGELISTS)
def test_every_changelist_loads_for_an_admin(any_admin_client, desk, model):
    response = any_admin_client.get(changelist_url(model))
    assert response.status_code == 200
    assert response.context["cl"].result_count >= 1


@pytest.mark.parametrize("name", OBJECTS)
def test_every_change_form_loads_for_an_admin(any_admin_client, desk, name):
    response = any_admin_client.get(change_url(desk[name]))
    assert response.status_code == 200
    assert response.context["original"] == desk[name]


@pytest.mark.parametrize("model", CHANGELISTS)
def test_changelist_search_runs(admin_client, desk, model):
    response = admin_client.get(changelist_url(model), {"q": "TEST"})
    assert response.status_code == 200


@pytest.mark.parametrize("model", ["claims.claim", "claims.verdict"])
def test_history_of_claims_and_verdicts_names_who_did_what(admin_client, desk, model):
    obj = desk[model.split(".")[1]]
    obj._history_user = desk["user"]
    obj._change_reason = "TEST change reason"
    obj.save()
    app, name = model.split(".")
    response = admin_client.get(reverse(f"admin:{app}_{name}_history", args=[obj.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "TEST change reason" in body
    assert desk["user"].username in body


def test_reverting_to_an_old_version_is_refused(admin_client, desk):
    claim = desk["claim"]
    record = claim.history.first()
    url = reverse("admin:claims_claim_simple_history", args=[claim.pk, record.history_id])
    assert admin_client.get(url).status_code == 200
    assert admin_client.post(url, {}).status_code == 403


@pytest.mark.parametrize("persona", ["reviewer", "editor", "outsider"])
@pytest.mark.parametrize(
    "url_name", ["admin:index", "admin:jobs_overview", "admin:claims_verdict_changelist"]
)
def test_the_admin_is_refused_to_everyone_but_admins(client, request, persona, url_name, desk):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    response = client.get(reverse(url_name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.parametrize("name", OBJECTS)
@pytest.mark.parametrize("persona", ["reviewer", "editor"])
def test_change_forms_are_refused_to_reviewers_and_editors(client, request, desk, name, persona):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(change_url(desk[name]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_a_staff_flag_without_the_admin_role_gives_no_access(client, db):
    client.force_login(UserFactory(username="staff-editor", role="editor", is_staff=True))
    assert client.get(reverse("admin:index")).status_code == 302


def test_the_admin_role_without_the_staff_flag_gives_no_access(client, db):
    client.force_login(UserFactory(username="nonstaff-admin", role="admin", is_staff=False))
    assert client.get(reverse("admin:index")).status_code == 302


ACTIONS = [
    ("claims.article", "article", "reextract_claims"),
    ("claims.article", "article", "gather_sources"),
    ("claims.claim", "claim", "gather_sources"),
    ("sources.fetchjob", "fetchjob", "retry_failed"),
    ("claims.verdict", "verdict", "publish_verdicts"),
    ("claims.verdict", "verdict", "withdraw_verdicts"),
    ("claims.verdict", "verdict", "export_csv"),
    ("claims.verdict", "verdict", "export_claimreview"),
    ("accounts.apitoken", "apitoken", "revoke"),
    ("auth.user", "user", "make_admin"),
    ("auth.user", "user", "deactivate"),
]


@pytest.fixture
def recorded_services(monkeypatch):
    """Every service an action may call, replaced by a recorder."""
    calls = []

    def recorder(name):
        def record(**kwargs):
            calls.append(name)

        return record

    for target in [
        "claims.services.article_extract_claims",
        "claims.services.verdict_publish",
        "claims.services.verdict_withdraw",
        "sources.services.sources_gather",
        "sources.services.fetch_job_retry",
        "accounts.services.user_set_role",
        "accounts.services.user_deactivate",
        "accounts.services.api_token_revoke",
    ]:
        monkeypatch.setattr(target, recorder(target), raising=False)
    return calls


@pytest.mark.parametrize("persona", ["reviewer", "editor"])
@pytest.mark.parametrize("model, name, action", ACTIONS)
def test_actions_are_refused_to_reviewers_and_editors(
    client, request, desk, recorded_services, persona, model, name, action
):
    client.force_login(request.getfixturevalue(persona))
    response = client.post(
        changelist_url(model),
        {"action": action, "_selected_action": [desk[name].pk], "confirm": "yes", "reason": "x"},
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    assert recorded_services == []
    desk["verdict"].refresh_from_db()
    assert desk["verdict"].status == "submitted"


@pytest.mark.parametrize("model, name, action", ACTIONS)
def test_every_action_is_offered_to_an_admin(admin_client, desk, model, name, action):
    response = admin_client.get(changelist_url(model))
    choices = [value for value, _label in response.context["action_form"].fields["action"].choices]
    assert action in choices


def test_the_admin_index_links_to_the_jobs_overview(admin_client):
    response = admin_client.get(reverse("admin:index"))
    assert reverse("admin:jobs_overview") in response.content.decode()


@pytest.mark.parametrize(
    "model",
    ["claims.article", "claims.claim", "claims.verdict", "sources.evidence", "sources.fetchjob"],
)
def test_content_is_not_added_through_the_admin(admin_client, model):
    app, name = model.split(".")
    assert admin_client.get(reverse(f"admin:{app}_{name}_add")).status_code == 403


def test_claims_and_verdicts_cannot_be_changed_through_the_form(admin_client, desk):
    verdict = desk["verdict"]
    response = admin_client.post(
        change_url(verdict), {"status": "published", "label": "supported", "summary": "x"}
    )
    assert response.status_code == 403
    claim = desk["claim"]
    assert admin_client.post(change_url(claim), {"state": "published"}).status_code == 403
    verdict.refresh_from_db()
    claim.refresh_from_db()
    assert verdict.status == "submitted" and claim.state == "new"


def test_the_article_text_and_provenance_stay_as_ingested(admin_client, desk):
    article = desk["article"]
    original = (article.text, article.url, article.content_hash)
    response = admin_client.post(
        change_url(article),
        {
            "title": "TEST new title",
            "publisher": "TEST publisher",
            "text": "TEST altered text",
            "url": "https://elsewhere.invalid/",
            "content_hash": "0" * 64,
            "claims-TOTAL_FORMS": "0",
            "claims-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    article.refresh_from_db()
    assert article.title == "TEST new title"
    assert (article.text, article.url, article.content_hash) == original


def test_source_snapshot_is_read_only(admin_client, desk):
    source = desk["source"]
    before = (source.url, source.text, source.text_hash)
    response = admin_client.post(
        change_url(source),
        {"title": "TEST renamed", "url": "https://x.invalid/", "text": "changed", "language": "en"},
    )
    assert response.status_code == 302
    source.refresh_from_db()
    assert source.title == "TEST renamed"
    assert (source.url, source.text, source.text_hash) == before


def test_untrusted_text_is_escaped_and_keeps_its_direction(admin_client, db):
    from tests.factories import ArticleFactory, SourceFactory

    article = ArticleFactory(text="قالت الوزارة <b onmouseover=alert(1)>TEST</b>", language="ar")
    body = admin_client.get(change_url(article)).content.decode()
    assert '<div dir="auto" lang="ar">' in body
    assert "&lt;b onmouseover=alert(1)&gt;TEST&lt;/b&gt;" in body
    assert "<b onmouseover" not in body
    source = SourceFactory(text="<script>alert(1)</script> TEST snapshot")
    body = admin_client.get(change_url(source)).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; TEST snapshot" in body


def test_the_verdict_page_lists_its_cited_evidence(admin_client, desk):
    body = admin_client.get(change_url(desk["verdict"])).content.decode()
    source = desk["evidence"].source
    assert f'<a href="{source.url}" rel="noopener noreferrer">{source.title}</a>' in body
