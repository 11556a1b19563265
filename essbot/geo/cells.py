"""A grid over the globe, so that "within 30 km of a point" is an indexed lookup.

Cells are CELL_DEGREES wide in latitude and longitude (about 22 km by 15 km in metropolitan
France); each has one integer code. A radius search asks for the few cells that cover the
circle's bounding box, then measures the exact distance of what they hold.
"""

from __future__ import annotations

import math

CELL_DEGREES = 0.2
_COLUMNS = round(360 / CELL_DEGREES) + 1
KM_PER_DEGREE = 111.2


def cell_of(lat: float, lon: float) -> int:
    """The code of the cell holding this point."""
    row = math.floor((lat + 90.0) / CELL_DEGREES)
    column = math.floor((lon + 180.0) / CELL_DEGREES)
    return row * _COLUMNS + column


def bounding_box(lat: float, lon: float, radius_km: float) -> tuple[float, float, float, float]:
    """(south, north, west, east) of a box that holds the circle."""
    dlat = radius_km / KM_PER_DEGREE
    dlon = radius_km / (KM_PER_DEGREE * max(math.cos(math.radians(lat)), 0.01))
    return lat - dlat, lat + dlat, lon - dlon, lon + dlon


def cell_ranges(lat: float, lon: float, radius_km: float) -> list[tuple[int, int]]:
    """The cells that meet the circle's bounding box, as one range of codes per row of the
    grid (a row's cells have consecutive codes): few bounds for the database to seek."""
    south, north, west, east = bounding_box(lat, lon, radius_km)
    first = cell_of(max(south, -90.0), max(west, -180.0))
    last = cell_of(min(north, 89.999), min(east, 179.999))
    first_row, first_column = divmod(first, _COLUMNS)
    last_row, last_column = divmod(last, _COLUMNS)
    return [
        (row * _COLUMNS + first_column, row * _COLUMNS + last_column)
        for row in range(first_row, last_row + 1)
    ]


def cells_around(lat: float, lon: float, radius_km: float) -> list[int]:
    """The codes of every cell that meets the circle's bounding box."""
    return [cell for low, high in cell_ranges(lat, lon, radius_km) for cell in range(low, high + 1)]
