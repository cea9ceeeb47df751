"""The words the command language recognises, Danish and English, mapped to stored values."""

from __future__ import annotations

from kernel.vocabulary import ContactForm, JobKind, Outcome, PlacementEnd

CONTACT_FORMS: dict[str, ContactForm] = {
    "møde": ContactForm.MEETING, "mode": ContactForm.MEETING, "meeting": ContactForm.MEETING,
    "tlf": ContactForm.PHONE, "telefon": ContactForm.PHONE, "phone": ContactForm.PHONE,
    "opkald": ContactForm.PHONE, "call": ContactForm.PHONE,
    "video": ContactForm.VIDEO, "teams": ContactForm.VIDEO,
    "sms": ContactForm.SMS, "text": ContactForm.SMS,
    "mail": ContactForm.EMAIL, "email": ContactForm.EMAIL, "e-mail": ContactForm.EMAIL,
    "hjemmebesøg": ContactForm.HOME_VISIT, "hjemmebesog": ContactForm.HOME_VISIT,
    "homevisit": ContactForm.HOME_VISIT, "home-visit": ContactForm.HOME_VISIT,
    "virksomhedsbesøg": ContactForm.COMPANY_VISIT, "virksomhedsbesog": ContactForm.COMPANY_VISIT,
    "besøg": ContactForm.COMPANY_VISIT, "visit": ContactForm.COMPANY_VISIT,
    "fællesmøde": ContactForm.JOINT_MEETING, "fællesmode": ContactForm.JOINT_MEETING,
    "faellesmode": ContactForm.JOINT_MEETING, "joint": ContactForm.JOINT_MEETING,
    "netværksmøde": ContactForm.NETWORK_MEETING, "netværk": ContactForm.NETWORK_MEETING,
    "netvaerksmode": ContactForm.NETWORK_MEETING, "network": ContactForm.NETWORK_MEETING,
    "pårørende": ContactForm.RELATIVES, "parorende": ContactForm.RELATIVES,
    "relatives": ContactForm.RELATIVES,
    "gruppe": ContactForm.GROUP, "café": ContactForm.GROUP, "cafe": ContactForm.GROUP,
    "group": ContactForm.GROUP,
    "gåtur": ContactForm.WALK, "walk": ContactForm.WALK, "walk-and-talk": ContactForm.WALK,
}  # fmt: skip

JOB_KINDS: dict[str, JobKind] = {
    "fleksjob": JobKind.FLEX, "flexjob": JobKind.FLEX, "flex": JobKind.FLEX,
    "ordinært": JobKind.ORDINARY, "ordinaert": JobKind.ORDINARY, "ordinart": JobKind.ORDINARY,
    "ordinary": JobKind.ORDINARY,
    "løntilskud": JobKind.WAGE_SUBSIDY, "lontilskud": JobKind.WAGE_SUBSIDY,
    "subsidised": JobKind.WAGE_SUBSIDY, "subsidized": JobKind.WAGE_SUBSIDY,
    "småjob": JobKind.SMALL, "smajob": JobKind.SMALL, "smalljob": JobKind.SMALL,
    "uddannelse": JobKind.EDUCATION, "education": JobKind.EDUCATION,
}  # fmt: skip

OUTCOMES: dict[str, Outcome] = {
    "job": Outcome.JOB, "ordinært": Outcome.JOB, "ordinary": Outcome.JOB,
    "fleksjob": Outcome.FLEX_JOB, "flexjob": Outcome.FLEX_JOB,
    "løntilskud": Outcome.WAGE_SUBSIDY, "subsidised": Outcome.WAGE_SUBSIDY,
    "småjob": Outcome.SMALL_JOB, "smalljob": Outcome.SMALL_JOB,
    "uddannelse": Outcome.EDUCATION, "education": Outcome.EDUCATION,
    "førtidspension": Outcome.DISABILITY_PENSION, "fortidspension": Outcome.DISABILITY_PENSION,
    "pension": Outcome.DISABILITY_PENSION, "disability-pension": Outcome.DISABILITY_PENSION,
    "seniorpension": Outcome.SENIOR_PENSION, "senior-pension": Outcome.SENIOR_PENSION,
    "praktik": Outcome.PLACEMENT, "placement": Outcome.PLACEMENT,
    "ledig": Outcome.UNEMPLOYED, "unemployed": Outcome.UNEMPLOYED,
    "sygemeldt": Outcome.SICK_LEAVE, "syg": Outcome.SICK_LEAVE, "sick": Outcome.SICK_LEAVE,
    "barsel": Outcome.PARENTAL_LEAVE, "parental": Outcome.PARENTAL_LEAVE,
    "fraflyttet": Outcome.MOVED, "flyttet": Outcome.MOVED, "moved": Outcome.MOVED,
    "død": Outcome.DIED, "dod": Outcome.DIED, "died": Outcome.DIED,
    "anden-aktør": Outcome.TRANSFERRED, "anden aktør": Outcome.TRANSFERRED,
    "anden-aktor": Outcome.TRANSFERRED, "overgået": Outcome.TRANSFERRED,
    "transferred": Outcome.TRANSFERRED,
    "afbrudt": Outcome.INTERRUPTED, "afbrud": Outcome.INTERRUPTED,
    "interrupted": Outcome.INTERRUPTED, "dropout": Outcome.INTERRUPTED,
    "pensionsproces": Outcome.PENSION_PROCESS, "pensionssag": Outcome.PENSION_PROCESS,
    "pension-process": Outcome.PENSION_PROCESS, "pending-pension": Outcome.PENSION_PROCESS,
    "andet": Outcome.OTHER, "other": Outcome.OTHER,
}  # fmt: skip

PLACEMENT_ENDS: dict[str, PlacementEnd] = {
    "job": PlacementEnd.JOB, "ansat": PlacementEnd.JOB, "hired": PlacementEnd.JOB,
    "afsluttet": PlacementEnd.ENDED, "slut": PlacementEnd.ENDED, "ended": PlacementEnd.ENDED,
    "færdig": PlacementEnd.ENDED, "completed": PlacementEnd.ENDED,
    "afbrudt": PlacementEnd.INTERRUPTED, "interrupted": PlacementEnd.INTERRUPTED,
    "stoppet": PlacementEnd.INTERRUPTED,
}  # fmt: skip


def lookup(table: dict[str, object], token: str) -> object | None:
    """The value for `token` in a word table, ignoring case."""
    return table.get(token.casefold())
