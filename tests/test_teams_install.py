"""Installing the Teams app: the person is created as a first message would create them, the
1:1 reference is stored so nudges reach them before they write, one welcome in their language;
a team gets one intro and nobody is created; removing the app forgets the reference."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.app import Rampe
from bot.core import Reply
from kernel.i18n import t
from store.models import AuditEvent, Staff
from tests.support import count
from tests.support_teams import (  # noqa: F401
    Loop,
    TeamsServer,
    deliver,
    fresh_sender,
    install_activity,
    posted_text,
    stored_recipient,
    teams_say,
    teams_server,
    teams_settings,
)


def test_a_personal_install_creates_the_person_and_welcomes_once(
    teams: TeamsServer, app: Rampe
) -> None:
    body = install_activity(teams.connector.url)
    (welcome,) = deliver(teams, body)
    assert welcome.path.startswith("/v3/conversations/a:personal-anna/activities/")
    text = posted_text(welcome)
    assert text.startswith("Hej, jeg er Rampe.")
    for typed in ("/hjælp", "/borger ny Mette Hansen", "/log mette tlf i går 20m"):
        assert typed in text
    assert "første bruger" in text  # the first person of a fresh install is admin, and told so
    assert teams.connector.lookups == ["29:anna"]  # the install event carried no name
    with app.unit_of_work() as session:
        staff = session.scalars(select(Staff)).one()
        assert (staff.display_name, staff.role, staff.language) == ("Anna", "admin", "da")
        (identity,) = staff.identities
        assert (identity.platform, identity.workspace, identity.external_id) == (
            "teams",
            "tenant-1",
            "aad-anna",
        )
        assert identity.address is not None
        assert identity.address["conversation"]["id"] == "a:personal-anna"
    assert deliver(teams, body) == []  # the same activity again: it has had its one effect
    twin = install_activity(teams.connector.url, kind="conversationUpdate")
    assert deliver(teams, twin) == []  # Teams' second announcement of the same install
    text, _ = teams_say(teams, "anna", "/caseload")
    assert "første bruger" not in text  # the first message finds the person the install made
    assert count(app, Staff) == 1


def test_a_nudge_reaches_a_person_who_installed_but_never_wrote(
    teams: TeamsServer, db_url: str
) -> None:
    deliver(teams, install_activity(teams.connector.url))
    sender, _ = fresh_sender(db_url)
    loop = Loop()
    try:
        loop.run(sender.send(stored_recipient(db_url), Reply("Husk opfølgning")))
    finally:
        loop.close()
    nudge = teams.connector.posts[-1]
    assert nudge.path.startswith("/v3/conversations/a:personal-anna/activities")
    assert nudge.body["text"] == "Husk opfølgning"


def test_removing_the_app_forgets_the_reference_and_installing_again_welcomes_again(
    teams: TeamsServer, db_url: str
) -> None:
    deliver(teams, install_activity(teams.connector.url))
    teams_say(teams, "anna", "/sprog en")
    assert deliver(teams, install_activity(teams.connector.url, "remove")) == []  # says nothing
    recipient = stored_recipient(db_url)
    assert recipient.address is None  # store less: nothing to send to, nothing kept
    sender, _ = fresh_sender(db_url)
    loop = Loop()
    try:
        with pytest.raises(LookupError):
            loop.run(sender.send(recipient, Reply("Husk opfølgning")))
    finally:
        loop.close()
    (welcome,) = deliver(teams, install_activity(teams.connector.url))
    text = posted_text(welcome)
    assert text.startswith("Hello, I am Rampe.") and "/log mette phone yesterday 20m" in text
    assert stored_recipient(db_url).address is not None


def test_an_install_announced_only_by_conversation_update_welcomes_too(
    teams: TeamsServer, app: Rampe
) -> None:
    body = install_activity(teams.connector.url, kind="conversationUpdate")
    (welcome,) = deliver(teams, body)
    assert posted_text(welcome).startswith("Hej, jeg er Rampe.")
    someone = install_activity(teams.connector.url, user="bo", kind="conversationUpdate")
    someone["membersAdded"] = [{"id": "29:bo"}]  # a person joined, not the bot
    assert deliver(teams, someone) == []
    assert count(app, Staff) == 1


def test_a_team_install_posts_one_intro_and_creates_nobody(teams: TeamsServer, app: Rampe) -> None:
    assert deliver(teams, install_activity(teams.connector.url, "remove", channel=True)) == []
    body = install_activity(teams.connector.url, channel=True)
    (intro,) = deliver(teams, body)
    assert intro.path.startswith("/v3/conversations/19:general@thread.tacv2/activities/")
    assert posted_text(intro) == t("da", "teams.channel_intro")  # fixed text: no personal data
    assert "@Rampe hjælp" in posted_text(intro)
    assert deliver(teams, body) == []
    twin = install_activity(teams.connector.url, channel=True, kind="conversationUpdate")
    assert deliver(teams, twin) == []
    assert (count(app, Staff), count(app, AuditEvent), teams.connector.lookups) == (0, 0, [])
    assert deliver(teams, install_activity(teams.connector.url, "remove", channel=True)) == []
    (again,) = deliver(teams, install_activity(teams.connector.url, channel=True))
    assert posted_text(again) == t("da", "teams.channel_intro")
    assert count(app, Staff) == 0
