"""All tables, imported here so that `SQLModel.metadata` is complete for migrations and checks.

Each feature keeps its tables in its own module; add the import of a new module below.
"""

from storage.tables.consult import ConsultationCounterRow, ConsultationRow, ConsultSettingsRow, StepAsideRow
from storage.tables.core import AuditEventRow, MemberRow, PracticeRow, ProcessedEventRow
from storage.tables.reviews import ReviewCycleRow as ReviewCycleRow
from storage.tables.reviews import ReviewDeliveryRow as ReviewDeliveryRow
from storage.tables.reviews import ReviewTaskRow as ReviewTaskRow
from storage.tables.slack import SlackInstallationRow, SlackOAuthStateRow
from storage.tables.teams import ConversationRefRow as ConversationRefRow

__all__ = [
    "AuditEventRow",
    "ConsultSettingsRow",
    "ConsultationCounterRow",
    "ConsultationRow",
    "MemberRow",
    "PracticeRow",
    "ProcessedEventRow",
    "SlackInstallationRow",
    "SlackOAuthStateRow",
    "StepAsideRow",
]
