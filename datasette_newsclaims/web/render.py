"""Turning stored text into safe HTML: highlighted articles, search hits, quotes, SVG charts.

Article text is untrusted. Everything here escapes it first and only then adds
markup of its own; nothing from the database is ever marked safe unescaped.
"""

from __future__ import annotations

import bisect
import hashlib
import math
import re
from collections import defaultdict, deque
from dataclasses import dataclass, field

from markupsafe import Markup, escape

from ..text import paragraphs as text_paragraphs
from ..text import quote_parts, shown_quote  # noqa: F401  (the pages call them render.quote_parts, render.shown_quote)
from ..vocabulary import SAID_ON

SPEAKER_COLOURS = 12
HIT_OPEN, HIT_CLOSE = "\x02", "\x03"


def speaker_colour(speaker_id: str) -> int:
    """A stable colour class (0-11) per speaker, the same on every page (an article numbers its own
    speakers instead: `article_colours`)."""
    return int(hashlib.sha1((speaker_id or "").encode("utf-8")).hexdigest()[:6], 16) % SPEAKER_COLOURS


def render_quote(value) -> Markup | None:
    if not isinstance(value, str) or not value:
        return None
    return Markup('<q class="newsclaims-quote">{}</q>').format(escape(value))


WORDING_PARTS = {"changed": ("ins", "changed here"), "missing": ("del", "left out here"),
                 "trimmed": ("span", "the quotation goes on")}


def wording_html(pieces: list[tuple[str, str]]) -> Markup:
    """A wording against its quotation's canonical text (wording.differences): words changed marked <ins>,
    words left out <del>, a trimmed end as "[…]"; every word escaped."""
    out = []
    for part, text in pieces:
        if part == "same":
            out.append(escape(text))
        elif part == "trimmed":
            out.append(Markup('<span class="trimmed" title="{}">[…]</span>').format(WORDING_PARTS[part][1]))
        else:
            tag, title = WORDING_PARTS[part]
            out.append(Markup('<{} class="wording-{}" title="{}">{}</{}>').format(
                Markup(tag), part, title, text, Markup(tag)))
    return Markup(" ").join(out)


def render_row_quote(row) -> Markup | None:
    """The quote cell of Datasette's claims table, shown as on the plugin's pages."""
    values = {k: (row[k].get("value") if isinstance(row[k], dict) else row[k]) for k in row.keys()}
    return render_quote(shown_quote(values)) if isinstance(values.get("quote"), str) else None


def search_hit(highlighted: str | None, fallback: str, parts: list[tuple[int, int]] | None = None) -> Markup:
    """FTS5 highlight() output with control-character markers -> escaped text with <mark> around hits,
    showing only `parts` of the quote (offsets without the markers), joined by ' … '."""
    if not highlighted:
        return escape(fallback)
    if parts:
        kept, at, gap = [], 0, False
        for ch in highlighted:
            if ch in (HIT_OPEN, HIT_CLOSE):
                kept.append(ch)
                continue
            if any(a <= at < b for a, b in parts):
                if gap and kept:
                    kept.append(" … ")
                kept.append(ch)
                gap = False
            else:
                gap = True
            at += 1
        highlighted = "".join(kept)
    html, open_ = [], False
    for part in re.split(f"([{HIT_OPEN}{HIT_CLOSE}])", highlighted):
        if part == HIT_OPEN and not open_:
            html.append(Markup("<mark>"))
            open_ = True
        elif part == HIT_CLOSE and open_:
            html.append(Markup("</mark>"))
            open_ = False
        elif part not in (HIT_OPEN, HIT_CLOSE):
            html.append(escape(part))
    if open_:
        html.append(Markup("</mark>"))
    return Markup("").join(html)


CLAIM_COLUMNS = frozenset({"speaker_id", "cue", "quote", "kind", SAID_ON})


def is_claims_row(row) -> bool:
    """A row of a newsclaims claims table (and not some other table that happens to be called claims)."""
    try:
        return CLAIM_COLUMNS <= set(row.keys())
    except AttributeError:
        return False


@dataclass
class Piece:
    text: str
    claim: dict | None = None  # the innermost claim covering this piece
    fact: dict | None = None
    anchors: list[str] = field(default_factory=list)  # "claim-N" for each claim whose first piece this is


def paragraphs(text: str) -> list[tuple[int, int]]:
    """The article's paragraphs as the extractor sees them, without the blank ones."""
    return [(s, e) for s, e in text_paragraphs(text) if text[s:e].strip()]


def article_pieces(text: str, claims: list[dict], facts: list[dict],
                   section: tuple[int, int] | None = None) -> list[list[Piece]]:
    """The article as paragraphs of pieces (those overlapping `section`, when given), split wherever a
    claim or fact starts or ends."""
    spans = paragraphs(text)
    if section:
        spans = [(s, e) for s, e in spans if s < section[1] and e > section[0]]
    return pieces_in(text, spans, claims, facts)


def article_colours(claims: list[dict]) -> dict[str, int]:
    """Colour classes for an article's speakers in the order they first speak: up to twelve speakers
    each have their own (the hash of `speaker_colour` would give two of eight speakers one colour)."""
    order = dict.fromkeys(c["speaker_id"] for c in claims)
    return {speaker: i % SPEAKER_COLOURS for i, speaker in enumerate(order)}


def article_html(text: str, claims: list[dict], facts: list[dict], section: tuple[int, int] | None = None,
                 colours: dict[str, int] | None = None, title: str | None = None) -> tuple[Markup | None, Markup]:
    """(heading, body): the article's paragraphs as HTML (those overlapping `section`, when given), every
    claim and fact marked: built here rather than in a template loop, so that a page of a very long article
    takes a few milliseconds per thousand pieces (and can be built in a thread). The text is the article's
    exactly: nothing is added between pieces. A text that starts with its own `title` (feeds and wire copy
    repeat it) shows that paragraph once, marked like the rest, as the heading (None otherwise)."""
    colours = colours if colours is not None else article_colours(claims)
    pieces = article_pieces(text, claims, facts, section)
    heading = None
    if title and pieces and (not section or section[0] == 0) and \
            " ".join("".join(piece.text for piece in pieces[0]).split()) == " ".join(title.split()):
        heading = Markup(paragraph_html(pieces[0], colours, "h1"))
        pieces = pieces[1:]
    return heading, Markup("".join(paragraph_html(paragraph, colours, "p") for paragraph in pieces))


def paragraph_html(paragraph: list[Piece], colours: dict[str, int], tag: str) -> str:
    return f"<{tag}>" + "".join(piece_html(piece, colours) for piece in paragraph) + f"</{tag}>\n"


def piece_html(piece: Piece, colours: dict[str, int]) -> str:
    text = escape(piece.text)
    if piece.claim:
        c = piece.claim
        summary = escape(claim_summary(c))
        colour = colours.get(c["speaker_id"], speaker_colour(c["speaker_id"]))
        classes = f"claim sp-{colour}" + (" fact" if piece.fact else "")
        anchor = f' id="{escape(piece.anchors[0])}" tabindex="0"' if piece.anchors else ""
        more = "".join(f'<span id="{escape(a)}"></span>' for a in piece.anchors[1:])
        return (f'<mark class="{classes}"{anchor} data-claim="{escape(c["id"])}" data-info="{summary}" '
                f'title="{summary}">{more}{text}</mark>')
    if piece.fact:
        f = piece.fact
        title = ("fact" + (f": {f['value']}" if f.get("value") else "")
                 + (f", {f['fact_date']}" if f.get("fact_date") else ""))
        return f'<span class="fact" title="{escape(title)}">{text}</span>'
    return str(text)


def claim_summary(claim: dict) -> str:
    """Who said it, to whom, when: "Wang Yi → US, 2021-11-13"."""
    return ((claim.get("speaker_name") or "") + (f" → {claim['target']}" if claim.get("target") else "")
            + (f", {claim[SAID_ON]}" if claim.get(SAID_ON) else ""))


def pieces_between(text: str, p_start: int, p_end: int, claims: list[dict], facts: list[dict]) -> list[Piece]:
    return pieces_in(text, [(p_start, p_end)], claims, facts)[0]


def pieces_in(text: str, spans: list[tuple[int, int]], claims: list[dict], facts: list[dict]) -> list[list[Piece]]:
    """Each span (in order, not overlapping) cut into pieces wherever a claim or fact starts or ends.

    One sweep over the sorted boundaries, keeping the claims open at each point in order: n log n in
    the number of claims, facts and spans, so an article with 20,000 claims cuts as fast as it reads.
    Each claim's anchor goes on its first piece."""
    opening: dict[int, list] = defaultdict(list)
    closing: dict[int, list] = defaultdict(list)
    for kind, items in (("claim", claims), ("fact", facts)):
        for item in items:
            if item["end"] > item["start"]:
                opening[item["start"]].append((kind, item))
                closing[item["end"]].append((kind, item))
    cuts = sorted(set(opening) | set(closing) | {offset for span in spans for offset in span})
    claim_by_id = {c["id"]: c for c in claims}
    open_claims: list[tuple] = []  # claim_key of the claims covering the sweep point, outermost first
    open_facts: dict[int, dict] = {}
    unanchored: deque = deque()  # claims that have started and have no anchor yet, by start
    out: list[list[Piece]] = [[] for _ in spans]
    span_index = 0
    for a, b in zip(cuts, cuts[1:]):
        for kind, item in closing.get(a, ()):
            if kind == "claim":
                del open_claims[bisect.bisect_left(open_claims, claim_key(item))]
            else:
                open_facts.pop(id(item), None)
        for kind, item in sorted(opening.get(a, ()), key=lambda k: claim_key(k[1])):
            if kind == "claim":
                bisect.insort(open_claims, claim_key(item))
                unanchored.append(item)
            else:
                open_facts[id(item)] = item
        while span_index < len(spans) and spans[span_index][1] <= a:
            span_index += 1
        if span_index == len(spans) or a < spans[span_index][0]:
            continue  # between spans (a blank line): nothing is shown
        innermost = claim_by_id[open_claims[-1][2]] if open_claims else None
        fact = next(iter(open_facts.values()), None) if open_facts else None
        piece = Piece(text[a:b], innermost, fact)
        while unanchored and unanchored[0]["start"] <= a:
            claim = unanchored.popleft()
            if claim["end"] >= b:  # else it ended before this piece, out of every span
                piece.anchors.append(f"claim-{claim['id']}")
        out[span_index].append(piece)
    return out


def claim_key(claim: dict) -> tuple:
    """Outermost first: by start, then longest, then id."""
    return (claim["start"], -claim["end"], claim["id"])


def paragraph_around(text: str, start: int, end: int) -> tuple[int, int]:
    for p_start, p_end in paragraphs(text):
        if p_start <= start < p_end or p_start < end <= p_end:
            return p_start, p_end
    return max(0, start), min(len(text), end)


# -- charts ------------------------------------------------------------------------------------

def timeline_svg(rows: list[dict], label: str = "claims per month") -> Markup:
    """Bars per month, drawn on the server: no JavaScript needed."""
    if not rows:
        return Markup("")
    width, height, pad = 640, 140, 24
    peak = max(r["count"] for r in rows) or 1
    bar = max(2.0, min(40.0, (width - 2 * pad) / len(rows) - 2))
    parts = [Markup('<svg class="newsclaims-timeline" viewBox="0 0 {w} {h}" role="img" aria-label="{label}" '
                    'xmlns="http://www.w3.org/2000/svg">').format(w=width, h=height, label=label)]
    for i, row in enumerate(rows):
        h = (height - 2 * pad) * row["count"] / peak
        x = pad + i * (bar + 2)
        y = height - pad - h
        parts.append(Markup('<rect x="{x:.1f}" y="{y:.1f}" width="{b:.1f}" height="{h:.1f}">'
                            '<title>{m}: {c}</title></rect>').format(x=x, y=y, b=bar, h=h, m=row["month"],
                                                                      c=row["count"]))
    first, last = rows[0]["month"], rows[-1]["month"]
    parts.append(Markup('<text x="{x}" y="{y}" class="axis">{t}</text>').format(x=pad, y=height - 6, t=first))
    parts.append(Markup('<text x="{x}" y="{y}" class="axis" text-anchor="end">{t}</text>').format(
        x=width - pad, y=height - 6, t=last))
    parts.append(Markup('<text x="{x}" y="14" class="axis">{t}</text>').format(x=pad, t=f"max {peak}"))
    parts.append(Markup("</svg>"))
    return Markup("").join(parts)


SERIES_DASHES = ("", "6 3", "2 3", "8 3 2 3", "1 5")  # told apart without colour, too


def compare_svg(months: list[str], series: list[dict]) -> Markup:
    """Claims per month of several speakers or topics as lines on one chart (server-side; the numbers
    are in the table the page puts under it): each line has its colour, its dash pattern and a marker
    on every month, so the lines are told apart without colour as well."""
    if not months or not series:
        return Markup("")
    width, height, left, right, top, bottom = 900, 320, 44, 16, 16, 40
    peak = max(max(s["counts"]) for s in series) or 1
    step = (width - left - right) / max(1, len(months) - 1)

    def x(i):
        return left + (i * step if len(months) > 1 else (width - left - right) / 2)

    def y(n):
        return top + (height - top - bottom) * (1 - n / peak)
    names = ", ".join(s["name"] for s in series)
    parts = [Markup('<svg class="newsclaims-compare" viewBox="0 0 {w} {h}" role="img" aria-label="Claims per month '
                    'of {names}, from {first} to {last}; the numbers are in the table below" '
                    'xmlns="http://www.w3.org/2000/svg">').format(w=width, h=height, names=names, first=months[0],
                                                                  last=months[-1])]
    for n in sorted({0, peak // 2, peak}):
        parts.append(Markup('<line class="grid" x1="{l}" x2="{r}" y1="{y:.1f}" y2="{y:.1f}"/>'
                            '<text class="axis" x="{tx}" y="{ty:.1f}" text-anchor="end">{n}</text>').format(
            l=left, r=width - right, y=y(n), tx=left - 6, ty=y(n) + 4, n=f"{n:,}"))
    every = max(1, math.ceil(len(months) / 12))  # at most about twelve month labels, the last one among them
    last = len(months) - 1
    for i, month in enumerate(months):
        if (i % every == 0 and last - i >= every / 2) or i == last:
            anchor = "start" if i == 0 else "end" if i == last else "middle"
            parts.append(Markup('<text class="axis" x="{x:.1f}" y="{y}" text-anchor="{a}">{m}</text>').format(
                x=x(i), y=height - bottom + 18, a=anchor, m=month))
    for number, s in enumerate(series):
        points = " ".join(f"{x(i):.1f},{y(n):.1f}" for i, n in enumerate(s["counts"]))
        dash = SERIES_DASHES[number % len(SERIES_DASHES)]
        parts.append(Markup('<g class="series sp-{c}"><polyline points="{p}"{d}/>').format(
            c=number, p=points, d=Markup(' stroke-dasharray="{}"').format(dash) if dash else ""))
        for i, n in enumerate(s["counts"]):
            parts.append(Markup('<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5"><title>{name}, {m}: {n}</title>'
                                '</circle>').format(x=x(i), y=y(n), name=s["name"], m=months[i], n=n))
        parts.append(Markup("</g>"))
    parts.append(Markup("</svg>"))
    return Markup("").join(parts)


LABEL_FONT_PX = 12
CHAR_PX = 0.6 * LABEL_FONT_PX  # a generous average width of a character of the label font


@dataclass
class NetworkNode:
    id: str
    name: str
    claims: int  # claims in the links shown, made or received
    x: float = 0.0
    y: float = 0.0
    r: float = 4.0

    def box(self) -> tuple[float, float, float, float]:
        """The node and its label (to its right, centred on it) as (left, top, right, bottom)."""
        width = 2 * self.r + 4 + CHAR_PX * len(self.name)
        half = max(self.r, LABEL_FONT_PX * 0.7)
        return self.x - self.r, self.y - half, self.x - self.r + width, self.y + half


def network_layout(edges: list[dict], iterations: int = 100, row_width: float = 900.0) -> list[NetworkNode]:
    """Nodes placed by a force-directed layout (Fruchterman-Reingold: links pull, nodes push), each
    connected part of the network on its own and moved apart until no two labels overlap, then the parts
    packed in rows, largest first. Deterministic: the same network is always drawn the same way."""
    nodes: dict[str, NetworkNode] = {}
    for e in edges:
        for key in ("source", "target"):
            node = nodes.setdefault(e[key], NetworkNode(e[key], e[f"{key}_name"] or e[key], 0))
            node.claims += e["weight"]
    if not nodes:
        return []
    peak = max(node.claims for node in nodes.values())
    for node in nodes.values():
        node.r = 4 + 12 * math.sqrt(node.claims / peak)
    part_of = {key: key for key in nodes}  # union-find over the links: the connected parts

    def root(key):
        while part_of[key] != key:
            part_of[key] = part_of[part_of[key]]
            key = part_of[key]
        return key
    for e in edges:
        part_of[root(e["source"])] = root(e["target"])
    parts: dict[str, list[NetworkNode]] = {}
    for key, node in nodes.items():  # in the order the strongest links meet them
        parts.setdefault(root(key), []).append(node)
    laid = []
    for members in parts.values():
        ids = {node.id for node in members}
        force_layout(members, [(e["source"], e["target"]) for e in edges if e["source"] in ids])
        separate_labels(members)
        boxes = [node.box() for node in members]
        left, top = min(b[0] for b in boxes), min(b[1] for b in boxes)
        for node in members:  # the part's box starts at (0, 0)
            node.x -= left
            node.y -= top
        laid.append((max(b[3] for b in boxes) - top, max(b[2] for b in boxes) - left, members))
    laid.sort(key=lambda part: (-len(part[2]), -part[0]))
    x = y = row_height = 0.0
    gap = 16.0
    for height, width, members in laid:
        if x and x + width > row_width:
            x, y, row_height = 0.0, y + row_height + gap, 0.0
        for node in members:
            node.x += x
            node.y += y
        x += width + gap
        row_height = max(row_height, height)
    return [node for _, _, members in laid for node in members]


def force_layout(nodes: list[NetworkNode], links: list[tuple[str, str]], iterations: int = 100) -> None:
    """Fruchterman-Reingold from a circle in the given order: links pull (d^2/k), every pair pushes (k^2/d),
    the steps cool down."""
    n = len(nodes)
    radius = 40.0 * math.sqrt(n)
    k = radius * math.sqrt(math.pi / n) if n > 1 else radius  # the ideal distance apart
    xs = [radius * math.cos(2 * math.pi * i / n - math.pi / 2) for i in range(n)]
    ys = [radius * math.sin(2 * math.pi * i / n - math.pi / 2) for i in range(n)]
    index = {node.id: i for i, node in enumerate(nodes)}
    pairs = [(index[a], index[b]) for a, b in links if a != b]
    temperature = radius / 3
    for _ in range(iterations if n > 2 else 0):
        dx, dy = [0.0] * n, [0.0] * n
        for i in range(n):
            xi, yi = xs[i], ys[i]
            for j in range(i + 1, n):
                ddx, ddy = xi - xs[j], yi - ys[j]
                push = k * k / (ddx * ddx + ddy * ddy or 0.01)
                dx[i] += ddx * push
                dy[i] += ddy * push
                dx[j] -= ddx * push
                dy[j] -= ddy * push
        for i, j in pairs:
            ddx, ddy = xs[i] - xs[j], ys[i] - ys[j]
            pull = math.hypot(ddx, ddy) / k
            dx[i] -= ddx * pull
            dy[i] -= ddy * pull
            dx[j] += ddx * pull
            dy[j] += ddy * pull
        for i in range(n):
            length = math.hypot(dx[i], dy[i])
            if length:
                step = min(length, temperature)
                xs[i] += dx[i] / length * step
                ys[i] += dy[i] / length * step
        temperature = max(temperature * 0.95, 0.5)
    for node, x, y in zip(nodes, xs, ys):
        node.x, node.y = x, y


def separate_labels(nodes: list[NetworkNode], gap: float = 3.0, rounds: int = 400) -> None:
    """Move nodes apart, along the axis where they overlap least, until no two boxes (a node and its
    label) overlap."""
    for _ in range(rounds):
        moved = False
        boxes = [node.box() for node in nodes]
        for i in range(len(nodes)):
            for j in range(i + 1, len(nodes)):
                a, b = boxes[i], boxes[j]
                over_x = min(a[2], b[2]) - max(a[0], b[0]) + gap
                over_y = min(a[3], b[3]) - max(a[1], b[1]) + gap
                if over_x <= 0 or over_y <= 0:
                    continue
                moved = True
                if over_y <= over_x:  # labels are wide: moving up or down is usually the shorter way
                    shift = over_y / 2 * (1 if nodes[i].y >= nodes[j].y else -1)
                    nodes[i].y += shift
                    nodes[j].y -= shift
                else:
                    shift = over_x / 2 * (1 if nodes[i].x >= nodes[j].x else -1)
                    nodes[i].x += shift
                    nodes[j].x -= shift
                boxes[i], boxes[j] = nodes[i].box(), nodes[j].box()
        if not moved:
            return


def network_svg(edges: list[dict], node_url) -> Markup:
    """Who addresses whom, laid out by forces with every label apart; a node's size is its number of claims
    in the links shown, an arrow's width the number of claims from one to the other. Each node is a link
    (focusable, named for screen readers: the drawing is a group of links, not an image)."""
    nodes = network_layout(edges)
    if not nodes:
        return Markup("")
    boxes = [node.box() for node in nodes]
    margin = 10
    left, top = min(b[0] for b in boxes) - margin, min(b[1] for b in boxes) - margin
    width, height = max(b[2] for b in boxes) - left + margin, max(b[3] for b in boxes) - top + margin
    where = {node.id: node for node in nodes}
    peak = max(e["weight"] for e in edges)
    parts = [Markup('<svg class="newsclaims-network" viewBox="{:.0f} {:.0f} {:.0f} {:.0f}" role="group" '
                    'aria-label="Who addresses whom: {} people, organisations and places" '
                    'xmlns="http://www.w3.org/2000/svg">'
                    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="9" '
                    'markerHeight="9" markerUnits="userSpaceOnUse" orient="auto-start-reverse">'
                    '<path d="M 0 0 L 10 5 L 0 10 z"/></marker></defs><g aria-hidden="true">').format(
        left, top, width, height, len(nodes))]
    for e in edges:
        if e["source"] == e["target"]:
            continue
        a, b = where[e["source"]], where[e["target"]]
        dx, dy = b.x - a.x, b.y - a.y
        dist = math.hypot(dx, dy) or 1
        x1, y1 = a.x + dx / dist * a.r, a.y + dy / dist * a.r
        x2, y2 = b.x - dx / dist * (b.r + 2), b.y - dy / dist * (b.r + 2)
        parts.append(Markup('<line x1="{:.1f}" y1="{:.1f}" x2="{:.1f}" y2="{:.1f}" stroke-width="{:.1f}" '
                            'marker-end="url(#arrow)"/>').format(x1, y1, x2, y2, 1 + 5 * e["weight"] / peak))
    parts.append(Markup("</g>"))
    for node in nodes:
        parts.append(Markup('<a href="{url}" aria-label="{name}: {claims} {noun}"><circle cx="{x:.1f}" cy="{y:.1f}" '
                            'r="{r:.1f}" class="sp-{c}"/><text x="{tx:.1f}" y="{ty:.1f}">{name}</text></a>').format(
            url=node_url(node.id), name=node.name, claims=node.claims, noun="claim" if node.claims == 1 else "claims",
            x=node.x, y=node.y, r=node.r, c=speaker_colour(node.id), tx=node.x + node.r + 4,
            ty=node.y + LABEL_FONT_PX * 0.35))
    parts.append(Markup("</svg>"))
    return Markup("").join(parts)
