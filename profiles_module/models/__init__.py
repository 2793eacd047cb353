from .geography import Commune, Departement, Region, normalize_place_name
from .options import ProfileOption
from .profiles import Profile, Sector

__all__ = [
    "Commune",
    "Departement",
    "Profile",
    "ProfileOption",
    "Region",
    "Sector",
    "normalize_place_name",
]
