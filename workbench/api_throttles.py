"""Per-client API throttles: anonymous clients by IP, authenticated ones by user.

Rates come from ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]`` (env ``API_THROTTLE_ANON``,
``API_THROTTLE_USER``) and are read at request time, so tests can override them."""

import logging

from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

logger = logging.getLogger(__name__)


class _LiveRate:
    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def allow_request(self, request, view):
        # The counters live in the cache (Redis). When it is unreachable the API keeps
        # answering, unthrottled, rather than failing every request with a 500.
        try:
            return super().allow_request(request, view)
        except Exception as exc:  # noqa: BLE001 - redis/cache backends raise many types
            logger.warning("API throttling skipped: the cache is unavailable (%s).", exc)
            return True


class ApiAnonThrottle(_LiveRate, AnonRateThrottle):
    scope = "anon"


class ApiUserThrottle(_LiveRate, UserRateThrottle):
    """Authenticated clients only (anonymous ones are the anon throttle's)."""

    scope = "user"

    def get_cache_key(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return None
        return super().get_cache_key(request, view)
