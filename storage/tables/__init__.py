"""All tables, imported here so that `SQLModel.metadata` is complete for migrations and checks.

Each feature keeps its tables in its own module; add the import of a new module below.
"""

from storage.tables.core import AuditEventRow, MemberRow, PracticeRow, ProcessedEventRow

__all__ = ["AuditEventRow", "MemberRow", "PracticeRow", "ProcessedEventRow"]
