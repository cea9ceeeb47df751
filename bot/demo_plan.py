"""The fictional programme `rampe demo` stores, planned as plain data from a seed.

Nothing here touches the database: `plan_programme(seed, today)` returns the same plan for the
same seed and day, and `bot.demo` stores it through the store functions.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from bot.demo_names import FIRST, LAST
from kernel.vocabulary import ContactForm, JobKind, Outcome, PlacementEnd

MUNICIPALITIES = ("Silkeborg", "Norddjurs")
# (name, login, municipality, lead?) for the colleagues; the local user joins Silkeborg.
COLLEAGUES = (
    ("Lise Holm", "lise", "Silkeborg", True),
    ("Jonas Bak", "jonas", "Silkeborg", False),
    ("Karin Dahl", "karin", "Norddjurs", False),
    ("Peter Friis", "peter", "Norddjurs", False),
    ("Sanne Krog", "sanne", "Norddjurs", False),
)
COMPANIES = (
    ("Bilka Silkeborg", "Lone"), ("Føtex Silkeborg", "Jens"), ("Netto Grenaa", "Bente"),
    ("Bauhaus Silkeborg", "Morten"), ("Silvan Grenaa", "Ulla"), ("Jysk Silkeborg", "Rikke"),
    ("Grenaa Havn", "Torben"), ("Djurs Maskinstation", "Hans"), ("Auning Tømrer", "Claus"),
    ("Silkeborg Bibliotek", "Signe"), ("Plejecenter Lyngbo", "Hanne"), ("Kvickly Grenaa", "Pia"),
    ("Silkeborg Bad", "Kasper"), ("Ry Vognmand", "Finn"), ("Gjern Planteskole", "Inge"),
    ("Café Søbredden", "Maja"), ("Grenaa Bageri", "Ole"), ("Kattegatcentret", "Julie"),
    ("Ebeltoft Autoværksted", "Brian"), ("Silkeborg Genbrug", "Tove"), ("Rønde Rengøring", "Heidi"),
    ("Norddjurs Kommune Park og Vej", "Steen"), ("Silkeborg Golfklub", "Anders"),
    ("Allingåbro Købmand", "Karen"), ("Kjellerup Lager", "Kim"), ("Them Smedje", "Poul"),
    ("Trehøje Vuggestue", "Camilla"), ("Grenaa Gymnasium Kantine", "Lotte"),
    ("Silkeborg Papirfabrik Museum", "Bodil"), ("Djursland Frugt", "Erik"),
)  # fmt: skip
NOTES = (
    "talte om jobønsker", "aftalte næste skridt", "gennemgik ugeplan", "talte om timer",
    "forberedte møde med virksomheden", "god energi i dag", "aftalte praktikbesøg",
    "opfølgning på aftaler", "talte om transport", "øvede jobsamtale", "talte om skånehensyn",
)  # fmt: skip
# Form, weight, minutes (low, high) or None
FORMS: tuple[tuple[ContactForm, int, tuple[int, int] | None], ...] = (
    (ContactForm.MEETING, 34, (30, 75)), (ContactForm.PHONE, 24, (5, 25)),
    (ContactForm.SMS, 14, None), (ContactForm.EMAIL, 5, None), (ContactForm.VIDEO, 5, (20, 45)),
    (ContactForm.HOME_VISIT, 5, (45, 90)), (ContactForm.WALK, 4, (30, 60)),
    (ContactForm.JOINT_MEETING, 5, (45, 60)), (ContactForm.NETWORK_MEETING, 2, (60, 90)),
    (ContactForm.RELATIVES, 2, (30, 60)), (ContactForm.GROUP, 3, (60, 120)),
)  # fmt: skip
STAGES = {"referred": 8, "active": 14, "praktik": 14, "job": 16, "paused": 6, "ended": 22}
# Every outcome once, and more of the common ones: as many as there are ended courses.
ENDED_OUTCOMES = (*Outcome, Outcome.FLEX_JOB, Outcome.FLEX_JOB, Outcome.JOB, Outcome.FLEX_JOB,
                  Outcome.EDUCATION)  # fmt: skip
IN_JOB = {
    Outcome.JOB: JobKind.ORDINARY, Outcome.FLEX_JOB: JobKind.FLEX,
    Outcome.WAGE_SUBSIDY: JobKind.WAGE_SUBSIDY, Outcome.SMALL_JOB: JobKind.SMALL,
    Outcome.EDUCATION: JobKind.EDUCATION,
}  # fmt: skip


@dataclass
class ContactPlan:
    on: date
    form: ContactForm
    minutes: int | None
    note: str | None
    with_company: int | None = None  # index into COMPANIES
    with_citizen: bool = True


@dataclass
class PraktikPlan:
    company: int
    start: date
    weeks: int
    hours: float
    hours_change: tuple[date, float] | None = None
    extend: tuple[date, int] | None = None
    end: tuple[date, PlacementEnd] | None = None


@dataclass
class JobPlan:
    company: int
    kind: JobKind
    start: date
    hours: float | None
    hours_change: tuple[date, float] | None = None


@dataclass
class CitizenPlan:
    name: str
    municipality: str
    owner: int  # 0 = the local user, 1.. = COLLEAGUES[owner - 1]
    stage: str
    referred: date
    started: date | None = None
    praktik: PraktikPlan | None = None
    job: JobPlan | None = None
    pause: tuple[date, date | None, str] | None = None
    end: tuple[date, Outcome] | None = None
    handover: tuple[date, int] | None = None
    who5_start: list[int] | None = None
    employed_at_start: tuple[bool, float | None] | None = None  # (employed, hours a week)
    who5_end: list[int] | None = None
    contacts: list[ContactPlan] = field(default_factory=list)


def _employed_at_start(name: str) -> tuple[bool, float | None] | None:
    """About one in five had a few hours of work when the course started; one in ten unknown."""
    n = sum(map(ord, name)) % 10
    if n < 2:
        return (True, (5.0, 8.0, None)[len(name) % 3])
    return None if n == 9 else (False, None)


def _weekday(day: date) -> date:
    """The nearest working day on or before `day`."""
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


def _contact(rng: random.Random, on: date) -> ContactPlan:
    form, _, span = rng.choices(FORMS, [w for _, w, _ in FORMS])[0]
    minutes = 5 * round(rng.randint(*span) / 5) if span else None
    note = rng.choice(NOTES) if rng.random() < 0.45 else None
    return ContactPlan(_weekday(on), form, minutes, note)


def _rhythm(rng: random.Random, start: date, end: date) -> list[date]:
    """Weekly for the first six weeks, then about every fortnight, by individual need."""
    days, day, n = [], start, 0
    while day <= end:
        days.append(day)
        n += 1
        day += timedelta(days=rng.randint(5, 9) if n < 6 else rng.randint(10, 18))
    return days


def _who5(rng: random.Random, low: int, high: int) -> list[int]:
    return [rng.randint(low, high) for _ in range(5)]


def _names(rng: random.Random, n: int) -> list[str]:
    names: set[str] = set()
    while len(names) < n:
        names.add(f"{rng.choice(FIRST)} {rng.choice(LAST)}")
    return sorted(names, key=lambda _: rng.random())


def plan_programme(seed: int, today: date) -> list[CitizenPlan]:
    """About 80 citizens at every stage of a course, with a year of contacts."""
    rng = random.Random(seed)
    stages = [stage for stage, count in STAGES.items() for _ in range(count)]
    outcomes = list(ENDED_OUTCOMES)
    plans = []
    for i, (name, stage) in enumerate(zip(_names(rng, len(stages)), stages, strict=True)):
        owner = i % (len(COLLEAGUES) + 1)
        town = MUNICIPALITIES[0] if owner in (0, 1, 2) else MUNICIPALITIES[1]
        plan = CitizenPlan(name, town, owner, stage, today)
        _plan_course(rng, plan, today, outcomes)
        plans.append(plan)
    for plan in plans[5:40:17]:  # a couple of hand-overs within the same municipality
        if plan.started and plan.stage in ("active", "praktik"):
            partner = {0: 1, 1: 2, 2: 0, 3: 4, 4: 5, 5: 3}[plan.owner]
            plan.handover = (_weekday(today - timedelta(days=rng.randint(20, 50))), partner)
    return plans


def _plan_course(rng: random.Random, p: CitizenPlan, today: date, outcomes: list[Outcome]) -> None:
    if p.stage == "referred":
        p.referred = _weekday(today - timedelta(days=rng.randint(2, 40)))
        first = _contact(rng, p.referred + timedelta(days=rng.randint(1, 3)))
        p.contacts = [first] if first.on <= today else []
        return
    span = {"active": (45, 250), "paused": (90, 300), "praktik": (120, 330), "job": (200, 360)}
    low, high = span.get(p.stage, (250, 360))
    p.referred = _weekday(today - timedelta(days=rng.randint(low, high)))
    p.started = _weekday(p.referred + timedelta(days=rng.randint(7, 21)))
    p.who5_start = _who5(rng, 1, 3)
    p.employed_at_start = _employed_at_start(p.name)
    last = today
    if p.stage == "ended":
        outcome = outcomes.pop(rng.randrange(len(outcomes))) if outcomes else Outcome.JOB
        end = _weekday(today - timedelta(days=rng.randint(5, 90)))
        p.end = (max(end, p.started + timedelta(days=90)), outcome)
        p.who5_end = _who5(rng, 2, 4)
        last = p.end[0]
        if outcome in IN_JOB:
            job_start = last - timedelta(days=rng.randint(30, 150))
            _plan_work(rng, p, job_start, IN_JOB[outcome], last)
        elif outcome == Outcome.PLACEMENT:
            _plan_praktik(rng, p, last - timedelta(days=rng.randint(20, 50)), last, open_=True)
    elif p.stage == "praktik":
        _plan_praktik(rng, p, today - timedelta(days=rng.randint(10, 70)), today, open_=True)
    elif p.stage == "job":
        kind = list(JobKind)[len(p.name) % len(JobKind)]
        _plan_work(rng, p, today - timedelta(days=rng.randint(14, 170)), kind, today)
    elif p.stage == "paused":
        since = _weekday(today - timedelta(days=rng.randint(5, 40)))
        # A pause always has an end; some ended already and wait to be resumed.
        late = since + timedelta(weeks=2)
        until = today + timedelta(days=rng.randint(7, 60)) if rng.random() < 0.7 else late
        p.pause = (since, until, rng.choice(("sygemeldt", "ønsker en pause", "ferie")))
        last = since
    p.contacts = [_contact(rng, d) for d in _rhythm(rng, p.started, last)]
    _company_contacts(rng, p)
    p.contacts = sorted((c for c in p.contacts if p.referred <= c.on <= last), key=lambda c: c.on)


def _plan_praktik(rng: random.Random, p: CitizenPlan, start: date, last: date, open_: bool) -> None:
    """A praktik from `start`; an open one is still running on `last`, extended if need be."""
    assert p.started is not None
    start = _weekday(min(max(start, p.started + timedelta(days=21)), last - timedelta(days=7)))
    weeks = rng.choice((4, 8, 8, 13))
    pr = PraktikPlan(rng.randrange(len(COMPANIES)), start, weeks, float(rng.choice((5, 8, 10))))
    change_on = _weekday(start + timedelta(days=rng.randint(21, 28)))
    if change_on <= last:
        pr.hours_change = (change_on, pr.hours + rng.choice((5, 7)))
    planned_end = start + timedelta(weeks=weeks)
    if open_ and planned_end <= last + timedelta(days=7):
        extend_on = _weekday(min(planned_end - timedelta(days=3), last))
        more = 4
        while planned_end + timedelta(weeks=more) <= last + timedelta(days=7):
            more += 4
        pr.extend = (max(extend_on, start), more)
    p.praktik = pr


def _plan_work(
    rng: random.Random, p: CitizenPlan, job_start: date, kind: JobKind, last: date
) -> None:
    """A praktik ending in a job of `kind` at the same company."""
    assert p.started is not None
    job_start = _weekday(min(max(job_start, p.started + timedelta(days=70)), last))
    praktik_start = job_start - timedelta(weeks=rng.choice((6, 8, 10)))
    _plan_praktik(rng, p, praktik_start, job_start - timedelta(days=1), open_=False)
    assert p.praktik is not None
    if p.praktik.hours_change and p.praktik.hours_change[0] >= job_start:
        p.praktik.hours_change = None
    p.praktik.end = (job_start - timedelta(days=1), PlacementEnd.JOB)
    hours = None if kind == JobKind.EDUCATION else float(rng.choice((6, 10, 12, 15, 20, 30, 37)))
    p.job = JobPlan(p.praktik.company, kind, job_start, hours)
    change_on = _weekday(job_start + timedelta(days=rng.randint(30, 60)))
    if hours and change_on <= last and rng.random() < 0.6:
        p.job.hours_change = (change_on, hours + 3)


def _company_contacts(rng: random.Random, p: CitizenPlan) -> None:
    """Approaches before a praktik, the visit 3-4 weeks in, monthly aftercare in a job."""
    if p.praktik is None:
        return
    pr = p.praktik
    for days in sorted(rng.sample(range(7, 30), 2), reverse=True):
        p.contacts.append(
            ContactPlan(_weekday(pr.start - timedelta(days=days)), ContactForm.PHONE, 10,
                        "første henvendelse", pr.company, with_citizen=False)
        )  # fmt: skip
    visit = _weekday(pr.start + timedelta(days=rng.randint(21, 28)))
    p.contacts.append(ContactPlan(visit, ContactForm.COMPANY_VISIT, 45, None, pr.company))
    if p.job is not None:
        day = p.job.start + timedelta(days=3)
        while day < p.job.start + timedelta(days=183):
            p.contacts.append(ContactPlan(_weekday(day), ContactForm.PHONE, 15, "efterværn",
                                          p.job.company, with_citizen=False))  # fmt: skip
            day += timedelta(days=rng.randint(25, 35))
