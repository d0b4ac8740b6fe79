from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from workbench import views

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", views.healthz, name="healthz"),
    # --- API (owner: api helper): /api/v1/, /api/schema/, /api/docs/, public verdict pages
    path("", include("workbench.api_urls")),
]

# --- reviewer UI (owner: ui) ---------------------------------------------------------------
urlpatterns += [
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("sources/", include("sources.urls")),
    path("", include("claims.urls")),
]
