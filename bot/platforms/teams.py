"""Microsoft Teams through the Bot Framework: `/api/messages`, activity -> Inbound, Reply -> card.

Kept small on purpose: botbuilder-python is archived in favour of Microsoft's Agents SDK, so
everything Bot Framework specific lives here and in `teams_files` (the file-consent flow) and
nothing else; `teams_cards` and `teams_hosts` take plain values. The conversation is the same
as everywhere: each message (or card submit) becomes an `Inbound` that the conversation
answers (`Rampe`, `bot.installs`, `bot.people`); this module translates and renders.
Installing the app and accepting a file card are turns too.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import re
from dataclasses import replace
from types import SimpleNamespace
from typing import Any

from aiohttp import web
from botbuilder.core import InvokeResponse, TurnContext
from botbuilder.core.teams import TeamsInfo
from botbuilder.integration.aiohttp import (
    CloudAdapter,
    ConfigurationBotFrameworkAuthentication,
)
from botbuilder.schema import Activity, ActivityTypes, CallerIdConstants, ConversationReference
from botframework.connector.auth import AuthenticationConstants as Auth
from botframework.connector.auth import ServiceClientCredentialsFactory

from bot.app import Rampe, Redeliver
from bot.core import FormCall, Inbound, Platform, Recipient, Reply, Tone
from bot.forms import FORMS, FieldKind, Form, FormErrors, suggest
from bot.installs import install_channel, install_personal, uninstall
from bot.people import language_of, reach, remember_address
from bot.platforms.outage import redeliver_later, unavailable
from bot.platforms.teams_cards import COMMAND_KEY, FORM_KEY, form_card
from bot.platforms.teams_files import (
    FILE_CONSENT_INVOKE,
    FileConsent,
    is_report_command,
    plain_message,
)
from bot.platforms.teams_hosts import host_of, host_patterns, url_allowed
from bot.platforms.teams_messages import card_message, outgoing, search_response
from kernel.i18n import t
from kernel.settings import Settings

log = logging.getLogger("rampe.teams")
_MENTION = re.compile(r"<at>([^<]*)</at>", re.IGNORECASE)
SEARCH_INVOKE = "application/search"  # Teams' dynamic type-ahead in a card's ChoiceSet
SEARCH_DATASETS = (FieldKind.CITIZEN.value, FieldKind.COMPANY.value)
SEARCH_PAGE = 15  # the most a Teams dropdown shows


class ServiceUrlRefused(Exception):
    """A serviceUrl whose host is not on TEAMS_SERVICE_HOSTS: no token may be sent there."""


def make_adapter(
    settings: Settings, credentials: ServiceClientCredentialsFactory | None = None
) -> CloudAdapter:
    """A CloudAdapter for the configured bot (anonymous when MICROSOFT_APP_ID is empty)."""
    password = settings.microsoft_app_password
    config = SimpleNamespace(
        APP_ID=settings.microsoft_app_id,
        APP_PASSWORD=password.get_secret_value() if password else "",
        APP_TENANTID=settings.microsoft_app_tenant_id,
        APP_TYPE="SingleTenant" if settings.microsoft_app_tenant_id else "MultiTenant",
    )
    if settings.teams_openid_metadata_url:
        _own_signing_keys(config, settings)
    auth = ConfigurationBotFrameworkAuthentication(config, credentials_factory=credentials)
    return CloudAdapter(auth)


def _own_signing_keys(config: SimpleNamespace, settings: Settings) -> None:
    """Check tokens against the keys at TEAMS_OPENID_METADATA_URL; all else as the public cloud.

    Naming any of these makes Bot Framework use its parameterised authentication, which needs
    every one of them: they are the public cloud's own values.
    """
    tenant = settings.microsoft_app_tenant_id or Auth.DEFAULT_CHANNEL_AUTH_TENANT
    config.TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL = settings.teams_openid_metadata_url
    config.TO_BOT_FROM_CHANNEL_TOKEN_ISSUER = Auth.TO_BOT_FROM_CHANNEL_TOKEN_ISSUER
    config.TO_BOT_FROM_EMULATOR_OPENID_METADATA_URL = Auth.TO_BOT_FROM_EMULATOR_OPENID_METADATA_URL
    config.TO_CHANNEL_FROM_BOT_LOGIN_URL = Auth.TO_CHANNEL_FROM_BOT_LOGIN_URL_PREFIX + tenant
    config.TO_CHANNEL_FROM_BOT_OAUTH_SCOPE = Auth.TO_CHANNEL_FROM_BOT_OAUTH_SCOPE
    config.OAUTH_URL = Auth.OAUTH_URL
    config.CALLER_ID = CallerIdConstants.public_azure_channel


async def _turn_failed(_turn: TurnContext, error: Exception) -> None:
    if isinstance(error, Redeliver):
        raise error  # `messages` answers 503, so Teams delivers the activity again
    # The error's text may quote a reply (names); its type is enough to go on.
    log.error("Teams turn failed: %s", type(error).__name__)


def to_inbound(activity: Activity) -> Inbound:
    """The Inbound for an activity: the typed text without the bot's @mention (or a clicked
    button's command), files sent with it, and its id, which a redelivery repeats."""
    sender = activity.from_property
    conversation = activity.conversation
    conversation_id = conversation.id if conversation else ""
    tenant = conversation.tenant_id if conversation else None
    if not tenant and isinstance(activity.channel_data, dict):
        tenant = (activity.channel_data.get("tenant") or {}).get("id")
    value = activity.value
    text = message_text(activity)
    if isinstance(value, dict) and isinstance(value.get(COMMAND_KEY), str):
        text = value[COMMAND_KEY]
    return Inbound(
        platform=Platform.TEAMS,
        user_id=(sender.aad_object_id or sender.id) if sender else "",
        text=text,
        workspace=tenant or "",
        display_name=(sender.name or "") if sender else "",
        channel="" if is_personal(activity) else conversation_id,
        event_id=f"{conversation_id}/{activity.id}" if activity.id else "",
        files=sum(a.content_type != "text/html" for a in activity.attachments or []),
    )


def message_text(activity: Activity) -> str:
    """The typed text without the bot's @mention; other mentions become `@Name`."""
    text = activity.text or ""
    bot_id = activity.recipient.id if activity.recipient else None
    for entity in activity.entities or []:
        props = entity.additional_properties or {}
        mentioned = props.get("mentioned") or {}
        if entity.type == "mention" and mentioned.get("id") == bot_id and props.get("text"):
            text = text.replace(props["text"], " ")
    text = _MENTION.sub(lambda m: "@" + m.group(1).strip(), text)
    return text.replace("\xa0", " ").strip()


def is_personal(activity: Activity) -> bool:
    """A 1:1 chat with the bot (Teams says `personal`; the emulator says nothing)."""
    kind = activity.conversation.conversation_type if activity.conversation else None
    return kind in (None, "", "personal")


def install_change(activity: Activity) -> str | None:
    """`add` or `remove` when the activity installs or removes this bot, else None."""
    if activity.type == ActivityTypes.installation_update:
        return activity.action if activity.action in ("add", "remove") else None
    if activity.type != ActivityTypes.conversation_update:
        return None
    bot_id = activity.recipient.id if activity.recipient else None
    return "add" if any(m.id == bot_id for m in activity.members_added or []) else None


def reference_of(activity: Activity) -> dict[str, Any]:
    """The conversation reference as stored JSON (without the message id, which changes)."""
    data: dict[str, Any] = TurnContext.get_conversation_reference(activity).serialize()
    data.pop("activityId", None)
    return data


class TeamsSender:
    """Sends replies outside a turn through a stored conversation reference (the Sender)."""

    platform = Platform.TEAMS

    def __init__(
        self, adapter: CloudAdapter, app_id: str, hosts: tuple[str, ...], lang: str = "da"
    ) -> None:
        self.adapter = adapter
        self.app_id = app_id
        self.hosts = hosts
        self.lang = lang  # the programme's language, for the few words a card adds itself

    @classmethod
    def from_settings(
        cls, settings: Settings, credentials: ServiceClientCredentialsFactory | None = None
    ) -> TeamsSender:
        """A sender with its own adapter, as the scheduler process builds it."""
        adapter = make_adapter(settings, credentials)
        hosts = host_patterns(settings.teams_service_hosts)
        return cls(adapter, settings.microsoft_app_id, hosts, settings.language)

    async def send(self, recipient: Recipient, reply: Reply) -> None:
        """Deliver `reply` to the recipient's stored Teams conversation."""
        if not recipient.address:
            raise LookupError(f"staff {recipient.staff_id} has no Teams conversation yet")
        reference = ConversationReference().deserialize(recipient.address)
        await self.send_activities(reference, outgoing(reply, recipient.language or self.lang))

    async def send_activities(
        self, reference: ConversationReference, activities: list[Activity]
    ) -> None:
        """Continue the conversation with these activities; refuse a foreign serviceUrl first."""
        if not url_allowed(reference.service_url, self.hosts):
            raise ServiceUrlRefused(host_of(reference.service_url))

        async def deliver(turn: TurnContext) -> None:
            for activity in activities:
                await turn.send_activity(activity)

        await self.adapter.continue_conversation(reference, deliver, self.app_id)


class TeamsEndpoint:
    """The `/api/messages` handler and the turn logic behind it."""

    def __init__(self, rampe: Rampe, adapter: CloudAdapter, sender: TeamsSender) -> None:
        self.rampe = rampe
        self.sender = sender  # raises when it cannot deliver, as a Sender must
        self.adapter = adapter  # a failed turn is logged and answered 201, not retried
        self.adapter.on_turn_error = _turn_failed
        self.files = FileConsent(rampe, host_patterns(rampe.settings.teams_upload_hosts))

    async def messages(self, request: web.Request) -> web.Response:
        """Check content type, token and serviceUrl, in that order, then run one turn."""
        if request.content_type != "application/json":
            return web.Response(status=415)
        try:
            activity = Activity().deserialize(await request.json())
        except web.HTTPException:  # 413: larger than the server's body limit
            raise
        except Exception:  # not JSON, or not an Activity
            return web.Response(status=400)
        if not activity.type:
            return web.Response(status=400)
        auth = self.adapter.bot_framework_authentication
        try:
            result = await auth.authenticate_request(
                activity, request.headers.get("Authorization", "")
            )
        except Exception as err:  # PermissionError, jwt.DecodeError, a failed key lookup...
            log.warning("Teams request refused (%s)", type(err).__name__)
            return web.Response(status=401)
        if not url_allowed(activity.service_url, self.sender.hosts):
            log.warning("Teams request refused: serviceUrl host not on TEAMS_SERVICE_HOSTS")
            return web.Response(status=403)
        if (down := await unavailable(self.rampe)) is not None:
            return down
        try:
            invoke = await self.adapter.process_activity(result, activity, self.on_turn)
        except Redeliver:
            return redeliver_later("not answered yet")
        if invoke:
            return web.json_response(invoke.body, status=invoke.status)
        return web.Response(status=201)

    async def on_turn(self, turn: TurnContext) -> None:
        """Answer a message (in a channel, in the person's 1:1 chat) or an install event."""
        activity = turn.activity
        if install_change(activity) is not None:
            await self.on_install(turn)
            return
        if activity.type == ActivityTypes.invoke:
            await self.on_invoke(turn)
            return
        if activity.type != ActivityTypes.message:
            return
        inbound = to_inbound(activity)
        if is_personal(activity):
            answers = await asyncio.to_thread(self.answer, inbound, activity.value)
            if answers is None:
                return  # Teams sent this activity again: it has had its one effect and answer
            reference = reference_of(activity)
            await asyncio.to_thread(remember_address, self.rampe, inbound, reference)
            await turn.send_activities(answers)
            await asyncio.to_thread(self.rampe.replied, inbound)
            return
        lang, address = await asyncio.to_thread(reach, self.rampe, inbound)
        if address is None or not url_allowed(address.get("serviceUrl"), self.sender.hosts):
            # no 1:1 chat to answer in: run nothing, and say where to write instead
            if await asyncio.to_thread(self.rampe.claim, inbound):
                await turn.send_activity(plain_message(t(lang, "teams.use_personal_chat")))
            return
        answers = await asyncio.to_thread(self.answer, inbound, activity.value)
        if answers is None:
            return
        await self.sender.send_activities(ConversationReference().deserialize(address), answers)
        await asyncio.to_thread(self.rampe.replied, inbound)
        await turn.send_activity(plain_message(t(lang, "teams.answered_privately")))

    async def on_invoke(self, turn: TurnContext) -> None:
        """A type-ahead search in a form, or a file consent card accepted or declined (one
        effect, and always answered 200)."""
        activity = turn.activity
        if activity.name == SEARCH_INVOKE:
            answer = await asyncio.to_thread(self.search, activity)
            await turn.send_activity(Activity(type=ActivityTypes.invoke_response, value=answer))
            return
        if activity.name != FILE_CONSENT_INVOKE:
            return  # no invoke response: the adapter answers 501
        try:
            inbound = to_inbound(activity)
            if await asyncio.to_thread(self.rampe.claim, inbound):
                lang = await asyncio.to_thread(language_of, self.rampe, inbound)
                await turn.send_activity(await self.files.respond(activity.value, inbound, lang))
        finally:  # without it, Teams shows the person an error on the card
            ok = InvokeResponse(status=200)
            await turn.send_activity(Activity(type=ActivityTypes.invoke_response, value=ok))

    async def on_install(self, turn: TurnContext) -> None:
        """The app added (the person and one welcome, or a channel intro) or removed (forget)."""
        activity = turn.activity
        inbound = to_inbound(activity)
        if not await asyncio.to_thread(self.rampe.claim, inbound):
            return
        conversation = activity.conversation.id if activity.conversation else ""
        if install_change(activity) == "remove":
            personal = is_personal(activity)
            await asyncio.to_thread(uninstall, self.rampe, inbound, conversation, personal)
            return
        reply = await self.installed(turn, conversation)
        if reply is not None:
            await turn.send_activities(outgoing(reply, self.rampe.settings.language))

    async def installed(self, turn: TurnContext, conversation: str) -> Reply | None:
        """The welcome (1:1) or intro (team, group chat); None if the install was announced."""
        if not is_personal(turn.activity):
            inbound = to_inbound(turn.activity)
            return await asyncio.to_thread(install_channel, self.rampe, inbound, conversation)
        inbound = await self.installer(turn)
        if not inbound.user_id:
            return None
        reference = reference_of(turn.activity)
        return await asyncio.to_thread(
            install_personal, self.rampe, inbound, reference, conversation
        )

    async def installer(self, turn: TurnContext) -> Inbound:
        """The person installing, named as a message would name them: install events often
        carry no name, so the connector is asked for it."""
        inbound = to_inbound(turn.activity)
        sender = turn.activity.from_property
        if inbound.display_name or sender is None or not sender.id:
            return inbound
        try:
            member = await TeamsInfo.get_member(turn, sender.id)
        except Exception as err:  # a failed lookup must not lose the install: the id stands in
            log.warning("Teams member lookup failed (%s)", type(err).__name__)
            return inbound
        return replace(inbound, display_name=member.name or "")

    def search(self, activity: Activity) -> InvokeResponse:
        """Choices for a form's citizen or company field matching what the person typed."""
        value = activity.value if isinstance(activity.value, dict) else {}
        options = value.get("queryOptions")
        options = options if isinstance(options, dict) else {}
        query, dataset = value.get("queryText", ""), value.get("dataset")
        skip, top = options.get("skip", 0), options.get("top", SEARCH_PAGE)
        if dataset not in SEARCH_DATASETS or not isinstance(query, str):
            return InvokeResponse(status=400)
        if not (isinstance(skip, int) and isinstance(top, int)):
            return InvokeResponse(status=400)
        pairs = suggest(self.rampe, to_inbound(activity), FieldKind(dataset), query)
        return InvokeResponse(status=200, body=search_response(pairs, max(skip, 0), top))

    def answer(self, inbound: Inbound, value: object) -> list[Activity] | None:
        """The answer to a typed message, a button click, a submitted form or a sent file;
        None if this delivery was answered before. Raises Redeliver (see there)."""
        if isinstance(value, dict) and isinstance(value.get(FORM_KEY), str):
            # A card form runs in units of work of its own: claimed apart from its effects.
            return self.submit_form(inbound, value) if self.rampe.claim(inbound) else None
        reply = self.rampe.receive(inbound)
        if reply is None:
            return None
        lang = language_of(self.rampe, inbound)
        if reply.form is not None:
            return [self.form_message(FORMS[reply.form.form], inbound, reply.form)]
        if not reply.files:
            return outgoing(reply, lang)
        command = inbound.text if is_report_command(self.rampe, inbound.text) else ""
        return outgoing(reply, lang, command)

    def form_message(
        self,
        form: Form,
        inbound: Inbound,
        call: FormCall | None = None,
        errors: dict[str, str] | None = None,
    ) -> Activity:
        """A card form: the person's own citizens and the companies to pick from, and any
        values filled in already (a named citizen stays a choice, even if not their own)."""
        names = {f.name for f in form.fields}
        options = {
            name: suggest(self.rampe, inbound, kind, "")
            for name, kind in (("citizen", FieldKind.CITIZEN), ("company", FieldKind.COMPANY))
            if name in names
        }
        values = call.values if call else {}
        for name, label in (call.labels if call else {}).items():
            if name in options and values.get(name) not in {v for v, _ in options[name]}:
                options[name] = [(values[name], label), *options[name]]
        lang = language_of(self.rampe, inbound)
        return card_message(form_card(form, lang, options, values, errors), t(lang, form.title))

    def submit_form(self, inbound: Inbound, value: dict[str, Any]) -> list[Activity]:
        """Run a submitted card form; on errors, the same card again with the messages."""
        form = FORMS.get(value[FORM_KEY])
        lang = language_of(self.rampe, inbound)
        if form is None:
            return [plain_message(t(lang, "teams.card_unknown"))]
        values = {k: v for k, v in value.items() if isinstance(v, str) and k != FORM_KEY}
        try:
            return outgoing(self.rampe.submit_form(inbound, form, values), lang)
        except FormErrors as err:
            return [self.form_message(form, inbound, FormCall(form.id, values), err.errors)]
        except Exception as err:  # submit_form opens its own units of work; never let a turn die
            log.error("Teams form submit failed: %s", type(err).__name__)
            return outgoing(Reply(t(lang, "error.internal"), tone=Tone.ERROR), lang)


def is_loopback(host: str) -> bool:
    """True for an address only this machine can reach (`0.0.0.0` and `""` are every address)."""
    if host.casefold() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a host name: it may resolve to anything


def add_teams_routes(
    app: web.Application,
    rampe: Rampe,
    credentials: ServiceClientCredentialsFactory | None = None,
) -> TeamsEndpoint:
    """Serve POST /api/messages; refuse to start unauthenticated unless explicitly allowed,
    and then only on a loopback address."""
    settings = rampe.settings
    if not settings.microsoft_app_id:
        if not settings.teams_allow_unauthenticated:
            raise RuntimeError("Teams needs MICROSOFT_APP_ID (or TEAMS_ALLOW_UNAUTHENTICATED)")
        if not is_loopback(settings.host):
            raise RuntimeError(
                f"TEAMS_ALLOW_UNAUTHENTICATED=true is for a loopback address only, and Rampe "
                f"would listen on {settings.host!r}: set MICROSOFT_APP_ID, or RAMPE_HOST=127.0.0.1"
            )
        log.warning(
            "TEAMS IS UNAUTHENTICATED: MICROSOFT_APP_ID is empty and "
            "TEAMS_ALLOW_UNAUTHENTICATED=true, so /api/messages accepts activities from anyone. "
            "Local development only."
        )
    adapter = make_adapter(settings, credentials)
    endpoint = TeamsEndpoint(rampe, adapter, TeamsSender.from_settings(settings, credentials))
    app.router.add_post("/api/messages", endpoint.messages)
    return endpoint
