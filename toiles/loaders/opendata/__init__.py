"""Import national Open Data files into toile folders, and enrich toiles from SIRENE.

One module per source reads its file into a :class:`~toiles.models.toile.Toile` filtered on
a territory (``read_irve``, ``read_bnpe``, ``read_registre_electricite``, ``read_sirene``,
``read_reseaux_chaleur``); :func:`import_source` runs one of them by name, validates the
result with :func:`toiles.loaders.validate_toile` and writes the folder all or nothing.
:func:`enrich_toile` fills the empty fields of a toile's actors from the SIRENE stock file,
matching them by SIRET, and never overwrites what a person entered.

Every source, its columns, and the pitfalls of the real files are described in
``docs/opendata.md``.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from toiles.errors import Problem, ValidationError
from toiles.loaders.files import load_toile, save_toile
from toiles.loaders.opendata.bnpe import read_bnpe as read_bnpe
from toiles.loaders.opendata.irve import read_irve as read_irve
from toiles.loaders.opendata.registre_electricite import (
    read_registre_electricite as read_registre_electricite,
)
from toiles.loaders.opendata.reseaux_chaleur import read_reseaux_chaleur as read_reseaux_chaleur
from toiles.loaders.opendata.sirene import EnrichReport as EnrichReport
from toiles.loaders.opendata.sirene import enrich_toile as enrich_toile
from toiles.loaders.opendata.sirene import read_sirene as read_sirene
from toiles.loaders.opendata.territory import TerritoryFilter as TerritoryFilter
from toiles.loaders.opendata.territory import parse_territory as parse_territory
from toiles.loaders.validate import validate_toile

if TYPE_CHECKING:
    from toiles.models.toile import Toile
    from toiles.models.vocab import Theme


class Importer(Protocol):
    """The shape every ``read_<source>`` function has."""

    def __call__(
        self,
        path: Path | str,
        territory: str | TerritoryFilter,
        /,
        *,
        theme: str | Theme | None = ...,
        report: list[Problem] | None = ...,
        allow_empty: bool = ...,
    ) -> Toile:
        """Read ``path`` into a toile of ``territory``."""
        ...


#: The importers by the name the command line uses (``toiles import SOURCE``).
IMPORTERS: dict[str, Importer] = {
    "irve": read_irve,
    "bnpe": read_bnpe,
    "registre-electricite": read_registre_electricite,
    "sirene": read_sirene,
    "reseaux-chaleur": read_reseaux_chaleur,
}

#: The options each importer takes beyond ``theme`` and ``report``.
OPTIONS: dict[str, tuple[str, ...]] = {
    "irve": (),
    "bnpe": ("year",),
    "registre-electricite": ("min_kw",),
    "sirene": ("naf", "min_employees", "legal_units"),
    "reseaux-chaleur": ("year",),
}


def _fail(path: Path | str, message: str, value: str | None = None) -> ValidationError:
    return ValidationError([Problem(str(path), None, None, message, value)])


def write_toile_folder(toile: Toile, out: Path | str) -> Path:
    """Write a toile folder all or nothing, after checking it with ``validate_toile``.

    The folder is written to a hidden temporary folder next to ``out``, validated, then
    renamed: on any error nothing is left behind. An existing toile folder at ``out``
    (one with a ``toile.yaml``) is replaced; any other existing non-empty folder is refused.

    Raises
    ------
    ValidationError
        When ``out`` is a non-empty folder that is not a toile, or when the written toile
        does not pass :func:`toiles.loaders.validate_toile` (then nothing is left).
    """
    target = Path(out)
    if target.exists() and (
        not target.is_dir() or (any(target.iterdir()) and not (target / "toile.yaml").is_file())
    ):
        msg = "le dossier de sortie existe et n'est pas une toile : choisissez un autre --out"
        raise _fail(target, msg)
    missing = [p for p in (target.parent, *target.parent.parents) if not p.exists()]
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        save_toile(toile, temporary)
        report = validate_toile(temporary)
    except BaseException:
        _clean_up(temporary, missing)
        raise
    if not report.ok:
        _clean_up(temporary, missing)
        raise ValidationError(report.problems, source=str(target))
    try:
        if target.exists():
            old = target.with_name(f".{target.name}.old-{temporary.name[-8:]}")
            target.rename(old)
            temporary.rename(target)
            shutil.rmtree(old, ignore_errors=True)
        else:
            temporary.rename(target)
    except BaseException:
        _clean_up(temporary, missing)
        raise
    return target


def _clean_up(temporary: Path, created: list[Path]) -> None:
    """Remove the temporary folder and the parent folders this write created."""
    shutil.rmtree(temporary, ignore_errors=True)
    for folder in created:  # deepest first
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()


def import_source(  # noqa: PLR0913  # the command line's options, all keyword-only
    source: str,
    path: Path | str,
    *,
    territory: str | TerritoryFilter,
    out: Path | str,
    theme: str | Theme | None = None,
    report: list[Problem] | None = None,
    allow_empty: bool = False,
    **options: object,
) -> Path:
    r"""Import one Open Data file into a toile folder, all or nothing.

    Parameters
    ----------
    source
        ``irve``, ``bnpe``, ``registre-electricite``, ``sirene`` or ``reseaux-chaleur``.
    path
        The national file (or an excerpt of it).
    territory
        ``--territory`` text (INSEE codes, département, EPCI) or a :class:`TerritoryFilter`.
    out
        The toile folder to write (``toile.yaml``, ``actors.csv``, ``flows.csv``).
    theme
        Theme of the toile (each source has a default).
    report
        A list the warnings are appended to, for the command line to print.
    allow_empty
        Write an empty toile when nothing is kept, instead of failing.
    **options
        The source's own options: ``year`` (bnpe, reseaux-chaleur), ``min_kw``
        (registre-electricite), ``naf``, ``min_employees`` and ``legal_units`` (sirene).
        ``None`` values are ignored, so a command line can pass every option it has.

    Returns
    -------
    Path
        The folder written.

    Raises
    ------
    ValidationError
        Unknown source or option, malformed file, an import that keeps nothing (unless
        ``allow_empty``: the message says how many records were read and lay outside the
        territory, and which filters applied), or a toile that does not validate; the
        problems name the file, the line and what was expected. Nothing is written.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "irve.csv").write_text(
    ...     "id_station_itinerance,nom_station,code_insee_commune,coordonneesXY,"
    ...     "id_pdc_itinerance,puissance_nominale,nom_operateur\n"
    ...     'FRS62P001,Gare,62498,"[2.83, 50.43]",FRS62E0011,22,Izivia\n',
    ...     encoding="utf-8",
    ... )
    >>> out = import_source("irve", folder / "irve.csv", territory="CALL", out=folder / "t")
    >>> sorted(p.name for p in out.iterdir())
    ['actors.csv', 'flows.csv', 'toile.yaml']
    """
    reader = IMPORTERS.get(source)
    if reader is None:
        msg = f"source inconnue : « {source} » (sources possibles : {', '.join(IMPORTERS)})"
        raise _fail(path, msg, source)
    given = {k: v for k, v in options.items() if v is not None}
    unknown = sorted(set(given) - set(OPTIONS[source]))
    if unknown:
        names = ", ".join(f"--{u.replace('_', '-')}" for u in unknown)
        msg = f"option(s) sans effet pour la source {source} : {names}"
        raise _fail(path, msg)
    problems: list[Problem] = []
    toile = reader(path, territory, theme=theme, report=problems, allow_empty=allow_empty, **given)
    if report is not None:
        report.extend(problems)
    return write_toile_folder(toile, out)


def enrich_toile_folder(
    toile_path: Path | str, sirene_path: Path | str, *, out: Path | str
) -> tuple[Path, EnrichReport]:
    """Enrich a toile folder from the SIRENE stock file and write the result to ``out``.

    The toile is loaded (and so validated), enriched with :func:`enrich_toile` (empty fields
    only), checked again and written all or nothing. Give ``out`` the toile's own folder to
    update it in place; a separate folder keeps the original untouched.

    Raises
    ------
    ValidationError
        When the toile or the SIRENE file is malformed, or the result does not validate.
    """
    toile = load_toile(toile_path)
    enriched, report = enrich_toile(toile, sirene_path)
    return write_toile_folder(enriched, out), report


__all__ = [
    "IMPORTERS",
    "OPTIONS",
    "EnrichReport",
    "Importer",
    "TerritoryFilter",
    "enrich_toile",
    "enrich_toile_folder",
    "import_source",
    "parse_territory",
    "read_bnpe",
    "read_irve",
    "read_registre_electricite",
    "read_reseaux_chaleur",
    "read_sirene",
    "write_toile_folder",
]
