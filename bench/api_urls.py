"""Bench-only URLs: the product's, plus /bench/bare/ (a constant JSON, the yardstick)."""

from django.http import JsonResponse
from django.urls import path

from workbench.urls import urlpatterns as product_urlpatterns

CONSTANT = {"next": None, "resume": "", "results": []}


def bare(request):
    return JsonResponse(CONSTANT)


urlpatterns = [path("bench/bare/", bare), *product_urlpatterns]
