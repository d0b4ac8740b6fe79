"""Every URL pattern of the project, requested by every kind of actor, against ONE table.

The test walks Django's URL resolver, fills each pattern's parameters with real objects made
here (an article, a claim, evidence, draft/submitted/published verdicts, a fetch job, a
token...), and requests it with GET, and with POST where the view accepts POST, as:

- ``anon``: nobody signed in;
- ``outsider``: signed in, no role;
- ``reviewer``, ``editor``, ``admin``: signed in with that role (sessions, CSRF enforced);
- ``tok_reviewer``, ``tok_none``: an API token of a reviewer / of a user with no role.

``EXPECTED`` is the reviewed policy: a pattern that is not in it fails the test, so a new
route cannot ship without someone deciding who may reach it. A 429 is never acceptable.
"""

from __future__ import annotations

import json
import re
import uuid
from collections import Counter

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from accounts.models import ApiToken
from claims.models import Verdict
from sources.models import FactCheckMatch, FetchJob
from tests.factories import (
    ArticleFactory,
    ClaimFactory,
    EvidenceFactory,
    FactCheckFactory,
    FetchJobFactory,
    UserFactory,
    VerdictFactory,
)

CSRF_SECRET = "T" * 32  # a well-formed CSRF secret, sent as cookie and header
ACTORS = ("anon", "outsider", "reviewer", "editor", "admin", "tok_reviewer", "tok_none")

# --- outcome classes --------------------------------------------------------------------------
OK = "ok"  # reached the view: 2xx, 3xx to a non-login page, or a 400/409 about the input
LOGIN = "login"  # 302 to the (reviewer or admin) login page
DENIED = "403"
UNAUTH = "401"
MISSING = "404"
GONE = "410"
NOT_ALLOWED = "405"


def classify(response) -> str:
    code = response.status_code
    if code in (301, 302, 303, 307, 308):
        location = response.headers.get("Location", "")
        if "/accounts/login/" in location or "/admin/login/" in location:
            return LOGIN
        return OK
    if 200 <= code < 300 or code in (304, 400, 409):
        return OK
    return str(code)


def _row(**outcomes) -> dict[str, str]:
    """Every actor must be named: a row cannot leave one out by accident."""
    assert set(outcomes) == set(ACTORS), sorted(set(ACTORS) ^ set(outcomes))
    return outcomes


# The policies. UI pages sign anonymous callers (and API tokens, which the UI ignores) in;
# signed-in people without the role get 403.
PUBLIC = _row(anon=OK, outsider=OK, reviewer=OK, editor=OK, admin=OK, tok_reviewer=OK, tok_none=OK)
UI_REVIEWER = _row(
    anon=LOGIN,
    outsider=DENIED,
    reviewer=OK,
    editor=OK,
    admin=OK,
    tok_reviewer=LOGIN,
    tok_none=LOGIN,
)
UI_EDITOR = _row(
    anon=LOGIN,
    outsider=DENIED,
    reviewer=DENIED,
    editor=OK,
    admin=OK,
    tok_reviewer=LOGIN,
    tok_none=LOGIN,
)
# The admin site: Admin role and is_staff; everyone else is sent to the admin login.
ADMIN_SITE = _row(
    anon=LOGIN,
    outsider=LOGIN,
    reviewer=LOGIN,
    editor=LOGIN,
    admin=OK,
    tok_reviewer=LOGIN,
    tok_none=LOGIN,
)
# The API for reviewers: 401 without credentials, 403 with credentials but no role.
API_REVIEWER = _row(
    anon=UNAUTH,
    outsider=DENIED,
    reviewer=OK,
    editor=OK,
    admin=OK,
    tok_reviewer=OK,
    tok_none=DENIED,
)
# Editors' API transitions: the permission lets reviewers in, the service refuses (403).
API_EDITOR = _row(
    anon=UNAUTH,
    outsider=DENIED,
    reviewer=DENIED,
    editor=OK,
    admin=OK,
    tok_reviewer=DENIED,
    tok_none=DENIED,
)
# A draft/submitted verdict through the published-read endpoints: invisible (404) to anyone
# without the reviewer role.
API_HIDDEN_FROM_PUBLIC = _row(
    anon=MISSING,
    outsider=MISSING,
    reviewer=OK,
    editor=OK,
    admin=OK,
    tok_reviewer=OK,
    tok_none=MISSING,
)
# Writes on a published-read endpoint: anonymous 401, anyone else refused.
API_WRITE_REVIEWER = API_REVIEWER
UNAUTH_ALL_READONLY = _row(
    anon=UNAUTH,
    outsider=DENIED,
    reviewer=DENIED,
    editor=DENIED,
    admin=DENIED,
    tok_reviewer=DENIED,
    tok_none=DENIED,
)
# Admin pages the admin site itself refuses even to Admins (adding rows that only services
# create, deleting what must be kept): the others are still sent to the login page.
ADMIN_REFUSED = {**ADMIN_SITE, "admin": DENIED}
ADMIN_NOT_FOUND = {**ADMIN_SITE, "admin": MISSING}
NOT_FOUND_ALL = _row(**dict.fromkeys(ACTORS, MISSING))
NOT_ALLOWED_ALL = _row(**dict.fromkeys(ACTORS, NOT_ALLOWED))

# The reviewed table: (pattern key, method) -> row. A key is the pattern's name, or its
# route when it has none; ``[variant]`` marks the object it was filled with.
_ADMIN_MODELS = (
    "axes_accessattempt",
    "axes_accesslog",
    "axes_accessfailurelog",
    "auth_user",
    "auth_group",
    "accounts_apitoken",
    "claims_article",
    "claims_claim",
    "claims_verdict",
    "sources_source",
    "sources_evidence",
    "sources_factcheck",
    "sources_factcheckmatch",
    "sources_fetchjob",
)

EXPECTED: dict[tuple[str, str], dict[str, str]] = {}


def _expect(key, get=None, post=None):
    if get is not None:
        EXPECTED[(key, "GET")] = get
    if post is not None:
        EXPECTED[(key, "POST")] = post


# Django admin (every model admin's pages, plus the site's own).
# Rows only the services or the login machinery create have no "add" page; users, groups,
# tokens (revoked, never deleted) and verdicts (withdrawn) are not deleted from the admin.
_NO_DELETE = ("auth_user", "auth_group", "accounts_apitoken", "claims_verdict")
for _model in _ADMIN_MODELS:
    _app, _, _name = _model.partition("_")
    for _page in ("changelist", "history", "change"):
        _expect(f"admin:{_model}_{_page}", get=ADMIN_SITE, post=ADMIN_SITE)
    _add = ADMIN_SITE if _model in ("auth_user", "accounts_apitoken") else ADMIN_REFUSED
    _expect(f"admin:{_model}_add", get=_add, post=_add)
    _delete = ADMIN_REFUSED if _model in _NO_DELETE else ADMIN_SITE
    _expect(f"admin:{_model}_delete", get=_delete, post=_delete)
    # The bare object URL redirects to the change page (for admins).
    _expect(f"admin/{_app}/{_name}/<path:object_id>/", get=ADMIN_SITE)
for _model in ("claims_claim", "claims_verdict"):
    _expect(f"admin:{_model}_simple_history", get=ADMIN_SITE)
_expect("admin:auth_user_password_change", get=ADMIN_SITE, post=ADMIN_SITE)
for _page in ("index", "password_change", "password_change_done", "app_list", "jsi18n"):
    _expect(f"admin:{_page}", get=ADMIN_SITE)
_expect("admin:jobs_overview", get=ADMIN_SITE)
# Without its query parameters the autocomplete refuses even Admins.
_expect("admin:autocomplete", get=ADMIN_REFUSED)
# Articles have no public page of their own to jump to.
_expect("admin:view_on_site", get=ADMIN_NOT_FOUND)
_expect("admin/(?P<url>.*)$", get=ADMIN_NOT_FOUND)  # the admin's catch-all
_expect("admin:login", get=PUBLIC)
# Logging out is POST only: a GET to the admin's is sent back to the admin index; after
# logging out everyone lands on (or is sent to) a login page.
_expect("admin:logout", get={**PUBLIC, "admin": NOT_ALLOWED}, post={**PUBLIC, "admin": LOGIN})
_expect("logout", get=NOT_ALLOWED_ALL, post=_row(**dict.fromkeys(ACTORS, LOGIN)))
_expect("login", get=PUBLIC, post=PUBLIC)
_expect("set_language", post=PUBLIC)

# Operations and documentation: public by design (no data in them). /healthz answers 503
# when Redis or the workers are down (as in most test runs): that still counts as served.
_expect("healthz", get=PUBLIC)
_expect("api-schema", get=PUBLIC)
_expect("api-docs", get=PUBLIC)
_expect("api-redoc", get=PUBLIC)
_expect("^api/", get=NOT_FOUND_ALL)

# The public verdict page: published verdicts only; a draft is a 404 for everyone.
_expect("verdict_public[published]", get=PUBLIC)
_expect("verdict_public[draft]", get=NOT_FOUND_ALL)

# The API.
_expect("api:claimreview-feed", get=PUBLIC, post=UNAUTH_ALL_READONLY)
_expect("api:verdict-list", get=PUBLIC, post=API_WRITE_REVIEWER)
_expect("api:verdict-detail[published]", get=PUBLIC)
_expect("api:verdict-detail[draft]", get=API_HIDDEN_FROM_PUBLIC)
_expect("api:verdict-claimreview[published]", get=PUBLIC)
_expect("api:verdict-claimreview[draft]", get=NOT_FOUND_ALL)
# Only its author (or an Admin) submits a draft; none of the other actors wrote it.
_expect("api:verdict-submit[draft]", post={**UNAUTH_ALL_READONLY, "admin": OK})
for _action in ("approve", "return"):
    _expect(f"api:verdict-{_action}[submitted]", post=API_EDITOR)
_expect("api:verdict-publish[approved]", post=API_EDITOR)
_expect("api:verdict-withdraw[published]", post=API_EDITOR)
for _name in (
    "article-list",
    "claim-list",
    "factcheck-list",
):
    _expect(f"api:{_name}", get=API_REVIEWER)
_expect("api:article-list", get=API_REVIEWER, post=API_REVIEWER)
for _name in (
    "article-detail",
    "claim-detail",
    "claim-factchecks",
    "claim-jobs",
    "claim-sources",
    "evidence-detail",
    "factcheck-detail",
):
    _expect(f"api:{_name}", get=API_REVIEWER)
_expect("api:claim-gather", post=API_REVIEWER)
_expect("api:evidence-stance", post=API_REVIEWER)

# The reviewer UI.
for _name in (
    "claims:dashboard",
    "claims:article",
    "claims:article_status",
    "claims:queue",
    "claims:claim",
    "claims:claim_history",
    "sources:claim_jobs",
):
    _expect(_name, get=UI_REVIEWER)
_expect("claims:article_new", get=UI_REVIEWER, post=UI_REVIEWER)
for _name in (
    "claims:take_next",
    "claims:claim_wording",
    "claims:claim_assign",
    "claims:claim_checkworthy",
    "claims:claim_split",
    "claims:claim_merge",
    "claims:claim_gather",
    "claims:verdict_edit",
    "claims:verdict_delete",
    "sources:evidence_stance",
    "sources:add_url",
    "sources:upload",
    "sources:job_retry",
):
    _expect(_name, post=UI_REVIEWER)
_expect("claims:approvals", get=UI_EDITOR)
_expect("claims:verdict_action[publish]", post=UI_EDITOR)


# --- walking the resolver ---------------------------------------------------------------------
def _walk(patterns, prefix="", namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = namespace
            if pattern.namespace:
                ns = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern):
            route = prefix + str(pattern.pattern)
            if pattern.name:
                key = f"{namespace}:{pattern.name}" if namespace else pattern.name
            else:
                key = route
            yield key, route, pattern.callback


def all_patterns() -> list[tuple[str, str, object]]:
    return list(_walk(get_resolver().url_patterns))


_PARAM = re.compile(
    r"<(?:(?P<conv>\w+):)?(?P<name>\w+)>|\(\?P<(?P<rname>\w+)>[^)]*\)|\(\[\^/\]\+\)"
)


def _fill(route: str, values: dict[str, str], positional: list[str]) -> str:
    """The route with its parameters replaced (path converters, named and unnamed groups)."""
    pos = iter(positional)

    def replace(match):
        name = match.group("name") or match.group("rname")
        if name is None:
            return next(pos)
        return values[name]

    path = _PARAM.sub(replace, route)
    return "/" + path.replace("^", "").replace("$", "")


@pytest.fixture
def world(db, admin_user, reviewer, editor, outsider):
    """One of everything, so every parameter can be filled with a real object."""
    for name in ("Reviewer", "Editor", "Admin"):
        Group.objects.get_or_create(name=name)
    author = UserFactory(username="matrix-author", role="reviewer")
    article = ArticleFactory(url="https://news.example.invalid/matrix")
    claim = ClaimFactory(article=article)
    evidence = EvidenceFactory(claim=claim)
    now = timezone.now()

    def verdict(status, **extra):
        return VerdictFactory(claim=ClaimFactory(), author=author, status=status, **extra)

    verdicts = {
        "draft": verdict(Verdict.Status.DRAFT),
        "submitted": verdict(Verdict.Status.SUBMITTED, submitted_at=now),
        "approved": verdict(Verdict.Status.APPROVED, submitted_at=now, approved_by=admin_user),
        "published": verdict(
            Verdict.Status.PUBLISHED, submitted_at=now, approved_by=admin_user, published_at=now
        ),
    }
    factcheck = FactCheckFactory()
    match = FactCheckMatch.objects.create(claim=claim, factcheck=factcheck, score=0.5)
    job = FetchJobFactory(claim=claim, status=FetchJob.Status.FAILED)
    token, _key = ApiToken.issue(user=reviewer, name="matrix token")
    AccessAttempt.objects.create(username="x", ip_address="127.0.0.1", failures_since_start=1)
    AccessLog.objects.create(username="x", ip_address="127.0.0.1")
    AccessFailureLog.objects.create(username="x", ip_address="127.0.0.1", locked_out=False)
    # The history rows of the claim and verdict (simple_history), for the history pages.
    claim_history = claim.history.first()
    verdict_history = verdicts["draft"].history.first()
    objects = {
        "axes_accessattempt": AccessAttempt.objects.first().pk,
        "axes_accesslog": AccessLog.objects.first().pk,
        "axes_accessfailurelog": AccessFailureLog.objects.first().pk,
        "auth_user": outsider.pk,
        "auth_group": Group.objects.get(name="Reviewer").pk,
        "accounts_apitoken": token.pk,
        "claims_article": article.pk,
        "claims_claim": claim.pk,
        "claims_verdict": verdicts["draft"].pk,
        "sources_source": evidence.source_id,
        "sources_evidence": evidence.pk,
        "sources_factcheck": factcheck.pk,
        "sources_factcheckmatch": match.pk,
        "sources_fetchjob": job.pk,
    }
    return {
        "article": article,
        "claim": claim,
        "evidence": evidence,
        "verdicts": verdicts,
        "factcheck": factcheck,
        "job": job,
        "objects": objects,
        "history": {
            "claims_claim": claim_history.history_id if claim_history else 1,
            "claims_verdict": verdict_history.history_id if verdict_history else 1,
        },
        "users": {
            "outsider": outsider,
            "reviewer": reviewer,
            "editor": editor,
            "admin": admin_user,
        },
    }


def targets(key: str, route: str, world) -> list[tuple[str, str]]:
    """(table key, path) pairs for one pattern: the pattern filled with real objects."""
    v = world["verdicts"]
    claim, article, evidence = world["claim"], world["article"], world["evidence"]
    if key.startswith("admin:") or route.startswith("admin/"):
        model = next(
            (m for m in _ADMIN_MODELS if f"/{m.replace('_', '/', 1)}/" in f"/{route}"), None
        )
        obj = str(world["objects"].get(model, 1)) if model else "1"
        if key == "admin:view_on_site":
            ct = ContentType.objects.get(app_label="claims", model="article")
            return [(key, f"/admin/r/{ct.pk}/{article.pk}/")]
        if key == "admin:app_list":
            return [(key, "/admin/claims/")]
        if key == "admin/(?P<url>.*)$":
            return [(key, "/admin/no-such-page/")]
        if key.endswith("_simple_history"):
            return [(key, _fill(route, {}, [obj, str(world["history"][model])]))]
        return [(key, _fill(route, {"object_id": obj, "id": obj}, []))]
    if key == "^api/":
        return [(key, "/api/no-such-endpoint/")]
    if key == "verdict_public":
        return [
            (f"{key}[published]", f"/verdicts/{v['published'].uuid}/"),
            (f"{key}[draft]", f"/verdicts/{v['draft'].uuid}/"),
        ]
    if key in ("api:verdict-detail", "api:verdict-claimreview"):
        return [
            (f"{key}[{name}]", _fill(route, {"pk": str(v[name].pk)}, []))
            for name in ("published", "draft")
        ]
    if key == "api:verdict-submit":
        return [(f"{key}[draft]", _fill(route, {"pk": str(v["draft"].pk)}, []))]
    if key in ("api:verdict-approve", "api:verdict-return"):
        return [(f"{key}[submitted]", _fill(route, {"pk": str(v["submitted"].pk)}, []))]
    if key == "api:verdict-publish":
        return [(f"{key}[approved]", _fill(route, {"pk": str(v["approved"].pk)}, []))]
    if key == "api:verdict-withdraw":
        return [(f"{key}[published]", _fill(route, {"pk": str(v["published"].pk)}, []))]
    if key == "claims:verdict_action":
        return [(f"{key}[publish]", f"/verdicts/{v['approved'].pk}/publish/")]
    pk = {
        "api:article-detail": article.pk,
        "claims:article": article.pk,
        "claims:article_status": article.pk,
        "api:evidence-detail": evidence.pk,
        "api:evidence-stance": evidence.pk,
        "sources:evidence_stance": evidence.pk,
        "api:factcheck-detail": world["factcheck"].pk,
        "sources:job_retry": world["job"].pk,
    }.get(key, claim.pk)
    return [(key, _fill(route, {"pk": str(pk), "claim_pk": str(claim.pk)}, []))]


def _client(actor, world, tokens) -> Client:
    if actor.startswith("tok_"):
        return Client(HTTP_AUTHORIZATION=f"Token {tokens[actor]}")
    client = Client(enforce_csrf_checks=True)
    if actor != "anon":
        client.force_login(world["users"][actor])
    return client


def _body_for(table_key, world) -> dict:
    """A valid body for the verdict transitions, so that a refusal is about who asks, not
    about the input; other POSTs get an empty body (enough to show the door is open)."""
    if "verdict" in table_key and "[" in table_key:
        variant = table_key.split("[")[1].rstrip("]")
        verdict = world["verdicts"].get(variant, world["verdicts"]["approved"])
        return {"version": verdict.version, "comment": "TEST", "reason": "TEST"}
    return {}


def _restore_verdicts(world):
    """Put every verdict back as the fixture made it (a permitted transition changes it)."""
    for verdict in world["verdicts"].values():
        Verdict.objects.filter(pk=verdict.pk).update(
            status=verdict.status,
            version=verdict.version,
            approved_by=verdict.approved_by,
            approved_at=verdict.approved_at,
            published_at=verdict.published_at,
            withdrawn_at=verdict.withdrawn_at,
            return_comment="",
            withdrawal_reason="",
        )


def _request(client, method, path, body):
    if method == "GET":
        return client.get(path)
    if path.startswith("/api/"):
        return client.post(
            path, json.dumps(body), content_type="application/json", HTTP_X_CSRFTOKEN=CSRF_SECRET
        )
    # A valid CSRF token, so what is measured is authorization, not CSRF.
    client.cookies[settings.CSRF_COOKIE_NAME] = CSRF_SECRET
    return client.post(path, body, HTTP_X_CSRFTOKEN=CSRF_SECRET)


@pytest.fixture
def _high_rates(settings):
    cache.clear()
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "100000/minute", "user": "100000/minute"},
    }
    settings.API_ANONYMOUS_READ = True
    settings.PUBLISHER_NAME = "TEST Publisher"
    settings.PUBLISHER_URL = "https://factcheck.example.invalid/"
    yield
    cache.clear()


def test_every_url_pattern_is_in_the_reviewed_table():
    """A new route fails here until someone adds it to EXPECTED (who may reach it)."""
    keys = {key.split("[")[0] for key, _method in EXPECTED}
    missing = sorted({key for key, _route, _cb in all_patterns()} - keys)
    assert not missing, f"URL patterns with no reviewed access policy: {missing}"
    stale = sorted(keys - {key for key, _route, _cb in all_patterns()})
    assert not stale, f"Table entries for patterns that no longer exist: {stale}"


def test_every_actor_gets_exactly_the_reviewed_outcome_on_every_url(
    world, _high_rates, django_assert_max_num_queries, record_property
):
    tokens = {
        "tok_reviewer": ApiToken.issue(user=world["users"]["reviewer"], name="t1")[1],
        "tok_none": ApiToken.issue(user=world["users"]["outsider"], name="t2")[1],
    }
    problems = []
    clients = {}
    checked = Counter()
    paths = set()
    for key, route, _callback in all_patterns():
        for table_key, path in targets(key, route, world):
            paths.add(path)
            for method in ("GET", "POST"):
                row = EXPECTED.get((table_key, method))
                if row is None:
                    continue
                for actor in ACTORS:
                    # Admins' POSTs to the admin would change or delete things: their GET
                    # shows they get in; the others' POSTs show the door is shut.
                    if method == "POST" and actor == "admin" and row is ADMIN_SITE:
                        continue
                    if "logout" in key:  # a throwaway session
                        client = _client(actor, world, tokens)
                    else:
                        client = clients.setdefault(actor, _client(actor, world, tokens))
                    if method == "POST" and "verdict" in table_key:
                        _restore_verdicts(world)
                    response = _request(client, method, path, _body_for(table_key, world))
                    got = classify(response)
                    if table_key == "healthz" and response.status_code == 503:
                        got = OK
                    checked[method] += 1
                    if response.status_code == 429:
                        problems.append(f"{method} {path} as {actor}: throttled (429)")
                    elif got != row[actor]:
                        problems.append(
                            f"{method} {path} ({table_key}) as {actor}: "
                            f"expected {row[actor]}, got {response.status_code} "
                            f"{response.headers.get('Location', '')}"
                        )
    record_property("requests", dict(checked))
    record_property("paths", len(paths))
    print(
        f"authorization matrix: {len(paths)} URLs, {sum(checked.values())} requests {dict(checked)}"
    )
    assert not problems, "\n".join(problems)


def test_a_session_post_without_a_csrf_token_is_refused(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world["users"]["reviewer"])
    claim = world["claim"]
    response = client.post(f"/claims/{claim.pk}/wording/", {"wording": "TEST", "version": 1})
    assert response.status_code == 403
    claim.refresh_from_db()
    assert claim.wording != "TEST"


def test_an_unknown_uuid_on_the_public_page_is_a_404(db):
    assert Client().get(f"/verdicts/{uuid.uuid4()}/").status_code == 404


def test_what_anonymous_and_no_role_clients_read_holds_only_published_verdicts(world, _high_rates):
    """The public endpoints answer 200; what they answer must not leak drafts, submitted
    or approved verdicts, or the review workflow."""
    published = world["verdicts"]["published"]
    hidden = [v for name, v in world["verdicts"].items() if name != "published"]
    _token, key = ApiToken.issue(user=world["users"]["outsider"], name="no role")
    for client in (Client(), Client(HTTP_AUTHORIZATION=f"Token {key}")):
        for path in ("/api/v1/verdicts/", "/api/v1/claimreviews/"):
            body = client.get(path).json()
            ids = {item.get("id") for item in body["results"]}
            text = json.dumps(body)
            assert published.pk in ids or str(published.uuid) in text
            for verdict in hidden:
                assert verdict.pk not in ids
                assert str(verdict.uuid) not in text
            assert "review" not in {k for item in body["results"] for k in item if item.get(k)}
        detail = client.get(f"/api/v1/verdicts/{published.pk}/").json()
        assert detail.get("review") is None


def test_a_reviewer_is_refused_the_method_a_route_does_not_take(world, _high_rates):
    """The table lists GET and/or POST per route; the other method is refused (405, or 403
    from a read-only permission, 404 from the API's catch-all) for a signed-in reviewer with
    a valid CSRF token, never served. Admin pages take both; Django's set_language answers
    a GET with a redirect and changes nothing."""
    tokens = {}
    client = _client("reviewer", world, tokens)
    problems, checked = [], 0
    for key, route, _callback in all_patterns():
        if key.startswith("admin") or route.startswith("admin/") or key == "set_language":
            continue
        for table_key, path in targets(key, route, world):
            for method in ("GET", "POST"):
                if (table_key, method) in EXPECTED:
                    continue
                other = "POST" if method == "GET" else "GET"
                if (table_key, other) not in EXPECTED:
                    continue
                response = _request(client, method, path, _body_for(table_key, world))
                checked += 1
                if response.status_code not in (403, 404, 405):
                    problems.append(f"{method} {path}: {response.status_code}, not refused")
    assert checked > 20
    assert not problems, "\n".join(problems)
