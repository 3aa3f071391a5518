"""``{% load links %}``: links to pages that may not exist yet (``web/links.py``).

- ``{% url_if_ready 'web:seat_appoint' seat.pk as appoint_url %}``: the URL, or "" when
  the name does not resolve (then ``{% if appoint_url %}`` leaves the link out).
- ``{{ membership.person_id|person_url }}``: the person's page.
"""

from django import template

from web import links

register = template.Library()


@register.simple_tag
def url_if_ready(name, *args) -> str:
    return links.url_if_ready(name, *args)


@register.filter
def person_url(person_id) -> str:
    return links.person_url(person_id)
