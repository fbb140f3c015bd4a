"""Reading the BODACC's announcements of collective proceedings (procédures collectives), in the format of its open
data: the dataset *annonces-commerciales* (family ``collective``), exported as JSON (a list of records, the API's
``{"results": [...]}`` or its older ``{"records": [{"fields": {...}}]}``) or as CSV (``;``-separated, as the
open-data portal exports it). Each record becomes a plain dict; nothing here touches the database."""

import csv
import io
import json
import re
import unicodedata
from datetime import date, datetime

# The judgments the product acts on, read from the announcement's family and nature of judgment
JUDGMENT_TYPES = [
    ("opening_safeguard", "Opening of Safeguard Proceedings"),
    ("opening_reorganisation", "Opening of Judicial Reorganisation"),
    ("opening_liquidation", "Opening of Judicial Liquidation"),
    ("conversion", "Conversion into Judicial Liquidation"),
    ("plan", "Plan Adopted"),
    ("closure", "Closure of the Proceedings"),
    ("other", "Other Judgment"),
]
OPENING_TYPES = ("opening_safeguard", "opening_reorganisation", "opening_liquidation")
# the kind of proceeding an opening (or a conversion) puts the debtor in
PROCEEDING_KIND = {
    "opening_safeguard": "safeguard",
    "opening_reorganisation": "reorganisation",
    "opening_liquidation": "liquidation",
    "conversion": "liquidation",
}

FRENCH_MONTHS = {
    "janvier": 1,
    "fevrier": 2,
    "mars": 3,
    "avril": 4,
    "mai": 5,
    "juin": 6,
    "juillet": 7,
    "aout": 8,
    "septembre": 9,
    "octobre": 10,
    "novembre": 11,
    "decembre": 12,
}

# who the judgment appoints, as the announcement's text names them ("désignant mandataire judiciaire X, ...")
APPOINTEE_PATTERNS = {
    "mandataire": re.compile(r"\b(?:mandataire judiciaire|liquidateur(?: judiciaire)?)\s*:?\s+(?P<name>.+)", re.I),
    "administrator": re.compile(r"\badministrateur(?: judiciaire)?\s*:?\s+(?P<name>.+)", re.I),
}
# where an appointee's name ends: its address, its representative, the next clause
NAME_END = re.compile(
    r"\s*(?:[,;(]|\.(?:\s|$)|\s+(?:prise? en la personne|repr[ée]sent[ée]+ par|demeurant|domicili[ée]+|"
    r"avec (?:pour )?mission|et\s+administrateur|administrateur)\b|\s+\d)",
    re.I,
)


class BodaccFormatError(ValueError):
    """A file that is not an export of the BODACC's announcements (its message says where it goes wrong)."""


def plain(text):
    """``text`` in lower case without accents, for reading the judgment's wording."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(char for char in decomposed if not unicodedata.combining(char)).lower()


def judgment_type(family, nature):
    """The code of :data:`JUDGMENT_TYPES` of a judgment from its family and nature as the BODACC words them."""
    text = plain(f"{family} {nature}")
    if "clotur" in text:
        return "closure"
    if "ouverture" in text:
        for word, code in (
            ("liquidation", "opening_liquidation"),
            ("redressement", "opening_reorganisation"),
            ("sauvegarde", "opening_safeguard"),
        ):
            if word in text:
                return code
        return "other"
    if "liquidation" in text and ("conversion" in text or "prononc" in text):
        return "conversion"
    if "plan" in text and ("arret" in text or "adopt" in text or "homolog" in text):
        return "plan"
    return "other"


def parse_date(value):
    """A date as the BODACC writes it: ``2024-01-15``, ``15/01/2024`` or ``15 janvier 2024``; None if absent."""
    if not value:
        return None
    if isinstance(value, date):
        return value
    text = str(value).strip()
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%Y%m%d"):
        try:
            return datetime.strptime(text[:10] if pattern == "%Y-%m-%d" else text, pattern).date()
        except ValueError:
            continue
    match = re.fullmatch(r"(?:le\s+)?(\d{1,2})(?:er)?\s+([a-zéû]+)\s+(\d{4})", plain(text))
    if match and match.group(2) in FRENCH_MONTHS:
        return date(int(match.group(3)), FRENCH_MONTHS[match.group(2)], int(match.group(1)))
    raise BodaccFormatError(f"unreadable date “{text}”")


def siren_of(registry):
    """The SIREN (9 digits) of a register number, a SIRET or the BODACC's list of them; "" if none."""
    values = registry if isinstance(registry, list) else [registry or ""]
    for value in values:
        digits = re.sub(r"\D", "", str(value))
        if len(digits) >= 9:
            return digits[:9]
    return ""


def appointee(text, role):
    """The name of the ``role`` (``mandataire``: the mandataire judiciaire or the liquidator; ``administrator``)
    the judgment's text appoints, or ""."""
    match = APPOINTEE_PATTERNS[role].search(text or "")
    if not match:
        return ""
    name = match.group("name")
    end = NAME_END.search(name)
    return (name[: end.start()] if end else name).strip(" .:-")


def _json_field(value):
    """The BODACC stores its structured fields (the judgment, the persons) as JSON text inside the record."""
    if isinstance(value, str) and value.strip().startswith(("{", "[")):
        try:
            return json.loads(value)
        except ValueError as error:
            raise BodaccFormatError(f"unreadable JSON field: {error}") from error
    return value


def _registry(raw):
    registry = raw.get("registre")
    if isinstance(registry, str):
        registry = [part for part in re.split(r"[,|]", registry) if part.strip()]
    if registry:
        return registry
    persons = _json_field(raw.get("listepersonnes")) or {}
    person = persons.get("personne") if isinstance(persons, dict) else None
    if isinstance(person, list):
        person = person[0] if person else None
    number = ((person or {}).get("numeroImmatriculation") or {}).get("numeroIdentification")
    return [number] if number else []


def is_collective(raw):
    """Whether a record announces a collective proceeding's judgment (the other families are left out)."""
    family = plain(raw.get("familleavis") or raw.get("familleavis_lib") or "")
    return family.startswith("collective") or "procedures collectives" in family


def announcement(raw):
    """The announcement of one record of the export, as a dict: ``ref`` (its id at the BODACC), ``number``,
    ``publication_date``, ``siren``, ``debtor_name``, ``court``, ``judgment_type``, ``judgment_label``,
    ``judgment_date``, ``details``, ``mandataire``, ``administrator``."""
    judgment = _json_field(raw.get("jugement")) or {}
    if not isinstance(judgment, dict):
        raise BodaccFormatError("the judgment is not an object")
    details = judgment.get("complementJugement") or ""
    publication = parse_date(raw.get("dateparution"))
    number = str(raw.get("numeroannonce") or "").strip()
    ref = str(raw.get("id") or "").strip()
    if not ref and publication and number:
        ref = f"{raw.get('publicationavis') or 'A'}{publication:%Y}{number}"
    if not ref or not publication:
        raise BodaccFormatError("a record has no announcement id or no publication date")
    nature = judgment.get("nature") or ""
    family = judgment.get("famille") or ""
    return {
        "ref": ref,
        "number": number,
        "publication_date": publication,
        "siren": siren_of(_registry(raw)),
        "debtor_name": (raw.get("commercant") or "").strip(),
        "court": (raw.get("tribunal") or "").strip(),
        "judgment_type": judgment_type(family, nature),
        "judgment_label": nature or family,
        "judgment_date": parse_date(judgment.get("date")),
        "details": details,
        "mandataire": (raw.get("mandataire") or appointee(details, "mandataire")).strip(),
        "administrator": (raw.get("administrateur") or appointee(details, "administrator")).strip(),
    }


def records(content):
    """The raw records of an export (bytes or text), JSON or CSV, whatever the family."""
    text = content.decode("utf-8-sig") if isinstance(content, bytes) else content
    stripped = text.lstrip()
    if not stripped:
        raise BodaccFormatError("the file is empty")
    if stripped[0] in "[{":
        try:
            data = json.loads(stripped)
        except ValueError as error:
            raise BodaccFormatError(f"unreadable JSON: {error}") from error
        if isinstance(data, dict):
            data = data.get("results", data.get("records"))
        if not isinstance(data, list):
            raise BodaccFormatError("no list of records")
        rows = [row.get("fields", row) if isinstance(row, dict) and "fields" in row else row for row in data]
        if not all(isinstance(row, dict) for row in rows):
            raise BodaccFormatError("a record is not an object")
        return rows
    dialect = ";" if stripped.split("\n", 1)[0].count(";") else ","
    rows = list(csv.DictReader(io.StringIO(stripped), delimiter=dialect))
    if not rows or "dateparution" not in rows[0]:
        raise BodaccFormatError("no “dateparution” column")
    return rows


def read_announcements(content):
    """The announcements of collective proceedings of an export, and how many records of other families it held.

    :raise BodaccFormatError: the file cannot be read, or one of its records, with the record's position
    """
    found, others = [], 0
    for position, raw in enumerate(records(content), 1):
        if not is_collective(raw):
            others += 1
            continue
        try:
            found.append(announcement(raw))
        except BodaccFormatError as error:
            raise BodaccFormatError(f"record {position}: {error}") from error
    return found, others
