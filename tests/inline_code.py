"""What the Content-Security-Policy refuses in a page: inline scripts, ``<style>``
elements, style attributes, event-handler attributes and ``javascript:`` addresses."""

import re

INLINE_CODE = re.compile(
    r"<script\b(?![^>]*\bsrc=)[^>]*>"  # a script element without src
    r"|<style\b"
    r"|<[a-z][^>]*\sstyle\s*="  # a style attribute
    r"|<[a-z][^>]*\son[a-z]+\s*="  # onclick=, onload=...
    r"|javascript:",
    re.IGNORECASE,
)


def inline_code(html: str) -> list[str]:
    """Each piece of ``html`` the policy would refuse (empty when it complies)."""
    return [match.group(0)[:120] for match in INLINE_CODE.finditer(html)]
