"""Rule codes as links to their pages in the rules catalogue.

``{% load rules %}`` then ``{{ "R19"|rule_link }}`` links one code, and
``{{ finding.message|rule_link }}`` escapes a message and links every rule code in it
("... since 3 March 2024 (R20)." gets a link on R20). A code the catalogue lacks stays
plain text. Give it plain text: HTML in the value is escaped, unless it is marked safe.
"""

import re

from django import template
from django.urls import reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeData, mark_safe

from core.rules_catalogue import catalogue

register = template.Library()

RULE_CODE = re.compile(r"\bR[1-9]\d?\b")


@register.filter(needs_autoescape=True)
def rule_link(value, autoescape=True):
    """``value`` with every rule code in it linked to the rule's page."""
    # Text already marked safe (or a template with autoescape off) is not escaped again.
    escape = conditional_escape if autoescape and not isinstance(value, SafeData) else str
    text = "" if value is None else str(value)
    rules = catalogue()
    parts, position = [], 0
    for match in RULE_CODE.finditer(text):
        rule = rules.get(match.group(0))
        if rule is None:
            continue
        parts.append(escape(text[position : match.start()]))
        parts.append(
            format_html(
                '<a href="{}" title="{}">{}</a>',
                reverse("web:rule", args=[rule.code]),
                rule.title,
                rule.code,
            )
        )
        position = match.end()
    parts.append(escape(text[position:]))
    return mark_safe("".join(str(part) for part in parts))
