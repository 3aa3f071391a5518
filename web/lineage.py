"""A system's lineage in officers' words (R30): how it was formed, how it ended, and the
cluster it was in on the date shown.

"Formed on 1 April 2026 from the merger of Northshire and Southshire."
"Abolished on 31 March 2026; succeeded by Northshire and Southshire."
"In the Northshire and Southshire cluster with Southshire, sharing the chair and chief
executive."

Each system named links to its page on the day that matters: a predecessor on its last
day, a successor on its first.
"""

import datetime
from itertools import groupby

from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from bodies.models import SuccessionKind
from bodies.selectors import ClusterOnDate, Link
from core.dates import en_gb

ONE_DAY = datetime.timedelta(days=1)


def system_link(ics, on: datetime.date | None = None) -> SafeString:
    url = reverse("web:system", args=[ics.code])
    if on is not None:
        url = f"{url}?as_of={on.isoformat()}"
    return format_html('<a href="{}">{}</a>', url, ics.name)


def in_words(items: list[SafeString]) -> SafeString:
    """'A', 'A and B', 'A, B and C'."""
    if len(items) < 2:
        return format_html_join("", "{}", ((item,) for item in items))
    return format_html(
        "{} and {}", format_html_join(", ", "{}", ((item,) for item in items[:-1])), items[-1]
    )


def _by_kind_and_day(links: list[Link]):
    ordered = sorted(links, key=lambda link: (link.effective, link.kind, link.other.name))
    for (effective, kind), group in groupby(ordered, key=lambda link: (link.effective, link.kind)):
        yield effective, kind, [link.other for link in group]


FORMED = {
    SuccessionKind.MERGER: "{formed} on {day} from the merger of {names}.",
    SuccessionKind.SPLIT: "{formed} on {day} from the split of {names}.",
    SuccessionKind.RENAME: "{formed} on {day}, renamed from {names}.",
    SuccessionKind.TRANSFER_OF_FUNCTIONS: "{formed} on {day}, taking over the functions of "
    "{names}.",
    SuccessionKind.BOUNDARY_TRANSFER: "Took over part of the area of {names} on {day}.",
}
ENDED = {
    SuccessionKind.MERGER: "Merged into {names} on {day}.",
    SuccessionKind.SPLIT: "Split into {names} on {day}.",
    SuccessionKind.RENAME: "Renamed {names} on {day}.",
    SuccessionKind.TRANSFER_OF_FUNCTIONS: "Its functions passed to {names} on {day}.",
    SuccessionKind.BOUNDARY_TRANSFER: "Part of its area passed to {names} on {day}.",
}


def lineage_sentences(
    ics, *, predecessors: list[Link], successors: list[Link], today: datetime.date
) -> list[SafeString]:
    """How ``ics`` was formed and how it ended, one sentence each; in the future tense
    for what is still to come ``today`` (a merger planned for 1 April 2027)."""
    sentences = []
    for effective, kind, others in _by_kind_and_day(predecessors):
        formed = "Formed" if effective <= today else "To be formed"
        names = in_words([system_link(other, effective - ONE_DAY) for other in others])
        sentences.append(
            format_html(FORMED[kind], formed=formed, day=en_gb(effective), names=names)
        )
    ending = [link for link in successors if link.kind != SuccessionKind.BOUNDARY_TRANSFER]
    transfers = [link for link in successors if link.kind == SuccessionKind.BOUNDARY_TRANSFER]
    if ics.abolished is not None:
        verb = "Abolished" if ics.abolished < today else "To be abolished"
        names = in_words([system_link(link.other, link.effective) for link in ending])
        if ending:
            sentences.append(
                format_html("{} on {}; succeeded by {}.", verb, en_gb(ics.abolished), names)
            )
        else:
            sentences.append(format_html("{} on {}.", verb, en_gb(ics.abolished)))
        successors = transfers
    for effective, kind, others in _by_kind_and_day(successors):
        names = in_words([system_link(other, effective) for other in others])
        sentences.append(format_html(ENDED[kind], day=en_gb(effective), names=names))
    return sentences


def cluster_sentence(found: ClusterOnDate | None, *, as_of: datetime.date) -> SafeString | None:
    """'In the X cluster with Y, sharing the chair and chief executive.'"""
    if found is None:
        return None
    name = found.cluster.name
    if not name.lower().endswith("cluster"):
        name = f"{name} cluster"
    sentence = format_html("In the {}", name)
    if found.others:
        others = in_words([system_link(other, as_of) for other in found.others])
        sentence = format_html("{} with {}", sentence, others)
    if found.shared_posts:
        sentence = format_html("{}, sharing the {}", sentence, " and ".join(found.shared_posts))
    return format_html("{}.", sentence)
