"""All models, importable from one place: `from kiosk.models import Participant`."""

from kiosk.models.accounts import Device, DeviceKind, LoginAttempt, Role, User, UserSession
from kiosk.models.attendance import (
    Activity,
    CallChannel,
    CallOutcome,
    CheckIn,
    CheckInSource,
    FollowUpCall,
    RefusalReason,
    RefusedScan,
    Registration,
    WorkshopDay,
)
from kiosk.models.audit import AuditEvent, Setting
from kiosk.models.centre import CentreLogo
from kiosk.models.epicerie import Basket, BasketLine, Category, EpicerieAccess, EpicerieRules
from kiosk.models.messages import (
    Channel, ContactPreference, LadderStep, MessageStatus, OutboxMessage, PostalAddress, Step,
)
from kiosk.models.outcomes import (
    AREAS,
    Employment,
    Milestone,
    MilestoneKind,
    Moment,
    Resources,
    SelfAssessment,
    Sex,
    Situation,
)
from kiosk.models.people import (
    Card,
    ExitReason,
    Participant,
    ProgrammePeriod,
    Referrer,
    active_participants_filter,
)

__all__ = [
    "Channel",
    "ContactPreference",
    "PostalAddress",
    "LadderStep",
    "MessageStatus",
    "OutboxMessage",
    "Step",
    "CentreLogo",
    "Situation",
    "Sex",
    "SelfAssessment",
    "Resources",
    "Moment",
    "MilestoneKind",
    "Milestone",
    "Employment",
    "AREAS",
    "Activity",
    "AuditEvent",
    "Basket",
    "BasketLine",
    "CallChannel",
    "CallOutcome",
    "Card",
    "Category",
    "CheckIn",
    "CheckInSource",
    "Device",
    "DeviceKind",
    "EpicerieAccess",
    "EpicerieRules",
    "ExitReason",
    "FollowUpCall",
    "LoginAttempt",
    "Participant",
    "ProgrammePeriod",
    "RefusalReason",
    "RefusedScan",
    "Referrer",
    "Registration",
    "Role",
    "Setting",
    "User",
    "UserSession",
    "WorkshopDay",
    "active_participants_filter",
]
