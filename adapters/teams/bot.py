"""The Teams activity handler: activities in, core commands run, Adaptive Cards out.

It translates only. Messages (`boundary friend-request`, `/boundary friend-request`,
`@Boundary friend-request`, `help`) and card buttons become core commands; membership changes and
thread replies become platform events. Teams has no ephemeral messages, so a private answer asked
for in a channel or group chat goes to the person's 1:1 chat with Boundary, and the channel only
gets a short note.
"""

from __future__ import annotations

import logging
import traceback
from collections import OrderedDict
from typing import TYPE_CHECKING, Any

from botbuilder.core import ActivityHandler, BotAdapter, MessageFactory, TurnContext
from botbuilder.core.teams import TeamsInfo
from botbuilder.schema import (
    Activity,
    ActivityEventNames,
    ActivityTypes,
    Attachment,
    ChannelAccount,
    ConversationAccount,
    ConversationParameters,
    ConversationReference,
)

from adapters.teams import activities as act
from adapters.teams.cards import Submission, attachment, render_reply, submission
from bot.messages import Delivery, Inbound, Reply, Visibility, text_reply
from bot.records import Identity

if TYPE_CHECKING:
    from adapters.runtime import Runtime
    from storage.repositories.teams import SqlConversationRefs

log = logging.getLogger(__name__)

CHANNEL_NOTE = "I've sent my answer to you in a private chat with Boundary, so only you can see it."
EXPIRED = text_reply(
    "That button no longer works",
    "It belongs to an older version of Boundary. Type `boundary help` to start again.",
    ok=False,
)
UNKNOWN_SENDER = text_reply(
    "I couldn't tell who you are",
    "Teams did not send your account or organisation with this message. Please try again from Teams.",
    ok=False,
)


def reply_activity(reply: Reply) -> Activity:
    card = render_reply(reply)
    message: Activity = MessageFactory.attachment(
        Attachment(content_type=attachment(card)["contentType"], content=card)
    )
    # A short text for notifications and screen readers, never the script itself.
    message.summary = reply.title
    return message


def reference_json(reference: ConversationReference) -> dict[str, Any]:
    data: dict[str, Any] = reference.serialize()
    data.pop("activityId", None)
    return data


class BoundaryTeamsBot(ActivityHandler):  # type: ignore[misc]
    def __init__(self, runtime: Runtime, references: SqlConversationRefs) -> None:
        self.runtime = runtime
        self.references = references
        # Skip rewriting a reference that has not changed since we last saved it.
        self._saved: OrderedDict[tuple[int, int], str] = OrderedDict()

    # ---- messages and card buttons -------------------------------------------------------------

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        kind = act.conversation_type(activity)
        if kind == act.CHANNEL:
            event = act.thread_reply(activity)
            if event is not None:
                await self.runtime.core.notify(event)
            # With the channel-read permission Teams sends every post; only those naming Boundary are for us.
            if not act.mentions_bot(activity) and activity.value is None:
                return
        pressed: Submission | None = None
        if activity.value is not None:
            pressed = submission(activity.value)
            if pressed is None:
                await self.answer(turn_context, EXPIRED, Delivery.NEW)
                return
        text = (
            pressed.command if pressed and pressed.kind == "command" else await self.typed_text(turn_context)
        )
        inbound = act.to_inbound(activity, text)
        if inbound is None:
            await turn_context.send_activity(reply_activity(UNKNOWN_SENDER))
            return
        identity = self.identify(inbound)
        if kind == act.PERSONAL:
            self.remember(identity, TurnContext.get_conversation_reference(activity))
        if pressed is not None and pressed.kind == "form":
            reply = await self.runtime.core.submit(inbound, pressed.form_id, pressed.values or {})
            # The answer (the form again with its errors, or the confirmation) replaces the form card.
            await self.answer(turn_context, reply, Delivery.REPLACE)
            return
        reply = await self.runtime.core.handle(inbound)
        await self.answer(turn_context, reply, pressed.delivery if pressed else Delivery.NEW)

    async def typed_text(self, turn_context: TurnContext) -> str:
        """The message text as a command; mentions of colleagues become their member ids."""
        activity = turn_context.activity
        bot_id = activity.recipient.id if activity.recipient else None
        people: dict[str, str] = {}
        for mention in act.mentions(activity):
            if mention.id == bot_id or mention.aad_object_id:
                continue
            try:
                member = await TeamsInfo.get_member(turn_context, mention.id)
            except Exception as exc:  # the roster is a convenience; the Teams id still names them
                log.info("teams roster lookup failed: %s", type(exc).__name__)
                continue
            if member is not None and member.aad_object_id:
                people[mention.id] = member.aad_object_id
        return act.command_text(activity, people)

    async def answer(self, turn_context: TurnContext, reply: Reply, delivery: Delivery) -> None:
        """Send `reply` where it belongs: in place, in this conversation, or in the person's 1:1 chat."""
        activity = turn_context.activity
        kind = act.conversation_type(activity)
        private_elsewhere = reply.visibility is Visibility.PRIVATE and kind != act.PERSONAL
        if private_elsewhere:
            await self.send_personal(turn_context, reply)
            if activity.value is None:
                await turn_context.send_activity(MessageFactory.text(CHANNEL_NOTE))
            return
        message = reply_activity(reply)
        if delivery is Delivery.REPLACE and activity.reply_to_id:
            message.id = activity.reply_to_id
            await turn_context.update_activity(message)
            return
        await turn_context.send_activity(message)

    async def send_personal(self, turn_context: TurnContext, reply: Reply) -> None:
        """Post in the person's 1:1 chat with the bot, opening it (and storing it) the first time."""
        activity = turn_context.activity
        tenant = act.tenant_id(activity)
        connector = turn_context.turn_state.get(BotAdapter.BOT_CONNECTOR_CLIENT_KEY)
        inbound = act.to_inbound(activity, "")
        if connector is None or inbound is None or tenant is None:
            raise RuntimeError("no connector to open a personal chat with")
        identity = self.identify(inbound)
        stored = self.references.get(identity.practice.id, identity.member.id)
        if stored is not None:
            conversation_id = stored.conversation_id
        else:
            parameters = ConversationParameters(
                is_group=False,
                bot=activity.recipient,
                members=[ChannelAccount(id=activity.from_property.id)],
                tenant_id=tenant,
                channel_data={"tenant": {"id": tenant}},
            )
            created = await connector.conversations.create_conversation(parameters)
            conversation_id = created.id
            self.remember(
                identity,
                ConversationReference(
                    bot=activity.recipient,
                    user=activity.from_property,
                    conversation=ConversationAccount(
                        id=conversation_id, conversation_type=act.PERSONAL, tenant_id=tenant
                    ),
                    channel_id=activity.channel_id,
                    service_url=activity.service_url,
                ),
            )
        message = reply_activity(reply)
        message.from_property = activity.recipient
        message.recipient = activity.from_property
        message.conversation = ConversationAccount(id=conversation_id)
        await connector.conversations.send_to_conversation(conversation_id, message)

    # ---- installation and membership -------------------------------------------------------------

    async def on_members_added_activity(
        self, members_added: list[ChannelAccount], turn_context: TurnContext
    ) -> None:
        activity = turn_context.activity
        bot_id = activity.recipient.id if activity.recipient else None
        bot_added = any(member.id == bot_id for member in members_added)
        if act.conversation_type(activity) == act.PERSONAL:
            self.remember_sender(turn_context)
            if bot_added:
                inbound = act.to_inbound(activity, "help")
                if inbound is not None:
                    await turn_context.send_activity(reply_activity(await self.runtime.core.handle(inbound)))
        for event in act.members_joined(activity):
            await self.runtime.core.notify(event)

    async def on_members_removed_activity(
        self, members_removed: list[ChannelAccount], turn_context: TurnContext
    ) -> None:
        for event in act.members_departed(turn_context.activity):
            await self.runtime.core.notify(event)

    async def on_installation_update_add(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        if act.conversation_type(activity) == act.PERSONAL:
            self.remember_sender(turn_context)
            return
        inbound = act.to_inbound(activity, "")
        if inbound is not None:
            self.first_admin(self.identify(inbound))

    def first_admin(self, installer: Identity) -> None:
        """The person who adds Boundary to a team becomes the practice's first admin.

        Bot Framework cannot tell who owns a team, so without this nobody could run `admin add`.
        Later installs change nothing once the practice has an admin.
        """
        members = self.runtime.members
        if any(member.role == "admin" for member in members.list_for_practice(installer.practice.id)):
            return
        members.set_role(installer.practice.id, installer.member.id, "admin")
        self.runtime.directory.forget(installer.practice.id)
        self.runtime.audit.record(
            installer.practice.id,
            installer.member.id,
            "admin.install",
            f"member:{installer.member.id}",
            self.runtime.clock.now(),
        )

    # ---- conversation references -----------------------------------------------------------------

    def identify(self, inbound: Inbound) -> Identity:
        directory = self.runtime.directory
        return directory.identify(inbound)

    def remember_sender(self, turn_context: TurnContext) -> None:
        inbound = act.to_inbound(turn_context.activity, "")
        if inbound is not None:
            self.remember(
                self.identify(inbound), TurnContext.get_conversation_reference(turn_context.activity)
            )

    def remember(self, identity: Identity, reference: ConversationReference) -> None:
        """Keep the member's 1:1 conversation reference so later messages can be sent proactively."""
        data = reference_json(reference)
        key = (identity.practice.id, identity.member.id)
        fingerprint = repr(sorted(data.items()))
        if self._saved.get(key) == fingerprint:
            return
        self.references.save(identity.practice.id, identity.member.id, data, self.runtime.clock.now())
        self._saved[key] = fingerprint
        self._saved.move_to_end(key)
        while len(self._saved) > 10_000:
            self._saved.popitem(last=False)


async def on_turn_error(turn_context: TurnContext, error: Exception) -> None:
    """A failure inside a turn: log its kind (never the message text) and tell the person.

    Proactive sends (continue-conversation turns) re-raise instead: the notifier retries or reports.
    """
    activity = turn_context.activity
    if activity.type == ActivityTypes.event and activity.name == ActivityEventNames.continue_conversation:
        raise error
    # Frames only: an exception's message can quote what the person typed.
    frames = "".join(traceback.format_tb(error.__traceback__))
    log.error("teams turn failed: %s\n%s", type(error).__name__, frames)
    try:
        await turn_context.send_activity(
            reply_activity(
                text_reply(
                    "Something went wrong on our side",
                    "Boundary could not answer that just now. Please try again in a moment.",
                    ok=False,
                )
            )
        )
    except Exception as exc:  # the connector itself may be what failed
        log.warning("teams error reply failed: %s", type(exc).__name__)
