"""The governance structure diagram of a system, drawn as SVG on the server.

Pure functions, no database and no JavaScript: ``layout`` places a box for every body,
board and committee of a ``SystemStructure`` (``decisions.selectors.system_structure``) in
layers no wider than ``MAX_WIDTH``, so the diagram fits a 1366 px screen without sideways
scrolling; ``render_svg`` draws the boxes, each a link to its page, and the delegations
between them as numbered dashed arrows with a key. All text is escaped. The SVG carries
no ``<style>`` (the Content-Security-Policy refuses inline styles): its font, hover and
focus styles are the ``.ics-structure`` rules in web/static/web/web.css.

The layers: organisations delegating into the system (NHS England, councils) on top; the
ICB with its board and committees, the ICP beside it; then the place-based partnerships,
the provider collaboratives and the system's other bodies, each a row of panels that wraps
when there are many.
"""

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

from bodies.models import BodyKind
from core.dates import en_gb
from decisions.selectors.structure import (
    Node,
    StructureBody,
    StructureCommittee,
    StructureDelegation,
    SystemStructure,
)

MAX_WIDTH = 1200
MARGIN = 4
GAP = 16  # between panels
INNER_GAP = 10  # between boxes in a panel
PAD = 10  # inside a panel
BOX_PAD = 8  # inside a box
INDENT = 14  # a sub-committee under its parent
LINE = 16  # line height of 13 px text
HEAD_LINE = 18  # line height of 15 px bold text
MIN_CELL = 172  # narrowest committee column
MIN_PANEL = 270  # narrowest panel of a place or collaborative
# Average advance of a character, generous for Frutiger, Arial and Liberation Sans, so a
# wrapped line never overruns its box.
CHAR_WIDTH = {13: 7.0, 12: 6.6, 15: 8.6}

NHS_BLUE = "#005eb8"
NHS_DARK_BLUE = "#003087"
NHS_GREY = "#425563"
NHS_PALE_GREY = "#e8edee"
NHS_WHITE = "#ffffff"
NHS_BLACK = "#212b32"


def wrap(text: str, width: float, size: int = 13) -> list[str]:
    """``text`` in lines that fit ``width`` px at ``size`` px, broken between words (a word
    too long for a line is broken inside it)."""
    limit = max(4, int(width // CHAR_WIDTH[size]))
    lines: list[str] = []
    line = ""
    for word in text.split():
        while len(word) > limit:
            if line:
                lines.append(line)
                line = ""
            lines.append(word[: limit - 1] + "-")
            word = word[limit - 1 :]
        candidate = f"{line} {word}" if line else word
        if len(candidate) <= limit:
            line = candidate
        else:
            lines.append(line)
            line = word
    if line or not lines:
        lines.append(line)
    return lines


@dataclass
class Box:
    """A link drawn as a rectangle with wrapped text."""

    node: Node
    x: float
    y: float
    w: float
    h: float
    lines: list[str]
    href: str
    style: str  # body, board, committee, sub, organisation
    note: str = ""  # a smaller last line: the kind of body or committee

    @property
    def bottom(self) -> float:
        return self.y + self.h

    @property
    def right(self) -> float:
        return self.x + self.w


@dataclass
class Panel:
    """A body: a pale area holding its heading (a box) and its committees."""

    x: float
    y: float
    w: float
    h: float
    boxes: list[Box] = field(default_factory=list)


@dataclass
class Heading:
    x: float
    y: float
    text: str


@dataclass
class Layout:
    width: float
    height: float
    panels: list[Panel]
    boxes: list[Box]
    headings: list[Heading]
    arrows: list[tuple[list[int], list[StructureDelegation], Box, Box]]
    """One arrow per delegator and delegate: the numbers and delegations it stands for."""
    key_top: float
    key_lines: list[tuple[int, list[str]]]


def _box(
    node: Node, x: float, y: float, w: float, text: str, *, href: str, style: str, note: str = ""
) -> Box:
    """A box ``w`` wide at (x, y), as tall as ``text`` wrapped in it and its note; a body's
    heading is in 15 px bold, every other box in 13 px."""
    size, line = (15, HEAD_LINE) if style == "body" else (13, LINE)
    lines = wrap(text, w - 2 * BOX_PAD, size)
    h = 2 * BOX_PAD + len(lines) * line + (LINE if note else 0) - 2
    return Box(node=node, x=x, y=y, w=w, h=h, lines=lines, href=href, style=style, note=note)


def _committee_column(
    committee: StructureCommittee, x: float, y: float, w: float, depth: int, url
) -> list[Box]:
    """A committee and, indented beneath it, its sub-committees."""
    indent = min(depth, 3) * INDENT
    board = committee.kind == "board"
    box = _box(
        committee.node,
        x + indent,
        y,
        w - indent,
        committee.name,
        href=url(committee),
        style="board" if board else ("sub" if depth else "committee"),
        note="" if board else committee.kind_label,
    )
    boxes = [box]
    below = box.bottom + INNER_GAP / 2
    for sub in committee.sub_committees:
        column = _committee_column(sub, x, below, w, depth + 1, url)
        boxes.extend(column)
        below = column[-1].bottom + INNER_GAP / 2
    return boxes


def _panel(body: StructureBody, x: float, y: float, w: float, urls) -> Panel:
    """A body's panel at (x, y), ``w`` wide: heading, board, then its committees in as many
    columns as fit."""
    body_url, committee_url = urls
    inner = w - 2 * PAD
    heading = _box(
        body.node,
        x + PAD,
        y + PAD,
        inner,
        body.name,
        href=body_url(body),
        style="body",
        note=body.kind_label,
    )
    panel = Panel(x=x, y=y, w=w, h=0, boxes=[heading])
    cursor = heading.bottom + INNER_GAP
    tops = list(body.committees)
    if body.board is not None:
        board = body.board
        box = _box(
            board.node,
            x + PAD,
            cursor,
            inner,
            board.name,
            href=committee_url(board),
            style="board",
            # A board named like its body is still its own page: say which it is.
            note="Board" if board.name == body.name else "",
        )
        panel.boxes.append(box)
        cursor = box.bottom + INNER_GAP
        tops = [*board.sub_committees, *tops]
    if tops:
        # As many columns as fit, however few committees: a lone committee keeps its size.
        columns = max(1, int((inner + INNER_GAP) // (MIN_CELL + INNER_GAP)))
        cell = (inner - (columns - 1) * INNER_GAP) / columns
        for start in range(0, len(tops), columns):
            row_bottom = cursor
            for i, committee in enumerate(tops[start : start + columns]):
                column = _committee_column(
                    committee, x + PAD + i * (cell + INNER_GAP), cursor, cell, 0, committee_url
                )
                panel.boxes.extend(column)
                row_bottom = max(row_bottom, column[-1].bottom)
            cursor = row_bottom + INNER_GAP
    panel.h = cursor - INNER_GAP + PAD - y
    return panel


def _rows_of_panels(bodies, y: float, widths: list[float], urls) -> tuple[list[Panel], float]:
    """The bodies' panels from the left margin, ``len(widths)`` to a row with those widths,
    wrapping; the panels of a row as tall as its tallest. Returns them and the y below."""
    panels: list[Panel] = []
    for start in range(0, len(bodies), len(widths)):
        row, x = [], float(MARGIN)
        for body, w in zip(bodies[start : start + len(widths)], widths, strict=False):
            row.append(_panel(body, x, y, w, urls))
            x += w + GAP
        tallest = max(p.h for p in row)
        for p in row:
            p.h = tallest
        panels.extend(row)
        y += tallest + GAP
    return panels, y


def _equal_widths(count: int, width: float) -> list[float]:
    """Equal panel widths for ``count`` bodies, as many to a row as fit."""
    fit = max(1, int((width + GAP) // (MIN_PANEL + GAP)))
    # A lone body takes a third of the width, not all of it.
    columns = max(min(count, fit), min(fit, 3))
    return [(width - (columns - 1) * GAP) / columns] * columns


def delegation_summary(delegation: StructureDelegation) -> str:
    """'NHS England to NHS Somerset ICB: primary medical services commissioning (delegation
    agreement), up to £2,000,000, since 1 July 2022'."""
    text = (
        f"{delegation.delegator.name} to {delegation.delegate.name}: "
        f"{', '.join(delegation.functions)} ({delegation.instrument})"
    )
    if delegation.financial_limit is not None:
        text += f", up to £{delegation.financial_limit:,.0f}"
    text += f", since {en_gb(delegation.start)}"
    if delegation.end:
        text += f", until {en_gb(delegation.end)}"
    return text


def layout(
    structure: SystemStructure,
    *,
    body_url: Callable[[StructureBody], str],
    committee_url: Callable[[StructureCommittee], str],
    organisation_url: Callable[[int], str] = lambda pk: "",
    width: float = MAX_WIDTH,
) -> Layout:
    """Where every box, panel, heading and arrow of ``structure``'s diagram goes."""
    urls = (body_url, committee_url)
    usable = width - 2 * MARGIN
    panels: list[Panel] = []
    headings: list[Heading] = []
    boxes: list[Box] = []
    y = MARGIN

    if structure.organisations:
        headings.append(Heading(MARGIN, y + 13, "Delegating from outside the system"))
        y += 22
        count = len(structure.organisations)
        columns = max(1, min(count, int((usable + GAP) // (MIN_CELL + 60 + GAP))))
        w = (usable - (columns - 1) * GAP) / columns
        w = min(w, 320)
        row_bottom = y
        for i, (pk, name) in enumerate(structure.organisations.items()):
            col, row = i % columns, i // columns
            if col == 0 and i:
                y = row_bottom + INNER_GAP
            box = _box(
                Node("organisation", pk),
                MARGIN + col * (w + GAP),
                y,
                w,
                name,
                href=organisation_url(pk),
                style="organisation",
            )
            boxes.append(box)
            row_bottom = max(row_bottom, box.bottom)
        # Room for the arrows to come down from these boxes.
        y = row_bottom + 3 * GAP

    icb = structure.bodies_of(BodyKind.ICB)
    icp = structure.bodies_of(BodyKind.ICP)
    if icb or icp:
        if icb and icp:
            icp_w = max(MIN_PANEL, usable // 4)
            widths = [usable - GAP - icp_w, icp_w]
        else:
            widths = [usable]
        # More than one ICB or ICP in force on a date (one abolished that day, its
        # successor established): the next row.
        row, y = _rows_of_panels(icb + icp, y, widths, urls)
        panels.extend(row)
        y += GAP

    for title, kinds in (
        ("Place-based partnerships", (BodyKind.PLACE_PARTNERSHIP,)),
        ("Provider collaboratives", (BodyKind.PROVIDER_COLLABORATIVE,)),
        (
            "Other bodies of the system",
            (BodyKind.HEALTH_AND_WELLBEING_BOARD, BodyKind.SYSTEM_GROUP),
        ),
    ):
        bodies = structure.bodies_of(*kinds)
        if not bodies:
            continue
        headings.append(Heading(MARGIN, y + 13, title))
        y += 22
        row, y = _rows_of_panels(bodies, y, _equal_widths(len(bodies), usable), urls)
        panels.extend(row)
        y += GAP

    for panel in panels:
        boxes.extend(panel.boxes)
    by_node = {b.node: b for b in boxes}
    arrows: dict[tuple[Node, Node], tuple[list, list, Box, Box]] = {}
    key_lines = []
    key_top = y
    for number, delegation in enumerate(structure.delegations, start=1):
        source = by_node.get(delegation.delegator.node)
        target = by_node.get(delegation.delegate.node)
        if source is not None and target is not None and source is not target:
            numbers, delegations, _, _ = arrows.setdefault(
                (source.node, target.node), ([], [], source, target)
            )
            numbers.append(number)
            delegations.append(delegation)
        key_lines.append((number, wrap(delegation_summary(delegation), usable - 34, 12)))
    if key_lines:
        y += 22 + sum(len(lines) * LINE + 4 for _, lines in key_lines)
    return Layout(
        width=width,
        height=math.ceil(y + MARGIN),
        panels=panels,
        boxes=boxes,
        headings=headings,
        arrows=list(arrows.values()),
        key_top=key_top,
        key_lines=key_lines,
    )


# --- Drawing ---------------------------------------------------------------------------

FILL = {
    "body": (NHS_DARK_BLUE, NHS_WHITE, NHS_DARK_BLUE),
    "board": (NHS_BLUE, NHS_WHITE, NHS_BLUE),
    "committee": (NHS_WHITE, NHS_BLACK, NHS_BLUE),
    "sub": (NHS_WHITE, NHS_BLACK, NHS_GREY),
    "organisation": (NHS_WHITE, NHS_BLACK, NHS_GREY),
}


def _el(tag: str, content: str | None = None, /, **attrs) -> str:
    """An SVG element; attribute names in Python spelling (``stroke_width``, ``class_``),
    numbers to one decimal place, every value escaped. ``content`` is already markup."""
    rendered = " ".join(
        f"{name.rstrip('_').replace('_', '-')}="
        + quoteattr(f"{value:.1f}" if isinstance(value, float) else str(value))
        for name, value in attrs.items()
    )
    if content is None:
        return f"<{tag} {rendered}/>"
    return f"<{tag} {rendered}>{content}</{tag}>"


def _text(x, y, text, *, size=13, weight="normal", fill=NHS_BLACK, anchor="start") -> str:
    return _el(
        "text",
        escape(text),
        x=float(x),
        y=float(y),
        font_size=size,
        font_weight=weight,
        fill=fill,
        text_anchor=anchor,
    )


def _number(x: float, y: float, label: str) -> str:
    """Delegations' numbers ('3, 4') in a rounded label centred on (x, y)."""
    w = max(20.0, len(label) * CHAR_WIDTH[12] + 10)
    return _el(
        "rect",
        x=x - w / 2,
        y=y - 10.0,
        width=w,
        height=20,
        rx=10,
        fill=NHS_WHITE,
        stroke=NHS_DARK_BLUE,
        stroke_width=2,
    ) + _text(x, y + 4.5, label, size=12, weight="bold", fill=NHS_DARK_BLUE, anchor="middle")


def _draw_box(box: Box) -> str:
    fill, ink, stroke = FILL[box.style]
    dashes = {"stroke_dasharray": "4 3"} if box.style == "organisation" else {}
    parts = [
        _el(
            "rect",
            x=box.x,
            y=box.y,
            width=box.w,
            height=box.h,
            rx=4,
            fill=fill,
            stroke=stroke,
            stroke_width=1.5,
            **dashes,
        )
    ]
    head = box.style == "body"
    size, line, weight = (15, HEAD_LINE, "bold") if head else (13, LINE, "normal")
    y = box.y + BOX_PAD + size - 2
    for text in box.lines:
        parts.append(_text(box.x + BOX_PAD, y, text, size=size, weight=weight, fill=ink))
        y += line
    if box.note:
        note_ink = NHS_PALE_GREY if box.style in ("body", "board") else NHS_GREY
        parts.append(_text(box.x + BOX_PAD, y - 1, box.note, size=12, fill=note_ink))
    # The accessible name is the text the box shows (name, then its note), as sighted
    # users read it.
    return _el("a", "".join(parts), href=box.href or "#")


def _arrow_path(source: Box, target: Box) -> tuple[str, float, float]:
    """A curve from ``source`` to ``target``, and its midpoint for the number."""
    if source.bottom <= target.y or target.bottom <= source.y:  # one above the other
        down = source.bottom <= target.y
        x1, x2 = source.x + source.w / 2, target.x + target.w / 2
        # Straight down (or up) when one box spans the other's centre.
        if source.x <= x2 <= source.right:
            x1 = x2
        elif target.x <= x1 <= target.right:
            x2 = x1
        y1, y2 = (source.bottom, target.y) if down else (source.y, target.bottom)
        bend = (y2 - y1) / 2
        controls = (x1, y1 + bend, x2, y2 - bend)
    else:  # side by side
        x1, x2 = (source.right, target.x) if source.right <= target.x else (source.x, target.right)
        y1, y2 = source.y + source.h / 2, target.y + target.h / 2
        bend = (x2 - x1) / 2
        controls = (x1 + bend, y1, x2 - bend, y2)
    c1x, c1y, c2x, c2y = controls
    path = f"M{x1:.1f},{y1:.1f} C{c1x:.1f},{c1y:.1f} {c2x:.1f},{c2y:.1f} {x2:.1f},{y2:.1f}"
    return path, (x1 + x2) / 2, (y1 + y2) / 2


def render_svg(structure: SystemStructure, plan: Layout) -> str:
    """The diagram of ``structure`` laid out by ``plan``, as an inline SVG element."""
    title = (
        f"Governance structure of {structure.ics.name} integrated care system "
        f"on {en_gb(structure.as_of)}"
    )
    committees = sum(len(list(b.all_committees())) for b in structure.bodies)
    desc = (
        f"{len(structure.bodies)} bodies with {committees} boards and committees, and "
        f"{len(structure.delegations)} delegations in force. Each box links to its page; "
        "the same structure is listed as text after the diagram."
    )
    width, height = f"{plan.width:.0f}", f"{plan.height:.0f}"
    marker = _el(
        "marker",
        _el("path", d="M0,0 L10,5 L0,10 z", fill=NHS_DARK_BLUE),
        id="structure-arrow",
        viewBox="0 0 10 10",
        refX=9,
        refY=5,
        markerWidth=7,
        markerHeight=7,
        orient="auto-start-reverse",
    )
    out = [
        _el("title", escape(title), id="structure-title"),
        _el("desc", escape(desc), id="structure-desc"),
        f"<defs>{marker}</defs>",
    ]
    out += [_text(h.x, h.y, h.text, size=15, weight="bold") for h in plan.headings]
    out += [
        _el("rect", x=p.x, y=p.y, width=p.w, height=p.h, rx=6, fill=NHS_PALE_GREY)
        for p in plan.panels
    ]
    out += [_draw_box(box) for box in plan.boxes]
    # Arrows over the boxes, so that none hides behind a panel; numbers over the arrows.
    labels = []
    for numbers, delegations, source, target in plan.arrows:
        path, mx, my = _arrow_path(source, target)
        summary = "; ".join(
            f"{n}. {delegation_summary(d)}" for n, d in zip(numbers, delegations, strict=True)
        )
        # A white line beneath the dashes keeps them visible over dark and pale boxes.
        out.append(_el("path", d=path, fill="none", stroke=NHS_WHITE, stroke_width=5))
        out.append(
            _el(
                "path",
                _el("title", escape(summary)),
                d=path,
                fill="none",
                stroke=NHS_DARK_BLUE,
                stroke_width=2,
                stroke_dasharray="6 4",
                marker_end="url(#structure-arrow)",
            )
        )
        label = ", ".join(str(n) for n in numbers)
        labels.append(_el("g", _number(mx, my, label), aria_hidden="true"))
    out += labels
    if plan.key_lines:
        y = plan.key_top + 13
        out.append(_text(MARGIN, y, "Delegations in force", size=15, weight="bold"))
        y += 8
        for number, lines in plan.key_lines:
            out.append(_number(MARGIN + 10, y + 12, str(number)))
            for line in lines:
                y += LINE
                out.append(_text(MARGIN + 30, y, line, size=12))
            y += 4
    return _el(
        "svg",
        "\n".join(out),
        xmlns="http://www.w3.org/2000/svg",
        class_="ics-structure",
        role="group",
        viewBox=f"0 0 {width} {height}",
        width=width,
        height=height,
        aria_labelledby="structure-title structure-desc",
    )
