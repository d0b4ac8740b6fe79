import pytest

from sources.canonical import canonical_url


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("HTTPS://News.Test.INVALID/Path/Case", "https://news.test.invalid/Path/Case"),
        ("https://news.test.invalid:443/a", "https://news.test.invalid/a"),
        ("http://news.test.invalid:80/a", "http://news.test.invalid/a"),
        ("http://news.test.invalid:8080/a", "http://news.test.invalid:8080/a"),
        ("https://news.test.invalid:80/a", "https://news.test.invalid:80/a"),
        ("https://news.test.invalid/a#section-2", "https://news.test.invalid/a"),
        ("https://news.test.invalid", "https://news.test.invalid/"),
        (
            "https://news.test.invalid/a?utm_source=x&id=7&UTM_Medium=y&fbclid=z&gclid=w&b=2",
            "https://news.test.invalid/a?id=7&b=2",
        ),
        ("https://news.test.invalid/a?z=1&a=2", "https://news.test.invalid/a?z=1&a=2"),
        ("https://news.test.invalid/a?q=a%20b+c", "https://news.test.invalid/a?q=a%20b+c"),
        ("https://news.test.invalid/a?utm_source=x", "https://news.test.invalid/a"),
        ("https://news.test.invalid/a?utm_campaign=x#frag", "https://news.test.invalid/a"),
        ("https://news.test.invalid/%D8%B5?x=", "https://news.test.invalid/%D8%B5?x="),
        ("http://[2001:DB8::1]:80/a", "http://[2001:db8::1]/a"),
        ("  https://news.test.invalid/a  ", "https://news.test.invalid/a"),
        ("https://Bücher.test.invalid/a", "https://xn--bcher-kva.test.invalid/a"),
        ("https://xn--bcher-kva.test.invalid/a", "https://xn--bcher-kva.test.invalid/a"),
    ],
)
def test_canonical_url(url, expected):
    assert canonical_url(url) == expected


def test_canonicalising_twice_changes_nothing():
    once = canonical_url("HTTPS://A.test.invalid:443/X?utm_source=1&k=v#f")

    assert canonical_url(once) == once


@pytest.mark.parametrize("url", ["/relative/path", "news.test.invalid/a", "", "http://:80/"])
def test_a_url_without_scheme_or_host_is_refused(url):
    with pytest.raises(ValueError):
        canonical_url(url)
