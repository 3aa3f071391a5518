"""``{% load links %}``: ``{{ membership.person_id|person_url }}``, a person's page."""

from django import template

from web import links

register = template.Library()


@register.filter
def person_url(person_id) -> str:
    return links.person_url(person_id)
