"""Import of the public NHS reference data: regions, ICSs and their ICBs, trusts, councils, CCGs,
and the ICB mergers and boundary changes since (reorganisations.yaml, R30).

The CSV files in ``bodies/data/ods/`` (see SOURCE.md there) are read and checked in full
before anything is written, so bad input is reported with its file and line and leaves the
database as it was. The write is one transaction keyed on natural codes (region code, ICB
and other ODS codes): a re-run updates what changed, creates what is new and never
duplicates. Nothing is deleted: a footprint link between an imported organisation and an
imported system that the data no longer lists ends the day before the import (one that
had not started yet is removed), so the footprint of earlier dates stays as it was.
"""

import csv
import datetime
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, models, transaction
from django.utils import timezone

from bodies.models import (
    IntegratedCareSystem,
    Organisation,
    OrganisationKind,
    OrganisationSuccession,
    OrganisationSystemLink,
    Region,
    SuccessionKind,
    SystemStatus,
    SystemSuccession,
    TrustType,
)
from bodies.services import organisation_create, organisation_update
from core.dates import en_gb
from core.db import in_force_on
from core.services import audit_context, integrity_error_message, record_create, record_update

DEFAULT_PATH = Path(__file__).resolve().parent / "data" / "ods"

REGIONS_FILE = "nhs_england_regions.csv"
ICBS_FILE = "icbs.csv"
TRUSTS_FILE = "trusts.csv"
MAP_FILE = "icb_local_authorities_trusts.csv"
# Optional: the ICB mergers and boundary changes since 2022, each fact with its source.
REORGANISATIONS_FILE = "reorganisations.yaml"

# All 42 ICBs were established under the Health and Care Act 2022 on 1 July 2022, the day
# the CCGs they replaced were abolished (R30).
ICBS_ESTABLISHED = datetime.date(2022, 7, 1)
CCGS_ABOLISHED = datetime.date(2022, 6, 30)


class ReferenceDataError(Exception):
    """Input that cannot be imported, located by file and (when known) line."""

    def __init__(self, message: str, *, file: Path | str | None = None, line: int | None = None):
        self.message = message
        self.file = file
        self.line = line
        super().__init__(str(self))

    def __str__(self) -> str:
        if self.file is None:
            return self.message
        where = f"{self.file}, line {self.line}" if self.line else str(self.file)
        return f"{where}: {self.message}"


# --- Readable names --------------------------------------------------------------------

# Lower case inside a name ("Isle of Wight", "Stoke-on-Trent", "Newcastle upon Tyne",
# "Weston-super-Mare"), capitalised only as the first word ("The Christie ...").
SMALL_WORDS = frozenset({"and", "of", "the", "upon", "on", "in", "under", "for", "with", "super"})
UPPER_CASE_WORDS = frozenset({"NHS", "ICB", "ICS", "CCG", "BCP", "UK"})
# A word with an optional possessive or elision, so "KING'S" becomes "King's", not "King'S".
_WORD = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?")


def readable_name(text: str) -> str:
    """Title case an upper-case ODS name: 'ISLE OF WIGHT NHS TRUST' -> 'Isle of Wight NHS Trust'."""

    def fix(match: re.Match) -> str:
        word = match.group()
        if word.upper() in UPPER_CASE_WORDS:
            return word.upper()
        lower = word.lower()
        if match.start() > 0 and lower in SMALL_WORDS:
            return lower
        return lower[0].upper() + lower[1:]

    return _WORD.sub(fix, " ".join(text.split()))


def system_name(icb_name: str) -> str:
    """The short name of an ICS from its ICB's ODS name.

    'NHS SOMERSET INTEGRATED CARE BOARD' -> 'Somerset'.
    """
    name = " ".join(icb_name.split())
    name = re.sub(r"^NHS\s+", "", name, flags=re.IGNORECASE)
    name = re.sub(r"\s+(INTEGRATED CARE BOARD|ICB)$", "", name, flags=re.IGNORECASE)
    return readable_name(name)


def icb_organisation_name(system: str) -> str:
    return f"NHS {system} Integrated Care Board"


def sub_icb_location_name(system: str, code: str) -> str:
    return f"NHS {system} ICB – {code} (sub-ICB location, former CCG)"


# Checked in order: the first keyword found in a trust's name gives its type. Names do
# not say everything (Somerset NHS FT is acute, community and mental health), so the
# type is only a starting point that officers correct in the admin.
TRUST_TYPE_KEYWORDS = (
    ("AMBULANCE", TrustType.AMBULANCE),
    ("COMMUNITY", TrustType.COMMUNITY),
    ("CARE SERVICES", TrustType.COMMUNITY),
    ("MENTAL HEALTH", TrustType.MENTAL_HEALTH),
    ("PARTNERSHIP", TrustType.MENTAL_HEALTH),
    ("HEALTH AND CARE", TrustType.MENTAL_HEALTH),
    ("HEALTHCARE", TrustType.MENTAL_HEALTH),
    ("HEALTH NHS", TrustType.MENTAL_HEALTH),
    ("DISTRICT CARE", TrustType.MENTAL_HEALTH),
)


def trust_type(name: str) -> str:
    """What a trust mainly provides, guessed from its name (R13 needs acute and MH trusts)."""
    upper = name.upper()
    if "HEALTH BOARD" in upper:  # Welsh local health boards are outside ICSs' duties
        return ""
    return next((kind for word, kind in TRUST_TYPE_KEYWORDS if word in upper), TrustType.ACUTE)


def trust_kind(name: str) -> str:
    if "FOUNDATION TRUST" in name.upper():
        return OrganisationKind.NHS_FOUNDATION_TRUST
    return OrganisationKind.NHS_TRUST


# --- Reading ---------------------------------------------------------------------------


@dataclass
class ReferenceData:
    """Everything the CSV files say, checked, keyed by natural code."""

    regions: dict[str, dict] = field(default_factory=dict)
    systems: dict[str, dict] = field(default_factory=dict)
    trusts: dict[str, dict] = field(default_factory=dict)
    local_authorities: dict[str, dict] = field(default_factory=dict)
    # sub-ICB location (former CCG) code -> its ICB's code
    sub_icb_locations: dict[str, str] = field(default_factory=dict)
    # (trust or local authority ODS code, ICB code)
    footprint: set[tuple[str, str]] = field(default_factory=set)
    # ICB mergers and boundary changes (reorganisations.yaml), in file order
    changes: list["Change"] = field(default_factory=list)


def _rows(file: Path, columns: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
    """Each data row of a CSV file with its line number, whitespace collapsed."""
    try:
        handle = file.open(newline="", encoding="utf-8-sig")
    except FileNotFoundError:
        raise ReferenceDataError("file not found", file=file) from None
    except OSError as exc:
        raise ReferenceDataError(f"cannot be read ({exc.strerror})", file=file) from None
    with handle:
        reader = csv.DictReader(handle)
        try:
            header = reader.fieldnames or []
            missing = [column for column in columns if column not in header]
            if missing:
                raise ReferenceDataError(
                    f"missing column(s) {', '.join(missing)}", file=file, line=1
                )
            for row in reader:
                if None in row:
                    raise ReferenceDataError(
                        f"more fields than the {len(header)} columns",
                        file=file,
                        line=reader.line_num,
                    )
                if None in row.values():
                    raise ReferenceDataError(
                        f"fewer fields than the {len(header)} columns",
                        file=file,
                        line=reader.line_num,
                    )
                yield reader.line_num, {key: " ".join(value.split()) for key, value in row.items()}
        except csv.Error as exc:
            raise ReferenceDataError(
                f"not valid CSV ({exc})", file=file, line=reader.line_num
            ) from None
        except UnicodeDecodeError:
            raise ReferenceDataError("not UTF-8 text", file=file) from None


def _required(row: dict[str, str], column: str, file: Path, line: int) -> str:
    value = row[column]
    if not value:
        raise ReferenceDataError(f"empty {column}", file=file, line=line)
    return value


def _check_length(model: type[models.Model], field_name: str, value: str, file, line) -> None:
    max_length = model._meta.get_field(field_name).max_length
    if max_length and len(value) > max_length:
        raise ReferenceDataError(
            f"{model._meta.verbose_name} {field_name} {value!r} is longer than "
            f"{max_length} characters",
            file=file,
            line=line,
        )


class _Codes:
    """ODS codes seen so far, so that no code names two organisations."""

    def __init__(self):
        self.seen: dict[str, tuple[str, Path, int]] = {}

    def claim(self, code: str, what: str, file: Path, line: int) -> None:
        _check_length(Organisation, "ods_code", code, file, line)
        if code in self.seen:
            first_what, first_file, first_line = self.seen[code]
            raise ReferenceDataError(
                f"duplicate ODS code {code} for a {what}: {first_file.name} line "
                f"{first_line} already has it ({first_what})",
                file=file,
                line=line,
            )
        self.seen[code] = (what, file, line)


def read_reference_data(path: Path | str = DEFAULT_PATH) -> ReferenceData:
    """Read and check the four CSV files; raise ReferenceDataError on the first problem."""
    path = Path(path)
    if not path.is_dir():
        raise ReferenceDataError("no such directory", file=path)
    data = ReferenceData()
    codes = _Codes()

    file = path / REGIONS_FILE
    first_line: dict[str, int] = {}
    for line, row in _rows(file, ("region_code", "ons_code", "name")):
        code = _required(row, "region_code", file, line)
        if code in data.regions:
            raise ReferenceDataError(
                f"duplicate region code {code} (first at line {first_line[code]})",
                file=file,
                line=line,
            )
        region = {
            "ons_code": _required(row, "ons_code", file, line),
            "name": _required(row, "name", file, line),
        }
        _check_length(Region, "code", code, file, line)
        for name, value in region.items():
            _check_length(Region, name, value, file, line)
        data.regions[code] = region
        first_line[code] = line

    file = path / ICBS_FILE
    for line, row in _rows(file, ("ods_code", "ons_code", "name", "region_code")):
        code = _required(row, "ods_code", file, line)
        codes.claim(code, "ICB", file, line)
        region_code = _required(row, "region_code", file, line)
        if region_code not in data.regions:
            raise ReferenceDataError(
                f"unknown region code {region_code} (not in {REGIONS_FILE})", file=file, line=line
            )
        name = system_name(_required(row, "name", file, line))
        if not name:
            raise ReferenceDataError(f"ICB name {row['name']!r} has no area", file=file, line=line)
        system = {"ons_code": _required(row, "ons_code", file, line), "name": name}
        for field_name, value in system.items():
            _check_length(IntegratedCareSystem, field_name, value, file, line)
        _check_length(Organisation, "name", icb_organisation_name(name), file, line)
        data.systems[code] = {**system, "region_code": region_code}

    file = path / TRUSTS_FILE
    for line, row in _rows(file, ("ods_code", "name", "town", "postcode")):
        code = _required(row, "ods_code", file, line)
        codes.claim(code, "trust", file, line)
        raw_name = _required(row, "name", file, line)
        trust = {
            "name": readable_name(raw_name),
            "kind": trust_kind(raw_name),
            "town": readable_name(row["town"]),
            "postcode": row["postcode"].upper(),
        }
        for field_name in ("name", "town", "postcode"):
            _check_length(Organisation, field_name, trust[field_name], file, line)
        data.trusts[code] = trust

    _read_map(path / MAP_FILE, data, codes)
    data.changes = read_changes(path / REORGANISATIONS_FILE, data, codes)
    return data


def _read_map(file: Path, data: ReferenceData, codes: _Codes) -> None:
    """The ICB -> sub-ICB location, local authority and trust map.

    A row names at most one of each; rows with an empty local authority (or an empty
    sub-ICB location) continue the ICB with another trust. A row with no ICB at all
    continues the previous row's ICB.
    """
    columns = (
        "region_code",
        "icb_ods_code",
        "sub_icb_ods_code",
        "local_authority",
        "local_authority_ods_code",
        "trust_name",
        "trust_ods_code",
    )
    icb_code = None
    first_line_of_la: dict[str, int] = {}
    for line, row in _rows(file, columns):
        if row["icb_ods_code"]:
            icb_code = row["icb_ods_code"]
        elif icb_code is None:
            raise ReferenceDataError(
                "empty icb_ods_code and no ICB to continue", file=file, line=line
            )
        if icb_code not in data.systems:
            raise ReferenceDataError(
                f"ICB code {icb_code} is not in {ICBS_FILE}", file=file, line=line
            )
        region_code = row["region_code"]
        if region_code and region_code not in data.regions:
            raise ReferenceDataError(
                f"unknown region code {region_code} (not in {REGIONS_FILE})", file=file, line=line
            )
        if region_code and region_code != data.systems[icb_code]["region_code"]:
            raise ReferenceDataError(
                f"region {region_code} differs from region "
                f"{data.systems[icb_code]['region_code']} given for ICB {icb_code} in {ICBS_FILE}",
                file=file,
                line=line,
            )

        sub_icb_code = row["sub_icb_ods_code"]
        if sub_icb_code:
            if sub_icb_code in data.sub_icb_locations:
                raise ReferenceDataError(
                    f"sub-ICB location {sub_icb_code} is listed twice", file=file, line=line
                )
            codes.claim(sub_icb_code, "sub-ICB location", file, line)
            name = sub_icb_location_name(data.systems[icb_code]["name"], sub_icb_code)
            _check_length(Organisation, "name", name, file, line)
            data.sub_icb_locations[sub_icb_code] = icb_code

        la_name, la_code = row["local_authority"], row["local_authority_ods_code"]
        if la_name or la_code:
            if not la_code:
                raise ReferenceDataError(
                    f"empty local_authority_ods_code for {la_name}", file=file, line=line
                )
            if not la_name:
                raise ReferenceDataError(
                    f"empty local_authority for ODS code {la_code}", file=file, line=line
                )
            known = data.local_authorities.get(la_code)
            if known is None:
                codes.claim(la_code, "local authority", file, line)
                _check_length(Organisation, "name", la_name, file, line)
                data.local_authorities[la_code] = {"name": la_name}
                first_line_of_la[la_code] = line
            elif known["name"] != la_name:
                raise ReferenceDataError(
                    f"local authority {la_code} is {la_name!r} here but {known['name']!r} "
                    f"at line {first_line_of_la[la_code]}",
                    file=file,
                    line=line,
                )
            data.footprint.add((la_code, icb_code))

        trust_name, trust_code = row["trust_name"], row["trust_ods_code"]
        if trust_name and not trust_code:
            raise ReferenceDataError(f"empty trust_ods_code for {trust_name}", file=file, line=line)
        if trust_code:
            if trust_code not in data.trusts:
                raise ReferenceDataError(
                    f"trust {trust_code} is not in {TRUSTS_FILE}", file=file, line=line
                )
            data.footprint.add((trust_code, icb_code))


# --- Reorganisations (reorganisations.yaml) --------------------------------------------

# What each predecessor row may say happened to it. Renames and transfers of functions
# exist in the model but no published change of an ICB uses them yet.
CHANGE_KINDS = (SuccessionKind.MERGER, SuccessionKind.SPLIT, SuccessionKind.BOUNDARY_TRANSFER)


@dataclass(frozen=True)
class Source:
    key: str
    title: str
    url: str


@dataclass(frozen=True)
class Predecessor:
    code: str
    kind: str
    sources: tuple[Source, ...]


@dataclass
class Change:
    """One successor ICB and the ICBs it follows from ``effective`` (R30)."""

    line: int
    effective: datetime.date
    successor_code: str
    # Only for a successor that is not in icbs.csv: its legal name and ONS code (None
    # when no public source gives it).
    legal_name: str | None
    ons_code: str | None
    region_code: str
    predecessors: list[Predecessor]

    @property
    def is_new(self) -> bool:
        return self.legal_name is not None

    @property
    def last_day(self) -> datetime.date:
        """The predecessors' last day: the day before the successor's first."""
        return self.effective - datetime.timedelta(days=1)

    def describe(self, data: "ReferenceData") -> str:
        name = (
            readable_name(self.legal_name)
            if self.is_new
            else icb_organisation_name(data.systems[self.successor_code]["name"])
        )
        return f"{name} ({self.successor_code}) from {en_gb(self.effective)}"


class _Mapping(dict):
    """A YAML mapping that knows the line it starts on."""

    line = 0


class _LineLoader(yaml.SafeLoader):
    pass


def _construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> _Mapping:
    mapping = _Mapping(loader.construct_mapping(node, deep=True))
    mapping.line = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


class _ChangeReader:
    """Reads and checks reorganisations.yaml against the ICBs of icbs.csv."""

    def __init__(self, file: Path, data: ReferenceData, codes: _Codes):
        self.file, self.data, self.codes = file, data, codes
        self.sources: dict[str, Source] = {}
        self.used: set[str] = set()

    def fail(self, message: str, line: int | None = None):
        raise ReferenceDataError(message, file=self.file, line=line)

    def mapping(self, value, what: str, keys: set[str], line: int, required=()) -> _Mapping:
        if not isinstance(value, _Mapping):
            self.fail(f"{what} must be a mapping", line)
        unknown = sorted(set(value) - keys)
        if unknown:
            self.fail(f"{what}: unknown key(s) {', '.join(map(str, unknown))}", value.line)
        missing = [key for key in required if key not in value]
        if missing:
            self.fail(f"{what}: missing {', '.join(missing)}", value.line)
        return value

    def cited(self, value, what: str, line: int) -> tuple[Source, ...]:
        """The sources a fact names: a non-empty list of keys of ``sources``."""
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not value:
            self.fail(f"{what} needs a source (a key of sources)", line)
        cited = []
        for key in value:
            if key not in self.sources:
                self.fail(f"{what} cites {key!r}, which is not in sources", line)
            self.used.add(key)
            cited.append(self.sources[key])
        return tuple(cited)

    def fact(self, parent: _Mapping, name: str, what: str, kind: type):
        """``{value: ..., source: [...]}``: the value, checked to be a ``kind``."""
        fact = self.mapping(
            parent[name], f"{what} {name}", {"value", "source"}, parent.line, ("value", "source")
        )
        value = fact["value"]
        if kind is str:
            value = " ".join(str(value).split()) if isinstance(value, str | int) else None
        if not isinstance(value, kind) or value in ("", None):
            self.fail(f"{what} {name} must be a {kind.__name__}", fact.line)
        self.cited(fact["source"], f"{what} {name}", fact.line)
        return value

    def read(self) -> list[Change]:
        try:
            text = self.file.read_text(encoding="utf-8")
        except FileNotFoundError:
            return []  # no reorganisation recorded: the 2022 configuration
        except (OSError, UnicodeDecodeError) as exc:
            self.fail(f"cannot be read ({exc})")
        try:
            document = yaml.load(text, Loader=_LineLoader)  # _LineLoader is a SafeLoader
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            self.fail(f"not valid YAML ({getattr(exc, 'problem', exc)})", mark and mark.line + 1)
        document = self.mapping(document, "the file", {"sources", "changes"}, 1, ("sources",))

        sources = document["sources"]
        if not isinstance(sources, _Mapping):
            self.fail("sources must be a mapping of key: {title, url, states}", 1)
        for key, entry in sources.items():
            entry = self.mapping(
                entry,
                f"source {key}",
                {"title", "url", "states"},
                sources.line,
                ("title", "url", "states"),
            )
            title, url = (" ".join(str(entry[name]).split()) for name in ("title", "url"))
            if not url.startswith("https://"):
                self.fail(f"source {key}: url must be an https:// address", entry.line)
            self.sources[str(key)] = Source(str(key), title, url)

        changes = document.get("changes") or []
        if not isinstance(changes, list):
            self.fail("changes must be a list", document.line)
        result = [self.change(entry) for entry in changes]
        unused = sorted(set(self.sources) - self.used)
        if unused:
            self.fail(f"source(s) {', '.join(unused)} back no fact: cite them or remove them")
        self.check_successors(result)
        return result

    def change(self, entry) -> Change:
        entry = self.mapping(
            entry,
            "a change",
            {"effective", "successor", "predecessors"},
            0,
            ("effective", "successor", "predecessors"),
        )
        effective = self.fact(entry, "effective", "change", datetime.date)
        successor = self.mapping(
            entry["successor"],
            "successor",
            {"ods_code", "name", "ons_code"},
            entry.line,
            ("ods_code",),
        )
        code = self.fact(successor, "ods_code", "successor", str)
        existing = code in self.data.systems
        if existing and {"name", "ons_code"} & set(successor):
            self.fail(
                f"successor {code} is already in {ICBS_FILE}: its name and ONS code come "
                "from there",
                successor.line,
            )
        if not existing and "name" not in successor:
            self.fail(f"new successor {code} needs its name", successor.line)
        legal_name = (
            self.fact(successor, "name", f"successor {code}", str) if not existing else None
        )
        ons_code = (
            self.fact(successor, "ons_code", f"successor {code}", str)
            if "ons_code" in successor
            else None
        )

        predecessors_list = entry["predecessors"]
        if not isinstance(predecessors_list, list) or not predecessors_list:
            self.fail(f"successor {code} needs its predecessors", entry.line)
        predecessors = []
        for item in predecessors_list:
            item = self.mapping(
                item,
                f"a predecessor of {code}",
                {"ods_code", "kind", "source"},
                entry.line,
                ("ods_code", "kind", "source"),
            )
            predecessor = " ".join(str(item["ods_code"]).split())
            if predecessor not in self.data.systems:
                self.fail(f"predecessor {predecessor} is not an ICB of {ICBS_FILE}", item.line)
            if predecessor == code:
                self.fail(f"{code} cannot be its own predecessor", item.line)
            if predecessor in {p.code for p in predecessors}:
                self.fail(f"predecessor {predecessor} is listed twice for {code}", item.line)
            if item["kind"] not in CHANGE_KINDS:
                allowed = ", ".join(CHANGE_KINDS)
                self.fail(f"kind {item['kind']!r} is not one of {allowed}", item.line)
            if existing and item["kind"] != SuccessionKind.BOUNDARY_TRANSFER:
                self.fail(
                    f"{code} already exists, so it can only take over part of an area "
                    "(boundary_transfer)",
                    item.line,
                )
            sources = self.cited(item["source"], f"predecessor {predecessor}", item.line)
            predecessors.append(Predecessor(predecessor, str(item["kind"]), sources))
            for field_name, value in succession_source(sources).items():
                _check_length(SystemSuccession, field_name, value, self.file, item.line)

        regions = {self.data.systems[p.code]["region_code"] for p in predecessors}
        if existing:
            region_code = self.data.systems[code]["region_code"]
        elif len(regions) == 1:
            region_code = regions.pop()
        else:
            self.fail(
                f"the predecessors of {code} are in regions {', '.join(sorted(regions))}: a new "
                "successor takes its region from its predecessors, which must share one",
                entry.line,
            )
        if not existing:
            self.codes.claim(code, "successor ICB", self.file, successor.line)
            _check_length(
                Organisation, "name", readable_name(legal_name), self.file, successor.line
            )
            short = system_name(legal_name)
            _check_length(IntegratedCareSystem, "name", short, self.file, successor.line)
            if short in {system["name"] for system in self.data.systems.values()}:
                self.fail(f"successor name {short!r} is already a system's", successor.line)
            if ons_code is not None:
                _check_length(IntegratedCareSystem, "ons_code", ons_code, self.file, successor.line)
                if ons_code in {system["ons_code"] for system in self.data.systems.values()}:
                    self.fail(f"ONS code {ons_code} is already a system's", successor.line)
        return Change(
            line=entry.line,
            effective=effective,
            successor_code=code,
            legal_name=legal_name,
            ons_code=ons_code,
            region_code=region_code,
            predecessors=predecessors,
        )

    def check_successors(self, changes: list[Change]) -> None:
        """One entry per successor, and every predecessor ends on one day."""
        seen: dict[str, int] = {}
        ends: dict[str, datetime.date] = {}
        for change in changes:
            if change.successor_code in seen:
                self.fail(
                    f"successor {change.successor_code} is listed twice (first at line "
                    f"{seen[change.successor_code]})",
                    change.line,
                )
            seen[change.successor_code] = change.line
            for predecessor in change.predecessors:
                if ends.setdefault(predecessor.code, change.last_day) != change.last_day:
                    self.fail(
                        f"predecessor {predecessor.code} would end on two different days",
                        change.line,
                    )
        for change in changes:
            if change.successor_code in ends:
                self.fail(
                    f"{change.successor_code} gains an area but is also abolished", change.line
                )


def succession_source(sources: tuple[Source, ...]) -> dict[str, str]:
    """The ``source`` (addresses) and ``note`` (titles) a succession row records."""
    return {
        "source": " ; ".join(source.url for source in sources),
        "note": "Sources: " + " ; ".join(source.title for source in sources),
    }


def read_changes(file: Path, data: ReferenceData, codes: _Codes) -> list[Change]:
    return _ChangeReader(file, data, codes).read()


def last_days(changes: list[Change]) -> dict[str, datetime.date]:
    """Predecessor code -> its last day."""
    return {p.code: c.last_day for c in changes for p in c.predecessors}


# --- Writing ---------------------------------------------------------------------------

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"


@dataclass
class Tally:
    """What an import did to one kind of record."""

    label: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    verbs: tuple[str, str] = ("created", "updated")

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.removed)

    def count(self, outcome: str) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)

    def describe(self) -> str:
        if self.verbs == ("added", "ended"):
            return (
                f"{self.label}: {self.created} added, {self.removed} ended, "
                f"{self.unchanged} unchanged"
            )
        return (
            f"{self.label}: {self.created} created, {self.updated} updated, "
            f"{self.unchanged} unchanged"
        )


@dataclass
class ImportResult:
    path: Path
    tallies: list[Tally]

    @property
    def changed(self) -> bool:
        return any(tally.changed for tally in self.tallies)

    def __getitem__(self, label: str) -> Tally:
        return next(tally for tally in self.tallies if tally.label == label)

    def report(self) -> str:
        if not self.changed:
            counts = [f"{tally.total} {tally.label}" for tally in self.tallies]
            listed = ", ".join(counts[:-1]) + f" and {counts[-1]}"
            lines = [f"Nothing to change: {listed} already up to date."]
        else:
            lines = [f"Imported NHS ODS reference data from {self.path}:"]
            lines += [f"  {tally.describe()}" for tally in self.tallies]
        return "\n".join(lines)


def _sync(
    model: type[models.Model],
    key: str,
    desired: dict[str, dict],
    *,
    when_blank: dict[str, dict] | None = None,
) -> tuple[dict[str, models.Model], dict[str, str]]:
    """Make each ``key -> fields`` in ``desired`` true with one read and at most two writes.

    Fields are given by attribute name (``region_id``), so no related row is fetched.
    ``when_blank`` fields are only filled where empty, so an officer's correction stays.
    Returns the rows by key and what happened to each key.
    """
    when_blank = when_blank or {}
    existing = {
        getattr(row, key): row for row in model.objects.filter(**{f"{key}__in": list(desired)})
    }
    rows: dict[str, models.Model] = {}
    outcomes: dict[str, str] = {}
    to_create, to_update, changed_fields = [], [], set()
    for code, fields in sorted(desired.items()):
        row = existing.get(code)
        if row is None:
            row = model(**{key: code}, **{**when_blank.get(code, {}), **fields})
            to_create.append(row)
            outcomes[code] = CREATED
        else:
            fields = {
                **{n: v for n, v in when_blank.get(code, {}).items() if not getattr(row, n)},
                **fields,
            }
            changed = [name for name, value in fields.items() if getattr(row, name) != value]
            for name in changed:
                setattr(row, name, fields[name])
            if changed:
                to_update.append(row)
                changed_fields.update(changed)
            outcomes[code] = UPDATED if changed else UNCHANGED
        rows[code] = row
    model.objects.bulk_create(to_create)
    if to_update:
        model.objects.bulk_update(to_update, sorted(changed_fields))
    return rows, outcomes


def _single_region(region_codes: set[str], regions: dict[str, Region]) -> dict:
    """``region_id`` when every system an organisation serves is in one region, else nothing.

    A trust or council serving systems in two regions has no single region, and the data
    says nothing of where the rest are; leaving the field out keeps any region an officer
    has set by hand.
    """
    if len(region_codes) == 1:
        return {"region_id": regions[next(iter(region_codes))].pk}
    return {}


def write_reference_data(data: ReferenceData, *, path: Path) -> ImportResult:
    """Create or update everything in ``data`` in one transaction, audited as import_ods."""
    tallies = {
        label: Tally(label)
        for label in (
            "regions",
            "systems",
            "ICBs",
            "trusts",
            "local authorities",
            "sub-ICB locations (former CCGs)",
        )
    }
    links = Tally("footprint links", verbs=("added", "ended"))
    step = "regions"
    try:
        with transaction.atomic(), audit_context(command="import_ods"):
            regions, outcomes = _sync(Region, "code", data.regions)
            for outcome in outcomes.values():
                tallies["regions"].count(outcome)

            step = "ICBs"
            icbs, outcomes = _sync(
                Organisation,
                "ods_code",
                {
                    code: {
                        "name": icb_organisation_name(system["name"]),
                        "kind": OrganisationKind.ICB,
                        "region_id": regions[system["region_code"]].pk,
                        "opened": ICBS_ESTABLISHED,
                        "is_demo": False,
                    }
                    for code, system in data.systems.items()
                },
            )
            for outcome in outcomes.values():
                tallies["ICBs"].count(outcome)

            step = "systems"
            systems, outcomes = _sync(
                IntegratedCareSystem,
                "code",
                {
                    code: {
                        "ons_code": system["ons_code"],
                        "name": system["name"],
                        "region_id": regions[system["region_code"]].pk,
                        "icb_id": icbs[code].pk,
                        "go_live": ICBS_ESTABLISHED,
                        # Created established (the field's default). A system's abolition
                        # is written below through the services, for the changes applied,
                        # and never undone here: data that no longer abolishes a system
                        # leaves it as it is rather than reviving it beside its successor.
                    }
                    for code, system in data.systems.items()
                },
            )
            for outcome in outcomes.values():
                tallies["systems"].count(outcome)

            step = "organisations"
            served: dict[str, set[str]] = defaultdict(set)
            for org_code, icb_code in data.footprint:
                served[org_code].add(data.systems[icb_code]["region_code"])
            desired: dict[str, dict] = {}
            label_of: dict[str, str] = {}
            for code, trust in data.trusts.items():
                desired[code] = {
                    **trust,
                    "is_demo": False,
                    **_single_region(served[code], regions),
                }
                label_of[code] = "trusts"
            for code, la in data.local_authorities.items():
                desired[code] = {
                    **la,
                    "kind": OrganisationKind.LOCAL_AUTHORITY,
                    "is_demo": False,
                    **_single_region(served[code], regions),
                }
                label_of[code] = "local authorities"
            for code, icb_code in data.sub_icb_locations.items():
                system = data.systems[icb_code]
                desired[code] = {
                    "name": sub_icb_location_name(system["name"], code),
                    "kind": OrganisationKind.CCG,
                    "region_id": regions[system["region_code"]].pk,
                    "closed": CCGS_ABOLISHED,
                    "is_demo": False,
                }
                label_of[code] = "sub-ICB locations (former CCGs)"
            inferred = {
                code: {"trust_type": trust_type(t["name"])} for code, t in data.trusts.items()
            }
            organisations, outcomes = _sync(Organisation, "ods_code", desired, when_blank=inferred)
            for code, outcome in outcomes.items():
                tallies[label_of[code]].count(outcome)

            step = "successions"
            _add_successions(
                {
                    (organisations[code].pk, icbs[icb_code].pk)
                    for code, icb_code in data.sub_icb_locations.items()
                }
            )

            step = "footprint links"
            organisations.update(icbs)
            pairs = set(data.footprint)
            pairs.update((code, code) for code in data.systems)
            pairs.update(data.sub_icb_locations.items())
            _sync_footprint(
                {(organisations[org].pk, systems[icb].pk) for org, icb in pairs},
                organisation_ids=[row.pk for row in organisations.values()],
                system_ids=[row.pk for row in systems.values()],
                tally=links,
            )

            step = "reorganisations"
            reorganised = _apply_changes(data, regions=regions, icbs=icbs, systems=systems)
    except ValidationError as exc:
        raise ReferenceDataError(f"could not save the {step}: {' '.join(exc.messages)}") from exc
    except IntegrityError as exc:
        raise ReferenceDataError(
            f"could not save the {step}: {integrity_error_message(exc)}"
        ) from exc
    except DatabaseError as exc:
        raise ReferenceDataError(f"could not save the {step}: {exc}") from exc
    return ImportResult(path=path, tallies=[*tallies.values(), links, *reorganised])


def _apply_changes(
    data: ReferenceData,
    *,
    regions: dict[str, Region],
    icbs: dict[str, Organisation],
    systems: dict[str, IntegratedCareSystem],
) -> list[Tally]:
    """Establish the successors, abolish the predecessors and link them (R30).

    Written through the services, one row at a time (a handful of rows), and only where
    the database differs from the data, so that a second run writes nothing and records
    no audit event.
    """
    successor_icbs = Tally("successor ICBs")
    successor_systems = Tally("successor systems")
    abolished_systems = Tally("abolished systems")
    system_links = Tally("system successions")
    organisation_links = Tally("ICB successions")

    new = [change for change in data.changes if change.is_new]
    codes = [change.successor_code for change in new]
    existing_icbs = {
        row.ods_code: row
        for row in Organisation.objects.filter(ods_code__in=codes)
        .select_related("region")
        .prefetch_related("systems")
    }
    existing_systems = {
        row.code: row
        for row in IntegratedCareSystem.objects.filter(code__in=codes).select_related(
            "region", "icb"
        )
    }
    for change in new:
        code, region = change.successor_code, regions[change.region_code]
        name = system_name(change.legal_name)
        icb_fields = {
            "name": icb_organisation_name(name),
            "kind": OrganisationKind.ICB,
            "region": region,
            "opened": change.effective,
            "is_demo": False,
        }
        icb = existing_icbs.get(code)
        if icb is None:
            icb = organisation_create(ods_code=code, **icb_fields)
            successor_icbs.count(CREATED)
        else:
            successor_icbs.count(_update(organisation_update, "organisation", icb, icb_fields))
        icbs[code] = icb
        system_fields = {
            "ons_code": change.ons_code or "",
            "name": name,
            "region": region,
            "icb": icb,
            "status": SystemStatus.ESTABLISHED,
            "go_live": change.effective,
            "abolished": None,
        }
        system = existing_systems.get(code)
        if system is None:
            system = record_create(IntegratedCareSystem, code=code, **system_fields)
            successor_systems.count(CREATED)
        else:
            successor_systems.count(_update(record_update, "instance", system, system_fields))
        systems[code] = system
        linked = list(icb.systems.all())
        if system not in linked:
            organisation_update(organisation=icb, systems=[*linked, system])

    for code, last_day in sorted(last_days(data.changes).items()):
        system = systems[code]
        abolished_systems.count(
            _update(
                record_update,
                "instance",
                system,
                {"status": SystemStatus.ABOLISHED, "abolished": last_day},
            )
        )
        _update(organisation_update, "organisation", icbs[code], {"closed": last_day})

    pairs = [(c, p) for c in data.changes for p in c.predecessors]
    for model, rows, tally in (
        (SystemSuccession, systems, system_links),
        (OrganisationSuccession, icbs, organisation_links),
    ):
        recorded = {
            (row.predecessor_id, row.successor_id): row
            for row in model.objects.filter(
                predecessor__in=[rows[p.code] for _, p in pairs],
                successor__in=[rows[c.successor_code] for c, _ in pairs],
            )
        }
        for change, predecessor in pairs:
            before, after = rows[predecessor.code], rows[change.successor_code]
            fields = {
                "kind": predecessor.kind,
                "effective": change.effective,
                **succession_source(predecessor.sources),
            }
            row = recorded.get((before.pk, after.pk))
            if row is None:
                record_create(model, predecessor=before, successor=after, **fields)
                tally.count(CREATED)
            else:
                tally.count(_update(record_update, "instance", row, fields))
    return [successor_icbs, successor_systems, abolished_systems, system_links, organisation_links]


def _update(service, argument: str, row: models.Model, fields: dict) -> str:
    """Call ``service`` with only the fields that differ; none differing, do not call it."""
    changed = {name: value for name, value in fields.items() if getattr(row, name) != value}
    if not changed:
        return UNCHANGED
    service(**{argument: row}, **changed)
    return UPDATED


def _add_successions(pairs: set[tuple[int, int]]) -> None:
    """Record each former CCG as succeeded by its ICB on 1 July 2022 (R30), once."""
    recorded = set(
        OrganisationSuccession.objects.filter(
            predecessor_id__in={predecessor for predecessor, _ in pairs}
        ).values_list("predecessor_id", "successor_id")
    )
    OrganisationSuccession.objects.bulk_create(
        OrganisationSuccession(
            predecessor_id=predecessor,
            successor_id=successor,
            kind=SuccessionKind.TRANSFER_OF_FUNCTIONS,
            effective=ICBS_ESTABLISHED,
        )
        for predecessor, successor in sorted(pairs - recorded)
    )


def _sync_footprint(
    desired: set[tuple[int, int]],
    *,
    organisation_ids: list[int],
    system_ids: list[int],
    tally: Tally,
    today: datetime.date | None = None,
) -> None:
    """Link organisations to the systems they serve; end the links the data no longer lists.

    Only links between imported organisations and imported systems are the import's to
    end; a link an officer made to any other system stays. A link in force today that the
    data drops ends yesterday, so compliance on earlier dates still reads it (one starting
    later is removed); a pair linked before, ended by a reorganisation, is not linked again.
    """
    today = today or timezone.localdate()
    through = OrganisationSystemLink
    links = through.objects.filter(
        organisation_id__in=organisation_ids, integratedcaresystem_id__in=system_ids
    )
    known = set(links.values_list("organisation_id", "integratedcaresystem_id"))
    to_add = sorted(desired - known)
    running = [
        link
        for link in links.filter(in_force_on(today, "start", "end"))
        if (link.organisation_id, link.integratedcaresystem_id) not in desired
    ]
    through.objects.bulk_create(
        through(organisation_id=organisation_id, integratedcaresystem_id=system_id)
        for organisation_id, system_id in to_add
    )
    for link in running:
        if link.start is not None and link.start >= today:
            link.delete()
        else:
            link.end = today - datetime.timedelta(days=1)
            link.save(update_fields=["end"])
    tally.created = len(to_add)
    tally.removed = len(running)
    tally.unchanged = len(known & desired)


def import_ods(path: Path | str = DEFAULT_PATH) -> ImportResult:
    """Read the ODS reference data in ``path`` and bring the database up to date with it."""
    path = Path(path)
    return write_reference_data(read_reference_data(path), path=path)
