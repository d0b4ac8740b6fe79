"""The ingest and export_claims management commands."""

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from claims.models import Article, Claim
from tests.factories import EvidenceFactory

pytestmark = pytest.mark.django_db
SEED = Path(__file__).resolve().parents[2] / "seeds" / "000_50f76b988ce1c267.txt"
TEXT = (
    "TEST DATA. The test ministry bought 400 test widgets in 2022, officials said.\n"
    "The test agency shipped 12 test crates to Testland on Monday.\n"
)


def run(*args, stdin: bytes | None = None, monkeypatch=None) -> str:
    out = io.StringIO()
    if stdin is not None:
        monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(stdin)))
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def last_json(output: str) -> dict:
    return json.loads(output.strip().splitlines()[-1])


def test_ingesting_a_file_prints_the_article_and_claim_count_as_json():
    output = run("ingest", str(SEED), "--title", "Seed", "--json")
    result = last_json(output)
    article = Article.objects.get(pk=result["article"])
    assert article.title == "Seed" and article.language == "ar"
    assert article.text == SEED.read_text(encoding="utf-8")
    assert result["claims"] == article.claims.count() >= 15


def test_ingesting_the_same_file_twice_gives_the_same_article():
    first = last_json(run("ingest", str(SEED), "--json"))
    second = last_json(run("ingest", str(SEED), "--json"))
    assert first == second
    assert Article.objects.count() == 1
    assert Claim.objects.count() == first["claims"]


def test_ingesting_standard_input_with_options(monkeypatch):
    output = run(
        "ingest",
        "-",
        "--url",
        "https://test.invalid/a",
        "--language",
        "en",
        "--json",
        stdin=TEXT.encode(),
        monkeypatch=monkeypatch,
    )
    article = Article.objects.get(pk=last_json(output)["article"])
    assert article.url == "https://test.invalid/a"
    assert article.language == "en"
    assert article.text == TEXT


def test_ingesting_an_html_file_keeps_the_text_and_drops_scripts(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(
        "<html><head><title>TEST DATA page</title><script>var x='SCRIPT-TEXT';</script></head>"
        "<body><article><p>The test ministry bought 400 test widgets in 2022, officials said "
        "on Tuesday.</p><p>The test agency shipped 12 test crates to Testland on Monday, "
        "according to the records.</p></article><script>alert('SCRIPT-TEXT')</script>"
        "</body></html>",
        encoding="utf-8",
    )
    article = Article.objects.get(pk=last_json(run("ingest", str(page), "--json"))["article"])
    assert "400 test widgets" in article.text
    assert "SCRIPT-TEXT" not in article.text
    assert article.title == "TEST DATA page"


def test_ingesting_a_url_from_a_local_server(httpserver, settings):
    settings.SOURCES_ALLOW_PRIVATE_NETWORKS = True
    httpserver.expect_request("/story").respond_with_data(
        TEXT.encode(), content_type="text/plain; charset=utf-8"
    )
    url = httpserver.url_for("/story")
    article = Article.objects.get(pk=last_json(run("ingest", url, "--json"))["article"])
    assert article.text == TEXT
    assert article.url == url


@pytest.mark.parametrize(
    ("make_input", "message"),
    [
        (lambda tmp: str(tmp / "missing.txt"), "No such file"),
        (lambda tmp: _write(tmp, b""), "empty"),
        (lambda tmp: _write(tmp, b"\x00\x01\x02\x03binary"), "binary"),
        (lambda tmp: _write(tmp, b"%PDF-1.4 not text"), "PDF"),
        (lambda tmp: _write(tmp, b"caf\xe9 latin-1"), "not valid UTF-8"),
    ],
)
def test_bad_files_give_a_one_line_error_and_write_nothing(tmp_path, make_input, message):
    with pytest.raises(CommandError, match=message) as info:
        run("ingest", make_input(tmp_path))
    assert "\n" not in str(info.value)
    assert Article.objects.count() == 0


def _write(tmp, data: bytes) -> str:
    path = tmp / "input.txt"
    path.write_bytes(data)
    return str(path)


def test_a_file_over_the_size_limit_is_refused(tmp_path, settings):
    settings.INGEST_MAX_BYTES = 100
    with pytest.raises(CommandError, match="too large"):
        run("ingest", _write(tmp_path, b"word " * 100))
    assert Article.objects.count() == 0


def test_empty_standard_input_is_refused(monkeypatch):
    with pytest.raises(CommandError, match="empty"):
        run("ingest", "-", stdin=b"", monkeypatch=monkeypatch)


def test_a_bad_language_code_is_refused():
    with pytest.raises(CommandError, match="language code"):
        run("ingest", str(SEED), "--language", "arabic please")
    assert Article.objects.count() == 0


def test_a_loopback_url_is_refused_when_private_networks_are_off(httpserver, settings):
    settings.SOURCES_ALLOW_PRIVATE_NETWORKS = False
    httpserver.expect_request("/story").respond_with_data(TEXT, content_type="text/plain")
    with pytest.raises(CommandError, match="Refused"):
        run("ingest", httpserver.url_for("/story"))
    assert len(httpserver.log) == 0
    assert Article.objects.count() == 0


def test_an_unreachable_url_is_a_clear_error(settings):
    settings.SOURCES_ALLOW_PRIVATE_NETWORKS = True
    settings.SOURCES_HTTP_TIMEOUT = 2
    with pytest.raises(CommandError, match="Could not fetch"):
        run("ingest", "http://127.0.0.1:9/nothing-listens-here")
    assert Article.objects.count() == 0


def test_the_ingest_command_exits_non_zero_with_the_error_on_stderr(tmp_path, capsys):
    from django.core.management import ManagementUtility

    utility = ManagementUtility(["manage.py", "ingest", str(tmp_path / "missing.txt")])
    with pytest.raises(SystemExit) as exit_info:
        utility.execute()
    assert exit_info.value.code != 0
    assert "No such file" in capsys.readouterr().err


# --- export_claims -------------------------------------------------------------------------
def test_export_claims_prints_claims_with_their_sources():
    article_id = last_json(run("ingest", str(SEED), "--json"))["article"]
    claim = Claim.objects.filter(article_id=article_id).order_by("start").first()
    evidence = EvidenceFactory(claim=claim, score=0.9, stance="supports")
    exported = json.loads(run("export_claims", str(article_id)))
    assert len(exported) == Claim.objects.filter(article_id=article_id).count()
    assert [c["start"] for c in exported] == sorted(c["start"] for c in exported)
    first = exported[0]
    assert set(first) == {"id", "text", "start", "end", "checkworthiness", "state", "sources"}
    assert first["id"] == claim.pk and first["text"] == claim.text and first["state"] == "new"
    assert first["sources"] == [
        {
            "url": evidence.source.url,
            "title": evidence.source.title,
            "provider": "test",
            "passage": evidence.passage,
            "score": 0.9,
            "stance": "supports",
        }
    ]
    assert all(c["sources"] == [] for c in exported[1:])
    text = Article.objects.get(pk=article_id).text
    assert all(text[c["start"] : c["end"]] == c["text"] for c in exported)


@pytest.mark.parametrize("article_id", ["999999", "abc", "-1"])
def test_export_claims_of_an_unknown_article_is_an_error(article_id):
    with pytest.raises(CommandError, match="article"):
        run("export_claims", article_id)


def test_a_directory_is_not_an_article(tmp_path):
    with pytest.raises(CommandError, match="is a directory"):
        run("ingest", str(tmp_path))


def test_export_claims_lists_the_parts_of_a_split_claim_not_the_original(reviewer):
    from claims import services

    article_id = last_json(run("ingest", str(SEED), "--json"))["article"]
    claim = Claim.objects.filter(article_id=article_id).order_by("start").first()
    parts = services.claim_split(claim=claim, user=reviewer, at=[claim.start + 20])
    exported = {c["id"] for c in json.loads(run("export_claims", str(article_id)))}
    assert claim.pk not in exported
    assert {p.pk for p in parts} <= exported
