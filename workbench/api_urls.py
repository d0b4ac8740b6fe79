"""The API's URLs, included by workbench/urls.py: /api/v1/, the schema, the docs."""

from csp.decorators import csp_update
from django.urls import include, path, re_path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)

from claims.public_views import verdict_public
from workbench.api_errors import api_not_found

# Swagger UI and Redoc (served from drf-spectacular-sidecar, never a CDN) set inline styles.
_docs_csp = csp_update({"style-src": ["'unsafe-inline'"], "img-src": ["'self'", "data:"]})

urlpatterns = [
    path("api/v1/", include("claims.api.urls", namespace="api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path(
        "api/docs/",
        _docs_csp(SpectacularSwaggerSplitView.as_view(url_name="api-schema")),
        name="api-docs",
    ),
    path(
        "api/redoc/",
        _docs_csp(SpectacularRedocView.as_view(url_name="api-schema")),
        name="api-redoc",
    ),
    re_path(r"^api/", api_not_found),
    # The public page of a published verdict (ClaimReview's url).
    path("verdicts/<uuid:uuid>/", verdict_public, name="verdict_public"),
]
