"""The app's models, one module per domain, imported here for Django and for
`from profiles_module.models import Profile`."""

from .alerts import SearchAlert
from .audit_log import TerritoryLogEntry
from .contact import AbuseReport, BlockedSender, ContactMessage
from .geography import Commune, Departement, Region, normalize_place_name
from .matching import SuggestionEmails
from .moderation import TerritoryApprovalTask
from .options import ProfileOption
from .pages import MapPage, ProjectsPage, PublishPage, SearchFilter, StatisticsPage
from .partners import Partner
from .profiles import Profile, Sector
from .projects import Project, ProjectImport
from .publication import (
    AccessToken,
    LifecycleSettings,
    OutgoingEmail,
    ProfileEvent,
)

__all__ = [
    "AbuseReport",
    "AccessToken",
    "BlockedSender",
    "ContactMessage",
    "LifecycleSettings",
    "OutgoingEmail",
    "ProfileEvent",
    "PublishPage",
    "Commune",
    "Departement",
    "MapPage",
    "Partner",
    "Profile",
    "ProfileOption",
    "Project",
    "ProjectImport",
    "ProjectsPage",
    "Region",
    "SearchAlert",
    "SearchFilter",
    "Sector",
    "StatisticsPage",
    "SuggestionEmails",
    "TerritoryApprovalTask",
    "TerritoryLogEntry",
    "normalize_place_name",
]
