"""`/boundary consult`: ask colleagues about a grey area, de-identified, in the consultation channel.

The commands open the consultation form, list the clinician's own consultations, record an outcome,
and let a colleague who shares the client step aside; admins set the channel, the answer limits and
read the yearly counts. The form never loses what was typed: a rejected submission comes back with
every value in place and an error next to each field the identifier screen flagged.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime

from bot.content.matcher import Matcher
from bot.core import Core
from bot.messages import FieldOption, Form, FormField, PlatformEvent, Reply, Section, ThreadReply, text_reply
from bot.ports import AuditLog, Clock
from bot.privacy import screen
from bot.records import Identity, Practice
from bot.router import Request
from bot.services.consultation import (
    ANSWERED,
    CLIENT_STATUSES,
    MANDATED_REPORTING,
    OPEN,
    OTHER_SITUATION,
    OUTCOME_LIMIT,
    PLATFORMS,
    QUESTION_LIMIT,
    RESOLVED,
    TEXT_LIMIT,
    AnswerLimits,
    Consultation,
    ConsultationService,
    Draft,
    Opened,
    channel_mention,
    findings_message,
    label,
    no_channel_text,
    normalise_reference,
    practice_year,
)
from bot.services.directory import Directory

CONSULT_FORM = "consult"
RESOLVE_FORM = "consult-resolve"

#: Channel mentions arrive as `<#C123|name>` or `<#C123>`; the console and Teams may pass a plain name.
CHANNEL_MENTION = re.compile(r"<#([A-Za-z0-9:_.@\-]+)(?:\|[^>]*)?>")
PLAIN_CHANNEL = re.compile(r"^#?([A-Za-z0-9:_.@\-]{1,128})$")
REFERENCE = re.compile(r"^c-\d{4}-\d{1,6}$", re.IGNORECASE)

STATUS_WORDS = {OPEN: "waiting for a reply", ANSWERED: "answered", RESOLVED: "resolved"}
TRUE_WORDS = frozenset({"true", "yes", "y", "1", "on"})


def channel_from(args: str) -> str | None:
    """The channel id of `<#C123|name>` / `<#C123>`, or a plain `#name` / `name` (console, Teams)."""
    found = CHANNEL_MENTION.search(args)
    if found:
        return found.group(1)
    plain = PLAIN_CHANNEL.match(args.strip())
    return plain.group(1) if plain else None


def truthy(value: str | None) -> bool:
    return (value or "").strip().lower() in TRUE_WORDS


class ConsultHandlers:
    """The consultation feature: commands, the two forms, and first-reply tracking."""

    def __init__(
        self, service: ConsultationService, directory: Directory, audit: AuditLog, clock: Clock
    ) -> None:
        self.service = service
        self.directory = directory
        self.audit = audit
        self.clock = clock
        self._matcher = Matcher(service.catalogue)

    def register(self, core: Core) -> None:
        self._matcher = core.matcher
        router = core.router
        router.command(
            "consult",
            self.start,
            summary="ask colleagues about a grey area, de-identified, in the consultation channel",
            usage="consult [situation or what happened]",
        )
        router.command("consult list", self.list_mine, summary="your consultations, their status and numbers")
        router.command(
            "consult resolve",
            self.resolve,
            summary="record the outcome of your consultation in one line",
            usage="consult resolve C-2026-0001 <outcome>",
        )
        router.command(
            "consult step-aside",
            self.step_aside,
            summary="stay out of a consultation because you share the client",
            usage="consult step-aside C-2026-0001",
        )
        router.command(
            "admin consult-channel",
            self.set_channel,
            summary="where consultations are posted",
            usage="admin consult-channel #channel",
            admin=True,
        )
        router.command(
            "admin consult-limits",
            self.set_limits,
            summary="hours before an unanswered consultation is bumped (normal, urgent)",
            usage="admin consult-limits 24 4",
            admin=True,
        )
        router.command(
            "admin consultations",
            self.admin_consultations,
            summary="consultations this year by situation, or one by its number",
            usage="admin consultations [year or C-2026-0001]",
            admin=True,
        )
        core.form(CONSULT_FORM, self.submit)
        core.form(RESOLVE_FORM, self.submit_resolve)
        core.subscribe(ThreadReply, self.on_thread_reply)

    # -- opening ---------------------------------------------------------------------------------

    async def start(self, request: Request) -> Reply:
        identity = self._identity(request)
        if identity is None:
            return unavailable()
        practice = identity.practice
        if not practice.consult_channel:
            # The cached identity may predate an admin setting the channel on another instance.
            practice = self.directory.refresh(identity).practice
        if not practice.consult_channel:
            return text_reply("No consultation channel yet", no_channel_text(), ok=False)
        args = request.args.strip()
        values: dict[str, str] = {}
        errors: dict[str, str] = {}
        if args:
            key = args.lower()
            if key == OTHER_SITUATION or self.service.catalogue.get(key) is not None:
                values["situation"] = key
            else:
                # Free text becomes "what happened"; the nearest situation is a guess they can change.
                values["text"] = args
                guess = self._guess_situation(args)
                if guess:
                    values["situation"] = guess
                result = screen(args)
                if not result.clean:
                    errors["text"] = findings_message(result.findings)
        form = self.consult_form(practice, values, errors)
        return Reply(
            title="Ask colleagues",
            sections=(Section(form.intro or ""),),
            form=form,
            ok=not errors,
        )

    def _guess_situation(self, text: str) -> str | None:
        return self._matcher.match(text).situation

    def consult_form(self, practice: Practice, values: Mapping[str, str], errors: Mapping[str, str]) -> Form:
        situations = tuple(FieldOption(s.key, s.title) for s in self.service.catalogue)
        situations += (FieldOption(OTHER_SITUATION, "Other"),)
        if practice.anonymous_visible_to_admins:
            anonymity = (
                "Your name is left out of the channel post. Practice admins can still see who asked "
                "(this practice's setting)."
            )
        else:
            anonymity = "Your name is left out of the channel post, and admins are not shown it either."

        def field(
            id: str,
            title: str,
            kind: str,
            *,
            options: tuple[FieldOption, ...] = (),
            required: bool = True,
            hint: str | None = None,
            max_length: int | None = None,
            default: str | None = None,
        ) -> FormField:
            return FormField(id, title, kind, options, values.get(id) or default, required, hint, max_length)

        fields = (
            field("situation", "Situation", "select", options=situations, default=None),
            field(
                "platform",
                "Where it happened",
                "select",
                options=tuple(FieldOption(v, t) for v, t in PLATFORMS),
            ),
            field(
                "client_status",
                "The client is",
                "select",
                options=tuple(FieldOption(v, t) for v, t in CLIENT_STATUSES),
            ),
            field(
                "text",
                "What happened",
                "textarea",
                hint="In general terms: no names, handles, exact dates, small places or numbers.",
                max_length=TEXT_LIMIT,
            ),
            field("question", "Your question for colleagues", "textarea", max_length=QUESTION_LIMIT),
            field(
                "urgent",
                "I see this client within 48 hours",
                "boolean",
                required=False,
                hint="Urgent consultations are bumped after a few hours without a reply.",
                default="false",
            ),
            field(
                "anonymous", "Post anonymously", "boolean", required=False, hint=anonymity, default="false"
            ),
        )
        return Form(
            id=CONSULT_FORM,
            title="Ask colleagues",
            submit_label="Post",
            fields=fields,
            intro=(
                f"Your question goes to {channel_mention(practice)} as a thread with a reference number "
                "you can cite in your notes. Describe it so nobody could recognise the client: Boundary "
                "checks for names, handles, contact details, exact dates, places and record numbers "
                "before anything is shared. " + MANDATED_REPORTING
            ),
            errors=dict(errors),
        )

    async def submit(self, request: Request, values: Mapping[str, str]) -> Reply:
        identity = self._identity(request)
        if identity is None:
            return unavailable()
        identity = self.directory.refresh(identity)
        draft = Draft(
            situation=(values.get("situation") or "").strip(),
            platform=(values.get("platform") or "").strip(),
            client_status=(values.get("client_status") or "").strip(),
            text=values.get("text") or "",
            question=values.get("question") or "",
            urgent=truthy(values.get("urgent")),
            anonymous=truthy(values.get("anonymous")),
        )
        outcome = await self.service.open(identity.practice, identity.member, draft)
        if not isinstance(outcome, Opened):
            form = self.consult_form(identity.practice, dict(values), outcome.errors)
            return Reply(
                title="Please check the form",
                sections=(Section(" ".join(outcome.errors.values())),),
                form=form,
                ok=False,
            )
        consultation = outcome.consultation
        who = "anonymously" if consultation.anonymous else "with your name"
        return Reply(
            title=f"Posted as {consultation.reference}",
            sections=(
                Section(
                    f"Your consultation is in {channel_mention(identity.practice)} {who}. "
                    f"Cite *{consultation.reference}* in your own notes."
                ),
                Section(
                    "You will hear from me privately when a colleague replies. When you have decided, "
                    f"record the outcome: `/boundary consult resolve {consultation.reference} <one line>`."
                ),
            ),
            footer="Only you can see this.",
        )

    # -- the requester's commands ----------------------------------------------------------------

    async def list_mine(self, request: Request) -> Reply:
        identity = self._identity(request)
        if identity is None:
            return unavailable()
        mine = self.service.mine(identity.practice.id, identity.member.id)
        if not mine:
            return text_reply(
                "No consultations yet",
                "You have not asked colleagues about anything yet. Start with `/boundary consult`.",
            )
        lines = [describe(c, self.service) for c in mine]
        return Reply(
            title="Your consultations",
            sections=(
                Section("\n".join(lines)),
                Section("Record an outcome with `/boundary consult resolve <number> <one line>`."),
            ),
            footer="Only you can see this.",
        )

    async def home_sections(self, identity: Identity) -> list[Section]:
        """The viewer's unresolved consultations, for the Slack App Home."""
        waiting = [
            c for c in self.service.mine(identity.practice.id, identity.member.id) if c.status != RESOLVED
        ]
        if not waiting:
            return []
        lines = [describe(c, self.service) for c in waiting[:5]]
        lines.append("Record an outcome with `/boundary consult resolve <number> <one line>`.")
        return [Section("\n".join(lines), heading="Your open consultations")]

    async def resolve(self, request: Request) -> Reply:
        identity = self._identity(request)
        if identity is None:
            return unavailable()
        words = request.args.split(maxsplit=1)
        reference = words[0] if words and REFERENCE.match(words[0]) else ""
        outcome = words[1] if reference and len(words) > 1 else ("" if reference else request.args)
        if not reference or not outcome.strip():
            form = self.resolve_form(identity, reference, outcome, {})
            if form is None:
                return text_reply(
                    "Nothing to resolve",
                    "You have no open consultations. `/boundary consult list` shows yours.",
                )
            return Reply(title="Record the outcome", sections=(Section(form.intro or ""),), form=form)
        error = await self.service.resolve(identity.practice, identity.member, reference, outcome)
        if error is not None:
            form = self.resolve_form(identity, reference, outcome, {"outcome": error})
            if form is None or self.service.find(identity.practice.id, reference) is None:
                return text_reply("Not resolved", error, ok=False)
            return Reply(title="Not resolved yet", sections=(Section(error),), form=form, ok=False)
        return resolved_reply(normalise_reference(reference))

    async def submit_resolve(self, request: Request, values: Mapping[str, str]) -> Reply:
        identity = self._identity(request)
        if identity is None:
            return unavailable()
        reference = (values.get("reference") or "").strip()
        outcome = values.get("outcome") or ""
        error = await self.service.resolve(identity.practice, identity.member, reference, outcome)
        if error is None:
            return resolved_reply(normalise_reference(reference))
        field = "reference" if self.service.find(identity.practice.id, reference) is None else "outcome"
        form = self.resolve_form(identity, reference, outcome, {field: error})
        if form is None:
            return text_reply("Not resolved", error, ok=False)
        return Reply(title="Not resolved yet", sections=(Section(error),), form=form, ok=False)

    def resolve_form(
        self, identity: Identity, reference: str, outcome: str, errors: Mapping[str, str]
    ) -> Form | None:
        unresolved = [
            c for c in self.service.mine(identity.practice.id, identity.member.id) if c.status != RESOLVED
        ]
        if not unresolved:
            return None
        options = tuple(
            FieldOption(c.reference, f"{c.reference} ({situation_title(c, self.service)})")
            for c in unresolved
        )
        chosen = normalise_reference(reference) if reference else unresolved[0].reference
        return Form(
            id=RESOLVE_FORM,
            title="Record the outcome",
            submit_label="Resolve",
            fields=(
                FormField("reference", "Consultation", "select", options, chosen),
                FormField(
                    "outcome",
                    "Outcome, in one line",
                    "text",
                    value=outcome or None,
                    hint="What you decided, without identifying the client. It is posted in the thread.",
                    max_length=OUTCOME_LIMIT,
                ),
            ),
            intro="Close the consultation with what you decided; colleagues see it in the thread.",
            errors=dict(errors),
            context=chosen,
        )

    async def step_aside(self, request: Request) -> Reply:
        identity = self._identity(request)
        if identity is None:
            return unavailable()
        reference = request.args.strip()
        if not reference:
            return text_reply(
                "Which consultation?",
                "Give its number: `/boundary consult step-aside C-2026-0001`.",
                ok=False,
            )
        answer = self.service.step_aside(identity.practice, identity.member, reference)
        return text_reply("Stepping aside", answer)

    # -- thread replies --------------------------------------------------------------------------

    async def on_thread_reply(self, event: PlatformEvent) -> None:
        if not isinstance(event, ThreadReply):
            return
        practice = self.directory.practices.find(event.platform, event.practice_ref)
        if practice is None:
            return
        await self.service.thread_reply(practice, event.channel_ref, event.thread_ref, event.user_ref)

    # -- admin -----------------------------------------------------------------------------------

    async def set_channel(self, request: Request) -> Reply:
        identity = self._identity(request)
        if identity is None:
            return unavailable()
        channel = channel_from(request.args)
        if channel is None:
            return text_reply(
                "Which channel?",
                "Mention the channel: `/boundary admin consult-channel #consultations`. "
                "A private channel works too; invite Boundary to it first.",
                ok=False,
            )
        practice = self.directory.practices.update_settings(identity.practice.id, consult_channel=channel)
        self.directory.forget(practice.id)
        self.audit.record(
            practice.id, identity.member.id, "settings.consult_channel", channel, self.clock.now()
        )
        return text_reply(
            "Consultation channel set",
            f"Consultations will be posted in {channel_mention(practice)}. "
            "Make sure Boundary is a member of that channel (`/invite @Boundary`), "
            "so it can post and see replies.",
        )

    async def set_limits(self, request: Request) -> Reply:
        identity = self._identity(request)
        if identity is None:
            return unavailable()
        numbers = [word for word in request.args.replace(",", " ").split() if word.isdigit()]
        current = self.service.limits(identity.practice.id)
        if not numbers:
            return text_reply(
                "Answer limits",
                f"Unanswered consultations are bumped after {current.hours} hours "
                f"({current.urgent_hours} when urgent). Change with `/boundary admin consult-limits 24 4`.",
            )
        hours = int(numbers[0])
        urgent = int(numbers[1]) if len(numbers) > 1 else min(current.urgent_hours, hours)
        if not (1 <= urgent <= hours <= 24 * 14):
            return text_reply(
                "Those limits don't work",
                "Give hours between 1 and 336, the urgent limit no longer than the normal one: "
                "`/boundary admin consult-limits 24 4`.",
                ok=False,
            )
        self.service.set_limits(identity.practice.id, AnswerLimits(hours=hours, urgent_hours=urgent))
        self.audit.record(
            identity.practice.id,
            identity.member.id,
            "settings.consult_limits",
            f"{hours}/{urgent}",
            self.clock.now(),
        )
        return text_reply(
            "Answer limits set",
            f"Unanswered consultations will be bumped after {hours} hours ({urgent} when urgent), "
            "and added admins get a private note.",
        )

    async def admin_consultations(self, request: Request) -> Reply:
        identity = self._identity(request)
        if identity is None:
            return unavailable()
        practice = self.directory.refresh(identity).practice
        arg = request.args.strip()
        if REFERENCE.match(arg):
            return self._one_for_admin(practice, arg)
        now = self.clock.now()
        year = int(arg) if arg.isdigit() and 2000 <= int(arg) <= 2999 else practice_year(practice, now)
        counts = self.service.yearly_counts(practice.id, year)
        if not counts:
            return text_reply(f"Consultations in {year}", f"No consultations were opened in {year}.")
        titles = {s.key: s.title for s in self.service.catalogue}
        lines = [
            f"- {titles.get(key, 'Other' if key == OTHER_SITUATION else key)}: {count}"
            for key, count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        ]
        return Reply(
            title=f"Consultations in {year}",
            sections=(
                Section("\n".join(lines)),
                Section(
                    f"{sum(counts.values())} in all. Use these counts in the yearly policy review: "
                    "a situation that comes up often may need a clearer line in the policy "
                    "or the consent paperwork."
                ),
            ),
        )

    def _one_for_admin(self, practice: Practice, reference: str) -> Reply:
        consultation = self.service.find(practice.id, reference)
        if consultation is None:
            return text_reply(
                "Not found", f"There is no consultation {normalise_reference(reference)}.", ok=False
            )
        lines = [
            describe(consultation, self.service),
            f"- Client: {label(CLIENT_STATUSES, consultation.client_status)}; "
            f"where: {label(PLATFORMS, consultation.platform_label)}",
        ]
        if not consultation.anonymous or practice.anonymous_visible_to_admins:
            requester = (
                self.directory.members.get(practice.id, consultation.requester_id)
                if consultation.requester_id is not None
                else None
            )
            name = (
                (requester.display_name or f"<@{requester.external_id}>") if requester else "a former member"
            )
            lines.append(f"- Asked by: {name}" + (" (posted anonymously)" if consultation.anonymous else ""))
        else:
            lines.append("- Asked anonymously; this practice does not show admins who asked.")
        if consultation.purged_at is not None:
            lines.append(f"- Text purged on {day(consultation.purged_at)} after the retention period.")
        return Reply(title=f"Consultation {consultation.reference}", sections=(Section("\n".join(lines)),))

    def _identity(self, request: Request) -> Identity | None:
        return request.identity


def describe(consultation: Consultation, service: ConsultationService) -> str:
    status = STATUS_WORDS.get(consultation.status, consultation.status)
    when = day(consultation.opened_at)
    line = f"- *{consultation.reference}* ({situation_title(consultation, service)}), opened {when}: {status}"
    if consultation.urgent and consultation.status == OPEN:
        line += ", urgent"
    if consultation.status == RESOLVED and consultation.outcome:
        line += f". Outcome: {consultation.outcome}"
    return line


def situation_title(consultation: Consultation, service: ConsultationService) -> str:
    situation = service.catalogue.get(consultation.situation)
    return situation.title if situation else "Other"


def day(moment: datetime) -> str:
    return f"{moment:%Y-%m-%d}"


def resolved_reply(reference: str) -> Reply:
    return text_reply(
        f"{reference} resolved",
        f"The outcome is recorded and posted in the thread. Cite {reference} in your notes. "
        "Thank you for asking.",
    )


def unavailable() -> Reply:
    return text_reply(
        "Consultations are not available here",
        "Boundary could not tell which practice you belong to; try again from your workspace.",
        ok=False,
    )
