"""A corpus for the quotation tests, written for them: statements repeated across outlets (trimmed,
re-punctuated, a word changed, attributed with other words, sometimes to someone else), and statements of
one speaker that share her stock phrases but are not the same words, which must stay apart.

Every article quotes one statement; `STATEMENTS` says which, so a test knows the true grouping.
"""

from __future__ import annotations

import json

# statement id -> its words as first reported (the longest wording)
STATEMENTS = {
    "taxes": "We will not raise taxes on working families while I am in this office, and the budget "
             "next month will prove it to every household in the country.",
    "schools": "We will not cut the money for our schools while I am in this office, whatever the "
               "opposition says about the deficit this year.",
    "hospitals": "Every hospital in the north will get new beds before the winter, and the nurses who "
                 "staff them will get the pay rise they were promised.",
    "bridge": "The bridge is safe, the engineers have checked every cable twice, and the traffic will "
              "flow again on Monday morning.",
    "strike": "The strike will go on until the company sits down with us and offers a fair deal to "
              "every worker on the line.",
    "rates": "Interest rates will stay where they are for as long as inflation keeps falling toward "
             "our target of two per cent.",
}

# (statement, outlet, date, text): each article quotes its statement as outlets do
ARTICLES = [
    # the wire story and its copies: the same words, other attributions
    ("taxes", "Wire", "2024-03-01",
     '"We will not raise taxes on working families while I am in this office, and the budget next month will '
     'prove it to every household in the country," Finance Minister Maria Lopez said on Friday.'),
    ("taxes", "Daily Post", "2024-03-02",
     'Maria Lopez told reporters: "We will not raise taxes on working families while I am in this office, and '
     'the budget next month will prove it to every household in the country."'),
    ("taxes", "Evening Herald", "2024-03-02",
     '"We will NOT raise taxes on working families -- while I am in this office -- and the budget next month '
     'will prove it to every household in the country!" said Maria Lopez.'),
    # trimmed
    ("taxes", "City News", "2024-03-03",
     'Lopez said: "We will not raise taxes on working families while I am in this office."'),
    # a word changed
    ("taxes", "Weekly Review", "2024-03-04",
     '"We won\'t raise taxes on working families while I am in this office, and the budget next month will '
     'prove it to every household in the nation," Maria Lopez said.'),
    # misattributed: the same words given to someone else
    ("taxes", "Gazette", "2024-03-05",
     '"We will not raise taxes on working families while I am in this office, and the budget next month will '
     'prove it to every household in the country," Prime Minister John Carter said.'),
    # her other statement: the same stock phrases, other words
    ("schools", "Wire", "2024-03-06",
     '"We will not cut the money for our schools while I am in this office, whatever the opposition says '
     'about the deficit this year," Maria Lopez said.'),
    ("schools", "Daily Post", "2024-03-07",
     '"We will not cut the money for our schools while I am in this office," Maria Lopez said on Thursday.'),
    ("hospitals", "Wire", "2024-03-08",
     '"Every hospital in the north will get new beds before the winter, and the nurses who staff them will '
     'get the pay rise they were promised," Health Secretary Tom Reed said.'),
    ("hospitals", "Gazette", "2024-03-09",
     'According to Tom Reed, "every hospital in the north will get new beds before the winter, and the nurses '
     'who staff them will get the pay rise they were promised."'),
    ("hospitals", "City News", "2024-03-09",
     '"Every hospital in the north will get new beds before the winter," Tom Reed said.'),
    ("bridge", "Wire", "2024-04-01",
     '"The bridge is safe, the engineers have checked every cable twice, and the traffic will flow again on '
     'Monday morning," Mayor Ana Silva said.'),
    ("bridge", "Evening Herald", "2024-04-01",
     'Mayor Ana Silva said: "The bridge is safe. The engineers have checked every cable twice, and the '
     'traffic will flow again on Monday morning."'),
    ("strike", "Wire", "2024-04-02",
     '"The strike will go on until the company sits down with us and offers a fair deal to every worker on '
     'the line," union leader Sam Okafor said.'),
    ("strike", "Weekly Review", "2024-04-03",
     '"The strike will go on until the company sits down with us and offers a fair deal to every worker '
     'on the line," Sam Okafor told the paper.'),
    ("rates", "Wire", "2024-04-04",
     '"Interest rates will stay where they are for as long as inflation keeps falling toward our target of '
     'two per cent," central bank governor Lena Berg said.'),
]


def write_corpus(path) -> list[dict]:
    """The articles as JSON lines at `path`; returns them with their ids and statements."""
    records = []
    for n, (statement, outlet, date, text) in enumerate(ARTICLES):
        records.append({"id": f"q{n:02d}", "source": outlet, "date": date, "title": f"Story {n}",
                        "text": text, "statement": statement})
    with open(path, "w", encoding="utf-8") as f:
        for record in records:
            f.write(json.dumps({k: v for k, v in record.items() if k != "statement"}) + "\n")
    return records
