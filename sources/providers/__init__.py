"""The provider registry: names to classes, and the providers enabled by the settings.

Provider modules are imported lazily by dotted path, so a provider whose module is missing
or not configured (e.g. factcheck without an API key) is skipped with a log line instead of
breaking the others. ``settings.SOURCES_PROVIDERS`` lists the enabled names; an entry may
also be ``name=dotted.path.Class`` (used by tests and benchmarks to plug in fakes), and
``settings.SOURCES_PROVIDER_CLASSES`` (optional dict) adds or overrides classes by name.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from sources.providers.base import Provider

logger = logging.getLogger(__name__)

PROVIDER_CLASSES: dict[str, str] = {
    "wikipedia": "sources.providers.wikipedia.WikipediaProvider",
    "gdelt": "sources.providers.gdelt.GdeltProvider",
    "factcheck": "sources.providers.factcheck.FactCheckProvider",
    "library": "sources.providers.library.LibraryProvider",
}


class ProviderNotConfigured(Exception):
    """Raised by ``from_settings()`` when a provider lacks what it needs (e.g. an API key)."""


class UnknownProvider(LookupError):
    pass


def _entries() -> list[tuple[str, str]]:
    """(name, dotted path) of every enabled provider, in the configured order."""
    classes = dict(PROVIDER_CLASSES)
    classes.update(getattr(settings, "SOURCES_PROVIDER_CLASSES", None) or {})
    entries = []
    for entry in settings.SOURCES_PROVIDERS:
        name, _, path = entry.partition("=")
        name = name.strip()
        if not name:
            continue
        entries.append((name, path.strip() or classes.get(name, "")))
    return entries


def provider_names() -> list[str]:
    """Names of the providers listed in the settings (configured or not)."""
    return [name for name, _path in _entries()]


def _path_for(name: str) -> str:
    for entry_name, path in _entries():
        if entry_name == name:
            return path
    classes = dict(PROVIDER_CLASSES)
    classes.update(getattr(settings, "SOURCES_PROVIDER_CLASSES", None) or {})
    return classes.get(name, "")


def get_provider(name: str) -> Provider:
    """An instance of the provider ``name``. Raises UnknownProvider or ProviderNotConfigured."""
    path = _path_for(name)
    if not path:
        raise UnknownProvider(f"No provider is called {name!r}.")
    try:
        cls = import_string(path)
    except ImportError as exc:
        raise UnknownProvider(f"Provider {name!r} cannot be loaded ({path}): {exc}") from None
    try:
        instance = cls.from_settings() if hasattr(cls, "from_settings") else cls()
    except (ProviderNotConfigured, ImproperlyConfigured) as exc:
        raise ProviderNotConfigured(f"Provider {name!r} is not configured: {exc}") from None
    if instance is None:
        raise ProviderNotConfigured(f"Provider {name!r} is not configured.")
    if getattr(instance, "name", None) != name:
        # An alias ("alpha=tests.fakes.HttpProvider"): the instance answers to its alias.
        try:
            instance.name = name
        except AttributeError:
            pass
    return instance


def enabled_providers() -> list[Provider]:
    """The configured providers, in order; those not configured or not loadable are skipped."""
    providers = []
    for name in provider_names():
        try:
            providers.append(get_provider(name))
        except ProviderNotConfigured as exc:
            logger.info("Skipping source provider %s: %s", name, exc)
        except UnknownProvider as exc:
            logger.warning("Skipping source provider %s: %s", name, exc)
    return providers
