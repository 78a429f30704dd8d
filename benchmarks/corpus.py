"""A seeded generator of realistic synthetic news articles, for benchmarks only.

Articles are built from gazetteer names (inflected the way each language inflects them), date expressions
in many forms, organisation names that contain place names, numbers that are not dates, and plain filler,
in English, Serbian (Latin and Cyrillic), Albanian, German and Italian. The same seed gives the same corpus.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
GAZETTEER_CSV = PROJECT_DIR / "data" / "gazetteer.csv"
REGION = {"XK", "RS", "ME", "MK", "AL", "BA", "HR"}
START = dt.date(2022, 1, 1)
DAYS = 900

_CYRILLIC = dict(
    zip(
        "abvgdđežzijklmnoprstćufhcčšABVGDĐEŽZIJKLMNOPRSTĆUFHCČŠ",
        "абвгдђежзијклмнопрстћуфхцчшАБВГДЂЕЖЗИЈКЛМНОПРСТЋУФХЦЧШ",
        strict=True,
    )
)

TEMPLATES = {
    "en": [
        "Clashes broke out in {place} on {weekday}, police said.",
        "Hundreds of protesters gathered in {place} {relative} after the arrest of a local official.",
        "The {org} said two officers were injured near {place} on {day_month}.",
        "Residents of {place} blocked the main road with trucks, according to local media.",
        "At least 30 NATO soldiers were hurt during the riot at 0530 local time.",
        "Talks in {capital} ended without agreement {relative}.",
        "Election officials in {place} reported a turnout of 3.5% in {month}.",
        "Under resolution 1244 the mission stays, the envoy told reporters in {capital}.",
    ],
    "sr": [
        "U {place_loc} je {weekday_acc} došlo do sukoba između demonstranata i policije.",
        "Građani {place_gen} okupili su se {relative} ispred zgrade opštine.",
        "{org} je saopštila da su dva policajca povređena kod {place_gen} {day_month}.",
        "Putevi u {place_loc} blokirani su kamionima, javljaju lokalni mediji.",
        "Pregovori u {capital_loc} završeni su bez dogovora.",
        "Izbori u {place_loc} održani su u {month_loc}, a izlaznost je bila 3,5 odsto.",
    ],
    "sq": [
        "Në {place_sq} {weekday} ka pasur përleshje mes protestuesve dhe policisë.",
        "Qytetarët e {place_sq_gen} u mblodhën {relative} para ndërtesës së komunës.",
        "{org} tha se dy policë u plagosën afër {place_sq_gen} më {day_month}.",
        "Rrugët në {place_sq} u bllokuan me kamionë, raportojnë mediat lokale.",
    ],
    "de": [
        "In {place} kam es am {weekday} zu Zusammenstößen zwischen Demonstranten und der Polizei.",
        "Hunderte Menschen versammelten sich {relative} in {place}.",
        "Die {org} teilte mit, dass am {day_month} zwei Beamte bei {place} verletzt wurden.",
    ],
    "it": [
        "Scontri a {place} {weekday} tra manifestanti e polizia.",
        "Centinaia di persone si sono radunate {relative} a {place}.",
        "La {org} ha riferito che il {day_month} due agenti sono stati feriti vicino a {place}.",
    ],
}

WORDS = {
    "en": {
        "weekdays": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
        "months": ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                   "October", "November", "December"],
        "relative": ["yesterday", "last night", "today", "two days ago", "earlier this week"],
        "orgs": ["Kosovo Police", "Bank of Serbia", "Serbian List", "University of Pristina"],
    },
    "sr": {
        "weekdays": ["u ponedeljak", "u utorak", "u sredu", "u četvrtak", "u petak", "u subotu", "u nedelju"],
        "months": ["januaru", "februaru", "martu", "aprilu", "maju", "junu", "julu", "avgustu", "septembru",
                   "oktobru", "novembru", "decembru"],
        "months_gen": ["januara", "februara", "marta", "aprila", "maja", "juna", "jula", "avgusta", "septembra",
                       "oktobra", "novembra", "decembra"],
        "relative": ["juče", "sinoć", "danas", "večeras"],
        "orgs": ["Kosovska policija", "Srpska lista"],
    },
    "sq": {
        "weekdays": ["të hënën", "të martën", "të mërkurën", "të enjten", "të premten", "të shtunën", "të dielën"],
        "months": ["janar", "shkurt", "mars", "prill", "maj", "qershor", "korrik", "gusht", "shtator", "tetor",
                   "nëntor", "dhjetor"],
        "relative": ["dje", "sot", "sonte", "mbrëmë"],
        "orgs": ["Policia e Kosovës", "Lista Serbe"],
    },
    "de": {
        "weekdays": ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"],
        "months": ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
                   "November", "Dezember"],
        "relative": ["gestern", "heute", "vorgestern"],
        "orgs": ["Kosovo-Polizei", "Polizei"],
    },
    "it": {
        "weekdays": ["lunedì", "martedì", "mercoledì", "giovedì", "venerdì", "sabato", "domenica"],
        "months": ["gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre",
                   "ottobre", "novembre", "dicembre"],
        "relative": ["ieri", "oggi", "ieri sera"],
        "orgs": ["polizia del Kosovo", "polizia"],
    },
}  # fmt: skip

FILLER = [
    "The situation remained tense throughout the day.",
    "Officials did not immediately respond to a request for comment.",
    "The incident was filmed by several witnesses and shared widely on social media.",
    "Negotiations facilitated by the European Union have stalled for months.",
]


@dataclass(frozen=True, slots=True)
class _Town:
    name: str
    capital: bool


def _towns(limit: int = 4000) -> tuple[list[_Town], list[str]]:
    """Settlements of the region (and big cities elsewhere) from the project gazetteer."""
    towns, capitals = [], []
    with GAZETTEER_CSV.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["level"] != "settlement":
                continue
            population = int(float(row.get("population") or 0))
            if row["country"] in REGION or population > 500_000:
                towns.append(_Town(row["name"], population > 1_000_000))
                if population > 1_000_000:
                    capitals.append(row["name"])
            if len(towns) >= limit:
                break
    return towns, capitals or ["Belgrade"]


def _locative_sr(name: str) -> str:
    """A Serbian locative the way the language forms it (Zvečan → Zvečanu, Mitrovica → Mitrovici)."""
    last = name.split()[-1]
    head = name[: len(name) - len(last)]
    if last.endswith("a"):
        return head + last[:-1] + ("i" if not last.endswith("ca") else "ci")
    if last[-1] in "eio":
        return name
    return head + last + "u"


def _genitive_sr(name: str) -> str:
    last = name.split()[-1]
    head = name[: len(name) - len(last)]
    if last.endswith("a"):
        return head + last[:-1] + "e"
    if last[-1] in "eio":
        return name
    return head + last + "a"


def _cyrillic(text: str) -> str:
    return "".join(_CYRILLIC.get(c, c) for c in text.replace("nj", "њ").replace("lj", "љ"))


class CorpusGenerator:
    """Writes synthetic articles; one ``random.Random(seed)`` drives every choice."""

    def __init__(self, seed: int = 1) -> None:
        self.random = random.Random(seed)
        self.towns, self.capitals = _towns()

    def article(self) -> tuple[str, str]:
        """(language, file text) of one article of 12 to 30 sentences (2 to 4 KB, like a news report)."""
        rnd = self.random
        language = rnd.choice(["en", "en", "en", "sr", "sr", "sq", "de", "it"])
        published = START + dt.timedelta(days=rnd.randrange(DAYS))
        header = published.isoformat() if rnd.random() > 0.05 else published.isoformat()[:7]
        sentences = []
        for _ in range(rnd.randint(12, 30)):
            if rnd.random() < 0.25:
                sentences.append(rnd.choice(FILLER))
            else:
                sentences.append(self._sentence(language))
        paragraphs = [" ".join(sentences[i : i + 3]) for i in range(0, len(sentences), 3)]
        text = "\n\n".join(paragraphs)
        if language == "sr" and rnd.random() < 0.4:
            text = _cyrillic(text)
        return language, f" date {header}\n{text}\n"

    def _sentence(self, language: str) -> str:
        rnd = self.random
        words = WORDS[language]
        town = rnd.choice(self.towns).name
        capital = rnd.choice(self.capitals)
        day, month = rnd.randint(1, 28), rnd.randrange(12)
        if language == "sr":
            day_month = f"{day}. {words['months_gen'][month]}"
        elif language == "de":
            day_month = f"{day}. {words['months'][month]}"
        elif language == "en":
            day_month = rnd.choice([f"{words['months'][month]} {day}", f"{day} {words['months'][month]}"])
        else:
            day_month = f"{day} {words['months'][month]}"
        values = {
            "place": town,
            "place_loc": _locative_sr(town),
            "place_gen": _genitive_sr(town),
            "place_sq": town,
            "place_sq_gen": town + ("s" if town[-1] in "aeiouë" else "it"),
            "capital": capital,
            "capital_loc": _locative_sr(capital),
            "weekday": rnd.choice(words["weekdays"]),
            "weekday_acc": rnd.choice(words["weekdays"]),
            "relative": rnd.choice(words["relative"]),
            "org": rnd.choice(words["orgs"]),
            "day_month": day_month,
            "month": words["months"][month],
            "month_loc": words["months"][month],
        }
        return rnd.choice(TEMPLATES[language]).format(**values)

    def articles(self, count: int) -> Iterator[tuple[str, str]]:
        for _ in range(count):
            yield self.article()

    def write(self, folder: Path, count: int) -> int:
        """Write ``count`` articles into ``folder`` (100 per subfolder); returns the bytes written."""
        total = 0
        for index, (_language, text) in enumerate(self.articles(count)):
            sub = folder / f"{index // 100:05d}"
            if index % 100 == 0:
                sub.mkdir(parents=True, exist_ok=True)
            data = text.encode("utf-8")
            (sub / f"a{index:07d}.txt").write_bytes(data)
            total += len(data)
        return total


if __name__ == "__main__":
    import sys

    generator = CorpusGenerator(seed=1)
    for _ in range(int(sys.argv[1]) if len(sys.argv) > 1 else 2):
        print(generator.article()[1])
