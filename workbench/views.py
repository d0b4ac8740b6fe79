from django.http import JsonResponse
from django.views.decorators.http import require_GET

from workbench import health


@require_GET
def healthz(request):
    """Each part's state; 200 only when the database and the broker both answer."""
    report = health.check_all()
    return JsonResponse(report, status=200 if report["ok"] else 503)
