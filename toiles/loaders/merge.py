"""Merge several toiles of one territory into one T0: the same actor found twice is one actor.

The agency builds a T0 toile from several Open Data imports (SIRENE, IRVE, the register of
electricity installations, heat networks, BNPE) and from the spreadsheet of the contacts the
EPCI keeps. The same company appears in several of them, written differently.
:func:`merge_toiles` finds it, in this order of trust:

1. the same SIRET (one establishment);
2. the same SIREN in the same commune (one company, one place);
3. the same normalised name in the same commune (accents, case, punctuation and legal forms
   such as SA, SAS or SARL left out: « Sucrerie Exemple S.A.S. » = « SUCRERIE EXEMPLE »);
4. the pairs a person confirmed by hand (``oui`` in the file of uncertain matches).

Two rows of one source are never merged (an importer already made each row one actor), nor
two rows with different SIRET numbers. What is doubtful is listed for a person to decide:
similar names in one commune, one SIREN in different communes, one name and commune with two
SIRET numbers. The answers are read back on the next run.

Each field of a merged actor comes from one source, written down (``provenance.csv``); the
sources a person wrote (a contacts spreadsheet, a toile not made by an importer, a row whose
provenance is not the Open Data file's) win over Open Data, whatever the order. A second run on
newer files keeps the actor ids of the first (read back from its ``merge-report.csv``), so the
merged toile is updated in place, without duplicates.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import re
import shutil
import tempfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from toiles.errors import Problem, ValidationError
from toiles.loaders.files import save_toile
from toiles.loaders.tables import Table, header_key, parse_number, read_table
from toiles.loaders.validate import ACTOR_ALIASES, read_actors, validate_toile
from toiles.models.actor import Actor
from toiles.models.flow import Flow, flow_id
from toiles.models.toile import Territory, Toile
from toiles.models.vocab import Confidentiality, Theme, fold
from toiles.territory import current_commune

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

__all__ = [
    "CONFIRM_FILE",
    "PROVENANCE_FILE",
    "REPORT_FILE",
    "MergeResult",
    "MergeSource",
    "ProgressReporter",
    "UncertainPair",
    "load_merge_source",
    "merge_toiles",
    "normalise_name",
    "read_confirmations",
    "read_previous_ids",
    "write_merge",
]

#: The files a merge writes beside the toile.
REPORT_FILE = "merge-report.csv"
CONFIRM_FILE = "a-confirmer.csv"
PROVENANCE_FILE = "provenance.csv"

RULE_SIRET = "SIRET"
RULE_SIREN = "SIREN + commune"
RULE_NAME = "nom normalisé + commune"
RULE_OUTSIDE = "nom normalisé (extérieur du territoire)"
RULE_CONFIRMED = "confirmé à la main"
RULE_ALONE = "seul (aucune correspondance)"

_IMPORTER_MARK = "Toile générée par « toiles import"
_LEGAL_FORMS = frozenset(
    {
        "sa",
        "sas",
        "sasu",
        "sarl",
        "eurl",
        "sci",
        "snc",
        "sca",
        "scs",
        "scop",
        "scic",
        "sem",
        "spl",
        "selarl",
        "selas",
        "gie",
        "gaec",
        "earl",
        "eirl",
        "ei",
        "et",
        "cie",
    }
)
_DOTTED_FORMS = re.compile(r"\b(s\s?\.\s?)?(a\s?\.\s?r\s?\.\s?l|a\s?\.\s?s|a)\s?\.?(?=\s|$)")
_NOT_WORD = re.compile(r"[^a-z0-9]+")
#: Similarity (0-100, rapidfuzz's token sort ratio) from which two names of one commune are
#: shown to a person.
SIMILAR_NAMES = 88.0


class ProgressReporter(Protocol):
    """What the merge tells about its progress (the command line shows rich progress bars)."""

    def start(self, description: str, total: int) -> None:
        """A new step of ``total`` units of work begins."""
        ...

    def advance(self, amount: int = 1) -> None:
        """``amount`` units of the current step are done."""
        ...


class _Silent:
    def start(self, description: str, total: int) -> None:
        pass

    def advance(self, amount: int = 1) -> None:
        pass


def normalise_name(name: str) -> str:
    """Reduce a company name to what identifies it: no accents, case, punctuation, legal form.

    Examples
    --------
    >>> normalise_name("Sucrerie Exemple S.A.S.")
    'sucrerie exemple'
    >>> normalise_name("SARL  L'Étoile du Nord")
    'l etoile du nord'
    >>> normalise_name("Méthanisation (Ternois) & Cie")
    'methanisation ternois'
    """
    folded = fold(name)
    folded = _DOTTED_FORMS.sub(lambda m: " " + m.group(0).replace(".", "").replace(" ", ""), folded)
    words = [w for w in _NOT_WORD.split(folded) if w and w not in _LEGAL_FORMS]
    return " ".join(words)


# --- sources ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MergeSource:
    """One toile given to the merge, with what tells its rows apart.

    ``label`` names the source in the reports and must stay the same from one run to the next
    (by default the toile's id); ``human`` says a person wrote it (contacts, a toile edited by
    hand), so its values win over Open Data.
    """

    label: str
    toile: Toile
    human: bool
    origin: str = ""

    @classmethod
    def of(cls, toile: Toile, *, origin: str = "", human: bool | None = None) -> MergeSource:
        """Describe a toile as a source; a toile made by an importer is Open Data."""
        made_by_importer = _IMPORTER_MARK in (toile.description or "")
        return cls(
            label=toile.id,
            toile=toile,
            human=(not made_by_importer) if human is None else human,
            origin=origin or toile.id,
        )

    @functools.cached_property
    def datasets(self) -> tuple[str, ...]:
        """The names of the Open Data files this source was imported from."""
        return tuple(s.split(" : ", 1)[0].strip() for s in self.toile.sources if s.strip())

    def row_is_human(self, provenance: str | None) -> bool:
        """Whether a row was written by a person: a human source, or a row edited by hand.

        In an imported toile, a row whose provenance does not name the imported file was
        changed by a person (its provenance rewritten), and is treated as theirs.
        """
        if self.human:
            return True
        text = (provenance or "").strip()
        return bool(text) and not any(text.startswith(d) for d in self.datasets)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")[:60] or "x"


def read_contacts(path: Path, *, report: list[Problem] | None = None) -> Toile:
    """Read a spreadsheet of contacts (one actor a row, CSV or XLSX) as a toile of actors.

    The columns are those of an actors file (``nom``, ``type``, ``siret``, ``siren``,
    ``commune`` …, French or English, as :mod:`toiles.loaders.validate` reads them); ``id``
    and ``type`` may be left out: the id is made from the name, the type is ``entreprise``.
    A row without provenance gets « Tableur de contacts FILE, ligne N ». Warnings (a commune
    name read as its code, an unknown column…) are appended to ``report``.

    Raises
    ------
    ValidationError
        When a row is invalid; every problem names the file, the line and the column.
    """
    table = read_table(path, ACTOR_ALIASES)
    if "name" not in table.columns and not table.problems:
        table.error(1, "nom", "colonne obligatoire absente")
    used: Counter[str] = Counter()
    for row in table.rows:
        name = row.values.get("name") or ""
        if not row.values.get("id"):
            base = f"contact-{_slug(name)}"
            used[base] += 1
            row.values["id"] = base if used[base] == 1 else f"{base}-{used[base]}"
        row.values.setdefault("kind", None)
        row.values["kind"] = row.values["kind"] or "entreprise"
        row.values["provenance"] = (
            row.values.get("provenance") or f"Tableur de contacts {path.name}, ligne {row.line}"
        )
    for column in ("id", "kind", "epci", "provenance"):
        if column not in table.columns:
            table.columns.append(column)
    actors = read_actors(table)
    errors = [p for p in table.problems if p.severity == "error"]
    if errors:
        raise ValidationError(table.problems, source=str(path))
    # The EPCI from the national table, once a commune written by name (« Béthune ») or
    # anywhere in France has been read as its INSEE code.
    actors = [(line, _with_epci(actor)) for line, actor in actors]
    if report is not None:
        report.extend(table.problems)
    epci = sorted({a.epci for _, a in actors if a.epci})
    stem = _slug(path.stem)
    return Toile(
        id=stem if stem.startswith("contacts") else f"contacts-{stem}",
        name=f"Contacts — {path.stem}",
        theme=Theme.AUTRE,
        territory=Territory(name=", ".join(epci), epci=tuple(epci)),
        description=f"Tableur de contacts {path.name}, saisi par une personne.",
        sources=(f"Tableur de contacts : {path.name}",),
        actors=tuple(a for _, a in actors),
    )


def _with_epci(actor: Actor) -> Actor:
    """The actor with its commune's EPCI when the row left it empty."""
    commune = current_commune(actor.commune_insee) if actor.commune_insee else None
    if actor.epci or commune is None or not commune.epci_siren:
        return actor
    return actor.model_copy(update={"epci": commune.epci})


def load_merge_source(
    path: Path | str, *, human: bool | None = None, report: list[Problem] | None = None
) -> MergeSource:
    """Load one source of a merge from a file: a toile folder or JSON, or a contacts table.

    A ``.csv``, ``.xlsx`` or ``.xlsm`` file is a spreadsheet of contacts
    (:func:`read_contacts`), which a person wrote; a folder or a ``.json`` file is a toile,
    Open Data when an importer made it (its description says so), a person's otherwise.

    Raises
    ------
    ValidationError
        When the file is not a valid toile or contacts table.
    """
    from toiles.loaders.files import load_toile  # noqa: PLC0415  # avoid a cycle at import

    target = Path(path)
    if target.is_file() and target.suffix.lower() in {".csv", ".xlsx", ".xlsm"}:
        toile = read_contacts(target, report=report)
        return MergeSource.of(toile, origin=str(target), human=True if human is None else human)
    return MergeSource.of(load_toile(target), origin=str(target), human=human)


# --- results ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MemberRef:
    """One actor row of one source."""

    source: str
    actor_id: str


@dataclass(frozen=True)
class UncertainPair:
    """Two actor rows that may be one actor, for a person to confirm (``oui``) or not."""

    a: MemberRef
    b: MemberRef
    reason: str
    score: float
    answer: str | None = None

    @property
    def key(self) -> tuple[MemberRef, MemberRef]:
        """The pair in a fixed order, whichever way round it was written."""
        first, second = sorted((self.a, self.b), key=lambda m: (m.source, m.actor_id))
        return first, second


@dataclass(frozen=True)
class ReportRow:
    """One row of ``merge-report.csv``: a source row and the merged actor it became."""

    merged_id: str
    merged_name: str
    source: str
    actor_id: str
    name: str
    commune: str | None
    siret: str | None
    rule: str
    key: str
    members: int


@dataclass(frozen=True)
class FieldProvenance:
    """Which source gave one field of one merged actor or flow."""

    element: str
    element_id: str
    field: str
    value: str
    source: str
    human: bool
    row: str


@dataclass
class MergeResult:
    """What :func:`merge_toiles` produced: the toile and the three reports."""

    toile: Toile
    report: list[ReportRow]
    uncertain: list[UncertainPair]
    provenance: list[FieldProvenance]
    problems: list[Problem] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """Rows read, actors written, rows merged, flows written, pairs left to confirm."""
        merged = sum(1 for r in self.report if r.members > 1)
        return {
            "rows": len(self.report),
            "actors": len(self.toile.actors),
            "merged_rows": merged,
            "flows": len(self.toile.flows),
            "to_confirm": sum(1 for p in self.uncertain if p.answer is None),
        }


# --- matching -----------------------------------------------------------------------------------


def _without_commune(actor: Actor) -> str:
    """The actor's name without the « — Commune » importers add to tell sites apart.

    Importers tell apart the establishments of one company by their commune
    (« SOCIETE X — Feuquières-en-Vimeu »); rows are matched within a commune anyway, so that
    suffix adds nothing to the name and would hide « Société X » of the same commune.
    """
    commune = current_commune(actor.commune_insee) if actor.commune_insee else None
    if commune is None:
        return actor.name
    return actor.name.removesuffix(f" — {commune.name}")


@dataclass
class _Member:
    index: int
    source_index: int
    source: MergeSource
    actor: Actor
    human: bool
    rule: str = RULE_ALONE
    key: str = ""
    name_key: str = ""

    ref: MemberRef = field(init=False)

    def __post_init__(self) -> None:
        self.name_key = normalise_name(_without_commune(self.actor))
        self.ref = MemberRef(self.source.label, self.actor.id)


class _Groups:
    """Union-find over the members, keeping each group's sources and SIRET numbers."""

    def __init__(self, members: list[_Member]) -> None:
        self.parent = list(range(len(members)))
        self.sources: dict[int, set[int]] = {m.index: {m.source_index} for m in members}
        self.sirets: dict[int, set[str]] = {
            m.index: {m.actor.siret} if m.actor.siret else set() for m in members
        }

    def find(self, i: int) -> int:
        root = i
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[i] != root:
            self.parent[i], i = root, self.parent[i]
        return root

    def conflict(self, i: int, j: int) -> str | None:
        """Why the groups of ``i`` and ``j`` cannot be one actor, or ``None``."""
        a, b = self.find(i), self.find(j)
        if self.sources[a] & self.sources[b]:
            return "deux lignes d'une même source"
        if self.sirets[a] and self.sirets[b] and not (self.sirets[a] & self.sirets[b]):
            return "SIRET différents"
        return None

    def union(self, i: int, j: int) -> None:
        a, b = self.find(i), self.find(j)
        if a == b:
            return
        if a > b:
            a, b = b, a
        self.parent[b] = a
        self.sources[a] |= self.sources.pop(b)
        self.sirets[a] |= self.sirets.pop(b)


@dataclass
class _Matcher:
    members: list[_Member]
    groups: _Groups
    uncertain: dict[tuple[MemberRef, MemberRef], UncertainPair] = field(default_factory=dict)
    refused: set[tuple[MemberRef, MemberRef]] = field(default_factory=set)

    def link(self, i: int, j: int, rule: str, key: str) -> None:
        if self.groups.find(i) == self.groups.find(j):
            return
        if self.refused and UncertainPair(self.members[i].ref, self.members[j].ref, "", 0).key in (
            self.refused
        ):
            return  # a person said « non » to this pair
        why = self.groups.conflict(i, j)
        if why is not None:
            if why == "SIRET différents" and rule != RULE_SIRET:
                self.doubt(i, j, f"{rule} identiques mais {why}", 100.0)
            return
        self.groups.union(i, j)
        for k in (i, j):
            if self.members[k].rule == RULE_ALONE:
                self.members[k].rule, self.members[k].key = rule, key

    def doubt(self, i: int, j: int, reason: str, score: float) -> None:
        pair = UncertainPair(self.members[i].ref, self.members[j].ref, reason, round(score, 1))
        self.uncertain.setdefault(pair.key, pair)

    def link_by(self, keyed: Iterable[tuple[str, int]], rule: str) -> None:
        first: dict[str, list[int]] = defaultdict(list)
        for key, i in keyed:
            first[key].append(i)
        for key, indices in first.items():
            for j in indices[1:]:
                for i in indices:
                    if i == j:
                        break
                    self.link(i, j, rule, key)


def _name_key(member: _Member) -> str:
    return member.name_key


def _match(
    matcher: _Matcher,
    confirmed: Mapping[tuple[MemberRef, MemberRef], UncertainPair],
    progress: ProgressReporter,
) -> None:
    members = matcher.members
    matcher.refused = {key for key, pair in confirmed.items() if pair.answer == "non"}
    progress.start("Rapprochement des acteurs", 4)
    matcher.link_by(((m.actor.siret, m.index) for m in members if m.actor.siret), RULE_SIRET)
    progress.advance()
    matcher.link_by(
        (
            (f"{m.actor.siren} {m.actor.commune_insee}", m.index)
            for m in members
            if m.actor.siren and m.actor.commune_insee
        ),
        RULE_SIREN,
    )
    progress.advance()
    matcher.link_by(
        (
            (f"{_name_key(m)} {m.actor.commune_insee}", m.index)
            for m in members
            if m.actor.commune_insee and _name_key(m)
        ),
        RULE_NAME,
    )
    matcher.link_by(
        ((_name_key(m), m.index) for m in members if m.actor.is_outside and _name_key(m)),
        RULE_OUTSIDE,
    )
    progress.advance()
    by_ref = {m.ref: m.index for m in members}
    for (a, b), pair in confirmed.items():
        if pair.answer == "oui" and a in by_ref and b in by_ref:
            i, j = by_ref[a], by_ref[b]
            if matcher.groups.conflict(i, j) is None:
                matcher.link(i, j, RULE_CONFIRMED, "")
    progress.advance()


def _doubt_siren(matcher: _Matcher) -> None:
    by_siren: dict[str, list[_Member]] = defaultdict(list)
    for m in matcher.members:
        if m.actor.siren:
            by_siren[m.actor.siren].append(m)
    for group in by_siren.values():
        if len(group) < 2:  # noqa: PLR2004
            continue
        loose = [m for m in group if not m.actor.siret]
        for m in loose:
            for other in group:
                if (
                    other.index != m.index
                    and other.actor.commune_insee != m.actor.commune_insee
                    and other.source_index != m.source_index
                    and matcher.groups.find(other.index) != matcher.groups.find(m.index)
                ):
                    matcher.doubt(m.index, other.index, "même SIREN, communes différentes", 100.0)


#: Words too common to tell two names apart (blocking keys of the similar-name search).
_COMMON_WORDS = frozenset({"les", "des", "du", "de", "la", "le", "et", "sur", "aux", "en"})


def _blocks(members: Iterable[_Member]) -> dict[tuple[str, str], list[_Member]]:
    """Rows by commune and by each word of their name: similar names share a word."""
    blocks: dict[tuple[str, str], list[_Member]] = defaultdict(list)
    for m in members:
        if not m.actor.commune_insee:
            continue
        for word in set(m.name_key.split()) - _COMMON_WORDS:
            if len(word) > 2:  # noqa: PLR2004
                blocks[m.actor.commune_insee, word].append(m)
    return {k: v for k, v in blocks.items() if len({m.source_index for m in v}) > 1}


def _doubt_similar_names(matcher: _Matcher, progress: ProgressReporter) -> None:
    from rapidfuzz import fuzz, process  # noqa: PLC0415  # only when a merge runs

    blocks = _blocks(matcher.members)
    progress.start("Noms voisins dans chaque commune", len(blocks))
    groups = matcher.groups
    for members in blocks.values():
        progress.advance()
        names = [m.name_key for m in members]
        close = process.cdist(
            names, names, scorer=fuzz.token_sort_ratio, score_cutoff=SIMILAR_NAMES, workers=1
        )
        # « ETOUVIE » and « Réseau de chaleur d'Étouvie », « Centrale thermique de Bouchain »
        # and « BOUCHT01 - GROUPE 01 DE LA CENTRALE THERMIQUE DE BOUCHAIN »: every word of one
        # name is in the other (token set ratio of 100), in the same commune.
        within = process.cdist(
            names, names, scorer=fuzz.token_set_ratio, score_cutoff=100, workers=1
        )
        for scores, reason in (
            (close, "noms voisins dans la même commune"),
            (within, "un nom contient l'autre, dans la même commune"),
        ):
            for i, j in zip(*scores.nonzero(), strict=True):
                a, b = members[int(i)], members[int(j)]
                if a.index >= b.index or a.source_index == b.source_index:
                    continue
                if a.name_key == b.name_key or groups.find(a.index) == groups.find(b.index):
                    continue
                if groups.conflict(a.index, b.index) is None:
                    similarity = float(close[i, j]) or float(
                        fuzz.token_sort_ratio(a.name_key, b.name_key)
                    )
                    matcher.doubt(a.index, b.index, reason, similarity)


# --- building the merged toile ------------------------------------------------------------------

# Every field of an actor but those merged by their own rule (new model fields follow).
_ACTOR_FIELDS = tuple(
    name
    for name in Actor.model_fields
    if name not in {"id", "lat", "lon", "tags", "confidentiality", "provenance"}
)
# siret is picked after siren, so that it can agree with it.
_ACTOR_FIELDS = tuple(sorted(_ACTOR_FIELDS, key=lambda name: name == "siret"))
_FLOW_FIELDS = tuple(
    name
    for name in Flow.model_fields
    if name
    not in {
        "id",
        "source",
        "target",
        "kind",
        "year",
        "quantity",
        "unit",
        "confidentiality",
        "provenance",
    }
)


def _priority(members: Sequence[_Member]) -> list[_Member]:
    """Members in order of trust: a person's rows first, then sources in the order given."""
    return sorted(members, key=lambda m: (not m.human, m.source_index, m.index))


def _row_name(m: _Member) -> str:
    return m.actor.provenance or f"{m.source.label}, {m.actor.id}"


def _pick(ordered: list[_Member], name: str, *, siren: str | None = None) -> _Member | None:
    for m in ordered:
        value = getattr(m.actor, name)
        if value is None:
            continue
        if name == "siret" and siren is not None and not str(value).startswith(siren):
            continue
        return m
    return None


def _keep_actor(merged_id: str, m: _Member, provenance: list[FieldProvenance]) -> Actor:
    """An actor found in one source only: kept as it is (already valid), its fields noted."""
    row = _row_name(m)
    for name in (*_ACTOR_FIELDS, "lat", "lon", "confidentiality"):
        value = getattr(m.actor, name)
        if value is not None:
            shown = str(value.value if isinstance(value, StrEnum) else value)
            provenance.append(
                FieldProvenance("acteur", merged_id, name, shown, m.source.label, m.human, row)
            )
    if merged_id == m.actor.id and m.actor.provenance:
        return m.actor
    return m.actor.model_copy(update={"id": merged_id, "provenance": row})


def _place(ordered: list[_Member], data: dict[str, object], chosen: dict[str, _Member]) -> None:
    """EPCI and coordinates that agree with the commune kept (they may come from other rows)."""
    commune = data.get("commune_insee")
    same = [m for m in ordered if m.actor.commune_insee == commune] if commune else ordered
    with_epci = next((m for m in same if m.actor.epci), None)
    if with_epci is not None:
        data["epci"], chosen["epci"] = with_epci.actor.epci, with_epci
    elif commune:
        data.pop("epci", None)
        chosen.pop("epci", None)
        known = current_commune(str(commune))
        if known is not None:
            data["epci"], chosen["epci"] = known.epci, chosen["commune_insee"]
    # A point in another commune would contradict the commune kept: better none.
    located = next((m for m in same if m.actor.lat is not None), None)
    if located is not None:
        data["lat"], data["lon"] = located.actor.lat, located.actor.lon
        chosen["lat"] = chosen["lon"] = located


def _merge_actor(merged_id: str, group: list[_Member], provenance: list[FieldProvenance]) -> Actor:
    if len(group) == 1:
        return _keep_actor(merged_id, group[0], provenance)
    ordered = _priority(group)
    data: dict[str, object] = {"id": merged_id}
    chosen: dict[str, _Member] = {}
    for name in _ACTOR_FIELDS:
        siren = data.get("siren") if name == "siret" else None
        m = _pick(ordered, name, siren=siren if isinstance(siren, str) else None)
        if m is not None:
            data[name] = getattr(m.actor, name)
            chosen[name] = m
    _place(ordered, data, chosen)
    tags: list[str] = []
    for m in ordered:
        tags.extend(t for t in m.actor.tags if t not in tags)
    data["tags"] = tuple(tags)
    strictest = max(ordered, key=lambda m: m.actor.confidentiality.rank)
    data["confidentiality"] = strictest.actor.confidentiality
    chosen["confidentiality"] = strictest
    rows = list(dict.fromkeys(_row_name(m) for m in ordered))
    data["provenance"] = rows[0] if len(rows) == 1 else "Fusion : " + " ; ".join(rows)
    for name, m in chosen.items():
        value = data[name]
        provenance.append(
            FieldProvenance(
                "acteur",
                merged_id,
                name,
                str(value.value if isinstance(value, Confidentiality) else value),
                m.source.label,
                m.human,
                _row_name(m),
            )
        )
    return Actor.model_validate(data)


def _assign_ids(
    groups: dict[int, list[_Member]], previous: Mapping[MemberRef, str]
) -> dict[int, str]:
    """A stable id per group: the id a previous run gave, else the most trusted row's id."""
    wanted: list[tuple[int, int, str]] = []
    for root, group in groups.items():
        before = Counter(previous[m.ref] for m in group if m.ref in previous)
        if before:
            wanted.append((0, root, before.most_common(1)[0][0]))
        else:
            wanted.append((1, root, _priority(group)[0].actor.id))
    ids: dict[int, str] = {}
    taken: set[str] = set()
    for _rank, root, candidate in sorted(wanted):
        chosen, n = candidate, 1
        while chosen in taken:
            n += 1
            chosen = f"{candidate}-{n}"
        taken.add(chosen)
        ids[root] = chosen
    return ids


def _merge_flows(
    sources: Sequence[MergeSource],
    human_sources: set[int],
    mapping: Mapping[tuple[int, str], str],
    provenance: list[FieldProvenance],
) -> list[Flow]:
    """Flows on merged actors; the same flow told by several sources becomes one."""
    keyed: dict[tuple[str, str, str, int | None, int], list[tuple[int, bool, Flow]]] = {}
    for s, source in enumerate(sources):
        seen: Counter[tuple[str, str, str, int | None]] = Counter()
        for flow in source.toile.flows:
            ends = (mapping[s, flow.source], mapping[s, flow.target])
            base = (*ends, flow.kind.value, flow.year)
            seen[base] += 1
            human = s in human_sources or source.row_is_human(flow.provenance)
            keyed.setdefault((*base, seen[base]), []).append((s, human, flow))
    flows: list[Flow] = []
    for (u, v, kind, year, occurrence), told in keyed.items():
        ordered = sorted(told, key=lambda t: (not t[1], t[0]))
        new_id = flow_id(u, v, kind, year, occurrence)
        data: dict[str, object] = {"id": new_id, "source": u, "target": v}
        data["kind"], data["year"] = ordered[0][2].kind, ordered[0][2].year
        told_by = dict.fromkeys(("kind", "year"), ordered[0])
        for name in _FLOW_FIELDS:  # status, confidence, notes, temperature...
            teller = next((t for t in ordered if getattr(t[2], name) is not None), ordered[0])
            data[name], told_by[name] = getattr(teller[2], name), teller
        quantified = next((t for t in ordered if t[2].quantity is not None), ordered[0])
        data["quantity"], data["unit"] = quantified[2].quantity, quantified[2].unit
        data["confidentiality"] = max((t[2].confidentiality for t in ordered), key=lambda c: c.rank)
        rows = list(dict.fromkeys(t[2].provenance or sources[t[0]].label for t in ordered))
        data["provenance"] = rows[0] if len(rows) == 1 else "Fusion : " + " ; ".join(rows)
        strictest = max(ordered, key=lambda t: t[2].confidentiality.rank)
        told_by.update(quantity=quantified, unit=quantified, confidentiality=strictest)
        for name, (s, human, flow) in told_by.items():
            value = data[name]
            if value is not None:
                provenance.append(
                    FieldProvenance(
                        "flux",
                        new_id,
                        name,
                        str(value.value if isinstance(value, StrEnum) else value),
                        sources[s].label,
                        human,
                        flow.provenance or sources[s].label,
                    )
                )
        flows.append(Flow.model_validate(data))
    return flows


def _info(
    sources: Sequence[MergeSource], *, toile_id: str | None, theme: Theme | None
) -> dict[str, object]:
    themes = Counter(s.toile.theme for s in sources if s.toile.theme is not Theme.AUTRE)
    chosen = theme or (themes.most_common(1)[0][0] if themes else Theme.AUTRE)
    epci = tuple(dict.fromkeys(e for s in sources for e in s.toile.territory.epci))
    names = [s.toile.territory.name for s in sources if s.toile.territory.name]
    territory = names[0] if names else ", ".join(epci)
    labels = ", ".join(s.label for s in sources)
    return {
        "id": toile_id or f"fusion-{_slug(territory or sources[0].label)}",
        "name": f"Toile fusionnée — {territory}" if territory else "Toile fusionnée",
        "theme": chosen,
        "version": "T0",
        "territory": Territory(name=territory, epci=epci),
        "description": (
            f"Toile écrite par « toiles merge » à partir de {len(sources)} sources ({labels}). "
            f"Chaque acteur dit d'où vient chacun de ses champs dans {PROVENANCE_FILE} ; "
            f"les rapprochements sont expliqués dans {REPORT_FILE}."
        ),
        "sources": tuple(dict.fromkeys(x for s in sources for x in s.toile.sources)),
        "updated": dt.datetime.now(dt.UTC).date(),
        "illustrative": any(s.toile.illustrative for s in sources),
    }


def merge_toiles(  # noqa: PLR0913  # the inputs of a merge, all keyword-only but the sources
    sources: Sequence[MergeSource],
    *,
    confirmations: Mapping[tuple[MemberRef, MemberRef], UncertainPair] | None = None,
    previous_ids: Mapping[MemberRef, str] | None = None,
    toile_id: str | None = None,
    theme: Theme | None = None,
    progress: ProgressReporter | None = None,
) -> MergeResult:
    """Merge toiles into one where the same actor found in several sources is one actor.

    Parameters
    ----------
    sources
        The toiles to merge; on equal trust, earlier sources win.
    confirmations
        Answers (``oui``/``non``) to earlier uncertain pairs (:func:`read_confirmations`).
    previous_ids
        The merged id each source row got in an earlier run (:func:`read_previous_ids`),
        so that a new run on newer files keeps the same actor ids.
    toile_id
        Id of the merged toile (default ``fusion-<territory>``).
    theme
        Theme of the merged toile (default: the most common theme among the sources).
    progress
        Told of each step, for progress bars.

    Returns
    -------
    MergeResult
        The merged toile (version T0), one report row per source row, the pairs left to
        confirm, and the source of each field.

    Raises
    ------
    ValidationError
        When two sources share a label, or a source has a flow on an unknown actor.

    Notes
    -----
    Exact keys are grouped with dictionaries and merged with a union-find (nearly linear in
    the number of rows). Similar names are compared only between rows of one commune that
    share a word of their name (a blocking key), with rapidfuzz's ``cdist`` in C: quadratic in
    the size of the largest block, not of the largest commune.

    Examples
    --------
    >>> from toiles.models import Actor, Toile
    >>> def toile(i, *actors):
    ...     return Toile(id=i, name=i, theme="energie", actors=actors)
    >>> a = Actor(id="c1", name="Sucrerie Exemple SAS", kind="entreprise", commune_insee="62119")
    >>> b = Actor(id="etab-1", name="SUCRERIE EXEMPLE", kind="entreprise",
    ...           commune_insee="62119", siret="73282932000074", naf="10.81Z")
    >>> result = merge_toiles([MergeSource.of(toile("contacts", a)),
    ...                        MergeSource.of(toile("sirene", b), human=False)])
    >>> [(x.id, x.name, x.siret, x.naf) for x in result.toile.actors]
    [('c1', 'Sucrerie Exemple SAS', '73282932000074', '10.81Z')]
    >>> result.report[1].rule
    'nom normalisé + commune'
    """
    reporter: ProgressReporter = progress or _Silent()
    labels = Counter(s.label for s in sources)
    doubled = sorted(label for label, n in labels.items() if n > 1)
    if doubled:
        msg = f"deux sources portent le même nom : {', '.join(doubled)} (renommer l'une d'elles)"
        raise ValidationError([Problem(doubled[0], None, None, msg)])
    members: list[_Member] = []
    for s, source in enumerate(sources):
        for actor in source.toile.actors:
            human = source.row_is_human(actor.provenance)
            members.append(_Member(len(members), s, source, actor, human))
    matcher = _Matcher(members, _Groups(members))
    answered = dict(confirmations or {})
    _match(matcher, answered, reporter)
    _doubt_siren(matcher)
    _doubt_similar_names(matcher, reporter)
    groups: dict[int, list[_Member]] = defaultdict(list)
    for m in members:
        groups[matcher.groups.find(m.index)].append(m)
    ids = _assign_ids(groups, previous_ids or {})
    provenance: list[FieldProvenance] = []
    actors: list[Actor] = []
    report: list[ReportRow] = []
    mapping: dict[tuple[int, str], str] = {}
    reporter.start("Écriture des acteurs fusionnés", len(groups))
    for root, group in groups.items():
        actor = _merge_actor(ids[root], group, provenance)
        actors.append(actor)
        for m in group:
            mapping[m.source_index, m.actor.id] = actor.id
            report.append(
                ReportRow(
                    actor.id,
                    actor.name,
                    m.source.label,
                    m.actor.id,
                    m.actor.name,
                    m.actor.commune_insee,
                    m.actor.siret,
                    m.rule if len(group) > 1 else RULE_ALONE,
                    m.key if len(group) > 1 else "",
                    len(group),
                )
            )
        reporter.advance()
    reporter.start("Flux", 1)
    human_sources = {s for s, source in enumerate(sources) if source.human}
    flows = _merge_flows(sources, human_sources, mapping, provenance)
    reporter.advance()
    pairs = []
    by_ref = {m.ref: m.index for m in members}
    problems: list[Problem] = []
    for pair in answered.values():
        if pair.a in by_ref and pair.b in by_ref:
            pairs.append(pair)  # a person's answer stays in the file, read again next time
        else:
            gone = pair.a if pair.a not in by_ref else pair.b
            msg = (
                f"réponse « {pair.answer} » ignorée : la ligne {gone.actor_id} n'est plus dans "
                f"la source {gone.source}"
            )
            problems.append(Problem(CONFIRM_FILE, None, None, msg, severity="warning"))
    for key, pair in matcher.uncertain.items():
        together = matcher.groups.find(by_ref[pair.a]) == matcher.groups.find(by_ref[pair.b])
        if key not in answered and not together:
            pairs.append(pair)
    actors.sort(key=lambda a: a.id)
    flows.sort(key=lambda f: f.id)
    report.sort(key=lambda r: (r.merged_id, r.source, r.actor_id))
    toile = Toile(
        **_info(sources, toile_id=toile_id, theme=theme),
        actors=tuple(actors),
        flows=tuple(flows),
    )
    return MergeResult(toile, report, pairs, provenance, problems)


# --- the files of a merge -----------------------------------------------------------------------

_CONFIRM_COLUMNS = (
    "confirmer",
    "raison",
    "similarite",
    "source_a",
    "id_a",
    "nom_a",
    "commune_a",
    "siret_a",
    "source_b",
    "id_b",
    "nom_b",
    "commune_b",
    "siret_b",
)
_REPORT_COLUMNS = (
    "acteur_fusionne",
    "nom_retenu",
    "lignes_fusionnees",
    "source",
    "id_dans_la_source",
    "nom_dans_la_source",
    "commune",
    "regle",
    "cle",
)
_PROVENANCE_COLUMNS = ("element", "id", "champ", "valeur", "source", "saisie_humaine", "ligne")


def _write_excel_csv(path: Path, columns: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\r\n")
        writer.writerow(columns)
        writer.writerows(rows)


def _confirm_rows(result: MergeResult) -> Iterable[list[object]]:
    lookup = {(r.source, r.actor_id): r for r in result.report}
    for pair in sorted(
        result.uncertain,
        key=lambda p: (p.answer is not None, [(m.source, m.actor_id) for m in p.key]),
    ):
        cells: list[object] = [pair.answer or "", pair.reason, f"{pair.score:g}".replace(".", ",")]
        for ref in pair.key:
            row = lookup.get((ref.source, ref.actor_id))
            cells += [
                ref.source,
                ref.actor_id,
                row.name if row else "",
                (row.commune or "") if row else "",
                (row.siret or "") if row else "",
            ]
        yield cells


def _write_reports(result: MergeResult, folder: Path) -> None:
    _write_excel_csv(
        folder / REPORT_FILE,
        _REPORT_COLUMNS,
        (
            [
                r.merged_id,
                r.merged_name,
                r.members,
                r.source,
                r.actor_id,
                r.name,
                r.commune or "",
                r.rule,
                r.key,
            ]
            for r in result.report
        ),
    )
    _write_excel_csv(folder / CONFIRM_FILE, _CONFIRM_COLUMNS, _confirm_rows(result))
    _write_excel_csv(
        folder / PROVENANCE_FILE,
        _PROVENANCE_COLUMNS,
        (
            [
                p.element,
                p.element_id,
                p.field,
                p.value,
                p.source,
                "oui" if p.human else "non",
                p.row,
            ]
            for p in result.provenance
        ),
    )


def _check_written(folder: Path, target: Path) -> None:
    report = validate_toile(folder)
    if not report.ok:
        raise ValidationError(report.problems, source=str(target))


def write_merge(result: MergeResult, out: Path | str) -> Path:
    """Write the merged toile and its reports to a folder, all or nothing.

    The folder gets ``toile.yaml``, ``actors.csv``, ``flows.csv`` (read back by
    :func:`toiles.loaders.load_toile`), ``merge-report.csv``, ``a-confirmer.csv`` and
    ``provenance.csv`` (``;``-separated UTF-8 with BOM, for French Excel). Everything is
    written to a temporary folder beside ``out``, validated, then put in place.

    Raises
    ------
    ValidationError
        When ``out`` is a non-empty folder that is not a toile, or the toile does not pass
        :func:`toiles.loaders.validate_toile`; nothing is written then.
    """
    target = Path(out)
    if target.exists() and (
        not target.is_dir() or (any(target.iterdir()) and not (target / "toile.yaml").is_file())
    ):
        msg = "le dossier de sortie existe et n'est pas une toile : choisissez un autre --out"
        raise ValidationError([Problem(str(target), None, None, msg)])
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        save_toile(result.toile, temporary)
        _write_reports(result, temporary)
        _check_written(temporary, target)
        if target.exists():
            old = target.with_name(f".{target.name}.old-{temporary.name[-8:]}")
            target.rename(old)
            temporary.rename(target)
            shutil.rmtree(old, ignore_errors=True)
        else:
            temporary.rename(target)
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise
    return target


def _excel_table(path: Path, columns: Sequence[str]) -> Table:
    return read_table(path, {header_key(c): c for c in columns})


def read_confirmations(path: Path) -> dict[tuple[MemberRef, MemberRef], UncertainPair]:
    """Read the answers a person wrote in the file of uncertain matches (``oui`` / ``non``).

    Rows left empty are still open. The file may come back from Excel with ``;`` or ``,``,
    in UTF-8 or Windows-1252.

    Raises
    ------
    ValidationError
        When an answer is neither ``oui`` nor ``non`` or a column is missing (file, line,
        value named); nothing is merged then.
    """
    table = _excel_table(path, _CONFIRM_COLUMNS)
    for column in ("confirmer", "source_a", "id_a", "source_b", "id_b"):
        if column not in table.columns:
            table.error(1, column, "colonne obligatoire absente")
    answers: dict[tuple[MemberRef, MemberRef], UncertainPair] = {}
    for row in table.rows:
        raw = row.values.get("confirmer")
        if raw is None:
            continue
        answer = fold(raw)
        if answer not in {"oui", "non", "o", "n"}:
            table.error(row.line, table.header("confirmer"), "« oui » ou « non » attendu", raw)
            continue
        a = MemberRef(row.values.get("source_a") or "", row.values.get("id_a") or "")
        b = MemberRef(row.values.get("source_b") or "", row.values.get("id_b") or "")
        try:
            score = parse_number(row.values.get("similarite") or "0")
        except ValueError:
            score = 0.0
        reason = row.values.get("raison") or "réponse d'une personne"
        pair = UncertainPair(a, b, reason, score, "oui" if answer.startswith("o") else "non")
        answers[pair.key] = pair
    if any(p.severity == "error" for p in table.problems):
        raise ValidationError(table.problems, source=str(path))
    return answers


def read_previous_ids(path: Path) -> dict[MemberRef, str]:
    """Read which merged actor each source row became in an earlier ``merge-report.csv``.

    Raises
    ------
    ValidationError
        When the file is unreadable or lacks its columns.
    """
    table = _excel_table(path, _REPORT_COLUMNS)
    for column in ("acteur_fusionne", "source", "id_dans_la_source"):
        if column not in table.columns:
            table.error(1, column, "colonne obligatoire absente")
    if any(p.severity == "error" for p in table.problems):
        raise ValidationError(table.problems, source=str(path))
    return {
        MemberRef(r.values["source"] or "", r.values["id_dans_la_source"] or ""): r.values[
            "acteur_fusionne"
        ]
        or ""
        for r in table.rows
        if r.values.get("acteur_fusionne")
    }
