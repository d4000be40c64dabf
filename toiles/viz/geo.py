"""The map of a toile as GeoJSON: actors as points, flows as lines, every attribute kept.

The file is one RFC 7946 FeatureCollection in WGS 84 longitude/latitude, which QGIS and
Lizmap open directly (QGIS shows it as two layers, points and lines). Each feature's
properties hold the actor's or flow's fields with flat values (tags joined by ``|``), the
French (or English) labels of its vocabulary values, and the ``color`` and ``width`` of
the toile's styling so a map can reuse them (data-defined symbology in QGIS). Actors
without coordinates (often the ``exterieur`` ones) cannot be placed: they and their flows
are left out, and the collection says how many in its ``toiles`` member.

References
----------
.. [1] Butler, H. et al. (2016). The GeoJSON Format. RFC 7946, IETF.
   https://doi.org/10.17487/RFC7946
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import TYPE_CHECKING

from toiles.viz.style import Lang, actor_color, flow_color, flow_widths, vocab_label

if TYPE_CHECKING:
    import networkx as nx

JSONValue = str | int | float | bool | None | list["JSONValue"] | dict[str, "JSONValue"]

#: Decimal places of coordinates (about 10 cm), as RFC 7946 recommends keeping it sensible.
PRECISION = 6


#: Node attributes left out of a feature's properties (coordinates, long id lists, maps).
_NOT_PROPERTIES = frozenset({"lat", "lon", "members", "internal_flow_ids", "internal_quantities"})


def _flat(value: object) -> str | int | float | bool | None:
    if isinstance(value, list | tuple):
        return "|".join(str(v) for v in value)
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def _point(data: dict[str, object]) -> list[JSONValue] | None:
    lat, lon = data.get("lat"), data.get("lon")
    if lat is None or lon is None:
        return None
    return [round(float(lon), PRECISION), round(float(lat), PRECISION)]  # type: ignore[arg-type]


def toile_geojson(G: nx.MultiDiGraph[str], *, lang: Lang = "fr") -> dict[str, JSONValue]:
    """Return a toile as a GeoJSON FeatureCollection (a dict ready for :func:`json.dumps`).

    Parameters
    ----------
    G
        Toile graph (already redacted when it is for the public).
    lang
        Language of the ``*_label`` properties.

    Returns
    -------
    dict
        ``{"type": "FeatureCollection", "name": ..., "features": [...], "toiles": {...}}``:
        points first (``feature_type`` = ``acteur``), then lines (``flux``).

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph(id="t", name="T")
    >>> G.add_node("a", name="A", kind="entreprise", lat=50.5, lon=2.6, tags=["x", "y"])
    >>> G.add_node("b", name="B", kind="commune", lat=50.4, lon=2.8)
    >>> G.add_node("c", name="C", kind="exterieur")
    >>> _ = G.add_edge("a", "b", key="f1", kind="chaleur", status="existant")
    >>> _ = G.add_edge("c", "a", key="f2", kind="electricite", status="existant")
    >>> doc = toile_geojson(G)
    >>> [f["geometry"]["type"] for f in doc["features"]], doc["toiles"]["actors_without_point"]
    (['Point', 'Point', 'LineString'], 1)
    >>> doc["features"][0]["geometry"]["coordinates"], doc["features"][0]["properties"]["tags"]
    ([2.6, 50.5], 'x|y')
    """
    features: list[JSONValue] = []
    points: dict[str, list[JSONValue]] = {}
    for node, data in G.nodes(data=True):
        point = _point(data)
        if point is None:
            continue
        points[node] = point
        kind = str(data.get("kind"))
        properties: dict[str, JSONValue] = {"feature_type": "acteur", "id": str(node)}
        properties |= {k: _flat(v) for k, v in data.items() if k not in _NOT_PROPERTIES}
        # A group's own flows, one number column per unit family (QGIS reads no nested maps).
        for family, value in (data.get("internal_quantities") or {}).items():
            properties[f"internal_{family}"] = _flat(value)
        properties["kind_label"] = vocab_label("actor_kind", kind, lang)
        properties["color"] = actor_color(kind)
        features.append(
            {
                "type": "Feature",
                "id": f"acteur:{node}",
                "geometry": {"type": "Point", "coordinates": point},
                "properties": properties,
            }
        )
    widths = flow_widths(G)
    skipped_flows = 0
    for u, v, k, data in G.edges(keys=True, data=True):
        if u not in points or v not in points:
            skipped_flows += 1
            continue
        kind = str(data.get("kind"))
        properties = {
            "feature_type": "flux",
            "id": str(k),
            "source": str(u),
            "target": str(v),
            "source_name": str(G.nodes[u].get("name") or u),
            "target_name": str(G.nodes[v].get("name") or v),
        }
        properties |= {key: _flat(value) for key, value in data.items() if key != "flows"}
        properties["kind_label"] = vocab_label("flow_kind", kind, lang)
        properties["status_label"] = vocab_label(
            "status", str(data.get("status") or "existant"), lang
        )
        properties["color"] = flow_color(kind)
        properties["width"] = widths[u, v, k]
        features.append(
            {
                "type": "Feature",
                "id": f"flux:{k}",
                "geometry": {"type": "LineString", "coordinates": [points[u], points[v]]},
                "properties": properties,
            }
        )
    return {
        "type": "FeatureCollection",
        "name": str(G.graph.get("name") or G.graph.get("id") or "toile"),
        "features": features,
        "toiles": {
            "toile": str(G.graph.get("id") or ""),
            "version": str(G.graph.get("version") or ""),
            "illustrative": bool(G.graph.get("illustrative")),
            "actors_without_point": G.number_of_nodes() - len(points),
            "flows_without_line": skipped_flows,
        },
    }


def write_geojson(G: nx.MultiDiGraph[str], out: Path | str, *, lang: Lang = "fr") -> Path:
    """Write a toile's map as a GeoJSON file (UTF-8, no BOM, as RFC 7946 asks)."""
    path = Path(out)
    path.write_text(
        json.dumps(toile_geojson(G, lang=lang), ensure_ascii=False, allow_nan=False),
        encoding="utf-8",
    )
    return path


def check_geojson(doc: object) -> list[str]:
    """Check a document against the parts of RFC 7946 our files use; return the problems.

    Checks the FeatureCollection / Feature structure, geometry types (Point, LineString,
    MultiPoint, MultiLineString, Polygon) with coordinates in range and in
    ``[longitude, latitude]`` order (a latitude outside -90..90 is reported), ids as
    strings or numbers, properties as objects or ``null``.

    Examples
    --------
    >>> check_geojson({"type": "FeatureCollection", "features": []})
    []
    >>> point = {"type": "Point", "coordinates": [50.5, 200.0]}
    >>> check_geojson({"type": "Feature", "geometry": point})
    ['Feature : propriété « properties » absente', 'Point : position hors limites [50.5, 200.0]']
    """
    problems: list[str] = []
    if not isinstance(doc, dict):
        return ["un objet JSON est attendu"]
    kind = doc.get("type")
    if kind == "FeatureCollection":
        features = doc.get("features")
        if not isinstance(features, list):
            return ["FeatureCollection : « features » doit être une liste"]
        for feature in features:
            problems += check_geojson(feature)
    elif kind == "Feature":
        if "properties" not in doc:
            problems.append("Feature : propriété « properties » absente")
        elif doc["properties"] is not None and not isinstance(doc["properties"], dict):
            problems.append("Feature : « properties » doit être un objet ou null")
        if "id" in doc and not isinstance(doc["id"], str | int | float):
            problems.append("Feature : « id » doit être un texte ou un nombre")
        if "geometry" not in doc:
            problems.append("Feature : propriété « geometry » absente")
        elif doc["geometry"] is not None:
            problems += _check_geometry(doc["geometry"])
    else:
        problems.append(f"type inattendu : {kind!r}")
    return problems


def _check_position(position: object, where: str) -> list[str]:
    if not (
        isinstance(position, list)
        and len(position) in {2, 3}
        and all(isinstance(c, int | float) and not isinstance(c, bool) for c in position)
    ):
        return [f"{where} : position invalide {position!r}"]
    lon, lat = position[0], position[1]
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):  # noqa: PLR2004
        return [f"{where} : position hors limites {position!r}"]
    return []


def _check_geometry(geometry: object) -> list[str]:  # noqa: PLR0911  # one return per format
    if not isinstance(geometry, dict):
        return ["geometry : un objet est attendu"]
    kind, coords = geometry.get("type"), geometry.get("coordinates")
    if kind == "Point":
        return _check_position(coords, "Point")
    if kind in {"LineString", "MultiPoint"}:
        if not isinstance(coords, list) or (kind == "LineString" and len(coords) < 2):  # noqa: PLR2004
            return [f"{kind} : au moins deux positions sont attendues"]
        return [p for position in coords for p in _check_position(position, str(kind))]
    if kind in {"MultiLineString", "Polygon"}:
        if not isinstance(coords, list):
            return [f"{kind} : une liste de lignes est attendue"]
        return [
            p
            for line in coords
            for p in _check_geometry({"type": "LineString", "coordinates": line})
        ]
    return [f"geometry : type non pris en charge {kind!r}"]
