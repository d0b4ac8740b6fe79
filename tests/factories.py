"""factory_boy factories. Everything they make is test data, and says so."""

import hashlib

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from accounts.roles import GROUP_NAMES
from claims.models import Article, Claim, Verdict
from sources.models import Evidence, FactCheck, FetchJob, Source


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"test-user-{n}")
    password = factory.django.Password("test-password-123")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(Group.objects.get(name=GROUP_NAMES[extracted]))


TEST_ARTICLE_TEXT = (
    "TEST DATA. The test ministry said it bought 400 test widgets in 2022. "
    "Officials think this is wonderful."
)


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article

    title = factory.Sequence(lambda n: f"Test article {n}")
    text = factory.Sequence(lambda n: f"{TEST_ARTICLE_TEXT} (test copy {n})")
    language = "en"
    status = Article.Status.READY
    content_hash = factory.LazyAttribute(lambda o: hashlib.sha256(o.text.encode()).hexdigest())


class ClaimFactory(factory.django.DjangoModelFactory):
    """A claim spanning the second sentence of the test article text by default."""

    class Meta:
        model = Claim

    article = factory.SubFactory(ArticleFactory)
    start = 11
    end = factory.LazyAttribute(lambda o: o.article.text.index(".", o.start) + 1)
    text = factory.LazyAttribute(lambda o: o.article.text[o.start : o.end])
    language = "en"
    checkworthiness = 0.8


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    url = factory.Sequence(lambda n: f"https://test-source.invalid/page-{n}")
    title = factory.Sequence(lambda n: f"Test source {n}")
    domain = "test-source.invalid"
    text = "TEST DATA. The test ministry bought 400 test widgets in 2022, records show."
    fetch_status = Source.FetchStatus.FETCHED


class EvidenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Evidence

    claim = factory.SubFactory(ClaimFactory)
    source = factory.SubFactory(SourceFactory)
    passage_start = 0
    passage_end = factory.LazyAttribute(lambda o: len(o.source.text))
    passage = factory.LazyAttribute(lambda o: o.source.text)
    score = 0.5
    provider = "test"


class VerdictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Verdict

    claim = factory.SubFactory(ClaimFactory)
    author = factory.SubFactory(UserFactory, role="reviewer")
    label = Verdict.Label.NOT_ENOUGH_EVIDENCE
    summary = "Test summary."


class FactCheckFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FactCheck

    claim_text = factory.Sequence(lambda n: f"Test claim that was checked elsewhere {n}")
    rating = "False"
    publisher_name = "Test Fact-Checker"
    url = factory.Sequence(lambda n: f"https://test-factchecker.invalid/check-{n}")
    language = "en"


class FetchJobFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FetchJob

    key = factory.Sequence(lambda n: f"test:job:{n}")
    kind = FetchJob.Kind.SEARCH
    provider = "test"
