import inspect
import socket
import time

import httpx
import pytest
from werkzeug import Response

from sources import fetching
from sources.fetching import BlockedURLError, FetchError, fetch, is_public_address

_real_getaddrinfo = socket.getaddrinfo


@pytest.fixture
def fake_dns(monkeypatch):
    """Names under .test.invalid resolve to whatever the test says; others really."""
    table: dict[str, list[str]] = {}

    def getaddrinfo(host, port, *args, **kwargs):
        if host in table:
            return [
                (
                    socket.AF_INET6 if ":" in address else socket.AF_INET,
                    socket.SOCK_STREAM,
                    6,
                    "",
                    (address, port),
                )
                for address in table[host]
            ]
        if isinstance(host, str) and host.endswith(".invalid"):
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return _real_getaddrinfo(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return table


@pytest.fixture
def base(httpserver):
    return f"http://127.0.0.1:{httpserver.port}"


@pytest.fixture
def only_test_server(httpserver):
    """The one private endpoint the tests may reach; every other private address stays refused."""
    return {"allow_private": False, "allowed_endpoints": {("127.0.0.1", httpserver.port)}}


def test_file_urls_are_refused():
    with pytest.raises(BlockedURLError, match="Only http and https"):
        fetch("file:///etc/passwd", allow_private=False)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://127.1.2.3:8080/",
        "http://[::1]/",
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.1/",
        "http://192.168.1.1/",
        "http://172.16.0.1/",
        "http://100.64.0.1/",
        "http://0.0.0.0/",
        "http://224.0.0.1/",
        "http://[::ffff:127.0.0.1]/",
        "http://[::ffff:a9fe:a9fe]/",
        "http://[::127.0.0.1]/",
        "http://[2002:7f00:1::]/",
        "http://[64:ff9b::a00:1]/",
        "http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/",
        "http://[fc00::1]/",
        "http://[fe80::1]/",
    ],
)
def test_private_loopback_and_special_addresses_are_refused(url):
    with pytest.raises(BlockedURLError, match="non-public address"):
        fetch(url, allow_private=False)


def test_public_addresses_pass_the_check():
    import ipaddress

    assert is_public_address(ipaddress.ip_address("93.184.216.34"))
    assert is_public_address(ipaddress.ip_address("2606:2800:220:1:248:1893:25c8:1946"))
    assert is_public_address(ipaddress.ip_address("64:ff9b::5db8:d822"))


def test_a_public_looking_name_that_resolves_to_a_private_address_is_refused(fake_dns):
    fake_dns["news.test.invalid"] = ["10.1.2.3"]

    with pytest.raises(BlockedURLError, match="'news.test.invalid'.*10.1.2.3"):
        fetch("https://news.test.invalid/story", allow_private=False)


def test_a_name_with_one_public_and_one_private_address_is_refused(fake_dns):
    fake_dns["mixed.test.invalid"] = ["93.184.216.34", "127.0.0.1"]

    with pytest.raises(BlockedURLError):
        fetch("http://mixed.test.invalid/", allow_private=False)


def test_a_name_that_does_not_resolve_is_a_transient_error(fake_dns):
    with pytest.raises(FetchError) as caught:
        fetch("http://nowhere.test.invalid/", allow_private=False)

    assert caught.value.transient
    assert "Could not resolve" in str(caught.value)


@pytest.mark.parametrize(
    "url", ["http://user:secret@93.184.216.34/", "http:///path", "http://[::1/", "//x/y"]
)
def test_malformed_urls_and_credentials_are_refused(url):
    with pytest.raises(BlockedURLError):
        fetch(url, allow_private=False)


def test_the_loopback_test_server_is_refused_unless_allowed(httpserver, base):
    httpserver.expect_request("/page").respond_with_data("TEST page", content_type="text/plain")

    with pytest.raises(BlockedURLError):
        fetch(f"{base}/page", allow_private=False)
    page = fetch(f"{base}/page", allow_private=True)

    assert page.content == b"TEST page"
    assert page.status == 200
    assert page.content_type == "text/plain"


def test_an_allowed_endpoint_is_exact_to_the_port(httpserver, base, only_test_server):
    httpserver.expect_request("/page").respond_with_data("TEST page")

    assert fetch(f"{base}/page", **only_test_server).content == b"TEST page"
    with pytest.raises(BlockedURLError):
        fetch(f"http://127.0.0.1:{httpserver.port + 1}/page", **only_test_server)


@pytest.mark.parametrize(
    "target",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.1/admin",
        "http://[::1]/",
        "http://internal.test.invalid/secret",
        "file:///etc/passwd",
    ],
)
def test_a_redirect_to_a_private_address_is_refused(
    httpserver, base, only_test_server, fake_dns, target
):
    fake_dns["internal.test.invalid"] = ["192.168.0.10"]
    httpserver.expect_request("/start").respond_with_data(
        "", status=302, headers={"Location": target}
    )

    with pytest.raises(BlockedURLError):
        fetch(f"{base}/start", **only_test_server)

    assert len(httpserver.log) == 1  # the first hop was made, the second never


def test_a_redirect_to_another_loopback_port_is_refused(httpserver, base, only_test_server):
    httpserver.expect_request("/start").respond_with_data(
        "", status=301, headers={"Location": f"http://127.0.0.1:{httpserver.port + 1}/"}
    )

    with pytest.raises(BlockedURLError):
        fetch(f"{base}/start", **only_test_server)


def test_relative_redirects_are_followed_and_recorded(httpserver, base, only_test_server):
    httpserver.expect_request("/a/b").respond_with_data(
        "", status=302, headers={"Location": "../c?x=1"}
    )
    httpserver.expect_request("/c", query_string="x=1").respond_with_data("TEST final")

    page = fetch(f"{base}/a/b#frag", **only_test_server)

    assert page.content == b"TEST final"
    assert page.url == f"{base}/c?x=1"
    assert page.redirects == [f"{base}/a/b#frag"]


def test_303_turns_a_post_into_a_get(httpserver, base, only_test_server):
    httpserver.expect_request("/form", method="POST").respond_with_data(
        "", status=303, headers={"Location": "/done"}
    )
    httpserver.expect_request("/done", method="GET").respond_with_data("TEST done")

    page = fetch(f"{base}/form", method="POST", **only_test_server)

    assert page.content == b"TEST done"
    assert [r.method for r, _ in httpserver.log] == ["POST", "GET"]


def test_307_keeps_the_method(httpserver, base, only_test_server):
    httpserver.expect_request("/form", method="POST").respond_with_data(
        "", status=307, headers={"Location": "/again"}
    )
    httpserver.expect_request("/again", method="POST").respond_with_data("TEST again")

    assert fetch(f"{base}/form", method="POST", **only_test_server).content == b"TEST again"


def test_too_many_redirects_are_refused(httpserver, base, only_test_server):
    httpserver.expect_request("/loop").respond_with_data(
        "", status=302, headers={"Location": "/loop"}
    )

    with pytest.raises(FetchError, match="Too many redirects") as caught:
        fetch(f"{base}/loop", max_redirects=3, **only_test_server)

    assert not caught.value.transient
    assert len(httpserver.log) == 4


def test_a_redirect_without_location_is_an_error(httpserver, base, only_test_server):
    httpserver.expect_request("/r").respond_with_data("", status=302)

    with pytest.raises(FetchError, match="without a Location"):
        fetch(f"{base}/r", **only_test_server)


def test_a_declared_size_over_the_limit_is_refused_before_reading(
    httpserver, base, only_test_server
):
    httpserver.expect_request("/big").respond_with_data(b"x" * 5000)

    with pytest.raises(FetchError, match="5,000 bytes, over the limit of 1,024") as caught:
        fetch(f"{base}/big", max_bytes=1024, **only_test_server)

    assert not caught.value.transient


def test_a_streamed_body_is_cut_at_the_limit(httpserver, base, only_test_server):
    def endless(request):
        def chunks():
            for _ in range(1000):
                yield b"y" * 1000

        return Response(chunks(), content_type="text/plain")  # chunked: no Content-Length

    httpserver.expect_request("/stream").respond_with_handler(endless)

    with pytest.raises(FetchError, match="larger than the limit of 10,000 bytes"):
        fetch(f"{base}/stream", max_bytes=10_000, **only_test_server)


def test_a_body_under_the_limit_is_read_whole(httpserver, base, only_test_server):
    httpserver.expect_request("/ok").respond_with_data(b"z" * 1000)

    assert len(fetch(f"{base}/ok", max_bytes=1024, **only_test_server).content) == 1000


def test_a_server_that_does_not_answer_in_time_is_a_transient_timeout(
    httpserver, base, only_test_server
):
    def slow(request):
        time.sleep(0.8)
        return Response("TEST late")

    httpserver.expect_request("/slow").respond_with_handler(slow)
    started = time.monotonic()

    with pytest.raises(FetchError, match="Timed out") as caught:
        fetch(f"{base}/slow", timeout=0.2, **only_test_server)

    assert caught.value.transient
    assert time.monotonic() - started < 0.7


def test_a_body_that_trickles_past_the_deadline_is_a_timeout(httpserver, base, only_test_server):
    def trickle(request):
        def chunks():
            for _ in range(6):
                time.sleep(0.1)
                yield b"t" * 10

        return Response(chunks(), content_type="text/plain")

    httpserver.expect_request("/trickle").respond_with_handler(trickle)

    with pytest.raises(FetchError, match="Timed out") as caught:
        fetch(f"{base}/trickle", timeout=0.25, **only_test_server)

    assert caught.value.transient


def test_a_disallowed_content_type_is_refused(httpserver, base, only_test_server):
    httpserver.expect_request("/file.pdf").respond_with_data(
        b"%PDF-1.4 TEST", content_type="application/pdf"
    )

    with pytest.raises(FetchError, match="application/pdf, not one of text/html"):
        fetch(f"{base}/file.pdf", accept_types=("text/html",), **only_test_server)


def test_the_charset_is_read_from_the_content_type(httpserver, base, only_test_server):
    httpserver.expect_request("/latin").respond_with_data(
        "café TEST".encode("latin-1"), content_type="text/html; charset=ISO-8859-1"
    )

    page = fetch(f"{base}/latin", accept_types=("text/html",), **only_test_server)

    assert page.charset == "iso-8859-1"
    assert page.text() == "café TEST"


@pytest.mark.parametrize(("status", "transient"), [(500, True), (429, True), (404, False)])
def test_error_statuses_say_whether_a_retry_can_help(
    httpserver, base, only_test_server, status, transient
):
    httpserver.expect_request("/e").respond_with_data("TEST", status=status)

    with pytest.raises(FetchError) as caught:
        fetch(f"{base}/e", **only_test_server)

    assert caught.value.transient is transient
    assert caught.value.status == status


def test_the_host_header_of_the_name_is_kept_when_connecting_to_its_address(
    httpserver, fake_dns, only_test_server
):
    fake_dns["news.test.invalid"] = ["127.0.0.1"]
    host = f"news.test.invalid:{httpserver.port}"
    httpserver.expect_request("/story", headers={"Host": host}).respond_with_data("TEST story")

    page = fetch(f"http://{host}/story", **only_test_server)

    assert page.content == b"TEST story"
    assert page.url == f"http://{host}/story"
    ((request, _response),) = httpserver.log
    assert request.headers["User-Agent"]


def test_https_connects_to_the_checked_address_with_the_name_as_tls_server_name(fake_dns):
    fake_dns["news.test.invalid"] = ["93.184.216.34"]
    seen = []

    def handler(request):
        seen.append(request)
        return httpx.Response(
            200, stream=httpx.ByteStream(b"TEST"), headers={"Content-Type": "text/plain"}
        )

    page = fetch(
        "https://news.test.invalid/a?b=1",
        allow_private=False,
        transport=httpx.MockTransport(handler),
    )

    assert page.content == b"TEST"
    (request,) = seen
    assert request.url.host == "93.184.216.34"
    assert request.url.path == "/a"
    assert request.headers["Host"] == "news.test.invalid"
    assert request.extensions["sni_hostname"] == "news.test.invalid"


def test_the_installed_httpcore_reads_the_sni_hostname_extension():
    """Guards the extension name against an httpcore upgrade that renames it."""
    import httpcore._sync.connection as connection

    source = inspect.getsource(connection.HTTPConnection._connect)

    assert 'request.extensions.get("sni_hostname"' in source
    assert '"server_hostname": sni_hostname' in source


def test_the_module_default_comes_from_the_setting(httpserver, base, settings):
    httpserver.expect_request("/p").respond_with_data("TEST")

    settings.SOURCES_ALLOW_PRIVATE_NETWORKS = False
    with pytest.raises(BlockedURLError):
        fetching.fetch(f"{base}/p")
    settings.SOURCES_ALLOW_PRIVATE_NETWORKS = True
    assert fetching.fetch(f"{base}/p").content == b"TEST"


def _compressed(data: bytes, coding: str) -> bytes:
    import gzip
    import zlib

    if coding == "gzip":
        return gzip.compress(data)
    if coding == "deflate-raw":
        compressor = zlib.compressobj(wbits=-zlib.MAX_WBITS)
        return compressor.compress(data) + compressor.flush()
    return zlib.compress(data)


@pytest.mark.parametrize("coding", ["gzip", "deflate", "deflate-raw"])
def test_compressed_bodies_are_inflated(httpserver, base, only_test_server, coding):
    text = b"TEST page " * 500
    header = "deflate" if coding.startswith("deflate") else coding
    httpserver.expect_request("/z").respond_with_data(
        _compressed(text, coding), headers={"Content-Encoding": header}, content_type="text/html"
    )

    page = fetch(f"{base}/z", **only_test_server)

    assert page.content == text
    ((request, _response),) = httpserver.log
    assert request.headers["Accept-Encoding"] == "gzip, deflate"


def test_a_compression_bomb_is_cut_at_the_limit_after_inflating(httpserver, base, only_test_server):
    bomb = _compressed(b"\0" * 20_000_000, "gzip")
    assert len(bomb) < 100_000  # small on the wire...
    httpserver.expect_request("/bomb").respond_with_data(
        bomb, headers={"Content-Encoding": "gzip"}, content_type="text/html"
    )

    with pytest.raises(FetchError, match="larger than the limit of 100,000 bytes"):
        fetch(f"{base}/bomb", max_bytes=100_000, **only_test_server)


def test_the_bounded_decoder_never_returns_more_than_the_room_plus_one():
    decoder = fetching._BoundedDecoder("gzip", "http://t.test.invalid/", 200)

    out = decoder.feed(_compressed(b"a" * 1_000_000, "gzip"), 1000)

    assert len(out) == 1001


def test_an_unsupported_content_encoding_is_refused(httpserver, base, only_test_server):
    httpserver.expect_request("/br").respond_with_data(
        b"\x0b\x02\x80TEST", headers={"Content-Encoding": "br"}
    )

    with pytest.raises(FetchError, match="content encoding that is not supported: br"):
        fetch(f"{base}/br", **only_test_server)


def test_a_corrupt_compressed_body_is_an_error(httpserver, base, only_test_server):
    httpserver.expect_request("/bad").respond_with_data(
        b"\x1f\x8b\x08\x00TEST not gzip at all", headers={"Content-Encoding": "gzip"}
    )

    with pytest.raises(FetchError, match="corrupt gzip body") as caught:
        fetch(f"{base}/bad", **only_test_server)

    assert not caught.value.transient


def test_proxy_settings_from_the_environment_are_not_used(
    httpserver, base, only_test_server, monkeypatch
):
    # A proxy would do its own DNS and connecting, bypassing the address check.
    monkeypatch.setenv("HTTP_PROXY", "http://proxy.test.invalid:3128")
    monkeypatch.setenv("ALL_PROXY", "http://proxy.test.invalid:3128")
    httpserver.expect_request("/direct").respond_with_data("TEST direct")

    assert fetch(f"{base}/direct", **only_test_server).content == b"TEST direct"


def test_truncate_keeps_the_first_bytes_of_a_larger_body(httpserver, base, only_test_server):
    httpserver.expect_request("/long").respond_with_data(b"0123456789" * 1000)

    page = fetch(f"{base}/long", max_bytes=1024, truncate=True, **only_test_server)

    assert page.truncated
    assert page.content == (b"0123456789" * 1000)[:1024]


def test_a_body_within_the_limit_is_not_marked_truncated(httpserver, base, only_test_server):
    httpserver.expect_request("/short").respond_with_data(b"TEST")

    page = fetch(f"{base}/short", max_bytes=1024, truncate=True, **only_test_server)

    assert not page.truncated
    assert page.content == b"TEST"


TLS = __import__("pathlib").Path(__file__).resolve().parents[1] / "fixtures" / "tls"


@pytest.fixture
def tls_server():
    """A real TLS server on loopback presenting a certificate for news.test.invalid; records
    the server name (SNI) each client asked for."""
    import ssl

    from pytest_httpserver import HTTPServer

    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(TLS / "news.test.invalid.crt", TLS / "news.test.invalid.key")
    server_names = []
    context.sni_callback = lambda sock, name, ctx: server_names.append(name)
    server = HTTPServer(host="127.0.0.1", port=0, ssl_context=context)
    server.start()
    server.server_names = server_names
    yield server
    server.clear()
    if server.is_running():
        server.stop()


def _trusting_transport():
    import ssl

    client_context = ssl.create_default_context(cafile=str(TLS / "news.test.invalid.crt"))
    return httpx.HTTPTransport(verify=client_context)


def test_a_pinned_https_connection_sends_and_verifies_the_original_name(tls_server, fake_dns):
    fake_dns["news.test.invalid"] = ["127.0.0.1"]
    tls_server.expect_request("/story").respond_with_data("TEST over TLS")

    page = fetch(
        f"https://news.test.invalid:{tls_server.port}/story",
        allow_private=False,
        allowed_endpoints={("127.0.0.1", tls_server.port)},
        transport=_trusting_transport(),
    )

    assert page.content == b"TEST over TLS"
    assert tls_server.server_names == ["news.test.invalid"]
    ((request, _response),) = tls_server.log
    assert request.headers["Host"] == f"news.test.invalid:{tls_server.port}"


def test_a_certificate_for_another_name_is_refused(tls_server, fake_dns):
    fake_dns["other.test.invalid"] = ["127.0.0.1"]
    tls_server.expect_request("/story").respond_with_data("TEST over TLS")

    with pytest.raises(FetchError, match="TLS certificate") as caught:
        fetch(
            f"https://other.test.invalid:{tls_server.port}/story",
            allow_private=False,
            allowed_endpoints={("127.0.0.1", tls_server.port)},
            transport=_trusting_transport(),
        )

    assert not caught.value.transient
    assert tls_server.log == []


def test_each_checked_address_is_tried_until_one_accepts_the_connection(httpserver, fake_dns):
    # The test server listens on IPv4 only: the IPv6 address refuses the connection.
    fake_dns["dual.test.invalid"] = ["::1", "127.0.0.1"]
    httpserver.expect_request("/p").respond_with_data("TEST reached over IPv4")
    port = httpserver.port

    page = fetch(
        f"http://dual.test.invalid:{port}/p",
        allow_private=False,
        allowed_endpoints={("::1", port), ("127.0.0.1", port)},
    )

    assert page.content == b"TEST reached over IPv4"


def test_when_no_address_accepts_the_connection_the_error_is_transient(fake_dns):
    fake_dns["down.test.invalid"] = ["127.0.0.1", "::1"]

    with pytest.raises(FetchError, match="Could not connect to down.test.invalid") as caught:
        fetch(
            "http://down.test.invalid:9/",
            allow_private=False,
            allowed_endpoints={("::1", 9), ("127.0.0.1", 9)},
        )

    assert caught.value.transient
