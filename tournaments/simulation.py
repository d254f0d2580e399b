"""A simulated nationwide season, as a season-file document (pure: standard library only).

The real Copa Perú starts with thousands of clubs in district leagues. This builds the shape
of such a season for N invented clubs through all five stages, every later place a reference
to a rank of an earlier group, so the progression service fills it as results come in:

- district: each department's clubs in single round robins of about five, the winner goes on;
- provincial: the district winners, again in groups of about five;
- departmental: double round robins of four, round after round, down to one champion per
  department (a final two-legged tie when two remain);
- regional: each region's department champions in one double round robin;
- national: quarterfinals, semifinals and a final, each a two-legged tie.

Every name says it is simulated; the season is marked simulated and every page shows it.
"""

import math
import random
import re
import unicodedata

FORMAT = "copaperu-season/1"

# The eight regions of the competition and their departments (as in the 2003 season).
REGIONS = {
    1: ["Amazonas", "Lambayeque", "Tumbes", "Piura"],
    2: ["Ancash", "Cajamarca", "La Libertad"],
    3: ["Loreto", "San Martín", "Ucayali"],
    4: ["Callao", "Ica", "Lima"],
    5: ["Huánuco", "Junín", "Pasco"],
    6: ["Apurímac", "Ayacucho", "Huancavelica"],
    7: ["Cusco", "Madre de Dios", "Puno"],
    8: ["Arequipa", "Moquegua", "Tacna"],
}
DEPARTMENTS = sorted(
    (d for ds in REGIONS.values() for d in ds),
    key=lambda n: unicodedata.normalize("NFKD", n).encode("ascii", "ignore").decode(),
)
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII"]


def slug(text: str) -> str:
    """ASCII key fragment for a name: "San Martín" → "san-martin"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def split_evenly(items: list, size: int) -> list[list]:
    """Cut a list into groups of about `size`, sizes differing by at most one, none of one."""
    if len(items) <= size:
        return [items]
    count = math.ceil(len(items) / size)
    base, extra = divmod(len(items), count)
    groups, start = [], 0
    for index in range(count):
        end = start + base + (1 if index < extra else 0)
        groups.append(items[start:end])
        start = end
    return groups


def _group(key, name, stage_region, fmt, places, rnd=1, qualify=1):
    return {
        "key": key,
        "name": name,
        "region": stage_region,
        "format": fmt,
        "qualify": qualify,
        "round": rnd,
        "structure": "assumed",
        "structure_note": "Estructura simulada.",
        "generate_fixtures": True,
        "places": places,
    }


def _ref(key: str, label: str) -> dict:
    return {"from": key, "rank": 1, "label": label}


def _league_stage(winners: dict[str, list], prefix: str, label: str, size: int, rnd=1):
    """One round of single round robins per department; returns groups and the next winners."""
    groups, nxt = [], {}
    for dept, entrants in winners.items():
        if len(entrants) == 1:  # a lone winner goes straight on
            nxt[dept] = entrants
            continue
        nxt[dept] = []
        region = next(n for n, ds in REGIONS.items() if dept in ds)
        for index, chunk in enumerate(split_evenly(entrants, size), start=1):
            key = f"{prefix}-{slug(dept)}-{rnd}-{index}"
            name = f"{label} {dept} {rnd}.{index}"
            fmt = "tie" if len(chunk) == 2 else "single_rr"
            groups.append(_group(key, name, region, fmt, chunk, rnd))
            nxt[dept].append(_ref(key, f"Ganador {name}"))
    return groups, nxt


def _departmental(entrants: dict[str, list]) -> tuple[list, dict]:
    """Double round robins of four, round after round, down to one champion per department."""
    groups, champions = [], {}
    for dept, current in entrants.items():
        region = next(n for n, ds in REGIONS.items() if dept in ds)
        rnd = 1
        while len(current) > 1:
            nxt = []
            for index, chunk in enumerate(split_evenly(current, 4), start=1):
                key = f"DEP-{slug(dept)}-{rnd}-{index}"
                name = f"Departamental {dept} {rnd}.{index}"
                fmt = "tie" if len(chunk) == 2 else "double_rr"
                groups.append(_group(key, name, region, fmt, chunk, rnd))
                nxt.append(_ref(key, f"Ganador {name}"))
            current, rnd = nxt, rnd + 1
        champions[dept] = current[0]
    return groups, champions


def _national(region_keys: dict[int, str]) -> list[dict]:
    def tie(key, name, rnd, a, b):
        return _group(key, name, None, "tie", [a, b], rnd)

    quarters = [
        tie(
            f"QF{i}",
            f"Cuartos de final {i}",
            1,
            _ref(region_keys[2 * i - 1], f"Ganador Región {ROMAN[2 * i - 2]}"),
            _ref(region_keys[2 * i], f"Ganador Región {ROMAN[2 * i - 1]}"),
        )
        for i in range(1, 5)
    ]
    semis = [
        tie(
            f"SF{i}",
            f"Semifinal {i}",
            2,
            _ref(f"QF{2 * i - 1}", f"Ganador Cuartos de final {2 * i - 1}"),
            _ref(f"QF{2 * i}", f"Ganador Cuartos de final {2 * i}"),
        )
        for i in (1, 2)
    ]
    final = tie(
        "FINAL", "Final", 3, _ref("SF1", "Ganador Semifinal 1"), _ref("SF2", "Ganador Semifinal 2")
    )
    return quarters + semis + [final]


def season_document(*, teams: int, seed: int, year: int) -> dict:
    """A whole simulated season for `teams` invented clubs, as a season-file document.

    Deterministic for a given seed. Needs at least five clubs per department (125).
    """
    if teams < 5 * len(DEPARTMENTS):
        raise ValueError(f"A simulated season needs at least {5 * len(DEPARTMENTS)} teams.")
    rng = random.Random(seed)
    clubs = {dept: [] for dept in DEPARTMENTS}
    team_list = []
    for number in range(1, teams + 1):
        dept = DEPARTMENTS[(number - 1) % len(DEPARTMENTS)]
        name = f"Club Simulado {number:05d}"
        team_list.append({"name": name, "town": dept, "department": dept})
        clubs[dept].append(name)
    for names in clubs.values():
        rng.shuffle(names)
    district, winners = _league_stage(clubs, "DIS", "Distrital", 5)
    provincial, winners = _league_stage(winners, "PRO", "Provincial", 5)
    departmental, champions = _departmental(winners)
    regional, region_keys = [], {}
    for number, depts in REGIONS.items():
        key = f"R{number}"
        region_keys[number] = key
        places = [{**champions[d], "label": f"Campeón {d}"} for d in depts]
        regional.append(_group(key, f"Región {ROMAN[number - 1]}", number, "double_rr", places))
    note = "Temporada simulada: clubes y resultados inventados."
    return {
        "format": FORMAT,
        "season": {
            "year": year,
            "name": f"Copa Perú {year} (simulada)",
            "points": {"win": 3, "draw": 1, "loss": 0},
            "confirmation_required": False,
            "simulated": True,
            "source": f"generate_season --teams {teams} --seed {seed}",
            "notes": note,
        },
        "departments": DEPARTMENTS,
        "teams": team_list,
        "regions": [{"number": n, "departments": ds} for n, ds in REGIONS.items()],
        "stages": [
            {"kind": "district", "notes": note, "groups": district},
            {"kind": "provincial", "notes": note, "groups": provincial},
            {"kind": "departmental", "notes": note, "groups": departmental},
            {"kind": "regional", "notes": note, "groups": regional},
            {"kind": "national", "notes": note, "groups": _national(region_keys)},
        ],
    }
