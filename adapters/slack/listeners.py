"""Bolt listeners: translate Slack payloads to `Inbound`, ask the core, render the `Reply`.

The ack path answers inside Slack's 3 seconds: a slash command's script is computed at once and
returned in the ack's HTTP response. Anything that calls Slack afterwards (modals, DMs, replacing a
message, publishing the Home tab, telling the core about platform events) runs in Bolt's lazy
listeners, which start once the ack function is done. The ack function leaves the computed reply in
the Bolt context (`boundary_reply`) for its lazy follow-up, so the core runs once per click.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable, Coroutine
from typing import TYPE_CHECKING, Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncBoltContext, AsyncRespond
from slack_bolt.middleware.async_middleware import AsyncMiddleware
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.web.async_client import AsyncWebClient

from adapters.metrics import ERRORS
from adapters.slack.blocks import (
    ACTION_PATTERN,
    FORM_CALLBACK,
    delivery_of,
    ephemeral_json,
    form_errors,
    form_values,
    form_view,
    message_payload,
    reply_view,
)
from adapters.slack.delivery import send_direct
from adapters.slack.home import home_view
from adapters.slack.people import People, make_inbound
from bot.messages import Delivery, Inbound, MemberDeparted, MemberJoined, Reply, ThreadReply, text_reply

if TYPE_CHECKING:
    from adapters.runtime import Runtime

log = logging.getLogger(__name__)

COMMAND = "/boundary"
SHORTCUT = "boundary_find"
REPLY_KEY = "boundary_reply"
DELIVERY_KEY = "boundary_delivery"
SORRY = text_reply(
    "Something went wrong",
    "Boundary could not answer just now and nothing was saved. Please try again in a moment.",
    ok=False,
)
JSON_HEADERS = {"content-type": "application/json;charset=utf-8"}
COPY_SENT = "A copy is in your direct messages with Boundary."
#: Seconds a form submission may take before the modal is closed and the answer goes by DM.
FORM_ACK_BUDGET = 2.5


def team_of(body: dict[str, Any]) -> str:
    """The workspace id, wherever this payload type keeps it."""
    team = body.get("team")
    if isinstance(team, dict) and team.get("id"):
        return str(team["id"])
    user = body.get("user")
    if isinstance(user, dict) and user.get("team_id"):
        return str(user["team_id"])
    return str(body.get("team_id") or "")


def user_of(body: dict[str, Any]) -> str:
    user = body.get("user")
    if isinstance(user, dict):
        return str(user.get("id") or "")
    return str(body.get("user_id") or "")


def channel_of(body: dict[str, Any]) -> str | None:
    channel = body.get("channel")
    if isinstance(channel, dict):
        return channel.get("id")
    return body.get("channel_id")


def read_metadata(view: dict[str, Any]) -> dict[str, Any]:
    try:
        found = json.loads(view.get("private_metadata") or "{}")
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}


async def ack_only(ack: AsyncAck) -> None:
    await ack()


class EventDedupe(AsyncMiddleware):
    """Each event takes effect once per event_id across all instances: a unique database row.

    A retried delivery (X-Slack-Retry-Num) of an event already seen answers 200 and does nothing.
    Attached to each event listener rather than to the app, so commands and clicks (which have no
    event_id) do not pass through it; a plain middleware class, since Bolt's argument injection
    for function middleware costs more than the check itself.
    """

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime

    async def async_process(
        self, *, req: AsyncBoltRequest, resp: BoltResponse, next: Callable[[], Awaitable[BoltResponse]]
    ) -> BoltResponse | None:
        body = req.body
        if isinstance(body, dict) and body.get("type") == "event_callback" and body.get("event_id"):
            first = await asyncio.to_thread(
                self.runtime.events.first_time, "slack", str(body["event_id"]), self.runtime.clock.now()
            )
            if not first:
                return BoltResponse(status=200, body="")
        return await next()


class SlackListeners:
    def __init__(self, runtime: Runtime, people: People | None = None) -> None:
        self.runtime = runtime
        self.people = people or People()
        self.pending: set[asyncio.Future[Any]] = set()

    def register(self, app: AsyncApp) -> None:
        app.command(COMMAND)(self.command_ack)
        app.action(ACTION_PATTERN)(ack=self.action_ack, lazy=[self.action_followup])
        app.view(FORM_CALLBACK)(ack=self.form_ack, lazy=[self.form_followup])
        app.shortcut(SHORTCUT)(ack=self.shortcut_ack, lazy=[self.shortcut_followup])
        once = [EventDedupe(self.runtime)]
        app.event("app_home_opened", middleware=once)(ack=ack_only, lazy=[self.publish_home])
        app.event("team_join", middleware=once)(ack=ack_only, lazy=[self.member_joined])
        app.event("user_change", middleware=once)(ack=ack_only, lazy=[self.member_changed])
        app.event("message", middleware=once)(ack=ack_only, lazy=[self.thread_reply])
        app.error(self.on_error)

    # -- shared ------------------------------------------------------------------------------------

    async def answer(self, inbound: Inbound) -> Reply:
        try:
            return await self.runtime.core.handle(inbound)
        except Exception as exc:  # the clinician gets an apology, the log gets the error type only
            ERRORS.labels("slack").inc()
            log.error("command failed", extra={"error": type(exc).__name__})
            return SORRY

    async def inbound(
        self, body: dict[str, Any], client: AsyncWebClient, text: str = "", channel: str | None = None
    ) -> Inbound:
        return await make_inbound(
            self.people,
            client,
            team_id=team_of(body),
            user_id=user_of(body),
            text=text,
            channel_id=channel or channel_of(body),
            team_name=body.get("team_domain") or (body.get("team") or {}).get("domain"),
        )

    async def on_error(self, error: Exception, body: dict[str, Any]) -> None:
        ERRORS.labels("slack").inc()
        kind = body.get("type") if isinstance(body, dict) else None
        log.error("slack listener failed", extra={"error": type(error).__name__, "payload_type": kind})

    # -- /boundary ---------------------------------------------------------------------------------

    async def command_ack(
        self, ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient
    ) -> BoltResponse | None:
        reply = await self.answer(await self.inbound(body, client, text=str(body.get("text") or "")))
        if reply.form is None:
            # The answer is the HTTP response itself. With process_before_response (always on here)
            # Bolt sends the BoltResponse a listener returns, as it would the one ack() builds; this
            # one carries JSON encoded once per script rather than once per request.
            return BoltResponse(status=200, body=ephemeral_json(reply), headers=JSON_HEADERS)
        await ack()  # the form opens as a modal right after the ack
        view = form_view(reply.form, channel=channel_of(body))
        self.after_ack(client.views_open(trigger_id=body["trigger_id"], view=view), "views.open")
        return None

    def after_ack(self, work: Coroutine[Any, Any, Any], what: str) -> None:
        """Run `work` once the ack is on its way, as Bolt's lazy listeners do, minus their cost.

        Bolt deep-copies the whole request (client, authorization result, payload) for every lazy
        listener, on every request; on the script path, which needs no follow-up, that copy was
        most of the time a request took. The command therefore starts its rare follow-up (opening
        a form) as a task; `drain()` lets shutdown wait for tasks still running.
        """
        task = asyncio.ensure_future(work)
        self.pending.add(task)

        def done(finished: asyncio.Future[Any]) -> None:
            self.pending.discard(finished)
            if not finished.cancelled() and finished.exception() is not None:
                ERRORS.labels("slack").inc()
                log.error(
                    "slack follow-up failed",
                    extra={"call": what, "error": type(finished.exception()).__name__},
                )

        task.add_done_callback(done)

    async def drain(self, timeout: float = 5.0) -> None:
        if self.pending:
            await asyncio.wait(list(self.pending), timeout=timeout)

    # -- buttons and selects -----------------------------------------------------------------------

    async def action_ack(
        self,
        ack: AsyncAck,
        body: dict[str, Any],
        action: dict[str, Any],
        context: AsyncBoltContext,
        client: AsyncWebClient,
    ) -> None:
        command = action.get("value") or (action.get("selected_option") or {}).get("value")
        if command:
            delivery = delivery_of(str(action.get("action_id") or "")) or Delivery.REPLACE
            context[REPLY_KEY] = await self.answer(await self.inbound(body, client, text=str(command)))
            context[DELIVERY_KEY] = delivery.value
        await ack()

    async def action_followup(
        self, body: dict[str, Any], context: AsyncBoltContext, client: AsyncWebClient, respond: AsyncRespond
    ) -> None:
        reply = context.get(REPLY_KEY)
        if not isinstance(reply, Reply):
            return
        delivery = Delivery(context.get(DELIVERY_KEY) or Delivery.REPLACE.value)
        view = body.get("view") or {}
        in_view = (body.get("container") or {}).get("type") == "view"
        in_modal = in_view and view.get("type") == "modal"
        channel = channel_of(body) or read_metadata(view).get("channel")
        if delivery is Delivery.DM:
            await send_direct(client, user_of(body), reply)
            if not in_view:
                await respond(text=COPY_SENT, response_type="ephemeral", replace_original=False)
            return
        if reply.form is not None:
            opened = form_view(reply.form, channel=channel)
            if in_modal:
                await client.views_push(trigger_id=body["trigger_id"], view=opened)
            else:
                await client.views_open(trigger_id=body["trigger_id"], view=opened)
            return
        if in_modal and delivery is Delivery.REPLACE:
            await client.views_update(
                view_id=view["id"], hash=view.get("hash"), view=reply_view(reply, channel=channel)
            )
        elif in_view:
            await client.views_open(trigger_id=body["trigger_id"], view=reply_view(reply, channel=channel))
        else:
            await respond(
                response_type="ephemeral",
                replace_original=delivery is Delivery.REPLACE,
                **message_payload(reply),
            )

    # -- forms (modals) ----------------------------------------------------------------------------

    async def form_ack(
        self,
        ack: AsyncAck,
        body: dict[str, Any],
        view: dict[str, Any],
        context: AsyncBoltContext,
        client: AsyncWebClient,
    ) -> None:
        meta = read_metadata(view)
        inbound = await self.inbound(body, client, channel=meta.get("channel"))
        submitted = asyncio.ensure_future(
            self.runtime.core.submit(inbound, str(meta.get("form") or ""), form_values(view))
        )
        # Slack drops a view submission not answered within 3 s. Checking the form is fast; posting
        # it somewhere can be slow (a rate-limited channel): past the budget, close the modal now
        # and finish in a direct message.
        done, _pending = await asyncio.wait({submitted}, timeout=FORM_ACK_BUDGET)
        if not done:
            await ack()
            self.after_ack(self._finish_late(submitted, client, user_of(body)), "form.late")
            return
        try:
            reply = submitted.result()
        except Exception as exc:
            ERRORS.labels("slack").inc()
            log.error("form submission failed", extra={"error": type(exc).__name__})
            await ack(response_action="errors", errors=self._first_field_error(view, SORRY.sections[0].body))
            return
        if reply.form is not None and reply.form.errors:
            # The modal stays open with everything typed still in it.
            await ack(response_action="errors", errors=form_errors(reply.form))
        elif reply.form is not None:
            await ack(response_action="update", view=form_view(reply.form, channel=meta.get("channel")))
        else:
            context[REPLY_KEY] = reply
            await ack()

    async def _finish_late(self, submitted: asyncio.Future[Reply], client: AsyncWebClient, user: str) -> None:
        try:
            reply = await submitted
        except Exception as exc:
            ERRORS.labels("slack").inc()
            log.error("form submission failed", extra={"error": type(exc).__name__})
            reply = SORRY
        if reply.form is not None:
            # The form was refused after the modal closed. Its findings may quote identifiers, which
            # must not be written into a message history: say what to do instead.
            reply = text_reply(
                "Your form was not sent",
                "Boundary could not finish your form in time, and nothing was posted or stored. "
                "Please open it again and send it once more.",
                ok=False,
            )
        await send_direct(client, user, reply)

    @staticmethod
    def _first_field_error(view: dict[str, Any], message: str) -> dict[str, str]:
        ids = [
            b.get("block_id")
            for b in view.get("blocks", [])
            if b.get("type") == "input" and b.get("block_id")
        ]
        return {str(ids[0]): message} if ids else {}

    async def form_followup(
        self, body: dict[str, Any], context: AsyncBoltContext, client: AsyncWebClient
    ) -> None:
        reply = context.get(REPLY_KEY)
        if isinstance(reply, Reply):
            await send_direct(client, user_of(body), reply)

    # -- global shortcut ---------------------------------------------------------------------------

    async def shortcut_ack(
        self, ack: AsyncAck, body: dict[str, Any], context: AsyncBoltContext, client: AsyncWebClient
    ) -> None:
        context[REPLY_KEY] = await self.answer(await self.inbound(body, client, text="menu"))
        await ack()

    async def shortcut_followup(
        self, body: dict[str, Any], context: AsyncBoltContext, client: AsyncWebClient
    ) -> None:
        reply = context.get(REPLY_KEY)
        if isinstance(reply, Reply):
            await client.views_open(trigger_id=body["trigger_id"], view=reply_view(reply))

    # -- events ------------------------------------------------------------------------------------

    async def publish_home(self, body: dict[str, Any], event: dict[str, Any], client: AsyncWebClient) -> None:
        if event.get("tab", "home") != "home":
            return
        user_id = str(event.get("user") or "")
        inbound = await make_inbound(self.people, client, team_id=team_of(body), user_id=user_id)
        identity = await asyncio.to_thread(self.runtime.directory.identify, inbound)
        sections = self.runtime.extras.get("home_sections", [])
        await client.views_publish(
            user_id=user_id, view=await home_view(self.runtime.core, identity, sections)
        )

    async def member_joined(self, body: dict[str, Any], event: dict[str, Any]) -> None:
        user = event.get("user") or {}
        if not isinstance(user, dict) or user.get("is_bot") or not user.get("id"):
            return
        profile = user.get("profile") or {}
        await self.runtime.core.notify(
            MemberJoined(
                platform="slack",
                practice_ref=team_of(body),
                user_ref=str(user["id"]),
                user_name=profile.get("display_name") or user.get("real_name") or None,
                timezone=user.get("tz") or None,
            )
        )

    async def member_changed(self, body: dict[str, Any], event: dict[str, Any]) -> None:
        user = event.get("user") or {}
        if not isinstance(user, dict) or not user.get("id"):
            return
        self.people.forget(team_of(body), str(user["id"]))
        if user.get("deleted"):
            await self.runtime.core.notify(
                MemberDeparted(platform="slack", practice_ref=team_of(body), user_ref=str(user["id"]))
            )

    async def thread_reply(self, body: dict[str, Any], event: dict[str, Any]) -> None:
        thread, ts = event.get("thread_ts"), event.get("ts")
        if not thread or thread == ts or event.get("subtype") or event.get("bot_id") or not event.get("user"):
            return
        await self.runtime.core.notify(
            ThreadReply(
                platform="slack",
                practice_ref=team_of(body),
                channel_ref=str(event.get("channel") or ""),
                thread_ref=str(thread),
                user_ref=str(event["user"]),
            )
        )
