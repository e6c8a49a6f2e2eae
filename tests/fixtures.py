"""Small articles written for the tests: several speakers, dates, targets and topics."""

ARTICLES = [
    {"id": "trade-1", "date": "2022-03-04", "title": "Ministers argue over tariffs",
     "source": "Test Wire", "url": "https://example.org/trade-1",
     "text": ("Trade Minister Ana Silva said on Thursday that the new tariffs would protect jobs.\n\n"
              "\"We will not accept cheap imports that destroy our factories,\" Silva said.\n\n"
              "Opposition leader Tom Hale urged the government to scrap the tariffs before the summer.")},
    {"id": "trade-2", "date": "2022-04-10", "title": "Tariff row deepens",
     "text": ("Tom Hale accused Ana Silva of hiding the cost of the tariffs.\n\n"
              "Silva told reporters on Friday that the trade figures were improving.")},
    {"id": "climate-1", "date": "2022-05-20", "title": "Climate pledge",
     "text": ("The Environment Agency said carbon emissions fell by 4% last year.\n\n"
              "Ana Silva called on Germany to cut coal use faster.")},
    {"id": "odd/id.json", "date": "2022-06-01", "title": "An id with a slash and a dot",
     "text": "Mayor Jane Fox said the bridge would reopen in June."},
]

HOSTILE = {
    "id": "<b>evil</b>", "date": "2022-07-01", "title": "<script>alert('title')</script>",
    "url": "javascript:alert(3)",
    "text": ('Jane Fox said that "<script>alert(1)</script> <img src=x onerror=alert(2)> is a fine tag".\n\n'
             '<img src=x onerror=alert(4)> Tom Hale said the <script>alert(5)</script> plan was fine.'),
}
