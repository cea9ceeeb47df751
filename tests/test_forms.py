"""Forms (Slack modals, Teams card forms): checked field by field, run as the typed command."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.app import Rampe
from bot.core import Inbound, Platform
from bot.forms import JOB_FORM, LOG_FORM, PRAKTIK_FORM, FieldKind, FormErrors, suggest
from store.models import Contact, Job, Placement
from tests.conftest import Chat


def who(user: str = "anna") -> Inbound:
    return Inbound(Platform.CONSOLE, user_id=user, text="", display_name=user.title())


def test_log_form_stores_what_the_typed_command_would(chat: Chat, app: Rampe) -> None:
    chat("/borger ny Mette Hansen")
    chat("/virksomhed ny Bilka Tilst")
    reply = app.submit_form(
        who(),
        LOG_FORM,
        {
            "citizen": "BBB-0001",
            "form": "phone",
            "date": "2026-11-22",
            "duration": "20m",
            "company": "1",
            "note": "i dag 45m tlf <!channel> aftalte\nbesøg",
        },
    )
    assert reply.summary.startswith(
        "Logget: telefon med Mette Hansen (BBB-0001) hos Bilka Tilst i går 22/11, 20 min."
    )
    with app.unit_of_work() as session:
        contact = session.scalars(select(Contact)).one()
        # after `--` nothing in the note is read as a date, duration or form
        assert contact.note == "i dag 45m tlf <!channel> aftalte\nbesøg"
        assert contact.minutes == 20


def test_form_errors_name_each_bad_field_and_store_nothing(chat: Chat, app: Rampe) -> None:
    chat("/borger ny Mette Hansen")
    with pytest.raises(FormErrors) as err:
        app.submit_form(who(),
            LOG_FORM,
            {"citizen": "", "form": "dance", "date": "31/2", "duration": "5 days",
             "note": "cpr 010190-1234"},
        )  # fmt: skip
    assert set(err.value.errors) == {"citizen", "form", "date", "duration", "note"}
    assert err.value.errors["citizen"] == "Skal udfyldes."
    assert "CPR" in err.value.errors["note"]
    with app.unit_of_work() as session:
        assert session.scalars(select(Contact)).first() is None


def test_a_citizen_outside_scope_is_refused_on_the_citizen_field(chat: Chat, app: Rampe) -> None:
    chat("/borger ny Mette Hansen", user="anna")  # anna is the first user: admin
    chat("/hjælp", user="bo")  # bo is a plain contact person with no citizens
    with pytest.raises(FormErrors) as err:
        app.submit_form(who("bo"), LOG_FORM, {"citizen": "BBB-0001", "form": "meeting"})
    assert "BBB-0001" in err.value.errors["citizen"]
    assert suggest(app, who("bo"), FieldKind.CITIZEN, "mette") == []
    assert suggest(app, who("anna"), FieldKind.CITIZEN, "mete") == [
        ("BBB-0001", "Mette Hansen (BBB-0001)")
    ]


def test_praktik_and_job_forms(chat: Chat, app: Rampe) -> None:
    chat("/borger ny Mette Hansen")
    chat("/virksomhed ny Bilka Tilst")
    assert suggest(app, who(), FieldKind.COMPANY, "bilka") == [("1", "Bilka Tilst")]
    reply = app.submit_form(
        who(),
        PRAKTIK_FORM,
        {"citizen": "BBB-0001", "company": "1", "date": "2026-11-30", "weeks": "8", "hours": "10"},
    )
    assert "Praktik startet: Mette Hansen (BBB-0001) hos Bilka Tilst" in reply.summary
    with pytest.raises(FormErrors) as err:
        app.submit_form(who(), JOB_FORM, {"citizen": "BBB-0001", "company": "1", "kind": "flex",
                                      "hours": "90"})  # fmt: skip
    assert set(err.value.errors) == {"hours"}
    reply = app.submit_form(
        who(), JOB_FORM, {"citizen": "BBB-0001", "company": "1", "kind": "flex", "hours": "12"}
    )
    assert "fleksjob hos Bilka Tilst" in reply.summary
    with app.unit_of_work() as session:
        placement = session.scalars(select(Placement)).one()
        assert placement.hours_per_week == 10
        assert (
            placement.planned_end_on is not None
            and placement.planned_end_on.isoformat() == "2027-01-25"
        )
        assert session.scalars(select(Job)).one().kind == "flex"


def test_type_ahead_audits_each_citizen_it_shows(chat: Chat, app: Rampe) -> None:
    from store.models import AuditEvent
    from tests.support import rows

    chat("/borger ny Mette Hansen")
    chat("/borger ny Mette Larsen")
    assert len(suggest(app, who(), FieldKind.CITIZEN, "mette")) == 2
    shown = rows(app, AuditEvent, action="read", detail="type-ahead")
    assert sorted(a.citizen_handle or "" for a in shown) == ["BBB-0001", "BBB-0002"]
