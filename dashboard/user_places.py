"""The user gazetteer: places a person resolved by hand, kept in a CSV beside the store and added to the gazetteer.

The file has the columns of ``data/gazetteer.csv``; each row has the id ``user:<slug>`` and the source
``user``, and is checked as the gazetteer checks its own rows. A user row adds a place: it never replaces
a row of the base gazetteer, and a name is resolved once.
"""

from __future__ import annotations

import csv
import io
import os
import re
import tempfile
from collections.abc import Iterable
from pathlib import Path

from .errors import GazetteerError
from .gazetteer import Gazetteer
from .models import Place
from .text import fold

USER_SOURCE = "user"
USER_ID_PREFIX = "user:"
COLUMNS = ("id", "name", "aliases", "lat", "lon", "level", "country", "population", "source")


def user_gazetteer_path(db_path: Path) -> Path:
    """The user gazetteer of a store: ``events.db`` keeps its places in ``events.places.csv`` beside it."""
    return db_path.with_name(f"{db_path.stem}.places.csv")


def add_user_place(
    path: Path,
    *,
    name: str,
    lat: float,
    lon: float,
    country: str,
    level: str = "settlement",
    aliases: Iterable[str] = (),
) -> Place:
    """Add a place to the user gazetteer at ``path`` (created with a header if missing) and return it.

    The row is appended to the file's text, which is written to a temporary file and moved into place, so
    a failed write leaves the old file intact.

    Raises:
        GazetteerError: the row is not valid as a gazetteer row (coordinates, level, country code), the
            name has no letters or digits, an alias contains "|", the id or one of the names is already in
            the file, or the existing file cannot be loaded as a gazetteer.
    """
    old = _existing_text(path)
    existing = Gazetteer.from_csv(path) if old else Gazetteer(())
    line = old.count("\n") + (1 if old.endswith("\n") else 2) if old else 2
    row = _row(name, lat, lon, country, level, tuple(aliases), str(path), line)
    place = Gazetteer.from_rows([row], path=str(path), first_line=line).places[row["id"]]
    _refuse_duplicate(place, existing, str(path), line)
    _replace_text(path, old + _row_text(old, row, str(path)))
    return place


def load_with_user_places(base: Gazetteer, path: Path) -> Gazetteer:
    """``base`` with the user gazetteer at ``path`` added; ``base`` itself when the file is missing or blank.

    The base index is reused rather than rebuilt (building it takes seconds for the full gazetteer): only
    the user rows are indexed, and the two indexes are joined. ``base`` is left unchanged.

    Raises:
        GazetteerError: the file cannot be loaded, or one of its ids is already in ``base``.
    """
    if not _existing_text(path):
        return base
    user = Gazetteer.from_csv(path)
    for place in user.places.values():
        if place.id in base.places:
            raise GazetteerError(
                str(path), None, f"id {place.id!r} is already in the gazetteer; a user row never replaces one"
            )
    merged = Gazetteer(user.places.values())
    merged.places = {**base.places, **user.places}
    merged.exact = {**base.exact, **{k: base.lookup(k) + v for k, v in user.exact.items()}}
    merged.max_words = max(base.max_words, user.max_words)
    return merged


def _existing_text(path: Path) -> str:
    """The user gazetteer's text, empty when the file is missing or blank.

    Raises:
        GazetteerError: the file cannot be read as UTF-8 text.
    """
    try:
        text = path.read_text(encoding="utf-8-sig") if path.exists() else ""
    except (OSError, UnicodeDecodeError) as exc:
        raise GazetteerError(str(path), None, f"cannot read the user gazetteer: {exc}") from exc
    return text if text.strip() else ""


def _row(
    name: str, lat: float, lon: float, country: str, level: str, aliases: tuple[str, ...], path: str, line: int
) -> dict[str, str]:
    """The CSV row for a new user place, before the gazetteer's own checks."""
    name = " ".join(name.split())
    slug = re.sub(r"[^a-z0-9]+", "-", fold(name)).strip("-")
    if not slug:
        raise GazetteerError(path, line, f"a place needs a name with letters or digits, got {name!r}")
    if any("|" in alias for alias in aliases):
        raise GazetteerError(path, line, f"an alias cannot contain '|', got {aliases!r}")
    return {
        "id": f"{USER_ID_PREFIX}{slug}",
        "name": name,
        "aliases": "|".join(a.strip() for a in aliases if a.strip()),
        "lat": _number_text(lat),
        "lon": _number_text(lon),
        "level": level.strip(),
        "country": country.strip().upper(),
        "population": "0",
        "source": USER_SOURCE,
    }


def _number_text(value: object) -> str:
    """A coordinate as the CSV writes it; what is no number is left for the gazetteer's check to name."""
    try:
        return repr(float(value))  # type: ignore[arg-type]  # anything float() takes
    except (TypeError, ValueError):
        return str(value)


def _refuse_duplicate(place: Place, existing: Gazetteer, path: str, line: int) -> None:
    """A name is resolved once: the same id, or any of its names already given to a user place, is refused."""
    if place.id in existing.places:
        raise GazetteerError(path, line, f"{place.name!r} is already a user place (id {place.id!r})")
    for name in (place.name, *place.aliases):
        taken = existing.lookup(fold(name))
        if taken:
            raise GazetteerError(path, line, f"the name {name!r} is already taken by user place {taken[0].id!r}")


def _row_text(old: str, row: dict[str, str], path: str) -> str:
    """The text to append for ``row``: the header first in a new file, in the existing file's column order.

    Raises:
        GazetteerError: the existing header lacks a column the row fills.
    """
    header = next(csv.reader(io.StringIO(old)), None) if old else None
    columns = [c.strip() for c in header] if header else list(COLUMNS)
    missing = [column for column, value in row.items() if value and column not in columns]
    if missing:
        raise GazetteerError(path, 1, f"missing column(s): {', '.join(missing)}")
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    if header is None:
        writer.writeheader()
    elif not old.endswith("\n"):
        buffer.write("\n")
    writer.writerow(row)
    return buffer.getvalue()


def _replace_text(path: Path, text: str) -> None:
    """Write ``text`` to a temporary file beside ``path``, then move it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
