"""Small template helpers of the reviewer UI. Untrusted text is always escaped: the one
helper that returns markup (``marked``) escapes every piece itself first."""

from html import escape

from django import template
from django.utils.safestring import SafeString, mark_safe

from accounts import roles

register = template.Library()


@register.filter
def can_review(user) -> bool:
    return roles.can_review(user)


@register.filter
def can_edit(user) -> bool:
    return roles.can_edit(user)


@register.filter
def role_name(user) -> str:
    best = roles.highest_role(user)
    return roles.Role(best).label if best else ""


@register.filter
def percent(part, whole) -> int:
    try:
        return round(100 * int(part) / int(whole)) if int(whole) else 0
    except (TypeError, ValueError):
        return 0


@register.filter
def score_class(score) -> str:
    try:
        score = float(score)
    except (TypeError, ValueError):
        return "low"
    return "high" if score >= 0.66 else "mid" if score >= 0.33 else "low"


@register.filter
def contains(collection, item) -> bool:
    try:
        return item in collection
    except TypeError:
        return False


RTL_LANGUAGES = frozenset({"ar", "fa", "he", "ur", "ps", "ckb", "yi", "dv"})


@register.filter
def text_dir(language) -> str:
    """The direction of text in ``language``: rtl, ltr for known ones, else auto."""
    code = (language or "").split("-")[0].lower()
    if not code:
        return "auto"
    return "rtl" if code in RTL_LANGUAGES else "ltr"


@register.filter
def minutes(delta) -> int:
    try:
        return max(1, round(delta.total_seconds() / 60))
    except AttributeError:
        return 0


@register.filter
def marked(pieces) -> SafeString:
    """(text, is_match) pieces as HTML, matches wrapped in <mark>.

    Every piece is escaped here (html.escape, quotes included) before the joined result is
    marked safe; it is hot (a passage per source), hence not format_html per piece."""
    return mark_safe(  # noqa: S308 - built only from escaped pieces
        "".join(f"<mark>{escape(p)}</mark>" if hit else escape(p) for p, hit in pieces)
    )


@register.filter
def http_url(url) -> str:
    """``url`` when it is http(s), else '': stored URLs come from outside (providers, pages),
    and a javascript: or data: link must never become clickable."""
    url = (url or "").strip()
    scheme = url.split(":", 1)[0].lower() if ":" in url else ""
    return url if scheme in ("http", "https") else ""
