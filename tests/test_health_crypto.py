"""Encryption at rest of free text, and key rotation that keeps every note readable."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, text

from bot.health_cli import rotate_key
from kernel.clock import FixedClock
from store.crypto import KeyMissing, keyed_hash, make_cipher, reseal, seal, unseal
from tests.support_health import Talk, make_app, new_key, raw_sqlite_bytes

NOTE = "hemmelig samtale om medicin"
REASON = "indlagt efter krise"


def _write_notes(talk: Talk) -> None:
    talk.ok("/hjælp", user="root")
    talk.ok("/borger ny Mette Kragelund")
    talk.ok("/borger ny Mette Olsen")
    talk.ok(f"/log mette kragelund tlf i går {NOTE}")
    talk.ok(f"/borger mette kragelund pause til 1/12 {REASON}")
    talk("/log mette video i dag pending spørgsmål")  # ambiguous: the question keeps the text


def _raw(engine: Engine, sql: str) -> list[str]:
    with engine.connect() as conn:
        return [row[0] for row in conn.execute(text(sql))]


def test_with_a_key_note_text_is_absent_from_the_database(
    db_url: str, engine: Engine, clock: FixedClock
) -> None:
    talk = Talk(make_app(db_url, engine, clock, RAMPE_ENCRYPTION_KEY=new_key()))
    _write_notes(talk)
    assert NOTE in talk("/borger mette kragelund")  # readable through Rampe
    notes = _raw(engine, "SELECT note FROM contacts")
    reasons = _raw(engine, "SELECT reason FROM citizen_events WHERE reason IS NOT NULL")
    pending = _raw(engine, "SELECT command_text FROM pending_choices")
    assert len(notes) == 1 and len(reasons) == 1 and len(pending) == 1
    for value in (*notes, *reasons, *pending):
        assert value.startswith("enc1:") and "medicin" not in value and "krise" not in value
    if db_url.startswith("sqlite"):
        raw = raw_sqlite_bytes(db_url)
        assert b"Kragelund" in raw  # the scan can see text; names are not notes
        for secret in (NOTE, REASON, "pending spørgsmål"):
            assert secret.encode() not in raw


def test_without_a_key_notes_are_plaintext_and_still_read_after_one_is_set(
    db_url: str, engine: Engine, clock: FixedClock
) -> None:
    talk = Talk(make_app(db_url, engine, clock))
    _write_notes(talk)
    assert _raw(engine, "SELECT note FROM contacts") == [NOTE]
    keyed = Talk(make_app(db_url, engine, clock, RAMPE_ENCRYPTION_KEY=new_key()))
    assert NOTE in keyed("/borger mette kragelund")
    keyed.ok("/log mette kragelund sms i dag ny note efter nøglen")
    assert sorted(v[:5] for v in _raw(engine, "SELECT note FROM contacts")) == ["enc1:", "hemme"]
    card = keyed("/borger mette kragelund")
    assert NOTE in card and "ny note efter nøglen" in card


def test_rotation_keeps_notes_readable_under_the_new_key_only(
    db_url: str, engine: Engine, clock: FixedClock
) -> None:
    old, new = new_key(), new_key()
    plain = Talk(make_app(db_url, engine, clock))
    plain.ok("/hjælp", user="root")
    plain.ok("/borger ny Søren Vestergaard")
    plain.ok("/log søren møde note fra før nøglen")  # plaintext, written before any key
    talk = Talk(make_app(db_url, engine, clock, RAMPE_ENCRYPTION_KEY=old))
    _write_notes(talk)
    lines: list[str] = []
    done = rotate_key(talk.app, lines.append, new, batch=1)
    assert done == 4  # two notes, one pause reason, one pending question
    assert "contacts.note: 1/2" in lines and "contacts.note: 2/2" in lines
    assert all(v.startswith("enc1:") for v in _raw(engine, "SELECT note FROM contacts"))
    rotated = Talk(make_app(db_url, engine, clock, RAMPE_ENCRYPTION_KEY=new))
    card = rotated("/borger mette kragelund")
    assert NOTE in card
    assert "note fra før nøglen" in rotated("/borger søren")
    stale = Talk(make_app(db_url, engine, clock, RAMPE_ENCRYPTION_KEY=old))
    assert "Noget gik galt" in stale("/borger mette kragelund")


def test_rotate_key_refuses_a_bad_key(db_url: str, engine: Engine, clock: FixedClock) -> None:
    app = make_app(db_url, engine, clock)
    with pytest.raises(ValueError, match="Fernet"):
        rotate_key(app, print, "not-a-key")


def test_sealing_rules() -> None:
    cipher = make_cipher([new_key()])
    assert cipher is not None
    sealed = seal("tekst", cipher)
    assert sealed.startswith("enc1:") and unseal(sealed, cipher) == "tekst"
    assert unseal("gammel klartekst", cipher) == "gammel klartekst"
    tricky = seal("enc1:ikke en token", None)  # typed text that looks like a marker
    assert unseal(tricky, None) == "enc1:ikke en token"
    with pytest.raises(KeyMissing):
        unseal(sealed, None)
    with pytest.raises(KeyMissing):
        unseal(sealed, make_cipher([new_key()]))
    k1, k2 = new_key(), new_key()
    under_k1 = seal("note", make_cipher([k1]))
    rotated = reseal(under_k1, make_cipher([k2, k1]))  # type: ignore[arg-type]
    assert unseal(rotated, make_cipher([k2])) == "note"
    with pytest.raises(KeyMissing):
        unseal(rotated, make_cipher([k1]))
    assert unseal(reseal("klartekst", cipher), cipher) == "klartekst"


def test_keyed_hash_is_keyed_and_normalised() -> None:
    assert keyed_hash("k1", "12 345") == keyed_hash("k1", "12345")
    assert keyed_hash("k1", "ABC-1") == keyed_hash("k1", "abc1")
    assert keyed_hash("k1", "12345") != keyed_hash("k2", "12345")
    assert len(keyed_hash("k1", "12345")) == 64 and "12345" not in keyed_hash("k1", "12345")


def test_old_note_kept_for_undo_is_sealed_rotated_and_restored(
    db_url: str, engine: Engine, clock: FixedClock
) -> None:
    from sqlalchemy import select

    from store.journal import begin_entry, undo_entry
    from store.models import Contact, Entry, EntryChange

    old, new = new_key(), new_key()
    talk = Talk(make_app(db_url, engine, clock, RAMPE_ENCRYPTION_KEY=old))
    _write_notes(talk)
    with talk.app.unit_of_work() as session:
        contact = session.scalars(select(Contact)).one()
        begin_entry(session, contact.staff_id, "log", clock())
        contact.note = "rettet note"
        session.flush()  # store functions flush; the journal records at flush
    with talk.app.unit_of_work() as session:
        before = session.scalars(select(EntryChange.before)).all()
        assert NOTE not in str(before) and "enc1:" in str(before)
    rotate_key(talk.app, lambda _: None, new)
    rotated = make_app(db_url, engine, clock, RAMPE_ENCRYPTION_KEY=new)
    with rotated.unit_of_work() as session:
        entry = session.scalars(select(Entry).order_by(Entry.id.desc())).first()
        assert entry is not None
        undo_entry(session, entry, clock())
    with rotated.unit_of_work() as session:
        assert session.scalars(select(Contact.note)).one() == NOTE
