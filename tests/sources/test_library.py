"""The library provider: stored sources and earlier fact-checks, searched in the database."""

import pytest

from sources import services
from sources.models import Evidence, FactCheckMatch, FetchJob, Source
from sources.providers import enabled_providers, get_provider
from sources.providers.base import Query
from sources.providers.library import LibraryProvider
from tests.factories import ArticleFactory, ClaimFactory, FactCheckFactory

pytestmark = pytest.mark.django_db

AR_TEXT = (
    "بيانات اختبار. زار السفير مصنع الطائرات المقاتلة من طراز F-35 التابع لشركة Mitsubishi Heavy. "
    "وتعهدت اليابان بالحصول على القدرة، واشترت ٤٠٠ صاروخ كروز طويل المدى من طراز توماهوك."
)


def stored_source(text, url, title="TEST stored source"):
    source = Source.objects.create(url=url, title=title, text=text, text_hash="x" * 64)
    services.library_index_source(source=source)
    return source


def test_stored_sources_are_found_with_arabic_spelling_variants():
    stored_source(AR_TEXT, "https://test-lib.invalid/ar")
    stored_source("TEST DATA. The weather was sunny all week.", "https://test-lib.invalid/w")
    # Hamza, ta marbuta and diacritics differ; the digits are Western in the claim.
    claim = "اشترت اليابانُ 400 صاروخ كروز طويل المدى من طراز توماهوك"
    hits = LibraryProvider().search(Query(text=claim, claim_text=claim, language="ar"))
    assert [hit.url for hit in hits] == ["https://test-lib.invalid/ar"]
    assert hits[0].text == AR_TEXT
    assert hits[0].provider == "library"
    assert 0 < hits[0].score <= 1


def test_earlier_factchecks_imported_without_the_services_are_found_too():
    FactCheckFactory(
        claim_text="TEST: Japan bought 400 Tomahawk cruise missiles",
        url="https://test-factchecker.invalid/tomahawk",
    )
    FactCheckFactory(claim_text="TEST: a claim about the weather")
    hits = LibraryProvider().search(
        Query(text="Japan 400 Tomahawk", claim_text="Japan bought 400 Tomahawk missiles")
    )
    assert len(hits) == 1
    assert hits[0].is_factcheck
    assert hits[0].url == "https://test-factchecker.invalid/tomahawk"


def test_nothing_matching_gives_no_hits():
    stored_source(AR_TEXT, "https://test-lib.invalid/ar")
    assert LibraryProvider().search(Query(text="zebra", claim_text="zebra crossing")) == []


def test_a_library_search_job_links_stored_sources_and_factchecks_to_a_claim(settings):
    settings.SOURCES_PROVIDERS = ["library"]
    stored_source(
        "TEST DATA. The test ministry bought 400 test widgets in 2022, the audit found.",
        "https://test-lib.invalid/audit",
    )
    FactCheckFactory(claim_text="TEST: the test ministry bought 400 test widgets")
    claim = ClaimFactory(article=ArticleFactory())
    [job] = services.sources_gather(claims=[claim])
    assert services.fetch_job_run(job_id=job.pk) == FetchJob.Status.SUCCEEDED
    evidence = Evidence.objects.get(claim=claim)
    assert evidence.provider == "library"
    assert "400 test widgets" in evidence.passage
    assert FactCheckMatch.objects.filter(claim=claim, provider="library").count() == 1
    assert FetchJob.objects.filter(kind="fetch_page").count() == 0


def test_the_registry_builds_the_library_provider_by_name(settings):
    settings.SOURCES_PROVIDERS = ["library"]
    assert isinstance(get_provider("library"), LibraryProvider)
    assert [p.name for p in enabled_providers()] == ["library"]


def test_a_provider_whose_module_is_missing_is_skipped_with_a_log_line(settings, caplog):
    settings.SOURCES_PROVIDERS = ["library", "ghost=sources.providers.ghost.GhostProvider"]
    assert [p.name for p in enabled_providers()] == ["library"]
    assert "ghost" in caplog.text
