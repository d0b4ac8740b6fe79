from django.urls import path
from rest_framework.routers import SimpleRouter

from claims.api import views
from sources.api.views import EvidenceViewSet, FactCheckViewSet

app_name = "api"

router = SimpleRouter()
router.register("articles", views.ArticleViewSet, basename="article")
router.register("claims", views.ClaimViewSet, basename="claim")
router.register("verdicts", views.VerdictViewSet, basename="verdict")
router.register("evidence", EvidenceViewSet, basename="evidence")
router.register("factchecks", FactCheckViewSet, basename="factcheck")

urlpatterns = [
    path("claimreviews/", views.ClaimReviewFeedView.as_view(), name="claimreview-feed"),
    *router.urls,
]
