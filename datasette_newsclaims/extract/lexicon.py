"""Word classes the rules are built on, kept as data so they are easy to read and test.

Cue verbs are grouped by how they attach what was said:

- REPORTING verbs take the statement as a clause ("X said (that) ...",
  "'...,' X said") or a quotation;
- DIRECTIVE verbs take an addressee and a to-infinitive ("X urged Y to ...");
  some of them take the addressee through a preposition ("called on Y to");
- COMMISSIVE verbs take a to-infinitive the speaker commits to ("X vowed to ...").

Verbs of belief and intention (think, believe, want, plan, hope, expect) are
deliberately absent: they are not claims.
"""

REPORTING_VERBS = frozenset(
    """
    say tell state add claim argue insist note explain announce warn declare acknowledge
    admit deny confirm report write tweet post suggest assert maintain contend emphasize
    emphasise stress recall testify reply respond predict promise vow pledge complain boast
    concede joke repeat reiterate conclude indicate allege estimate mention comment remark
    continue answer agree observe caution reveal disclose counter charge accuse criticize
    criticise praise question demand urge ask quip retort shout proclaim
    affirm assure inform notify concur contest dispute lament admonish acknowledge muse
    speculate blast slam decry condemn threaten brag blame thank fault commend applaud credit
    describe reject forecast cite recommend rule confess crow sniff scold chant blurt echo express
    interject point talk
    """.split()
)
# Reporting verbs that are cues only with one of their particles or prepositions: "pointed out that ...",
# not "pointed at"; "talked about the plan", not "talk immigration".
PHRASAL_CUES = {"point": {"out"}, "blurt": {"out"}, "talk": {"about", "of"}}
# Cue verbs that say what was said only through their object: "talked about the plan" (what they talked
# about), never a clause or a quotation of their sentence ("He met Tom Hale: they talked about it").
NOUN_PHRASE_ONLY_VERBS = frozenset({"talk"})

# Reporting verbs whose object says what was said when they have no clause: "announced a $40 million
# settlement", "described the offer as an insult", "estimated the cost at $2 billion", "questioned his
# judgment", and those that take it through a preposition: "warned of Russian interference".
NOUN_PHRASE_VERBS = frozenset(
    """
    announce describe estimate forecast predict cite recommend reject deny question criticize
    criticise praise express acknowledge admit demand promise pledge vow threaten
    condemn decry dispute reveal disclose report
    """.split()
)
NOUN_PHRASE_PREPOSITIONS = {"warn": {"of", "about", "against"}, "complain": {"about", "of"},
                            "talk": {"about", "of"}, "boast": {"about", "of"},
                            "comment": {"on"}, "testify": {"about", "on"}}
# prepositions that finish such an object: "described X as Y", "estimated the cost at $2 billion"
NOUN_PHRASE_TAILS = frozenset({"as", "at"})
# verbs whose object is what was said only with its tail: "described the offer as an insult", not
# "described his visit"
NOUN_PHRASE_NEEDS_TAIL = frozenset({"describe"})

# Cue verbs read in a headline set in capitals ("OPEC REJECTS PRICE CUT", "LAWSON SAYS STERLING ..."):
# those that are seldom a noun there ("STATE", "REPORT", "CALL" are headline nouns as often as not).
HEADLINE_VERBS = frozenset(
    """
    say tell urge warn deny reject demand predict announce vow pledge accuse criticise criticize praise
    blame insist admit argue ask confirm threaten promise dismiss
    """.split()
)

# Verbs that take an addressee and an infinitive clause: "X urged Y to ...".
DIRECTIVE_VERBS = frozenset(
    """
    urge ask tell warn advise encourage implore press push request invite order instruct
    beg call appeal challenge caution exhort entreat remind
    """.split()
)

# Verbs that commit the speaker to a to-infinitive: "X vowed to close the plant". What they commit to
# is the claim.
COMMISSIVE_VERBS = frozenset({"vow", "pledge", "promise", "threaten", "swear"})

# Directive verbs whose addressee comes through a preposition: "called on Y to", "appealed to Y to".
DIRECTIVE_PREPOSITIONS = {"call": {"on", "upon"}, "appeal": {"to"}}

# Verbs whose direct object is the addressee of what is said (the claim's target).
# verbs whose addressee is followed by what was said: "told the BBC's Today programme that ..."
ADDRESSEE_THAT_VERBS = frozenset({"tell", "warn", "assure", "inform", "notify", "remind", "advise", "caution"})
TARGET_OBJECT_VERBS = frozenset(
    """
    urge ask tell warn advise encourage implore press push request invite order instruct beg
    challenge caution exhort entreat remind accuse criticize criticise blast slam condemn
    praise threaten assure inform notify admonish demand call blame thank fault commend applaud credit
    """.split()
)

# Verbs that charge or credit someone with something: "accused X of Y", "criticized X for Y".
# The object is the target; what follows the preposition is the claim.
CHARGE_VERBS = {"accuse": "of", "criticize": "for", "criticise": "for", "blame": "for", "praise": "for",
                "thank": "for", "condemn": "for", "slam": "for", "blast": "for", "fault": "for",
                "commend": "for", "applaud": "for", "credit": "with", "charge": "with"}

# Occasions a speaker's remarks were made on ("made the remarks in a phone call on Saturday").
OCCASION_VERBS = frozenset({"make", "speak", "deliver", "give", "issue", "talk", "hold", "address", "tell"})
OCCASION_NOUNS = frozenset(
    """
    remark remarks comment comments statement statements speech interview conversation call
    briefing conference address testimony hearing meeting talk talks appearance post tweet
    """.split()
)

# Where remarks were made rather than to whom: "told Reuters", "told reporters", "told a news conference",
# "said at a hearing". A claim records these as its venue, never as its target.
VENUE_NOUNS = frozenset(
    """
    reporter journalist newsman newsmen correspondent press newspaper paper magazine radio television tv
    station channel broadcaster interviewer conference hearing briefing meeting rally gathering seminar
    symposium convention forum summit session interview luncheon lunch dinner breakfast audience crowd
    programme program show website blog podcast webcast newsletter
    """.split()
)
# the prepositions of an occasion: "said at a news conference", "in an interview", "during a hearing"
VENUE_PREPOSITIONS = frozenset({"at", "in", "during", "on"})
# news outlets by name, the first and last words of outlets' names ("BBC Sport", "Tehran Radio", "The
# Washington Post") and the words that make a name an outlet wherever they are ("Czech newspaper Daily
# Sport", "the official news agency PAP")
NEWS_OUTLETS = frozenset({
    "reuters", "reuter", "bbc", "ap", "associated press", "afp", "agence france-presse", "agence france presse",
    "cnn", "nbc", "cbs", "abc", "fox news", "bloomberg", "dow jones", "kyodo", "xinhua", "tass", "itar-tass",
    "interfax", "upi", "united press international", "sky news", "itv", "channel 4", "npr", "pbs",
    "al jazeera", "yonhap", "jiji", "new china news agency", "press association", "pa", "ria novosti",
    "times", "ft", "financial times", "independent", "guardian", "observer", "telegraph", "mirror", "sun",
    "express", "economist", "newsnight", "five live", "radio 4", "radio five live", "sky sports", "espn",
    "le monde", "le figaro", "spiegel", "der spiegel", "bild", "die welt", "handelsblatt", "kommersant",
    "izvestia", "pravda", "nikkei", "asahi", "yomiuri", "mainichi", "el pais", "la repubblica",
    "corriere della sera", "mutv", "sportsweek", "variety", "billboard", "rolling stone",
})
NEWS_OUTLET_FIRST_WORDS = frozenset({"bbc", "itv", "cnn", "nbc", "cbs", "abc", "sky", "reuters", "npr", "pbs", "rte"})
NEWS_OUTLET_ENDINGS = frozenset({"radio", "television", "tv", "news", "times", "journal", "post", "herald",
                                 "gazette", "telegraph", "guardian", "tribune", "chronicle", "magazine",
                                 "newspaper", "programme", "program", "show", "today", "newsnight", "mail",
                                 "mirror", "express", "standard", "record", "observer", "independent", "sport",
                                 "sportsweek", "live", "online"})
NEWS_OUTLET_WORDS = frozenset({"newspaper", "radio", "television", "tv", "magazine", "broadcaster", "tabloid",
                               "daily", "weekly"})

# "told the paper", "told the agency": an outlet the article has named (cues.outlet_named)
OUTLET_NOUNS = frozenset({"paper", "newspaper", "magazine", "station", "channel", "broadcaster", "network",
                          "agency", "daily", "weekly", "tabloid", "programme", "program", "website"})
# "in a speech prepared for delivery to X": what a speech is delivered or addressed by
DELIVERY_NOUNS = frozenset({"delivery", "address", "presentation"})

SPEECH_CONTEXT_NOUNS = frozenset({"statement", "interview", "letter", "speech", "post", "tweet",
                                  "email", "message", "briefing", "conference", "release", "note"})

PERSON_PRONOUNS = frozenset({"he", "she", "him", "her", "his"})
GROUP_PRONOUNS = frozenset({"they", "them", "their"})
THING_PRONOUNS = frozenset({"it", "its"})

# Nouns that carry what someone said, with a 'that' clause: "his claim that ...", "the senator's warning
# that ...". The possessor is the speaker.
STATEMENT_NOUNS = frozenset({"claim", "allegation", "assertion", "warning", "promise", "pledge", "accusation",
                             "insistence", "contention", "prediction", "argument", "vow", "threat"})
# the object of a cue that says what was said is elsewhere: "echoed the warning", "repeated his remarks"
SAID_NOUNS = STATEMENT_NOUNS | OCCASION_NOUNS | {"question", "report", "story", "view", "position", "point",
                                              "concern", "word", "words", "thing", "things"}
# nouns whose owner's words follow a colon: "His answer was simple: ..."
ANSWER_NOUNS = frozenset({"answer", "response", "reply", "message", "reaction", "verdict", "explanation",
                          "advice", "retort", "warning", "view", "argument", "prediction", "promise"})
# texts that speak, which "it" can refer back to: "The statement said on Sunday ... It said ..."
DOCUMENT_NOUNS = frozenset({"statement", "report", "letter", "release", "document", "study", "survey", "filing",
                            "memo", "ruling", "verdict", "communique", "communiqué", "declaration", "note"})
FIRST_PERSON = frozenset({"i", "we", "me", "us"})

DETERMINERS = frozenset({"the", "a", "an", "this", "that", "these", "those"})

# "The company said": nouns by which an article refers back to a business it has named; resolved to the
# nearest earlier organisation that was a subject and is not a public body ("the group" is left out: it
# is as often an investor group as the company). Any other noun ("the ministry", "the bank")
# resolves only to an earlier organisation whose name has that word ("Foreign Ministry", "Bank of Japan").
COMPANY_NOUNS = frozenset({"company", "firm", "corporation", "concern", "carrier", "airline", "bank",
                           "insurer", "lender", "retailer", "utility", "maker", "manufacturer", "producer",
                           "brewer", "miner", "operator", "conglomerate", "chain", "publisher", "broker"})
PUBLIC_BODY_WORDS = frozenset({"department", "ministry", "agency", "commission", "committee", "council", "party",
                               "court", "senate", "house", "congress", "administration", "reserve", "board",
                               "union", "university", "parliament", "government", "office", "bureau",
                               "authority", "federation", "institute", "organisation", "organization", "police",
                               "army", "navy", "treasury", "service", "assembly", "cabinet", "nations", "fed"})
# "the other company" is not the one just named
NOT_THE_SAME = frozenset({"other", "another", "rival", "former", "second", "third", "new", "parent", "each"})
# Legal forms of firms, as words: neither a topic ("Co") nor a surname ("John Labatt Ltd")
LEGAL_FORM_WORDS = frozenset({"co", "cos", "inc", "corp", "ltd", "plc", "llc", "ag", "sa", "nv", "spa"})
# Titles before a person's name: a role, never part of the name ("President Reagan" is Reagan, President).
TITLE_WORDS = frozenset(
    """
    president vice prime minister chancellor secretary senator sen representative rep congressman
    congresswoman mayor king queen prince princess pope chairman chairwoman chairperson governor gov
    judge justice admiral colonel col captain capt lieutenant lt sergeant sgt ambassador
    commissioner speaker premier deputy foreign finance trade treasury agriculture energy defence
    defense interior home attorney sheikh ayatollah crown archbishop bishop cardinal reverend rev
    professor prof chief executive managing director president-elect former acting economics
    mines oil petroleum industry labour labor health education transport environment economy commerce
    information communications culture sports tourism housing budget planning fisheries forestry
    """.split()
)
# "a Texaco spokesman said": the organisation speaks, through its spokesperson
SPOKESPERSON_NOUNS = frozenset({"spokesman", "spokeswoman", "spokesperson", "spokespeople", "spokesmen"})

# Entity labels that can speak, and the kind we record for them: a speaker is a person, an organisation,
# a place (a country or city speaking as its government) or unnamed (vocabulary.UNNAMED: "analysts",
# "Iranians", "a U.S. official": no one page across articles).
SPEAKER_KINDS = {"PERSON": "person", "ORG": "organisation", "GPE": "place", "NORP": "unnamed", "FAC": "place",
                 "LOC": "place"}
# "U.S. officials said", "the ABN economist", "a senior Japanese trade official": people described, not named
PEOPLE_NOUNS = frozenset({
    "official", "source", "analyst", "dealer", "trader", "economist", "expert", "diplomat", "banker",
    "executive", "researcher", "scientist", "observer", "resident", "witness", "lawmaker", "legislator",
    "politician", "negotiator", "delegate", "investor", "insider", "critic", "activist", "worker", "member",
    "people", "leader", "aide", "adviser", "advisor", "employee", "broker", "strategist", "correspondent",
    "journalist", "reporter", "doctor", "officer", "soldier", "farmer", "striker", "player", "coach",
    "fan", "voter", "consumer", "customer", "shareholder", "student", "teacher", "lawyer", "attorney",
})
# "Tokyo dealers", "a U.S. industry group": collective nouns, described sources when plural or indefinite
# ("the industry group" may be a body the article named)
COLLECTIVE_NOUNS = frozenset({"team", "group", "industry", "market", "police", "producer", "exporter",
                              "importer", "buyer", "seller", "manager", "participant"})
# Entity labels that make a topic of a claim.
TOPIC_ENTITY_LABELS = {"GPE": "place", "LOC": "place", "FAC": "place", "ORG": "organisation",
                       "NORP": "group", "LAW": "law", "EVENT": "event", "PERSON": "person"}

QUANTITY_LABELS = frozenset({"PERCENT", "MONEY", "QUANTITY", "CARDINAL"})
