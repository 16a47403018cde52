"""SQLAlchemy 2.0 typed models, one module per area."""

from yks_web.models.consent import DeclarationNotice, FamilyConsentCode
from yks_web.models.declaration import DailyReport, Declaration, ReportDraft, ReportEntry
from yks_web.models.grid import DistrictAdmin, Grid, GridHandover, GridStaff, GridVisit
from yks_web.models.group import Group, GroupConsent, GroupInvite, GroupMember
from yks_web.models.health import (
    EntryRegistration,
    FamilyMember,
    HealthCode,
    NucleicAcidTest,
    ObservationNotice,
    PersonalDeclaration,
    TemperatureCheck,
    Vaccination,
)
from yks_web.models.institution import Institution, InstitutionDeclaration, InstitutionMember
from yks_web.models.medical import (
    MedicalAlert,
    MedicalImportReport,
    MedicalObservation,
    MedicalStaff,
    MedicalStaffEvent,
)
from yks_web.models.messages import Message
from yks_web.models.people import AuditLog, Feedback, Person, SmsChallenge, SmsSend
from yks_web.models.place import Place, PlaceHandover, PlacePoster, PlaceStaff
from yks_web.models.realname import RealNameRecord
from yks_web.models.reminders import ReminderLog, ReminderSetting
from yks_web.models.school import (
    Collector,
    Invite,
    Membership,
    Organisation,
    ProxyBinding,
    School,
    SchoolAdmin,
)
from yks_web.models.security import RateEvent
from yks_web.models.sessions import LoginSession
from yks_web.models.teacher_imports import TeacherImportReport
from yks_web.models.teachers import ForeignTeacher, TeacherAssignment, TeacherDeclaration

__all__ = [
    "AuditLog",
    "Collector",
    "DailyReport",
    "Declaration",
    "DeclarationNotice",
    "DistrictAdmin",
    "EntryRegistration",
    "FamilyConsentCode",
    "FamilyMember",
    "Feedback",
    "ForeignTeacher",
    "HealthCode",
    "Institution",
    "InstitutionDeclaration",
    "InstitutionMember",
    "Grid",
    "GridHandover",
    "GridStaff",
    "GridVisit",
    "Group",
    "GroupConsent",
    "GroupInvite",
    "GroupMember",
    "Invite",
    "LoginSession",
    "MedicalAlert",
    "MedicalImportReport",
    "MedicalObservation",
    "MedicalStaff",
    "MedicalStaffEvent",
    "Message",
    "Membership",
    "NucleicAcidTest",
    "ObservationNotice",
    "Organisation",
    "Person",
    "PersonalDeclaration",
    "Place",
    "PlaceHandover",
    "PlacePoster",
    "PlaceStaff",
    "ProxyBinding",
    "RateEvent",
    "RealNameRecord",
    "ReminderLog",
    "ReminderSetting",
    "ReportDraft",
    "ReportEntry",
    "School",
    "SchoolAdmin",
    "SmsChallenge",
    "SmsSend",
    "TeacherAssignment",
    "TeacherDeclaration",
    "TeacherImportReport",
    "TemperatureCheck",
    "Vaccination",
]
