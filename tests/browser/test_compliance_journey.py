"""Journey 3's last step in a real browser: a partner member leaves, and the board's
compliance tag changes from the next day; appointing again puts it back.

It uses the Dorset ICB board, which no other browser test looks at, and leaves it as it
found it on today's date (the member is re-appointed from today).
"""

import datetime
import re

from django.utils import timezone
from playwright.sync_api import expect

from memberships.models import Membership
from tests.browser.helpers import assert_accessible, fill_date


def board_tag(page):
    return page.locator("h2", has_text="Compliance on").locator(".nhsuk-tag")


def test_a_board_without_its_local_authority_member_is_a_statutory_breach(signed_in_page):
    page = signed_in_page
    today = timezone.localdate()
    yesterday = today - datetime.timedelta(days=1)
    held = Membership.objects.select_related("person").get(
        ics__name="Dorset",
        seat__role="local_authority_partner_member",
        seat__committee__kind="board",
        start__lte=today,
        end__isnull=True,
    )
    board = f"/committees/{held.committee_id}/"

    page.goto(board)
    expect(board_tag(page)).not_to_have_text("Statutory breach")
    before = board_tag(page).inner_text()

    # The member left yesterday: from today the ICB has no local authority partner member.
    page.goto(f"/memberships/{held.pk}/end/")
    fill_date(page, yesterday.day, yesterday.month, yesterday.year)
    page.get_by_label("Resigned").check()
    page.get_by_role("button", name="End the membership").click()
    expect(page).to_have_url(re.compile(f"{board}$"))
    expect(board_tag(page)).to_have_text("Statutory breach")
    expect(page.locator("#findings")).to_contain_text("local authority partner member")
    assert_accessible(page)

    # Yesterday, they were still in post: the board was as before.
    page.goto(f"{board}?as_of={yesterday.isoformat()}")
    expect(board_tag(page)).to_have_text(before)

    # Re-appointed from today, the board is as it was.
    page.goto(f"/seats/{held.seat_id}/appoint/?q={held.person.family_name}")
    page.get_by_label(held.person.name).check()
    fill_date(page, today.day, today.month, today.year)
    page.get_by_label("Substantive").check()
    on_behalf = held.on_behalf_of
    if on_behalf is not None:
        page.get_by_label(on_behalf.name).check()
    page.get_by_role("button", name="Appoint").click()
    expect(page).to_have_url(re.compile(f"{board}$"))
    expect(board_tag(page)).to_have_text(before)
