from django.contrib import admin
from django.urls import include, path

from workbench import views

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", views.healthz, name="healthz"),
    # --- API (owner: api helper): /api/v1/, /api/schema/, /api/docs/, public verdict pages
    path("", include("workbench.api_urls")),
]
