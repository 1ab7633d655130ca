"""Repositories: the only place SQL lives. Every call that reads a practice's data takes its id."""

from storage.repositories.core import (
    SqlAuditLog,
    SqlMemberRepository,
    SqlPracticeRepository,
    SqlProcessedEvents,
)

__all__ = ["SqlAuditLog", "SqlMemberRepository", "SqlPracticeRepository", "SqlProcessedEvents"]
