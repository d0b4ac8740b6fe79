# Fixtures of the source-gathering jobs tests (defined in jobfixtures.py).
from tests.sources.jobfixtures import fake_providers, local_pages, sent  # noqa: F401
