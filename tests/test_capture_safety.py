"""CPR numbers in every shape people and programs produce, refused in every free-text place
and absent from the database's raw bytes; phone numbers still accepted; invisible format
characters removed and text stored in NFC, as typed.
"""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from bot.app import Rampe
from bot.parsing.safety import check_input, looks_like_cpr, normalise
from kernel.errors import UserError
from store.models import Company, Contact
from tests.conftest import Chat
from tests.support import count, one, rows
from tests.support_health import raw_postgres_bytes, raw_sqlite_bytes

SHAPES = [
    "120385-2457", "1203852457", "120385 2457", "120385–2457", "120385—2457",
    "120385\u20112457", "120385\u22122457", "120385 - 2457", "120385 – 2457", "12.03.85-2457",
    "12.03.85 2457", "12 03 85 2457", "12-03-85-2457", "12/03/85-2457", "120385/2457",
    "120385.2457", "120385\u00a02457", "12\u200b0385-2457", "١٢٠٣٨٥-٢٤٥٧",
    "１２０３８５－２４５７", "12\u202f03\u202f85\u202f2457",
]  # fmt: skip
PLACES = [
    "/log mette tlf ring på {cpr}",  # a note
    "/log mette tlf -- {cpr}",  # a note after --
    "/borger ny Ole {cpr} Hansen",  # a name
    "/borger ny Ole Hansen kommune {cpr}",  # a municipality
    "/borger mette pause {cpr}",  # a reason
    "/virksomhed ny Bilka {cpr}",  # a company
    "/virksomhed ny Bilka Viby kontakt: Lone {cpr}",  # a contact person
    "/påmind mette om 2 uger ring om {cpr}",  # a reminder
    "/praktik mette slut afbrudt {cpr}",  # a praktik's end note
    "/job mette slut {cpr}",  # a job's end note
    "/afslut mette ledig {cpr}",  # closing a course
]
NEEDLES = [b"120385", b"12.03.85", b"12 03 85", b"2457", "２４５７".encode(), "٢٤٥٧".encode()]


@pytest.mark.parametrize("shape", SHAPES)
def test_every_shape_is_a_cpr_number(shape: str) -> None:
    assert looks_like_cpr(shape)
    assert looks_like_cpr(f"ring til hende på {shape} i morgen")
    with pytest.raises(UserError) as err:
        check_input(f"note {shape}")
    assert err.value.key == "error.cpr"


@pytest.mark.parametrize(
    "text",
    ["+45 12 34 56 78", "12 34 56 78", "+4512345678", "12345678", "tlf 12 34 56 78 efter kl 14",
     "kl. 10.30-11.45", "uge 12-14", "2026-12-03", "3/12 kl 1400", "ordre 990000-1234",
     "sagsnr 2024-123456"],
)  # fmt: skip
def test_phone_numbers_and_ordinary_numbers_are_not_cpr_numbers(text: str) -> None:
    assert not looks_like_cpr(text)


def test_stored_text_is_nfc_as_typed_without_invisible_characters() -> None:
    assert normalise("① ２ café") == "① ２ café"  # no NFKC: what was typed stays
    assert normalise("cafe\u0301") == "café"  # NFC joins the accent
    assert normalise("a\u2067b\u2069c\u061cd\u200ee\u202ef") == "abcdef"
    assert normalise("👨\u200d👩\u200d👧") == "👨\u200d👩\u200d👧"  # the joiner holds the family


@pytest.mark.pristine_pages
def test_every_shape_is_refused_everywhere_and_never_stored(
    chat: Chat, app: Rampe, engine: Engine, db_url: str
) -> None:
    chat("/borger ny Mette Hansen")
    chat("/virksomhed ny Bilka Tilst")
    chat("/praktik mette start @bilka")
    for place in PLACES:
        for shape in SHAPES:
            reply = chat(place.format(cpr=shape))
            assert reply.startswith("Teksten ligner et CPR-nummer"), (place, shape, reply)
    engine.dispose()
    raw = raw_sqlite_bytes(db_url) if db_url.startswith("sqlite") else raw_postgres_bytes(engine)
    assert b"Mette" in raw  # the scan sees text
    for needle in NEEDLES:
        assert needle not in raw, needle


def test_phone_numbers_are_accepted_and_stored(chat: Chat, app: Rampe) -> None:
    chat("/borger ny Mette Hansen")
    assert chat("/virksomhed ny Bilka Tilst kontakt: Lone +45 12 34 56 78").startswith("Oprettet")
    assert one(app, Company).contact_phone == "+4512345678"
    assert chat("/log mette tlf ring til Lone på 12 34 56 78").startswith("Logget:")
    assert one(app, Contact).note == "ring til Lone på 12 34 56 78"


def test_bidi_controls_are_removed_and_nfc_is_kept(chat: Chat, app: Rampe) -> None:
    chat("/borger ny Mette Hansen")
    chat("/log mette -- hej\u2067 ① cafe\u0301 \u202eabc")
    assert one(app, Contact).note == "hej ① café abc"
    assert count(app, Contact) == 1 and rows(app, Contact)[0].note is not None
