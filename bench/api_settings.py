"""Bench-only settings: the product's, plus a URLconf with a bare constant-JSON view."""

from workbench.settings import *  # noqa: F403

ROOT_URLCONF = "bench.api_urls"
