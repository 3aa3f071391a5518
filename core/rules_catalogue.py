"""The rules catalogue: each rule the registry cites (R1, R2, ...), declared once.

The rules live in ``rules_catalogue.yaml`` beside this module, as data an officer can
read. Everything else cites a rule by its code alone, in a message ("... (R20)."), a help
text, a finding's ``rule`` or a requirement of a rule set; the officers' pages link each
code to ``/rules/<code>/``, which shows the entry. ``tests/test_rules_catalogue.py`` fails
when the code cites a rule the catalogue lacks, or the catalogue holds one nothing cites.

Code that checks a rule declares it with :func:`checks`, so the rule's page can say which
checks use it.
"""

import functools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

CATALOGUE_FILE = Path(__file__).with_name("rules_catalogue.yaml")

# A rule code, or a range of them ("R25-R27"), as code and messages cite them.
CITATION = re.compile(r"\bR(\d{1,2})(?:\s*[-\u2013]\s*R(\d{1,2}))?\b")
CODE = re.compile(r"R[1-9]\d?")


class CatalogueError(ValueError):
    """The catalogue file is not as this module expects."""


@dataclass(frozen=True)
class Source:
    citation: str
    url: str = ""


@dataclass(frozen=True)
class Rule:
    code: str
    area: str
    title: str
    explanation: str
    met: str
    source: Source
    not_checked: str = ""

    @property
    def number(self) -> int:
        return int(self.code[1:])


@dataclass(frozen=True)
class Area:
    code: str
    title: str
    rules: tuple[Rule, ...]


@dataclass(frozen=True)
class Catalogue:
    areas: tuple[Area, ...]

    @functools.cached_property
    def by_code(self) -> dict[str, Rule]:
        return {rule.code: rule for area in self.areas for rule in area.rules}

    def __iter__(self) -> Iterator[Rule]:
        return iter(sorted(self.by_code.values(), key=lambda rule: rule.number))

    def __contains__(self, code: object) -> bool:
        return code in self.by_code

    def get(self, code: str) -> Rule | None:
        return self.by_code.get(code)


RULE_FIELDS = {"code", "area", "title", "explanation", "met", "source", "not_checked"}


def _rule(entry: dict, areas: set[str]) -> Rule:
    code = entry.get("code", "")
    if not isinstance(code, str) or not CODE.fullmatch(code):
        raise CatalogueError(f"A rule's code must be R and a number, not {code!r}.")
    unknown = set(entry) - RULE_FIELDS
    missing = {"area", "title", "explanation", "met", "source"} - set(entry)
    if unknown or missing:
        raise CatalogueError(
            f"{code}: unknown fields {sorted(unknown)}, missing {sorted(missing)}."
        )
    if entry["area"] not in areas:
        raise CatalogueError(f"{code}: no area {entry['area']!r}.")
    source = entry["source"]
    if not isinstance(source, dict) or not source.get("citation"):
        raise CatalogueError(f"{code}: the source needs a citation.")
    url = source.get("url") or ""
    if url and not url.startswith("https://"):
        raise CatalogueError(f"{code}: the source's url must start with https://.")
    texts = [entry[name] for name in ("title", "explanation", "met")]
    if not all(isinstance(text, str) and text.strip() for text in texts):
        raise CatalogueError(f"{code}: title, explanation and met must be written.")
    return Rule(
        code=code,
        area=entry["area"],
        title=entry["title"].strip(),
        explanation=entry["explanation"].strip(),
        met=entry["met"].strip(),
        source=Source(citation=source["citation"].strip(), url=url),
        not_checked=(entry.get("not_checked") or "").strip(),
    )


def parse(text: str) -> Catalogue:
    """The catalogue in ``text`` (YAML), checked: codes unique, every field written."""
    data = yaml.safe_load(text)
    areas = [(a["code"], a["title"]) for a in data["areas"]]
    area_codes = {code for code, _ in areas}
    rules = [_rule(entry, area_codes) for entry in data["rules"]]
    codes = [rule.code for rule in rules]
    if len(set(codes)) != len(codes):
        twice = sorted({code for code in codes if codes.count(code) > 1})
        raise CatalogueError(f"Rules declared twice: {', '.join(twice)}.")
    grouped = tuple(
        Area(
            code=code,
            title=title,
            rules=tuple(sorted((r for r in rules if r.area == code), key=lambda r: r.number)),
        )
        for code, title in areas
    )
    return Catalogue(areas=tuple(area for area in grouped if area.rules))


@functools.cache
def catalogue() -> Catalogue:
    """The catalogue shipped with the registry, read once per process."""
    return parse(CATALOGUE_FILE.read_text(encoding="utf-8"))


def cited_codes(text: str) -> list[str]:
    """Every rule code ``text`` cites, in order, a range ("R25-R27") giving each code in it."""
    codes = []
    for match in CITATION.finditer(text):
        first = int(match.group(1))
        last = int(match.group(2) or first)
        codes.extend(f"R{number}" for number in range(first, max(first, last) + 1))
    return codes


# -- checks declare the rules they check ---------------------------------------------------


@dataclass(frozen=True)
class Check:
    """A function of the registry that checks one or more rules, said as an officer would."""

    what: str
    rules: tuple[str, ...]
    function: str  # module and name, for developers


CHECKS: list[Check] = []


def checks(*rules: str, what: str) -> Callable:
    """Declare that the decorated function checks ``rules``; ``what`` says what it checks.

    ``@checks("R25", "R27", what="Whether a meeting was quorate at each item")``
    """
    for code in rules:
        if not CODE.fullmatch(code):
            raise CatalogueError(f"{code!r} is not a rule code.")

    def declare(function: Callable) -> Callable:
        CHECKS.append(Check(what, rules, f"{function.__module__}.{function.__qualname__}"))
        return function

    return declare


def checks_of(code: str) -> list[Check]:
    """The declared checks of the rule ``code``."""
    return [check for check in CHECKS if code in check.rules]
