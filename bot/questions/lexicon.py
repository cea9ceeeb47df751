"""The words people ask with, Danish first and English second, each mapped to what it means.

A word maps to one or more concepts (`praktikstarter` is both `praktik` and `start`). Words are
stored folded (`målet` -> `malet`), so a question typed without æ, ø and å reads the same.
Fillers are known words that mean nothing to the question; they are not counted as unknown.
"""

from __future__ import annotations

import re

from kernel.fold import fold


def _split(text: str) -> list[str]:
    return text.split()


_CONCEPTS: dict[str, str] = {
    # What is asked
    "count": "mange many antal antallet number",
    "who": "hvem hvilke hvilken who which whom",
    "how": "hvordan how",
    "what": "hvad what whats",
    "when": "hvornår when",
    "rate": "rate raten procent procenten andel andelen percent percentage share",
    "mean": "gennemsnit gennemsnittet gennemsnitlig gennemsnitlige snit average mean",
    "show": "vis show giv give fortæl tell list liste",
    "last_time": "sidst",
    "not": "ikke ik ikk not never aldrig havent hasnt didnt dont doesnt",
    # Contact verbs: set / talt med / hørt fra / kontakt are one thing
    "talk": "set talt snakket snakke tale hørt heard seen talked spoken spoke ringet called mødt "
    "met været contacted talte",
    "contact": "kontakt kontakten kontakter kontakterne kontaktet samtale samtaler samtalerne møde "
    "møder mødet møderne opkald telefonsamtaler hjemmebesøg besøg contact contacts meeting "
    "meetings calls visits",
    # What it is about
    "citizen": "borger borgere borgerne borgeren deltager deltagere deltagerne citizen citizens "
    "participants people",
    "caseload": "caseload caseloaden sagsstamme sagsstammen",
    "cap": "loft loftet cap",
    "staff": "kontaktperson kontaktpersoner hver each colleague colleagues flest most",
    "waiting": "venter venteliste ventelisten waiting",
    "referral": "henvisning henvisninger henvisningerne henvist henviste referral referrals "
    "referred",
    "new": "nye ny new",
    "start": "startet starter start started starts begyndt",
    "praktik": "praktik praktikken praktikker praktikkerne praktikplads praktikforløb placement "
    "placements internship internships",
    "job": "job jobbet jobs arbejde work employed ansat ansatte fleksjob beskæftigelse employment "
    "efterværn efterværnet aftercare",
    "got": "fået kommet kommer fik got get gotten landed",
    "lasting": "varigt varig varige holdt lasting kept",
    "wellbeing": "trivsel trivslen trivselsscore trivselsscoren who5 who-5 wellbeing well-being "
    "velbefindende måling målinger målingerne measurements score scoren",
    "cost": "pris prisen priser koster kostede koste omkostning omkostninger omkostningen udgift "
    "udgifter cost costs price",
    "outcome": "udfald udfaldet outcome outcomes",
    "ended": "afsluttet afsluttede afslutning afsluttes sluttet slutter stoppet stoppede ended "
    "closed finished end stopped",
    "interrupted": "afbrudt afbrudte afbrød afbryder afbrydelse afbrydelser interrupted",
    "pension": "pension pensionen førtidspension førtidspensionen seniorpension pensions",
    "education": "uddannelse uddannelsen education school studies",
    "target": "mål målet måltal måltallene målene target targets goal goals",
    "followup": "opfølgning opfølgninger opfølgningerne følge follow follow-up follow-ups "
    "followup followups due overdue forfaldne forfalden ringe huske glemt glemme remind "
    "reminders påmindelser nå",
    "status": "status sket skete sker overblik overview happening happened",
    "course": "forløb forløbet forløbene course courses",
    # The programme reports: durations, intensity, citizens ever placed, IPS fidelity
    "duration": "længe lang længde længden varighed varigheden varer varede tid tiden tager tog "
    "duration durations long lasts lasted takes took",
    "spent": "brugt bruge bruger brugte spend spent spending",
    "ever": "nogensinde ever",
    "intensity": "intensitet intensiteten intensity",
    "fidelity": "fidelitet fideliteten fidelity ips",
    "develop": "udvikler udvikling udviklingen udviklet develop develops development trend",
    # Understood, but not something a report answers: Rampe asks back
    "why": "hvorfor why",
    "hours": "timer timerne minutter hours minutes",
    "sick": "syg syge sygemeldt sygemeldte sick",
    "absence": "ferie fravær holiday vacation absence",
    "cpr": "cpr cpr-nummer personnummer",
    "delete": "slet slette sletter sletning delete remove",
    "go": "går gik going",
    "doing": "doing",
    "paused": "pause pauset paused",
    "active": "aktive aktiv active gang",
    "now": "nu now currently moment øjeblikket",
    "company": "virksomhed virksomheder virksomhederne virksomhedskontakter company companies "
    "employer employers arbejdsgivere",
    # When
    "day": "dag dage days day døgn",
    "today": "idag today",
    "yesterday": "yesterday igår",
    "week": "uge ugen ugens uger week weeks",
    "month": "måned måneden måneder month months",
    "quarter": "kvartal kvartalet quarter",
    "year": "år året years year",
    "last": "sidste forrige last previous",
    "this": "denne dette this current",
    "since": "siden since",
    # Whose
    "own": "jeg mig min mine mit my me",
    "team": "vi os vores teamet team teams teamets we our us ours hele",
    "municipality": "kommune kommunen kommuner municipality municipalities",
    "per": "per pr fordelt by",
}
_COMPOUNDS: dict[str, tuple[str, ...]] = {
    "praktikstart": ("praktik", "start"), "praktikstarter": ("praktik", "start"),
    "jobstart": ("job", "start"), "jobstarter": ("job", "start"),
    "jobrate": ("job", "rate"), "jobraten": ("job", "rate"), "jobprocent": ("job", "rate"),
    "jobprocenten": ("job", "rate"), "jobrates": ("job", "rate"),
    "virksomhedsbesøg": ("company", "contact"),
    "virksomhedskontakt": ("company", "contact"),
    "virksomhedskontakter": ("company", "contact"),
    "fællesmøder": ("contact",), "netværksmøder": ("contact",),
    "arbejdsgiverkontakt": ("company", "contact"), "arbejdsgiverkontakter": ("company", "contact"),
    "forløbstid": ("duration", "course"), "forløbstiden": ("duration", "course"),
}  # fmt: skip
# Phrases of several words that mean one thing, matched on the folded question (each gives its
# concepts; `per_week` and `six_months` also tell that "a week" or "6 months" is no period).
_PHRASES: tuple[tuple[str, tuple[str, ...]], ...] = (
    # Hours a week in a praktik or job (`timer ... om ugen`), not this week's figures.
    (r"timer( \w+){0,4} (om|pr|per|hver) uge[n]?|ugentlige? timer|hours( \w+){0,5} (a|per|each"
     r"|every) week|weekly hours", ("weekly_hours", "per_week")),
    # Contact every week with a citizen (intensity); employer contacts a week (IPS fidelity).
    (r"kontakt (hver|hvert|i hver|om) uge[n]?|ugentlig kontakt|weekly contact|contact (every"
     r"|each) week", ("intensity", "per_week")),
    (r"(arbejdsgiverkontakter|virksomhedskontakter|employer contacts)\b.*\b((om|pr|per|hver|a"
     r"|each|every) uge[n]?|(a|per|each|every) week)", ("fidelity", "per_week")),
    (r"outside the office|out of the office|uden for kontoret|ude af huset", ("fidelity",)),
    (r"forste (arbejdsgiver|virksomheds)kontakt\w*|forste kontakt med (en )?(arbejdsgiver"
     r"|virksomhed)\w*|first (employer|company) contact", ("fidelity",)),
    # `hvor mange dage (går der) fra henvisning til start`: how long, not a count of days.
    (r"hvor mange dage|how many days|antal dage|number of days|(time|tid|tiden) (from|fra)",
     ("duration",)),
    # `how much time do we spend`: hours (`time` alone is a filler: "what time is it?").
    (r"how much time|hvor meget tid", ("hours",)),
    # `har haft et job`, `har været i praktik`: ever, not now.
    (r"(har|have|has) (haft|vaeret|had|been)", ("ever",)),
    # From praktik to job: the conversion the citizens report counts.
    (r"fra (en )?praktik til (et )?(job|arbejde)|praktik til job|from (a )?placement to (a )?"
     r"(job|work)|placement to job|konvertering|conversion|(job|arbejde) efter (en )?praktik"
     r"|(job|work) after (a )?placement|praktik( \w+){0,3} (kom|kommer|fik|got|get|went)"
     r"( \w+)? (job|arbejde|work)", ("conversion",)),
    # Contacts or hours per citizen (intensity), not per contact person.
    (r"(pr|per|hver|each|every) (borger|citizen|deltager|participant)", ("per_citizen",)),
    # `mere end 6 måneder` in a job: the lasting job, not the last six months.
    (r"(mere end|over|mindst|at least|more than|i|for) (6|seks|six) (maneder|months)",
     ("lasting", "six_months")),
    # Wellbeing over time: the measurement points.
    (r"over tid|over time|undervejs|along the way|point|punkt", ("develop",)),
)  # fmt: skip
PHRASES: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = tuple(
    (re.compile(rf"\b({pattern})\b"), concepts) for pattern, concepts in _PHRASES
)
FILLERS = _split(
    "har have has had haft hat er is are was were var været be det de der den dem dig og and "
    "i in på on at til to for af of med with fra from the a an en et om about hos så so nogen "
    "any some lige right alle all ud out ser look looks do does did kan can could skal need "
    "needs should du you hvor where nok egentlig lidt vel mon please tak thanks mangler "
    "missing noget something they them it its that there here her blevet been bedre better "
    "længe long hver siger says meget much stor big op up ved those these efter after time "
    "person persons"
)
NUMBERS = {
    "en": 1, "et": 1, "one": 1, "a": 1, "to": 2, "two": 2, "tre": 3, "three": 3, "fire": 4,
    "four": 4, "fem": 5, "five": 5, "seks": 6, "six": 6, "syv": 7, "seven": 7, "otte": 8,
    "eight": 8, "ti": 10, "ten": 10, "fjorten": 14, "fourteen": 14, "tredive": 30, "thirty": 30,
}  # fmt: skip
# The 98 municipalities (and Copenhagen in English), as their names are written.
MUNICIPALITIES = _split(
    "Albertslund Allerød Assens Ballerup Billund Bornholm Brøndby Brønderslev Dragør Egedal "
    "Esbjerg Fanø Favrskov Faxe Fredensborg Fredericia Frederiksberg Frederikshavn Frederikssund "
    "Furesø Faaborg-Midtfyn Gentofte Gladsaxe Glostrup Greve Gribskov Guldborgsund Haderslev "
    "Halsnæs Hedensted Helsingør Herlev Herning Hillerød Hjørring Holbæk Holstebro Horsens "
    "Hvidovre Høje-Taastrup Hørsholm Ikast-Brande Ishøj Jammerbugt Kalundborg Kerteminde Kolding "
    "København Køge Langeland Lejre Lemvig Lolland Lyngby-Taarbæk Læsø Mariagerfjord Middelfart "
    "Morsø Norddjurs Nordfyns Nyborg Næstved Odder Odense Odsherred Randers Rebild "
    "Ringkøbing-Skjern Ringsted Roskilde Rudersdal Rødovre Samsø Silkeborg Skanderborg Skive "
    "Slagelse Solrød Sorø Stevns Struer Svendborg Syddjurs Sønderborg Thisted Tønder Tårnby "
    "Vallensbæk Varde Vejen Vejle Vesthimmerland Viborg Vordingborg Ærø Aabenraa Aalborg Aarhus"
)
MUNICIPALITY_BY_FOLD: dict[str, str] = {fold(m): m for m in MUNICIPALITIES}
MUNICIPALITY_BY_FOLD["copenhagen"] = "København"


def _build() -> dict[str, tuple[str, ...]]:
    words: dict[str, tuple[str, ...]] = {}
    for concept, text in _CONCEPTS.items():
        for word in text.split():
            key = fold(word)
            words[key] = (*words.get(key, ()), concept)
    for word, concepts in _COMPOUNDS.items():
        words[fold(word)] = concepts
    return words


CONCEPTS_BY_WORD: dict[str, tuple[str, ...]] = _build()
FILLER_WORDS: frozenset[str] = frozenset(fold(w) for w in FILLERS) - CONCEPTS_BY_WORD.keys()
# Typos are corrected towards content words of four letters or more only: short words and
# the little words of time and scope are too close to names (`mette` is not `dette`).
_NOT_FUZZY = {"this", "last", "since", "own", "team", "per", "new", "not"}
FUZZY_WORDS: tuple[str, ...] = tuple(
    w for w, concepts in CONCEPTS_BY_WORD.items() if len(w) >= 4 and not _NOT_FUZZY & set(concepts)
)
COMMAND_WORDS = frozenset({"status", "caseload", "jobrate", "rapport", "report", "log", "borger",
                           "citizen", "praktik", "job", "hjaelp", "help"})  # fmt: skip
