"""Benchmark ``toiles merge`` on four synthetic sources of one EPCI, 50,000 actors in all.

The four sources look like what the agency merges for the CA de Béthune-Bruay (CABBALR):

- a SIRENE import (Open Data): 20,000 establishments with SIRET, in the EPCI's communes;
- an import of installations (Open Data): 12,000 actors, 40 % the SIRET of a SIRENE row,
  20 % a SIRENE name written differently (case, accents, a legal form) in the same commune,
  the rest new;
- an import of water withdrawals (Open Data): 8,000 actors, a third matched by name, with
  8,000 flows;
- the EPCI's contacts (a person's entries): 10,000 rows, half with the SIREN of a SIRENE row
  in its commune, a third by name, the rest new; 5,000 flows.

Every name, number and figure is generated (seeded); nothing describes a real company.
The measure is :func:`toiles.loaders.merge.merge_toiles` then
:func:`toiles.loaders.merge.write_merge` (which validates the written toile again), in a child
process so that its peak memory is its own. The last line printed is a JSON object; the
target is 30 s. Run with ``.venv/bin/python benchmarks/bench_merge.py [--actors N]``.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from toiles.loaders.merge import MergeSource, merge_toiles, write_merge
from toiles.models import Actor, Flow, Toile, flow_id
from toiles.territory import communes

ACTORS = 50_000
SEED = 20261202
TARGET_S = 30.0
IMPORTED = "Toile générée par « toiles import {} » depuis un fichier synthétique."
WORDS = [
    "acier",
    "aciérie",
    "agro",
    "alu",
    "artois",
    "atelier",
    "béton",
    "bois",
    "brasserie",
    "câble",
    "carton",
    "chimie",
    "ciment",
    "conserverie",
    "distribution",
    "électro",
    "emballage",
    "énergie",
    "entrepôt",
    "fonderie",
    "froid",
    "galva",
    "garage",
    "imprimerie",
    "laiterie",
    "lys",
    "logistique",
    "mécanique",
    "menuiserie",
    "métal",
    "meunerie",
    "nord",
    "papeterie",
    "plasturgie",
    "pôle",
    "recyclage",
    "scierie",
    "serres",
    "services",
    "sucrerie",
    "textile",
    "transport",
    "usinage",
    "verrerie",
    "vitrerie",
    "béthune",
    "bruay",
    "lillers",
    "isbergues",
    "nœux",
    "ruitz",
    "houdain",
    "auchel",
    "marles",
]
FORMS = ("", " SAS", " SARL", " S.A.", " et Cie")


def _luhn_complete(digits: str) -> str:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 0:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return digits + str((10 - total % 10) % 10)


def _name(rng: random.Random) -> str:
    return " ".join(rng.sample(WORDS, 3)).title() + f" {rng.randrange(1000)}"


def _variant(rng: random.Random, name: str) -> str:
    return (name.upper() if rng.random() < 0.5 else name) + rng.choice(FORMS)


def _toile(label: str, actors: list[Actor], flows: list[Flow], *, imported: bool) -> Toile:
    return Toile(
        id=label,
        name=label,
        theme="energie",
        description=IMPORTED.format(label) if imported else "Contacts saisis par l'EPCI",
        sources=(f"Fichier synthétique {label} : {label}.csv",) if imported else (),
        actors=tuple(actors),
        flows=tuple(flows),
    )


def _flows(rng: random.Random, ids: list[str], count: int, kind: str) -> list[Flow]:
    flows, seen = [], set()
    while len(flows) < count:
        u, v = rng.sample(ids, 2)
        if (u, v) in seen:
            continue
        seen.add((u, v))
        flows.append(
            Flow(
                id=flow_id(u, v, kind, 2024),
                source=u,
                target=v,
                kind=kind,
                quantity=round(rng.uniform(1, 5000), 1),
                unit="MWh",
                year=2024,
            )
        )
    return flows


def generate(total: int, *, seed: int = SEED) -> list[Toile]:  # four sources
    """The four sources, ``total`` actors in all (40 / 24 / 16 / 20 %)."""
    rng = random.Random(seed)
    insee = sorted(c.insee for c in communes().values() if c.epci == "CABBALR")
    n_sirene, n_inst, n_water = total * 40 // 100, total * 24 // 100, total * 16 // 100
    n_contacts = total - n_sirene - n_inst - n_water
    sirene: list[Actor] = []
    for i in range(n_sirene):
        siren = _luhn_complete(f"{100_000_00 + i:08d}")
        siret = _luhn_complete(f"{siren}0001")
        commune = rng.choice(insee)
        sirene.append(
            Actor(
                id=f"etab-{siret}",
                name=_name(rng),
                kind="entreprise",
                siret=siret,
                commune_insee=commune,
                employees=rng.randrange(500),
                provenance=f"Fichier synthétique sirene — sirene.csv, ligne {i + 2}",
            )
        )

    def derived(label: str, count: int, by_siret: float, by_name: float) -> list[Actor]:
        out = []
        for i in range(count):
            row = f"Fichier synthétique {label} — {label}.csv, ligne {i + 2}"
            draw, base = rng.random(), rng.choice(sirene)
            if draw < by_siret:
                actor = Actor(
                    id=f"{label}-{i}",
                    name=_variant(rng, base.name),
                    kind="entreprise",
                    siret=base.siret,
                    commune_insee=base.commune_insee,
                    provenance=row,
                )
            elif draw < by_siret + by_name:
                actor = Actor(
                    id=f"{label}-{i}",
                    name=_variant(rng, base.name),
                    kind="entreprise",
                    commune_insee=base.commune_insee,
                    provenance=row,
                )
            else:
                actor = Actor(
                    id=f"{label}-{i}",
                    name=_name(rng),
                    kind="equipement",
                    commune_insee=rng.choice(insee),
                    provenance=row,
                )
            out.append(actor)
        return out

    installations = derived("installations", n_inst, 0.4, 0.2)
    water = derived("prelevements", n_water, 0.0, 0.33)
    contacts = []
    for i in range(n_contacts):
        draw, base = rng.random(), rng.choice(sirene)
        if draw < 0.5:
            fields = {"name": base.name, "siren": base.siren, "commune_insee": base.commune_insee}
        elif draw < 0.8:
            fields = {"name": _variant(rng, base.name), "commune_insee": base.commune_insee}
        else:
            fields = {"name": _name(rng), "commune_insee": rng.choice(insee)}
        contacts.append(
            Actor(id=f"contact-{i}", kind="entreprise", description="Contact EPCI", **fields)
        )
    water_ids = [a.id for a in water]
    contact_ids = [a.id for a in contacts]
    return [
        _toile("sirene", sirene, [], imported=True),
        _toile("installations", installations, [], imported=True),
        _toile("prelevements", water, _flows(rng, water_ids, len(water), "chaleur"), imported=True),
        _toile(
            "contacts",
            contacts,
            _flows(rng, contact_ids, len(contacts) // 2, "electricite"),
            imported=False,
        ),
    ]


def measure(total: int) -> dict[str, object]:
    """Generate, then time the merge and the write (all in this process)."""
    toiles = generate(total)
    sources = [MergeSource.of(t) for t in toiles]
    start, cpu = time.perf_counter(), time.process_time()
    result = merge_toiles(sources)
    merged = time.perf_counter() - start
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        write_merge(result, Path(folder) / "t0")
        written = time.perf_counter() - start
    cpu = time.process_time() - cpu
    counts = result.counts()
    return {
        "actors_in": sum(len(t.actors) for t in toiles),
        "flows_in": sum(len(t.flows) for t in toiles),
        "actors_out": counts["actors"],
        "merged_rows": counts["merged_rows"],
        "flows_out": counts["flows"],
        "to_confirm": counts["to_confirm"],
        "merge_s": round(merged, 2),
        "write_s": round(written, 2),
        "seconds": round(merged + written, 2),
        "cpu_s": round(cpu, 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "target_s": TARGET_S,
    }


def main() -> None:
    """Run the measure in a child process and print its figures, the last line as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--actors", type=int, default=ACTORS)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.actors)))
        return
    child = subprocess.run(
        [sys.executable, __file__, "--child", "--actors", str(args.actors)],
        capture_output=True,
        text=True,
        check=True,
    )
    figures = json.loads(child.stdout.strip().splitlines()[-1])
    figures["ok"] = figures["seconds"] < TARGET_S
    print(
        f"merge of {figures['actors_in']} actors from 4 sources: {figures['actors_out']} actors, "
        f"{figures['merged_rows']} rows merged, {figures['to_confirm']} pairs to confirm; "
        f"merge {figures['merge_s']} s + write {figures['write_s']} s "
        f"({figures['cpu_s']} s of CPU) "
        f"(target {TARGET_S} s), peak {figures['peak_rss_mb']} MB"
    )
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
