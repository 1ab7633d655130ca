"""A practice adapts scripts with YAML files in BOUNDARY_CONTENT_DIR; `content check|export` help."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path

from typer.testing import CliRunner

from adapters.cli import app
from adapters.console.session import console_inbound
from adapters.runtime import build_runtime
from bot.config import Settings
from bot.content.catalogue import Catalogue
from bot.content.loader import ContentError, load_content
from bot.content.matcher import Matcher

runner = CliRunner()

NEW_SITUATION = """\
key: gift
title: A client offered you a gift
summary: Small tokens can be fine; talk about what the gift means.
why: Gifts can change the relationship. A steady rule keeps it fair for everyone.
citations: ["APA 3.05"]
variants:
  written:
    label: Written reply
    text: Thank you so much for thinking of me. I keep a rule about gifts with every client.
aliases: [gift, present]
examples: [client gave me a gift card, client brought me a present]
reviewed_on: {reviewed}
owner: Our clinical director
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_one_field_override_keeps_the_rest(tmp_path: Path) -> None:
    write(tmp_path, "friend.yaml", "key: friend-request\nvariants:\n  written:\n    text: Our own words.\n")
    catalogue = Catalogue.load(tmp_path)
    situation = catalogue.get("friend-request")
    assert situation is not None
    assert situation.variants["written"].text == "Our own words."
    assert situation.variants["written"].label == "Written reply"  # merged, not replaced
    assert "sensitive" in situation.variants and situation.citations


def test_placeholders_file_fills_every_script(tmp_path: Path) -> None:
    write(tmp_path, "_placeholders.yaml", "practice_name: Maple Counselling\nportal: the Maple app\n")
    catalogue = Catalogue.load(tmp_path)
    clause = catalogue.get("policy-clause")
    assert clause is not None
    text = catalogue.fill(clause.variants["clause"].text)
    assert "Maple Counselling" in text and "the Maple app" in text
    assert "988" in text  # an unset placeholder keeps its safe default


def test_added_situation_is_served_and_matched(tmp_path: Path) -> None:
    write(tmp_path, "gift.yaml", NEW_SITUATION.format(reviewed=dt.date.today().isoformat()))
    catalogue = Catalogue.load(tmp_path)
    assert "gift" in catalogue and len(catalogue) == 14
    assert Matcher(catalogue).match("client gave me a present").situation == "gift"


def test_runtime_answers_with_the_practice_words(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    write(content, "friend.yaml", "key: friend-request\nvariants:\n  written:\n    text: Maple words here.\n")
    settings = Settings(
        DATABASE_URL=f"sqlite:///{tmp_path / 'b.db'}",
        BOUNDARY_DATA_DIR=str(tmp_path),
        BOUNDARY_CONTENT_DIR=str(content),
        _env_file=None,  # type: ignore[call-arg]
    )
    runtime = build_runtime(settings)
    try:
        reply = asyncio.run(runtime.core.handle(console_inbound("pt followed me on insta")))
    finally:
        runtime.close()
    assert reply.situation == "friend-request"
    assert any("Maple words here." in section.body for section in reply.sections)


def test_broken_override_names_file_field_and_line(tmp_path: Path) -> None:
    write(tmp_path, "bad.yaml", "key: tagged\nvariants:\n  written:\n    label: ''\n    text: Hi {who}\n")
    problems = load_content(tmp_path).problems
    assert problems, "an empty label must be refused"
    first = problems[0]
    assert first.file.endswith("bad.yaml") and first.field == "variants.written.label" and first.line == 4
    try:
        Catalogue.load(tmp_path)
    except ContentError as exc:
        assert "bad.yaml:4" in str(exc)
    else:
        raise AssertionError("a broken override must stop loading")


def test_unknown_placeholder_is_an_error_with_its_line(tmp_path: Path) -> None:
    write(tmp_path, "t.yaml", "key: tagged\nvariants:\n  written:\n    text: Hi {client_name}\n")
    problems = load_content(tmp_path).problems
    assert [(p.field, p.line) for p in problems] == [("variants.written.text", 4)]
    assert "{client_name}" in problems[0].message


def test_check_reports_every_problem_and_exits_1(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", "key: comment\nvariants:\n  bogus:\n    label: x\n    text: y\n")
    write(tmp_path, "b.yaml", "key: new-one\ntitle: Only a title\n")
    write(tmp_path, "c.yaml", "key: [unclosed\n")
    result = runner.invoke(app, ["content", "check", str(tmp_path)])
    assert result.exit_code == 1
    output = result.output
    assert "a.yaml:3: variants: unknown variant 'bogus'" in output
    assert "b.yaml:1: summary: required field is missing" in output
    assert "c.yaml:" in output and "not valid YAML" in output


def test_check_passes_with_a_warning_for_stale_review(tmp_path: Path) -> None:
    stale = (dt.date.today() - dt.timedelta(days=400)).isoformat()
    write(tmp_path, "gift.yaml", NEW_SITUATION.format(reviewed=stale))
    result = runner.invoke(app, ["content", "check", str(tmp_path)])
    assert result.exit_code == 0, result.output
    where = tmp_path / "gift.yaml"
    assert f"warning: {where}: reviewed_on: gift was last reviewed on {stale}" in result.output
    assert "Content OK: 14 situations (1 from" in result.output


def test_check_defaults_to_the_content_dir_setting(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", "key: comment\ntitle: ''\n")
    result = runner.invoke(app, ["content", "check"], env={"BOUNDARY_CONTENT_DIR": str(tmp_path)})
    assert result.exit_code == 1
    assert "a.yaml:2: title:" in result.output


def test_export_writes_a_starting_point_that_checks_clean(tmp_path: Path) -> None:
    target = tmp_path / "ours"
    result = runner.invoke(app, ["content", "export", str(target)])
    assert result.exit_code == 0, result.output
    names = sorted(path.name for path in target.iterdir())
    assert "_placeholders.yaml" in names and "friend-request.yaml" in names and len(names) == 14
    # the practice edits one field and checks
    path = target / "friend-request.yaml"
    path.write_text(path.read_text().replace("owner: Boundary clinical content", "owner: Dr Lee"))
    checked = runner.invoke(app, ["content", "check", str(target)])
    assert checked.exit_code == 0, checked.output
    assert Catalogue.load(target).get("friend-request").owner == "Dr Lee"  # type: ignore[union-attr]


def test_export_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    write(tmp_path, "tagged.yaml", "key: tagged\nsummary: ours\n")
    refused = runner.invoke(app, ["content", "export", str(tmp_path)])
    assert refused.exit_code == 1 and "tagged.yaml" in refused.output and "--force" in refused.output
    assert (tmp_path / "tagged.yaml").read_text() == "key: tagged\nsummary: ours\n"
    forced = runner.invoke(app, ["content", "export", "--force", str(tmp_path)])
    assert forced.exit_code == 0
    assert "title: A client tagged" in (tmp_path / "tagged.yaml").read_text()
