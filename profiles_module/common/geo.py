"""Distances on the Earth, in SQL (SQLite and PostgreSQL), and the boxes that let an index
answer "within so many km" before the exact distance is computed."""

import math

from django.db.models import F, FloatField, Value
from django.db.models.functions import ACos, Cos, Least, Radians, Sin

EARTH_RADIUS_KM = 6371.0
KM_PER_DEGREE = 111.2


def distance_km(latitude, longitude, lat_field="latitude", lng_field="longitude"):
    """Great-circle distance from a point to the fields' point, in SQL (SQLite and PostgreSQL).

    The spherical law of cosines, clamped so rounding never takes ACOS out of its domain.
    """
    lat, lng = math.radians(latitude), math.radians(longitude)
    cosine = Value(math.sin(lat)) * Sin(Radians(F(lat_field))) + Value(math.cos(lat)) * Cos(
        Radians(F(lat_field))
    ) * Cos(Radians(F(lng_field)) - Value(lng))
    return Value(EARTH_RADIUS_KM) * ACos(Least(Value(1.0), cosine, output_field=FloatField()))


def bounding_box(latitude, longitude, km):
    """(south, west, north, east) of a box holding every point within km."""
    dlat = km / KM_PER_DEGREE
    dlng = km / (KM_PER_DEGREE * max(math.cos(math.radians(latitude)), 0.01))
    return latitude - dlat, longitude - dlng, latitude + dlat, longitude + dlng
