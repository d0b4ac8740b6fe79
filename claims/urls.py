from django.urls import path

from claims import views

app_name = "claims"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("articles/new/", views.article_new, name="article_new"),
    path("articles/<int:pk>/", views.article_detail, name="article"),
    path("articles/<int:pk>/status/", views.article_status, name="article_status"),
    path("claims/", views.claim_queue, name="queue"),
    path("claims/take-next/", views.claim_take_next, name="take_next"),
    path("claims/<int:pk>/", views.claim_detail, name="claim"),
    path("claims/<int:pk>/wording/", views.claim_wording, name="claim_wording"),
    path("claims/<int:pk>/assign/", views.claim_assign, name="claim_assign"),
    path("claims/<int:pk>/checkworthy/", views.claim_checkworthy, name="claim_checkworthy"),
    path("claims/<int:pk>/split/", views.claim_split, name="claim_split"),
    path("claims/<int:pk>/merge/", views.claim_merge, name="claim_merge"),
    path("claims/<int:pk>/history/", views.claim_history, name="claim_history"),
    path("claims/<int:pk>/gather/", views.claim_gather, name="claim_gather"),
    path("claims/<int:pk>/verdict/", views.verdict_edit, name="verdict_edit"),
    path("claims/<int:pk>/verdict/delete/", views.verdict_delete, name="verdict_delete"),
    path("verdicts/", views.approvals, name="approvals"),
    path("verdicts/<int:pk>/<str:action>/", views.verdict_action, name="verdict_action"),
]
