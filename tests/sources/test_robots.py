import pytest

from sources import robots
from sources.fetching import BlockedURLError
from sources.robots import clear_robots_cache, robots_allowed, robots_decision

UA = "ClaimWorkbench/0.1 (TEST; +https://workbench.test.invalid/)"


@pytest.fixture(autouse=True)
def fresh_cache():
    clear_robots_cache()
    yield
    clear_robots_cache()


@pytest.fixture
def base(httpserver):
    return f"http://127.0.0.1:{httpserver.port}"


@pytest.fixture
def opts(httpserver):
    return {"allow_private": False, "allowed_endpoints": {("127.0.0.1", httpserver.port)}}


def serve_robots(httpserver, body, status=200):
    httpserver.expect_request("/robots.txt").respond_with_data(
        body, status=status, content_type="text/plain"
    )


RULES = """\
User-agent: *
Disallow: /private/
Allow: /private/open/

User-agent: ClaimWorkbench
Disallow: /no-workbench/
"""


def test_rules_for_our_product_token_apply(httpserver, base, opts):
    serve_robots(httpserver, RULES)

    assert robots_allowed(f"{base}/news/1", UA, **opts)
    assert not robots_allowed(f"{base}/no-workbench/x", UA, **opts)
    # A group for our token replaces the * group (RFC 9309 2.2.1).
    assert robots_allowed(f"{base}/private/x", UA, **opts)


def test_the_star_group_applies_to_other_agents_with_longest_match(httpserver, base, opts):
    serve_robots(httpserver, RULES)

    assert not robots_allowed(f"{base}/private/x", "OtherBot/1.0", **opts)
    assert robots_allowed(f"{base}/private/open/x", "OtherBot/1.0", **opts)


def test_a_disallowed_page_says_so(httpserver, base, opts):
    serve_robots(httpserver, "User-agent: *\nDisallow: /\n")

    decision = robots_decision(f"{base}/a", UA, **opts)

    assert not decision.allowed
    assert not decision.transient
    assert "disallowed" in decision.reason


@pytest.mark.parametrize("status", [404, 403, 401, 410])
def test_a_4xx_robots_txt_allows_everything(httpserver, base, opts, status):
    serve_robots(httpserver, "TEST not here", status=status)

    decision = robots_decision(f"{base}/anything", UA, **opts)

    assert decision.allowed
    assert "no robots.txt rules" in decision.reason


@pytest.mark.parametrize("status", [500, 503, 429])
def test_a_5xx_robots_txt_disallows_everything_for_now(httpserver, base, opts, status):
    serve_robots(httpserver, "TEST down", status=status)

    decision = robots_decision(f"{base}/anything", UA, **opts)

    assert not decision.allowed
    assert decision.transient
    assert "could not be read" in decision.reason


def test_an_unreachable_site_is_disallowed_for_now(httpserver, opts):
    closed = f"http://127.0.0.1:{httpserver.port + 1}"
    opts = {"allow_private": False, "allowed_endpoints": {("127.0.0.1", httpserver.port + 1)}}

    decision = robots_decision(f"{closed}/page", UA, **opts)

    assert not decision.allowed
    assert decision.transient


def test_a_robots_txt_redirecting_to_a_private_address_counts_as_unreachable(
    httpserver, base, opts
):
    httpserver.expect_request("/robots.txt").respond_with_data(
        "", status=302, headers={"Location": "http://169.254.169.254/robots.txt"}
    )

    decision = robots_decision(f"{base}/page", UA, **opts)

    assert not decision.allowed
    assert decision.transient


def test_robots_txt_redirects_are_followed(httpserver, base, opts):
    httpserver.expect_request("/robots.txt").respond_with_data(
        "", status=301, headers={"Location": "/real-robots.txt"}
    )
    httpserver.expect_request("/real-robots.txt").respond_with_data(
        "User-agent: *\nDisallow: /secret\n", content_type="text/plain"
    )

    assert not robots_allowed(f"{base}/secret", UA, **opts)
    assert robots_allowed(f"{base}/public", UA, **opts)


def test_a_page_on_a_private_address_is_refused_before_asking_for_robots(httpserver):
    with pytest.raises(BlockedURLError):
        robots_allowed("http://10.0.0.1/page", UA, allow_private=False)
    assert httpserver.log == []


def test_the_answer_is_cached_per_origin(httpserver, base, opts):
    serve_robots(httpserver, "User-agent: *\nDisallow: /x\n")

    for _ in range(3):
        assert not robots_allowed(f"{base}/x", UA, **opts)
        assert robots_allowed(f"{base}/y", UA, **opts)

    assert len(httpserver.log) == 1


def test_the_cache_expires(httpserver, base, opts, monkeypatch):
    serve_robots(httpserver, "User-agent: *\nDisallow: /x\n")
    now = [1000.0]
    monkeypatch.setattr(robots, "_clock", lambda: now[0])

    robots_allowed(f"{base}/x", UA, **opts)
    now[0] += robots.ROBOTS_CACHE_SECONDS - 1
    robots_allowed(f"{base}/x", UA, **opts)
    assert len(httpserver.log) == 1

    now[0] += 2
    robots_allowed(f"{base}/x", UA, **opts)
    assert len(httpserver.log) == 2


def test_failures_are_cached_for_a_shorter_time(httpserver, base, opts, monkeypatch):
    serve_robots(httpserver, "TEST down", status=503)
    now = [1000.0]
    monkeypatch.setattr(robots, "_clock", lambda: now[0])

    robots_allowed(f"{base}/x", UA, **opts)
    now[0] += robots.ROBOTS_ERROR_CACHE_SECONDS + 1
    robots_allowed(f"{base}/x", UA, **opts)

    assert robots.ROBOTS_ERROR_CACHE_SECONDS < robots.ROBOTS_CACHE_SECONDS
    assert len(httpserver.log) == 2


def test_the_cache_is_bounded(httpserver, opts, monkeypatch, fake_hosts):
    monkeypatch.setattr(robots, "ROBOTS_CACHE_SIZE", 2)
    serve_robots(httpserver, "User-agent: *\nAllow: /\n")

    for name in ("a", "b", "c"):
        robots_allowed(f"http://{name}.test.invalid:{httpserver.port}/", UA, **opts)

    assert len(robots._cache) == 2
    assert [key[1] for key in robots._cache] == ["b.test.invalid", "c.test.invalid"]


@pytest.fixture
def fake_hosts(monkeypatch):
    import socket

    real = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        if isinstance(host, str) and host.endswith(".test.invalid"):
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


def test_a_redirect_loop_means_no_robots_txt_so_everything_is_allowed(httpserver, base, opts):
    httpserver.expect_request("/robots.txt").respond_with_data(
        "", status=302, headers={"Location": "/robots.txt"}
    )

    decision = robots_decision(f"{base}/page", UA, **opts)

    assert decision.allowed
    assert not decision.transient


def test_a_huge_robots_txt_is_read_up_to_the_limit(httpserver, base, opts):
    rules = "User-agent: *\nDisallow: /early\n" + "# TEST padding\n" * 50_000
    rules += "Disallow: /late\n"
    assert len(rules) > robots.ROBOTS_MAX_BYTES
    serve_robots(httpserver, rules)

    assert not robots_allowed(f"{base}/early", UA, **opts)
    assert robots_allowed(f"{base}/late", UA, **opts)  # beyond what is read
