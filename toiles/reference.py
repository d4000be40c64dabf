"""The reference toiles bundled with the package: three Artois toiles and Kalundborg.

Five toile versions ship inside the package, under ``toiles/data/reference/``, one folder
each (``toile.yaml``, ``actors.csv``, ``flows.csv``):

- ``artois-eau-industrielle-T0``: industrial water in the Artois (illustrative);
- ``artois-energie-T0`` and ``artois-energie-T1``: energy in the Artois, two years
  (illustrative);
- ``artois-electromobilite-T0``: the electromobility supply chain in the Artois
  (illustrative);
- ``kalundborg-T0``: the Kalundborg industrial symbiosis, from published figures.

The Artois toiles place fictitious companies in real communes with invented figures, and
say so (``illustrative: true``, each row's ``provenance``); ``docs/reference-toiles.md``
tells what is real and what is not, and gives the sources. The files are the source of the
reference data: they are edited directly and checked by ``tests/test_reference_toiles.py``.

Nothing is read when this module is imported: the functions look the folders up on call.
"""

from __future__ import annotations

from pathlib import Path

from toiles.errors import ToileNotFound

_DATA = Path(__file__).resolve().parent / "data"
_REFERENCE = _DATA / "reference"


def reference_root() -> Path:
    """Return the folder that holds the bundled reference toiles."""
    return _REFERENCE


def reference_dirs() -> list[Path]:
    """List the folders of the bundled reference toile versions, sorted by name.

    A folder counts when it holds a ``toile.yaml``; versions of one toile sort in order
    (``artois-energie-T0`` before ``artois-energie-T1``).

    Returns
    -------
    list of pathlib.Path
        One folder per toile version, ready for :func:`toiles.loaders.load_toile`.

    Examples
    --------
    >>> [p.name for p in reference_dirs()]  # doctest: +NORMALIZE_WHITESPACE
    ['artois-eau-industrielle-T0', 'artois-electromobilite-T0', 'artois-energie-T0',
     'artois-energie-T1', 'kalundborg-T0']
    """
    if not _REFERENCE.is_dir():
        return []
    return sorted(
        (p for p in _REFERENCE.iterdir() if (p / "toile.yaml").is_file()),
        key=lambda p: p.name,
    )


def reference_dir(name: str) -> Path:
    """Return the folder of one bundled reference toile version.

    Parameters
    ----------
    name
        The folder name, such as ``"artois-energie-T1"`` or ``"kalundborg-T0"``.

    Returns
    -------
    pathlib.Path
        The folder, which holds ``toile.yaml``, ``actors.csv`` and ``flows.csv``.

    Raises
    ------
    ToileNotFound
        When no bundled toile version has that name; the message lists those that exist.

    Examples
    --------
    >>> reference_dir("kalundborg-T0").name
    'kalundborg-T0'
    >>> sorted(p.name for p in reference_dir("artois-energie-T0").iterdir())
    ['actors.csv', 'flows.csv', 'toile.yaml']
    """
    for folder in reference_dirs():
        if folder.name == name:
            return folder
    known = ", ".join(p.name for p in reference_dirs())
    msg = f"toile de référence inconnue : {name} (disponibles : {known})"
    raise ToileNotFound(msg)


def artois_communes_path() -> Path:
    """Return the bundled table of the 305 communes of the four Artois EPCI.

    Its columns are ``commune_insee, nom, epci_siren, epci_nom, population, codes_postaux,
    lat, lon``; ``lat``/``lon`` are filled for the 92 communes GeoNames lists. Credits:
    INSEE / API Découpage administratif (Licence Ouverte) and GeoNames (CC BY 4.0).

    Examples
    --------
    >>> artois_communes_path().name
    'artois_communes.csv'
    """
    return _DATA / "artois_communes.csv"
