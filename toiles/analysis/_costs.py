"""Temperatures and costs of the waste-heat and water-reuse leads (vectorised, numpy).

Every figure a lead rests on lives here with where it comes from, and is repeated in French
in the report (:data:`HEAT_ASSUMPTIONS`): the typical temperatures used when a flow has none,
the pipe-cost table, the heat-pump performance, the losses and the economic parameters.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from numpy.typing import NDArray

#: Pipe cost of a heat transmission line by peak power (MW, €/m, below 150 °C): the table of
#: the Hotmaps "Excess heat transport potential" calculation module (EU Horizon 2020 Hotmaps
#: project, wiki page « CM Excess heat transport potential », section Computation of costs).
#: Above 190 MW the last price holds.
PIPE_COSTS: tuple[tuple[float, float], ...] = (
    (0.2, 195.0),
    (0.3, 206.0),
    (0.6, 220.0),
    (1.2, 240.0),
    (1.9, 261.0),
    (3.6, 288.0),
    (6.1, 323.0),
    (9.8, 357.0),
    (20.0, 426.0),
    (45.0, 564.0),
    (75.0, 701.0),
    (125.0, 839.0),
    (190.0, 976.0),
)
_PIPE_MW = np.asarray([p for p, _ in PIPE_COSTS])
_PIPE_EUR = np.asarray([c for _, c in PIPE_COSTS])

#: Heat exchangers and pump, € per MW of peak power (same Hotmaps module): air-to-liquid
#: exchanger at the source, liquid-to-liquid at the sink, circulation pump; below and above
#: 1 MW.
SOURCE_EXCHANGER_EUR_PER_MW = 15_000.0
SINK_EXCHANGER_EUR_PER_MW = (265_000.0, 100_000.0)
PUMP_EUR_PER_MW = (240_000.0, 90_000.0)

#: Share of the Carnot COP that industrial heat pumps reach (Arpagaus et al. 2018 report
#: 40 to 60 % for high-temperature heat pumps), and the highest supply temperature they
#: deliver (about 150 °C for the products on the market in that review).
CARNOT_EFFICIENCY = 0.5
HEAT_PUMP_MAX_C = 150.0
#: Highest COP counted, whatever the lift (small lifts give unrealistic Carnot values).
HEAT_PUMP_MAX_COP = 8.0
#: Investment of a large industrial heat pump, € per MW of heat delivered (hypothesis, order
#: of magnitude of the Danish Energy Agency's technology data for large heat pumps).
HEAT_PUMP_EUR_PER_MW = 700_000.0

#: Heat lost by a buried pre-insulated pair of pipes, W per metre of trench, all year
#: (hypothesis, order of magnitude of twin pre-insulated pipes of DN 100-200 at 80 °C).
PIPE_LOSS_W_PER_M = 25.0
#: Length of a line inside one business park when positions are unknown (hypothesis).
ZAE_DEFAULT_KM = 0.5

#: Highest cost of one line of a proposed network per MWh it carries, €/MWh: the default
#: « Transmission line threshold » of the Hotmaps excess-heat module, 0.5 ct/kWh (HotMaps
#: excess_heat_cm, ``cm/app/constant.py``, input ``transmission_line_threshold``; method in
#: the wiki page « CM Excess heat transport potential », section Removal of transmission
#: lines). Hotmaps' ratio is the line's investment over the heat it carries in its
#: lifetime (no discounting, no exchangers): :func:`line_cost_per_mwh`.
LINE_COST_THRESHOLD_EUR_PER_MWH = 5.0

#: Representative temperature (°C) of the unused heat of an activity (NAF division) and
#: the kind of reject, when a flow gives none. The kinds and temperature classes are those
#: of ADEME (2017), « La chaleur fatale » (fumées de fours, fumées de chaudières, buées de
#: séchoirs, eaux de refroidissement, groupes froids, data centers, eaux usées); the
#: representative value inside each class is a hypothesis of this module.
TYPICAL_REJECTS: dict[str, tuple[float, str]] = {
    "01": (40.0, "eaux de refroidissement"),
    "10": (60.0, "buées et eaux chaudes de procédé"),
    "11": (60.0, "buées et eaux chaudes de procédé"),
    "16": (80.0, "buées de séchoirs"),
    "17": (70.0, "buées de séchoirs"),
    "19": (250.0, "fumées de fours"),
    "20": (150.0, "fumées de chaudières et de fours"),
    "21": (60.0, "eaux de refroidissement"),
    "22": (40.0, "eaux de refroidissement"),
    "23": (300.0, "fumées de fours"),
    "24": (400.0, "fumées de fours"),
    "25": (60.0, "eaux de refroidissement et bains"),
    "27": (40.0, "eaux de refroidissement"),
    "28": (40.0, "eaux de refroidissement"),
    "29": (40.0, "eaux de refroidissement"),
    "35": (120.0, "fumées de chaudières"),
    "37": (15.0, "eaux usées"),
    "38": (200.0, "fumées d'incinération"),
    "52": (35.0, "condenseurs de groupes froids"),
    "63": (30.0, "air et eau de refroidissement de data center"),
}
DEFAULT_REJECT: tuple[float, str] = (40.0, "rejet basse température, valeur prudente")

#: Representative temperature (°C) a buyer's heat need requires, by activity (NAF
#: division), when its flows give none (hypotheses; classes of ADEME 2017). Steam bought is
#: at least :data:`STEAM_NEED_C`; heat bought from a network at :data:`NETWORK_NEED_C`.
TYPICAL_NEEDS: dict[str, float] = {
    "01": 60.0,  # serres
    "10": 90.0,  # pasteurisation, cuisson, nettoyage
    "11": 90.0,
    "16": 90.0,  # séchage du bois
    "17": 150.0,  # séchage du papier (vapeur)
    "18": 120.0,  # séchage des encres
    "20": 180.0,  # vapeur de procédé
    "21": 120.0,
    "22": 120.0,
    "23": 600.0,  # fours
    "24": 500.0,  # fours, réchauffage
    "25": 450.0,  # bains (galvanisation)
    "29": 150.0,  # étuves de peinture
    "35": 90.0,  # chaufferies et réseaux de chaleur
    "52": 60.0,  # chauffage des locaux
    "68": 70.0,  # logements (chauffage, eau chaude)
    "96": 80.0,  # blanchisseries
}
DEFAULT_NEED_C = 90.0
BUILDING_NEED_C = 70.0
STEAM_NEED_C = 150.0
NETWORK_NEED_C = 90.0


@dataclass(frozen=True)
class HeatEconomics:
    """The economic parameters of the heat leads (all options of the report)."""

    heat_price: float = 60.0
    electricity_price: float = 150.0
    discount_rate: float = 0.04
    lifetime_years: int = 30
    operation_share: float = 0.01
    detour_factor: float = 1.3
    full_load_hours: float = 4000.0
    temperature_margin: float = 10.0

    @property
    def annuity(self) -> float:
        """Capital recovery factor ``r / (1 - (1 + r)^-n)`` (``1 / n`` at a zero rate)."""
        r, n = self.discount_rate, self.lifetime_years
        return 1.0 / n if r == 0 else r / (1.0 - (1.0 + r) ** -n)


@dataclass(frozen=True)
class WaterEconomics:
    """The economic parameters of the water-reuse leads (hypotheses, options of the report)."""

    water_price: float = 2.0
    treatment_per_m3: float = 0.3
    pipe_per_m: float = 150.0


def typical_reject(naf: str | None) -> tuple[float, str]:
    """Representative temperature and kind of an activity's unused heat.

    Examples
    --------
    >>> typical_reject("24.10Z")
    (400.0, 'fumées de fours')
    >>> typical_reject(None)[0]
    40.0
    """
    return TYPICAL_REJECTS.get((naf or "")[:2], DEFAULT_REJECT)


def typical_need(naf: str | None, *, kind: str | None, steam: bool, network: bool) -> float:
    """Representative temperature (°C) an actor's heat need requires.

    ``steam``: the actor buys steam (a network: delivers steam); ``network``: it runs a
    heat network.

    Examples
    --------
    >>> typical_need("10.51A", kind="entreprise", steam=False, network=False)
    90.0
    >>> typical_need("10.51A", kind="entreprise", steam=True, network=False)
    150.0
    >>> typical_need(None, kind="commune", steam=False, network=False)
    70.0
    """
    if network:
        return max(NETWORK_NEED_C, STEAM_NEED_C) if steam else NETWORK_NEED_C
    if naf:
        need = TYPICAL_NEEDS.get(naf[:2], DEFAULT_NEED_C)
    elif kind in {"commune", "collectivite", "etablissement_public", "association"}:
        need = BUILDING_NEED_C
    else:
        need = DEFAULT_NEED_C
    return max(need, STEAM_NEED_C) if steam else need


def pipe_cost_per_m(peak_mw: NDArray[np.float64]) -> NDArray[np.float64]:
    """Cost per metre of the smallest line of :data:`PIPE_COSTS` that carries the peak.

    Examples
    --------
    >>> pipe_cost_per_m(np.asarray([0.1, 0.2, 5.0, 500.0])).tolist()
    [195.0, 195.0, 323.0, 976.0]
    """
    idx = np.minimum(np.searchsorted(_PIPE_MW, peak_mw, side="left"), len(_PIPE_MW) - 1)
    return np.asarray(_PIPE_EUR[idx], dtype=np.float64)


def line_cost_per_mwh(
    investment: NDArray[np.float64], carried: NDArray[np.float64], lifetime_years: int
) -> NDArray[np.float64]:
    """Investment of each line over the heat it carries in its lifetime, €/MWh (Hotmaps).

    The ratio the Hotmaps excess-heat module compares with its transmission-line threshold
    (:data:`LINE_COST_THRESHOLD_EUR_PER_MWH`); a line that carries nothing costs +inf.

    Examples
    --------
    1.3 km at 220 €/m carrying 1,500 MWh a year for 30 years:

    >>> line_cost_per_mwh(np.asarray([286_000.0, 1.0]), np.asarray([1500.0, 0.0]), 30).tolist()
    [6.355555555555555, inf]
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(carried > 0, investment / (carried * lifetime_years), np.inf)
    return np.asarray(ratio, dtype=np.float64)


def equipment_cost(peak_mw: NDArray[np.float64]) -> NDArray[np.float64]:
    """Exchangers at both ends and the pump of a line, € (Hotmaps unit costs).

    Examples
    --------
    >>> equipment_cost(np.asarray([0.5, 2.0])).tolist()
    [260000.0, 410000.0]
    """
    small = peak_mw < 1.0
    sink = np.where(small, SINK_EXCHANGER_EUR_PER_MW[0], SINK_EXCHANGER_EUR_PER_MW[1])
    pump = np.where(small, PUMP_EUR_PER_MW[0], PUMP_EUR_PER_MW[1])
    return np.asarray(peak_mw * (SOURCE_EXCHANGER_EUR_PER_MW + sink + pump), dtype=np.float64)


def heat_pump_cop(
    source_c: NDArray[np.float64], sink_c: NDArray[np.float64]
) -> NDArray[np.float64]:
    """COP of a heat pump lifting heat from ``source_c`` to ``sink_c`` (°C).

    ``COP = η T_sink / (T_sink - T_source)`` in kelvin with η = 0.5 of Carnot, between 1
    and :data:`HEAT_PUMP_MAX_COP`.

    Examples
    --------
    >>> heat_pump_cop(np.asarray([30.0, 145.0]), np.asarray([80.0, 150.0])).round(2).tolist()
    [3.53, 8.0]
    """
    lift = np.maximum(sink_c - source_c, 1.0)
    cop = CARNOT_EFFICIENCY * (sink_c + 273.15) / lift
    return np.asarray(np.clip(cop, 1.0, HEAT_PUMP_MAX_COP), dtype=np.float64)


@dataclass(frozen=True)
class HeatLeadCosts:
    """Figures of a set of heat leads, one array entry per lead (NaN where not known)."""

    feasible: NDArray[np.bool_]
    heat_pump: NDArray[np.bool_]
    cop: NDArray[np.float64]
    length_km: NDArray[np.float64]
    delivered: NDArray[np.float64]
    losses: NDArray[np.float64]
    electricity: NDArray[np.float64]
    peak_mw: NDArray[np.float64]
    investment: NDArray[np.float64]
    levelised: NDArray[np.float64]
    payback: NDArray[np.float64]


def heat_lead_costs(  # noqa: PLR0913, PLR0917
    supply: NDArray[np.float64],
    demand: NDArray[np.float64],
    km: NDArray[np.float64],
    source_c: NDArray[np.float64],
    need_c: NDArray[np.float64],
    econ: HeatEconomics,
) -> HeatLeadCosts:
    """Screen heat leads: temperature match, pipe, losses, investment, LCOH, payback.

    A lead is direct when the source is at least ``temperature_margin`` hotter than the
    need; otherwise a heat pump lifts it (electricity ``delivered / COP`` counted), unless
    the need is above :data:`HEAT_PUMP_MAX_C`: then there is no lead. The line is
    ``km x detour_factor`` long (:data:`ZAE_DEFAULT_KM` inside a business park without
    positions), sized for ``delivered / full_load_hours``; it loses
    :data:`PIPE_LOSS_W_PER_M` all year. Investment: line (:data:`PIPE_COSTS`), exchangers
    and pump, heat pump. The levelised cost of the heat delivered is the annuity of the
    investment plus operation (a share of it a year) plus electricity, over the heat
    delivered; the simple payback is the investment over the yearly saving (heat no longer
    bought at ``heat_price`` minus electricity and operation), NaN when there is none.

    Examples
    --------
    A 3,000 MWh reject at 90 °C for a 1,500 MWh need at 60 °C, 1 km away: 1.3 km of line
    sized for 1,500 / 4,000 h = 0.375 MW (220 €/m: 286,000 €) and 0.375 MW of exchangers
    and pump at (15,000 + 265,000 + 240,000) €/MW (195,000 €):

    >>> c = heat_lead_costs(np.asarray([3000.0]), np.asarray([1500.0]), np.asarray([1.0]),
    ...                     np.asarray([90.0]), np.asarray([60.0]), HeatEconomics())
    >>> bool(c.feasible[0]), bool(c.heat_pump[0]), round(float(c.length_km[0]), 2)
    (True, False, 1.3)
    >>> round(float(c.delivered[0])), round(float(c.investment[0]))
    (1500, 481000)
    """
    margin = econ.temperature_margin
    direct = source_c >= need_c + margin
    pump = ~direct & (need_c <= HEAT_PUMP_MAX_C)
    feasible = direct | pump
    cop = np.where(pump, heat_pump_cop(source_c, need_c), np.nan)
    length = np.where(np.isnan(km), ZAE_DEFAULT_KM, km) * econ.detour_factor
    losses_max = PIPE_LOSS_W_PER_M * length * 1000.0 * 8760.0 / 1e6  # MWh a year
    # Heat a heat pump delivers: the source's heat plus the electricity (Q = S COP/(COP-1)).
    boost = np.where(pump, cop / np.maximum(cop - 1.0, 1e-9), 1.0)
    available = np.maximum(supply - losses_max, 0.0) * boost
    delivered = np.minimum(available, demand)
    losses = np.minimum(losses_max, supply)
    electricity = np.where(pump, delivered / np.where(pump, cop, 1.0), 0.0)
    peak = delivered / econ.full_load_hours
    investment = (
        length * 1000.0 * pipe_cost_per_m(peak)
        + equipment_cost(peak)
        + np.where(pump, peak * HEAT_PUMP_EUR_PER_MW, 0.0)
    )
    yearly = investment * (econ.annuity + econ.operation_share)
    yearly += electricity * econ.electricity_price
    with np.errstate(divide="ignore", invalid="ignore"):
        levelised = np.where(delivered > 0, yearly / delivered, np.nan)
        saving = (
            delivered * econ.heat_price
            - electricity * econ.electricity_price
            - investment * econ.operation_share
        )
        payback = np.where(saving > 0, investment / saving, np.nan)
    levelised = np.where(feasible, levelised, np.nan)
    return HeatLeadCosts(
        feasible=np.asarray(feasible & ~(delivered <= 0)),
        heat_pump=np.asarray(pump),
        cop=np.asarray(cop, dtype=np.float64),
        length_km=np.asarray(length, dtype=np.float64),
        delivered=np.asarray(delivered, dtype=np.float64),
        losses=np.asarray(losses, dtype=np.float64),
        electricity=np.asarray(electricity, dtype=np.float64),
        peak_mw=np.asarray(peak, dtype=np.float64),
        investment=np.asarray(investment, dtype=np.float64),
        levelised=np.asarray(levelised, dtype=np.float64),
        payback=np.asarray(payback, dtype=np.float64),
    )


def equipment_floor(econ: HeatEconomics) -> float:
    """Least equipment cost per MWh a year of any line (per-MW prices above 1 MW)."""
    per_mw = SOURCE_EXCHANGER_EUR_PER_MW + SINK_EXCHANGER_EUR_PER_MW[1] + PUMP_EUR_PER_MW[1]
    return per_mw / econ.full_load_hours


def heat_lower_bound(
    supply: NDArray[np.float64], km_lower: NDArray[np.float64], econ: HeatEconomics
) -> NDArray[np.float64]:
    """A lower bound of the levelised cost of any lead of this size and distance.

    The line costs at least the cheapest metre of :data:`PIPE_COSTS`, the equipment at
    least the per-MW prices above 1 MW (:func:`equipment_floor`), and a lead delivers at
    most its source's heat times the largest heat-pump boost (COP ≥ 1.5 gives at most 3).

    Examples
    --------
    >>> e = HeatEconomics()
    >>> c = heat_lead_costs(np.asarray([3000.0]), np.asarray([1500.0]), np.asarray([2.0]),
    ...                     np.asarray([30.0]), np.asarray([80.0]), e)
    >>> bool(heat_lower_bound(np.asarray([1500.0]), np.asarray([2.0]), e)[0] <= c.levelised[0])
    True
    """
    length = km_lower * econ.detour_factor * 1000.0
    most = np.maximum(supply, 1e-12) * 3.0
    capital = length * _PIPE_EUR[0] / most + equipment_floor(econ)
    return np.asarray(capital * (econ.annuity + econ.operation_share), dtype=np.float64)


def water_lead_costs(
    supply: NDArray[np.float64],
    demand: NDArray[np.float64],
    km: NDArray[np.float64],
    heat: HeatEconomics,
    water: WaterEconomics,
) -> tuple[NDArray[np.float64], ...]:
    """Length, volume, investment, cost per m³ and payback of water-reuse leads.

    Examples
    --------
    >>> length, volume, invest, per_m3, payback = water_lead_costs(
    ...     np.asarray([1e6]), np.asarray([2e5]), np.asarray([2.0]),
    ...     HeatEconomics(), WaterEconomics())
    >>> round(float(length[0]), 1), float(volume[0]), float(invest[0])
    (2.6, 200000.0, 390000.0)
    """
    length = np.where(np.isnan(km), ZAE_DEFAULT_KM, km) * heat.detour_factor
    volume = np.minimum(supply, demand)
    investment = length * 1000.0 * water.pipe_per_m
    yearly = investment * (heat.annuity + heat.operation_share) + volume * water.treatment_per_m3
    with np.errstate(divide="ignore", invalid="ignore"):
        per_m3 = np.where(volume > 0, yearly / volume, np.nan)
        saving = volume * (water.water_price - water.treatment_per_m3)
        saving -= investment * heat.operation_share
        payback = np.where(saving > 0, investment / saving, np.nan)
    return length, volume, investment, per_m3, payback


#: What the heat figures rest on, in French (repeated in every candidates report).
HEAT_SOURCES_FR = (
    (
        "Coût des canalisations : table par puissance du module « Excess heat transport "
        "potential » du projet européen Hotmaps (195 à 976 €/m, moins de 150 °C), échangeurs et "
        "pompe aux prix unitaires du même module."
    ),
    (
        "Températures manquantes : valeurs typiques par activité (NAF) et type de rejet, dans "
        "les classes du rapport ADEME « La chaleur fatale » (2017) ; la valeur retenue dans "
        "chaque classe est une hypothèse."
    ),
    (
        "Pompe à chaleur : COP = 50 % du COP de Carnot (Arpagaus et al. 2018), au plus 150 °C "
        "fournis, 700 000 € par MW (hypothèse)."
    ),
    (
        "Pertes : 25 W par mètre de tranchée toute l'année (hypothèse) ; tracé = distance à vol "
        "d'oiseau × facteur de détour ; 0,5 km dans une ZAE sans coordonnées (hypothèse)."
    ),
)
