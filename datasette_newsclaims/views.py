"""How newsclaims values are shown in Datasette pages. Everything from articles is escaped."""

from __future__ import annotations

from markupsafe import Markup, escape


def render_quote(value) -> Markup | None:
    if not isinstance(value, str) or not value:
        return None
    return Markup('<q class="newsclaims-quote">{}</q>').format(escape(value))
