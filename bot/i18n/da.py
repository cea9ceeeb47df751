"""Danish texts: the bot's first language. Keys are shared with `en.py`."""

TEXTS: dict[str, str] = {
    # Help, one line per command (generated into /hjælp, Slack's manifest, Teams' menu)
    "help.log": "Log en kontakt med en borger eller virksomhed",
    "help.borger": "Opret, vis, start, sæt på pause, genoptag eller overdrag en borger",
    "help.virksomhed": "Opret eller vis en virksomhed",
    "help.praktik": "Start, ændr timer, forlæng eller afslut en praktik",
    "help.job": "Start, ændr timer eller afslut et job",
    "help.afslut": "Afslut et forløb med et udfald",
    "help.måling": "Registrér en WHO-5-trivselsmåling",
    "help.fortryd": "Fortryd din seneste registrering (inden for 10 minutter)",
    "help.caseload": "Vis dine aktive borgere",
    "help.hjælp": "Vis hjælp til alle kommandoer eller én kommando",
    "help.sprog": "Skift sprog for svar (da/en)",
    # Usage: shown when a command is typed wrongly
    "usage.log": "Skriv: /log <borger> [form] [dato] [varighed] [note], fx /log mette tlf i går 20m",
    "usage.borger": "Skriv: /borger ny <fulde navn> eller /borger <navn>",
    "usage.borger_overdrag": "Skriv hvem borgeren skal overdrages til: /borger mette overdrag @anna",
    "usage.virksomhed": "Skriv: /virksomhed ny <navn> [kontakt: Navn Telefon] eller /virksomhed <navn>",
    "usage.praktik": "Skriv: /praktik <borger> start|timer|forlæng|slut ...",
    "usage.praktik_timer": "Skriv antal timer om ugen: /praktik mette timer 15",
    "usage.praktik_forlaeng": "Skriv antal uger: /praktik mette forlæng 4 uger",
    "usage.job": "Skriv: /job <borger> start|timer|slut ...",
    "usage.job_timer": "Skriv antal timer om ugen: /job mette timer 15",
    "usage.afslut": "Skriv: /afslut <borger> <udfald> [dato], fx /afslut mette fleksjob",
    "usage.måling": "Skriv: /måling <borger> who5 <score 0-100 | fem svar 0-5> [start|slut]",
    "usage.fortryd": "Skriv bare /fortryd",
    "usage.caseload": "Skriv bare /caseload",
    "usage.hjælp": "Skriv /hjælp eller /hjælp <kommando>",
    "usage.sprog": "Skriv /sprog da eller /sprog en",
    # Confirmations
    "ok.citizen_created": "Oprettet: {citizen}",
    "ok.company_created": "Oprettet virksomhed: {name}",
    "ok.logged": "Logget: {form} med {who} {day}",
    "ok.with_note": "Note gemt ({chars} tegn).",
    "ok.started": "Forløb startet: {citizen} {day}.",
    "ok.paused": "Sat på pause: {citizen}. Ingen påmindelser før forløbet genoptages.",
    "ok.paused_until": "Sat på pause: {citizen} til {day}. Du bliver mindet om det den dag.",
    "ok.resumed": "Genoptaget: {citizen}.",
    "ok.handed_over": "Overdraget: {citizen} til {name}, med {count} åbne opfølgninger.",
    "ok.praktik_started": "Praktik startet: {citizen} hos {company}, {details}.",
    "ok.praktik_hours": "Praktik ændret: {citizen} nu {hours} t/uge.",
    "ok.praktik_extended": "Praktik forlænget: {citizen} {weeks} uger, til {end}.",
    "ok.praktik_ended": "Praktik afsluttet: {citizen} ({reason}).",
    "ok.job_started": "Job startet: {citizen}, {kind} hos {company}, {details}.",
    "ok.job_hours": "Job ændret: {citizen} nu {hours} t/uge.",
    "ok.job_ended": "Job afsluttet: {citizen} {day}.",
    "ok.course_ended": "Forløb afsluttet: {citizen} med udfald {outcome} {day}.",
    "ok.measured": "Måling gemt: WHO-5 {score} for {citizen} {phase}",
    "ok.undone": "Fortrudt: din /{command} fra kl. {at}.",
    "ok.language": "Jeg svarer nu på dansk.",
    # Details inside confirmations
    "detail.from": "fra {day}",
    "detail.until_weeks": "til {day} ({weeks} uger)",
    "detail.hours": "{hours} t/uge",
    # Questions
    "ask.which_citizen": "Hvilken borger mener du med »{query}«?",
    "ask.which_company": "Hvilken virksomhed mener du med »{query}«?",
    "ask.which_staff": "Hvilken kollega mener du med »{query}«?",
    "ask.answer_hint": "Svar med nummeret, fx 1. Intet er gemt endnu.",
    # Errors the user can fix
    "error.cpr": "Teksten ligner et CPR-nummer, og CPR-numre må ikke gemmes i Rampe. "
    "Intet er gemt. Skriv beskeden igen uden nummeret.",
    "error.control_chars": "Teksten indeholder usynlige kontroltegn. Intet er gemt. "
    "Skriv den igen som almindelig tekst.",
    "error.internal": "Noget gik galt hos mig, og intet er gemt. Prøv igen om lidt.",
    "error.bad_date": "»{token}« er ikke en dato jeg kender. Skriv fx i dag, i går, mandag, "
    "3/12, 3.12.2026 eller 2026-12-03 (dag før måned).",
    "error.bad_duration": "»{token}« er ikke en varighed jeg kender. Skriv fx 20m, 1t, 1,5t "
    "eller 1t30.",
    "error.bad_hours": "»{token}« er ikke et antal timer om ugen. Skriv fx 10 t/uge (højst 60).",
    "error.bad_weeks": "»{token}« er ikke et antal uger. Skriv fx 8 uger (1 til 104).",
    "error.bad_name": "»{token}« ligner ikke et navn. Skriv fx /borger ny Mette Hansen.",
    "error.too_long": "For langt: højst {limit} tegn.",
    "error.note_too_long": "Noten er {length} tegn; højst {limit}. Intet er gemt. "
    "Del den op i flere logninger.",
    "error.need_citizen": "Skriv hvilken borger (eller @virksomhed) det gælder, "
    "fx /log mette tlf i går 20m.",
    "error.need_company": "Skriv hvilken virksomhed med @, fx @bilka.",
    "error.no_citizen": "Jeg kan ikke finde en borger der hedder »{query}« blandt dem du har "
    "adgang til. Opret borgeren med /borger ny <fulde navn>.",
    "error.no_company": "Jeg kan ikke finde virksomheden »{query}«. "
    "Opret den med /virksomhed ny <navn>.",
    "error.no_staff": "Jeg kan ikke finde kollegaen »{query}«. Kollegaer kommer med, "
    "når de har skrevet til mig første gang.",
    "error.future_contact": "Datoen {day} er i fremtiden; en kontakt logges når den har fundet "
    "sted. Skriv fx i dag eller i går.",
    "error.future_end": "Et forløb kan ikke afsluttes på en dato i fremtiden.",
    "error.course_ended": "Forløbet for {citizen} er afsluttet. Se /borger for detaljer.",
    "error.not_paused": "{citizen} er ikke sat på pause.",
    "error.until_past": "Pausen skal slutte efter i dag, fx pause til 1/12.",
    "error.already_owner": "{name} har allerede {citizen}.",
    "error.no_praktik": "{citizen} er ikke i praktik nu. Start en med "
    "/praktik <borger> start @virksomhed.",
    "error.praktik_running": "{citizen} er allerede i praktik. Afslut den først med "
    "/praktik <borger> slut.",
    "error.praktik_word": "»{token}« forstår jeg ikke i en praktikstart. Skriv fx "
    "/praktik mette start @bilka fra 1/12 8 uger 10 t/uge.",
    "error.end_before_start": "Slutdatoen skal ligge efter startdatoen.",
    "error.weeks_or_end": "Skriv enten antal uger eller en slutdato, ikke begge.",
    "error.no_job": "{citizen} har ikke et job registreret. Start et med "
    "/job <borger> start @virksomhed.",
    "error.job_word": "»{token}« forstår jeg ikke i en jobstart. Skriv fx "
    "/job mette start @bilka fleksjob 12 t/uge fra 1/12.",
    "error.bad_outcome": "Skriv et udfald: job, fleksjob, løntilskud, småjob, uddannelse, "
    "førtidspension, seniorpension, praktik, ledig, sygemeldt, barsel, fraflyttet, død, "
    "anden aktør eller andet.",
    "error.who5_score": "WHO-5 er 0 til 100, ikke {value}. Eller skriv de fem svar 0-5.",
    "error.who5_items": "Skriv enten en score 0-100 eller præcis fem svar fra 0 til 5.",
    "error.nothing_to_undo": "Der er intet du kan fortryde; kun din seneste registrering de "
    "sidste {minutes} minutter.",
    "error.bad_choice": "Svar med et tal fra 1 til {count}, eller skriv annuller.",
    # Warnings and hints
    "warn.same_name": "Bemærk: der findes allerede en borger med samme navn ({others}).",
    "warn.logged_on_ended": "Bemærk: forløbet er afsluttet.",
    "warn.open_praktik": "Bemærk: borgeren har stadig en aktiv praktik. Afslut den med "
    "/praktik <borger> slut.",
    "hint.after_new": "Log den første samtale med /log {first} møde i dag.",
    "notice.first_admin": "Du er den første bruger og er derfor administrator.",
    # Replies
    "reply.empty": "Skriv en kommando, fx /hjælp.",
    "reply.example": "Eksempel: {example}",
    "reply.did_you_mean": "Kommandoen /{name} kender jeg ikke. Mente du {suggestion}? "
    "Skriv /hjælp for alle kommandoer.",
    "reply.unknown_command": "Kommandoen /{name} kender jeg ikke. Skriv /hjælp for alle "
    "kommandoer.",
    "reply.choice_cancelled": "Annulleret. Intet er gemt.",
    "reply.caseload": "Dine aktive borgere ({count}):",
    "reply.caseload_empty": "Du har ingen aktive borgere. Opret en med /borger ny <navn>.",
    "reply.help_intro": "Det kan jeg (skriv /hjælp <kommando> for eksempler):",
    # Labels
    "label.handle": "Kaldenavn",
    "label.owner": "Kontaktperson",
    "label.status": "Status",
    "label.referred": "Henvist",
    "label.municipality": "Kommune",
    "label.praktik": "Praktik",
    "label.job": "Job",
    "label.last_contact": "Seneste kontakt",
    "label.next_follow_ups": "Næste opfølgninger",
    "label.next_follow_up": "Næste opfølgning",
    "label.recent": "Seneste registreringer",
    "label.contact_person": "Kontakt",
    "label.citizens_here": "Borgere her nu",
    "label.names": "Navne",
    "label.usage": "Sådan",
    "label.examples": "Eksempler",
    "card.praktik": "fra {start} til {end}, {hours} t/uge",
    "card.job": "{kind} fra {start}, {hours} t/uge",
    "card.others_hidden": "+ {count} borgere du ikke har adgang til",
    "action.undo": "Fortryd",
    "action.cancel": "Annuller",
    # Words
    "word.none": "ingen",
    "word.at": "hos",
    "word.praktik": "praktik",
    "word.job": "job",
    "day.rel0": "i dag",
    "day.rel1": "i går",
    "day.rel2": "i forgårs",
    "day.tomorrow": "i morgen",
    "status.referred": "henvist {day}, ikke startet",
    "status.active": "aktiv",
    "status.active_since": "aktiv siden {day}",
    "status.paused": "på pause",
    "status.paused_until": "på pause til {day}",
    "status.ended": "afsluttet {day}: {outcome}",
    "phase.start": "(start)",
    "phase.end": "(slut)",
    # Contact forms
    "form.meeting": "møde",
    "form.phone": "telefon",
    "form.video": "video",
    "form.sms": "sms",
    "form.email": "mail",
    "form.home_visit": "hjemmebesøg",
    "form.company_visit": "virksomhedsbesøg",
    "form.joint_meeting": "fællesmøde",
    "form.network_meeting": "netværksmøde",
    "form.relatives": "pårørendesamtale",
    "form.group": "gruppe/café",
    "form.walk": "gåtur",
    # Job kinds
    "jobkind.flex": "fleksjob",
    "jobkind.ordinary": "ordinært job",
    "jobkind.wage_subsidy": "løntilskud",
    "jobkind.small": "småjob",
    "jobkind.education": "uddannelse",
    # Praktik ends
    "praktikend.job": "overgået til job",
    "praktikend.ended": "afsluttet",
    "praktikend.interrupted": "afbrudt",
    # Outcomes
    "outcome.job": "ordinært job",
    "outcome.flex_job": "fleksjob",
    "outcome.wage_subsidy": "løntilskud",
    "outcome.small_job": "småjob",
    "outcome.education": "uddannelse",
    "outcome.disability_pension": "førtidspension",
    "outcome.senior_pension": "seniorpension",
    "outcome.placement": "fortsat i praktik",
    "outcome.unemployed": "ledig",
    "outcome.sick_leave": "sygemeldt",
    "outcome.parental_leave": "barsel",
    "outcome.moved": "fraflyttet",
    "outcome.died": "død",
    "outcome.transferred": "overgået til anden aktør",
    "outcome.other": "andet",
    "outcome.None": "ukendt",
    "console.welcome": "Rampe, lokal chat som {user} ({db}). Skriv /hjælp for kommandoer, "
    "/quit for at slutte.",
    # --- Demo (rampe demo) ---
    "demo.refused": "Databasen indeholder allerede borgere, så demoen fylder den ikke. Brug en "
    "anden database, fx: RAMPE_DATABASE_URL=sqlite:///demo.db rampe demo",
    "demo.progress_staff": "Demo: {count} medarbejdere i to teams (Silkeborg, Norddjurs) ...",
    "demo.progress_companies": "Demo: {count} virksomheder med kontaktpersoner ...",
    "demo.progress_citizens": "Demo: borger {done} af {total} med et års forløb ...",
    "demo.done": "Demoen er klar: {staff} medarbejdere, {citizens} borgere, {companies} "
    "virksomheder, {contacts} kontakter. Prøv: rampe chat --as {me}, skriv /caseload eller "
    "/borger {name}.",
}
