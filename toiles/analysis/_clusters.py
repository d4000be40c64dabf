"""Clusters of points within a search radius of each other (connected components), on a grid.

The graph joins two points when their great-circle distance is at most the radius; its
connected components are found without listing its edges, which can be tens of millions
on a dense territory: points are bucketed in square cells of side ``radius / sqrt(2)``
(every two points of a cell are within the radius, so a cell is connected), and two cells
at most two cells apart are joined when some pair of their points is within the radius,
a test skipped once the cells are already in one component (union-find).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from numpy.typing import NDArray

_EARTH_KM = 6371.0088
#: Margin on the cell side: the local projection may stretch a distance by a hair.
_CELL_MARGIN = 0.99
#: Cells further apart than this (in cells) cannot hold two points within the radius (more
#: on a territory whose latitudes spread far: see ``stretch``).
_REACH = 2


def _unit_vectors(lat: NDArray[np.float64], lon: NDArray[np.float64]) -> NDArray[np.float64]:
    la, lo = np.radians(lat), np.radians(lon)
    return np.column_stack((np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)))


def _find(parent: list[int], i: int) -> int:
    root = i
    while parent[root] != root:
        root = parent[root]
    while parent[i] != root:
        parent[i], i = root, parent[i]
    return root


def radius_clusters(
    lat: NDArray[np.float64], lon: NDArray[np.float64], radius_km: float
) -> NDArray[np.int64]:
    """Label each point with its cluster: points within ``radius_km`` of each other, chained.

    Points without coordinates (NaN) get ``-1``; the others the index of the first point of
    their cluster, so labels are stable.

    Parameters
    ----------
    lat, lon
        Coordinates in degrees (WGS 84).
    radius_km
        Largest great-circle distance between two neighbours, km.

    Returns
    -------
    numpy.ndarray
        One label per point.

    Notes
    -----
    Cells are laid on an equirectangular projection scaled at the latitude nearest the
    equator, which never shortens a distance (the territory of a toile spans a few tens of
    kilometres; a wider one only makes the neighbourhood of a cell wider); the pair test
    itself is exact on the sphere (dot product of unit vectors against ``cos(r / R)``). The
    time follows the number of cells and the points of the cell pairs actually tested, not
    the number of pairs within the radius.

    Examples
    --------
    Three points on a meridian, 0.33 km and then 5.6 km apart (0.003 and 0.05 degree):

    >>> lat = np.asarray([50.0, 50.003, 50.053, np.nan])
    >>> lon = np.asarray([2.0, 2.0, 2.0, np.nan])
    >>> radius_clusters(lat, lon, 2.0).tolist()
    [0, 0, 2, -1]
    >>> radius_clusters(lat, lon, 6.0).tolist()
    [0, 0, 0, -1]
    """
    n = len(lat)
    labels = np.full(n, -1, dtype=np.int64)
    ok = np.flatnonzero(~(np.isnan(lat) | np.isnan(lon)))
    if not len(ok) or radius_km <= 0 or not math.isfinite(radius_km):
        labels[ok] = ok
        return labels
    # East-west distances scaled at the latitude nearest the equator: the projection never
    # shortens a distance, so two points of a cell are within the radius; it lengthens one
    # by at most ``stretch``, so neighbours are at most ``reach`` cells apart.
    near = float(np.min(np.abs(lat[ok])))
    crosses = float(np.min(lat[ok])) < 0 < float(np.max(lat[ok]))
    widest = 0.0 if crosses else math.radians(near)
    narrowest = math.radians(min(float(np.max(np.abs(lat[ok]))), 89.0))
    stretch = math.cos(widest) / math.cos(narrowest)
    y = np.radians(lat[ok]) * _EARTH_KM
    x = np.radians(lon[ok]) * _EARTH_KM * math.cos(widest)
    side = radius_km / math.sqrt(2.0) * _CELL_MARGIN
    reach = max(_REACH, math.ceil(stretch * radius_km / side))
    cx = np.floor(x / side).astype(np.int64)
    cy = np.floor(y / side).astype(np.int64)
    cell_keys, cell_of = np.unique(np.column_stack((cx, cy)), axis=0, return_inverse=True)
    cell_of = cell_of.reshape(-1)
    order = np.argsort(cell_of, kind="stable")
    starts = np.searchsorted(cell_of[order], np.arange(len(cell_keys) + 1))
    members = [order[starts[c] : starts[c + 1]] for c in range(len(cell_keys))]
    index = {(int(a), int(b)): c for c, (a, b) in enumerate(cell_keys.tolist())}
    xyz = _unit_vectors(lat[ok], lon[ok])
    limit = math.cos(radius_km / _EARTH_KM)
    parent = list(range(len(cell_keys)))
    offsets = [
        (dx, dy)
        for dx in range(-reach, reach + 1)
        for dy in range(-reach, reach + 1)
        if (dx, dy) > (0, 0)
    ]
    for c, (a, b) in enumerate(cell_keys.tolist()):
        for dx, dy in offsets:
            other = index.get((a + dx, b + dy))
            if other is None:
                continue
            ra, rb = _find(parent, c), _find(parent, other)
            if ra == rb:
                continue
            if float((xyz[members[c]] @ xyz[members[other]].T).max()) >= limit:
                parent[max(ra, rb)] = min(ra, rb)
    roots = np.asarray([_find(parent, c) for c in range(len(cell_keys))], dtype=np.int64)
    point_root = roots[cell_of]
    first = np.full(len(cell_keys), n, dtype=np.int64)
    np.minimum.at(first, point_root, ok)
    labels[ok] = first[point_root]
    return labels
