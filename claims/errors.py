"""Domain errors raised by services. Views and commands turn them into messages."""


class DomainError(Exception):
    """Base class: ``code`` is machine-readable, the message is for people."""

    code = "error"

    def __init__(self, message: str, *, code: str | None = None):
        super().__init__(message)
        if code:
            self.code = code

    @property
    def message(self) -> str:
        return str(self.args[0]) if self.args else ""


class NotAllowed(DomainError):
    code = "not_allowed"


class InvalidInput(DomainError):
    code = "invalid"


class InvalidState(DomainError):
    code = "invalid_state"


class StaleVersion(DomainError):
    """Someone else saved first. ``current`` is the object as it now is in the database."""

    code = "stale_version"

    def __init__(self, message: str, *, current=None):
        super().__init__(message)
        self.current = current


class IngestError(DomainError):
    code = "ingest_failed"
