from django.urls import path

from sources import views

app_name = "sources"

urlpatterns = [
    path("evidence/<int:pk>/stance/", views.evidence_stance, name="evidence_stance"),
    path("claims/<int:claim_pk>/jobs/", views.claim_jobs, name="claim_jobs"),
    path("claims/<int:claim_pk>/add-url/", views.source_add_url, name="add_url"),
    path("claims/<int:claim_pk>/upload/", views.source_upload, name="upload"),
    path("jobs/<int:pk>/retry/", views.job_retry, name="job_retry"),
]
