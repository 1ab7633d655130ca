"""The consultation flow through the core, as a clinician and their colleagues meet it.

Everything goes through `core.handle` / `core.submit` / `core.notify` on a wired runtime, with a
recording notifier standing in for the chat tool and the fake clock for time.
"""

from __future__ import annotations

from adapters.runtime import Runtime
from bot.messages import ThreadReply, Visibility
from bot.records import Practice
from tests.consult.conftest import CHANNEL, TEAM, RecordingNotifier, clean_values, inbound, submit, text_of


async def test_consult_without_a_channel_says_how_to_set_one(
    runtime: Runtime, notifier: RecordingNotifier
) -> None:
    reply = await runtime.core.handle(inbound("/boundary consult"))

    assert reply.form is None
    assert "/boundary admin consult-channel #channel" in text_of(reply)
    assert notifier.posts == []


async def test_only_admins_set_the_channel_and_it_is_audited(
    runtime: Runtime, notifier: RecordingNotifier
) -> None:
    refused = await runtime.core.handle(inbound(f"/boundary admin consult-channel <#{CHANNEL}>"))
    assert not refused.ok and "Only practice admins" in refused.title

    done = await runtime.core.handle(
        inbound(f"/boundary admin consult-channel <#{CHANNEL}>", "U0ADMIN", admin=True)
    )
    assert done.ok and f"<#{CHANNEL}>" in text_of(done)
    practice = runtime.practices.find("slack", TEAM)
    assert practice is not None and practice.consult_channel == CHANNEL
    actions = [(entry.action, entry.target) for entry in runtime.audit.list_for_practice(practice.id)]
    assert ("settings.consult_channel", CHANNEL) in actions

    unclear = await runtime.core.handle(inbound("/boundary admin consult-channel", "U0ADMIN", admin=True))
    assert not unclear.ok and "#consultations" in text_of(unclear)


async def test_the_form_asks_everything_and_says_what_admins_can_see(
    runtime: Runtime, channel_set: Practice
) -> None:
    reply = await runtime.core.handle(inbound("/boundary consult"))

    assert reply.form is not None and reply.form.id == "consult"
    fields = {f.id: f for f in reply.form.fields}
    assert list(fields) == [
        "situation",
        "platform",
        "client_status",
        "text",
        "question",
        "urgent",
        "anonymous",
    ]
    situations = {o.value for o in fields["situation"].options}
    assert {"friend-request", "former-client", "other"} <= situations
    assert {o.value for o in fields["client_status"].options} == {
        "current",
        "former",
        "prospective",
        "family",
    }
    assert "48 hours" in fields["urgent"].label
    assert "admins can still see who asked" in (fields["anonymous"].hint or "")
    assert "Mandated reporting duties still apply." in (reply.form.intro or "")

    runtime.practices.update_settings(channel_set.id, anonymous_visible_to_admins=False)
    runtime.directory.forget()
    hidden = await runtime.core.handle(inbound("/boundary consult"))
    assert hidden.form is not None
    anonymous = next(f for f in hidden.form.fields if f.id == "anonymous")
    assert "admins are not shown it" in (anonymous.hint or "")


async def test_consult_with_a_situation_key_or_free_text_prefills_the_form(
    runtime: Runtime, channel_set: Practice
) -> None:
    keyed = await runtime.core.handle(inbound("/boundary consult former-client"))
    assert keyed.form is not None
    assert {f.id: f.value for f in keyed.form.fields}["situation"] == "former-client"

    typed = await runtime.core.handle(
        inbound("/boundary consult a client sent me a friend request on instagram")
    )
    assert typed.form is not None and not typed.form.errors
    values = {f.id: f.value for f in typed.form.fields}
    assert values["text"] == "a client sent me a friend request on instagram"
    assert values["situation"] == "friend-request"


async def test_free_text_with_identifiers_goes_to_the_form_with_the_error_shown(
    runtime: Runtime, channel_set: Practice, notifier: RecordingNotifier
) -> None:
    reply = await runtime.core.handle(inbound("/boundary consult Jessica Miller sent me a friend request"))

    assert reply.form is not None
    values = {f.id: f.value for f in reply.form.fields}
    assert values["text"] == "Jessica Miller sent me a friend request"
    assert "Jessica" in reply.form.errors["text"]
    assert notifier.posts == []


async def test_identifiers_keep_the_form_open_with_text_intact_and_nothing_stored(
    runtime: Runtime, channel_set: Practice, notifier: RecordingNotifier
) -> None:
    values = clean_values(
        text="My client Jessica sent me a friend request on 3/14/2026, she lives on Maple Street.",
        question="Can I email her at jess.m@example.com to explain?",
    )
    reply = await submit(runtime, values)

    assert not reply.ok and reply.form is not None
    errors = reply.form.errors
    assert '"Jessica"' in errors["text"] and "3/14/2026" in errors["text"]
    assert "jess.m@example.com" in errors["question"]
    assert {f.id: f.value for f in reply.form.fields}["text"] == values["text"]
    assert {f.id: f.value for f in reply.form.fields}["question"] == values["question"]
    assert notifier.posts == []
    listing = await runtime.core.handle(inbound("/boundary consult list"))
    assert "No consultations yet" in listing.title


async def test_a_clean_consultation_is_posted_as_a_structured_thread_root(
    runtime: Runtime, channel_set: Practice, notifier: RecordingNotifier
) -> None:
    reply = await submit(
        runtime, clean_values(urgent="true", client_status="former", situation="former-client")
    )

    assert reply.ok and reply.form is None
    assert reply.title == "Posted as C-2026-0001"
    [post] = notifier.posts
    assert post.channel == CHANNEL and post.thread is None
    root = post.reply
    body = text_of(root)
    assert root.visibility is Visibility.CHANNEL
    assert "C-2026-0001" in root.title and "urgent" in root.title
    assert "Former client" in body and "Facebook" in body and "within 48 hours" in body
    assert clean_values()["text"] in body and clean_values()["question"] in body
    assert "Mandated reporting duties still apply." in body
    assert "/boundary former-client" in body and "A former client wants to connect" in body
    assert [(a.label, a.command) for a in root.actions] == [
        ("I'll step aside", "consult step-aside C-2026-0001")
    ]
    assert "u0asker" in body  # not anonymous: the colleague is named

    second = await submit(runtime, clean_values(anonymous="true"), user="U0OTHER")
    assert second.title == "Posted as C-2026-0002"
    anonymous_root = text_of(notifier.posts[-1].reply)
    assert "Asked anonymously" in anonymous_root
    assert "u0other" not in anonymous_root.lower() and "U0OTHER" not in anonymous_root


async def test_a_failed_post_stores_nothing_and_keeps_the_text(
    runtime: Runtime, channel_set: Practice, notifier: RecordingNotifier
) -> None:
    notifier.fail_channel = True
    reply = await submit(runtime, clean_values())

    assert not reply.ok and reply.form is not None
    assert {f.id: f.value for f in reply.form.fields}["text"] == clean_values()["text"]
    listing = await runtime.core.handle(inbound("/boundary consult list"))
    assert "No consultations yet" in listing.title

    notifier.fail_channel = False
    again = await submit(runtime, clean_values())
    assert again.title == "Posted as C-2026-0001"


async def test_first_colleague_reply_answers_and_tells_the_requester_privately(
    runtime: Runtime, channel_set: Practice, notifier: RecordingNotifier
) -> None:
    await submit(runtime, clean_values())
    thread = notifier.roots()[0].message_id

    # The requester clarifying in their own thread is not an answer.
    await runtime.core.notify(ThreadReply("slack", TEAM, CHANNEL, thread, "U0ASKER"))
    assert notifier.directs == []
    listing = await runtime.core.handle(inbound("/boundary consult list"))
    assert "waiting for a reply" in text_of(listing)

    await runtime.core.notify(ThreadReply("slack", TEAM, CHANNEL, thread, "U0COLLEAGUE"))
    await runtime.core.notify(ThreadReply("slack", TEAM, CHANNEL, thread, "U0THIRD"))
    [note] = notifier.directs_to("U0ASKER")
    assert "C-2026-0001" in note.title and f"<#{CHANNEL}>" in text_of(note)
    assert note.visibility is Visibility.PRIVATE
    listing = await runtime.core.handle(inbound("/boundary consult list"))
    assert "C-2026-0001" in text_of(listing) and "answered" in text_of(listing)

    # A reply in some other thread, or another workspace, changes nothing.
    await runtime.core.notify(ThreadReply("slack", "T0ELSE", CHANNEL, thread, "U0COLLEAGUE"))
    await runtime.core.notify(ThreadReply("slack", TEAM, CHANNEL, "999.1", "U0COLLEAGUE"))
    assert len(notifier.directs) == 1


async def test_resolve_screens_the_outcome_and_posts_it_in_the_thread(
    runtime: Runtime, channel_set: Practice, notifier: RecordingNotifier
) -> None:
    await submit(runtime, clean_values())
    thread = notifier.roots()[0].message_id

    refused = await runtime.core.handle(
        inbound("/boundary consult resolve C-2026-0001 Told Jessica Miller no in session")
    )
    assert not refused.ok and "Jessica" in text_of(refused)
    assert refused.form is not None
    assert {f.id: f.value for f in refused.form.fields}["outcome"] == "Told Jessica Miller no in session"
    assert notifier.in_thread(thread) == []

    stranger = await runtime.core.handle(inbound("/boundary consult resolve C-2026-0001 declined", "U0OTHER"))
    assert not stranger.ok

    done = await runtime.core.handle(
        inbound("/boundary consult resolve c-2026-1 Declined the request and raised it in session")
    )
    assert done.ok and "C-2026-0001 resolved" in done.title
    [note] = notifier.in_thread(thread)
    assert "Declined the request and raised it in session" in text_of(note.reply)
    listing = await runtime.core.handle(inbound("/boundary consult list"))
    assert "resolved" in text_of(listing) and "Declined the request" in text_of(listing)

    again = await runtime.core.handle(inbound("/boundary consult resolve C-2026-0001 something else"))
    assert not again.ok and "already resolved" in text_of(again)


async def test_resolve_form_for_the_requesters_open_consultations(
    runtime: Runtime, channel_set: Practice, notifier: RecordingNotifier
) -> None:
    nothing = await runtime.core.handle(inbound("/boundary consult resolve"))
    assert nothing.form is None and "no open consultations" in text_of(nothing)

    await submit(runtime, clean_values())
    await submit(runtime, clean_values(situation="tagged"))
    reply = await runtime.core.handle(inbound("/boundary consult resolve"))
    assert reply.form is not None and reply.form.id == "consult-resolve"
    options = [o.value for o in reply.form.fields[0].options]
    assert options == ["C-2026-0002", "C-2026-0001"]

    rejected = await runtime.core.submit(
        inbound(""), "consult-resolve", {"reference": "C-2026-0001", "outcome": "Called her at 555-123-4567"}
    )
    assert rejected.form is not None and "555-123-4567" in rejected.form.errors["outcome"]
    ok = await runtime.core.submit(
        inbound(""),
        "consult-resolve",
        {"reference": "C-2026-0001", "outcome": "Left it pending, raised it in session"},
    )
    assert ok.ok and ok.form is None
    left = await runtime.core.handle(inbound("/boundary consult resolve"))
    assert left.form is not None and [o.value for o in left.form.fields[0].options] == ["C-2026-0002"]


async def test_a_colleague_can_step_aside_once_but_not_from_their_own(
    runtime: Runtime, channel_set: Practice, notifier: RecordingNotifier
) -> None:
    await submit(runtime, clean_values())

    own = await runtime.core.handle(inbound("/boundary consult step-aside C-2026-0001"))
    assert "your own consultation" in text_of(own)
    first = await runtime.core.handle(inbound("/boundary consult step-aside C-2026-0001", "U0COLLEAGUE"))
    assert "stepped aside from C-2026-0001" in text_of(first)
    again = await runtime.core.handle(inbound("/boundary consult step-aside C-2026-0001", "U0COLLEAGUE"))
    assert "already stepped aside" in text_of(again)
    unknown = await runtime.core.handle(inbound("/boundary consult step-aside C-2026-0099", "U0COLLEAGUE"))
    assert "no consultation C-2026-0099" in text_of(unknown)
    assert len(notifier.posts) == 1  # stepping aside is private: nobody is told who shares the client


async def test_admins_see_yearly_counts_by_situation(
    runtime: Runtime, channel_set: Practice, notifier: RecordingNotifier
) -> None:
    for situation in ("friend-request", "friend-request", "tagged", "other"):
        await submit(runtime, clean_values(situation=situation))

    refused = await runtime.core.handle(inbound("/boundary admin consultations"))
    assert not refused.ok
    reply = await runtime.core.handle(inbound("/boundary admin consultations", "U0ADMIN", admin=True))
    body = text_of(reply)
    assert "2026" in reply.title
    assert "A client sent a friend or follow request: 2" in body
    assert "A client tagged or mentioned you in a post: 1" in body and "Other: 1" in body
    assert "4 in all" in body
    empty = await runtime.core.handle(inbound("/boundary admin consultations 2025", "U0ADMIN", admin=True))
    assert "No consultations were opened in 2025" in text_of(empty)


async def test_admin_lookup_shows_who_asked_only_when_the_practice_allows_it(
    runtime: Runtime, channel_set: Practice, notifier: RecordingNotifier
) -> None:
    await submit(runtime, clean_values(anonymous="true"))

    shown = await runtime.core.handle(
        inbound("/boundary admin consultations C-2026-0001", "U0ADMIN", admin=True)
    )
    assert "u0asker" in text_of(shown) and "posted anonymously" in text_of(shown)

    runtime.practices.update_settings(channel_set.id, anonymous_visible_to_admins=False)
    hidden = await runtime.core.handle(
        inbound("/boundary admin consultations C-2026-0001", "U0ADMIN", admin=True)
    )
    assert "u0asker" not in text_of(hidden) and "does not show admins" in text_of(hidden)


async def test_help_lists_the_consult_commands(runtime: Runtime) -> None:
    reply = await runtime.core.handle(inbound("/boundary help"))
    body = text_of(reply)
    assert "/boundary consult [situation or what happened]" in body
    assert "/boundary consult list" in body


async def test_open_consultations_show_on_the_home_tab(
    runtime: Runtime, channel_set: Practice, notifier: RecordingNotifier
) -> None:
    from bot.records import Identity

    [consult_home] = [make for make in runtime.extras["home_sections"] if "Consult" in make.__qualname__]
    identity: Identity = runtime.directory.identify(inbound(""))
    assert await consult_home(identity) == []

    await submit(runtime, clean_values())
    shown = await consult_home(identity)
    assert len(shown) == 1 and "C-2026-0001" in shown[0].body and "waiting for a reply" in shown[0].body


async def test_a_channel_set_elsewhere_is_seen_without_waiting_for_the_cache(
    runtime: Runtime, notifier: RecordingNotifier
) -> None:
    before = await runtime.core.handle(inbound("/boundary consult"))
    assert before.form is None
    practice = runtime.practices.find("slack", TEAM)
    assert practice is not None
    # Another instance's admin command: this process's identity cache is not told.
    runtime.practices.update_settings(practice.id, consult_channel=CHANNEL)
    after = await runtime.core.handle(inbound("/boundary consult"))
    assert after.form is not None
