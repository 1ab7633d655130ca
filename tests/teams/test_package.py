"""`boundary-bot teams package`: the zip Teams accepts (required fields, limits, ids, icon sizes)."""

from __future__ import annotations

import json
import uuid
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from adapters.cli import app
from adapters.teams.package import png_size

APP_ID = str(uuid.uuid4())
REQUIRED = (
    "$schema",
    "manifestVersion",
    "version",
    "id",
    "developer",
    "name",
    "description",
    "icons",
    "bots",
)


@pytest.fixture
def package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> zipfile.ZipFile:
    monkeypatch.chdir(tmp_path)  # no stray .env
    out = tmp_path / "dist" / "boundary.zip"
    result = CliRunner().invoke(
        app,
        [
            "teams",
            "package",
            "--app-id",
            APP_ID.upper(),
            "--out",
            str(out),
            "--website-url",
            "https://boundary.example",
        ],
    )
    assert result.exit_code == 0, result.output
    return zipfile.ZipFile(out)


def test_package_holds_a_complete_manifest_and_both_icons(package: zipfile.ZipFile) -> None:
    assert sorted(package.namelist()) == ["color.png", "manifest.json", "outline.png"]
    manifest = json.loads(package.read("manifest.json"))
    for key in REQUIRED:
        assert key in manifest
    assert manifest["manifestVersion"] == "1.17" and "v1.17" in manifest["$schema"]
    assert manifest["id"] == APP_ID and str(uuid.UUID(manifest["id"])) == manifest["id"]
    assert manifest["developer"]["privacyUrl"].startswith("https://boundary.example")
    assert len(manifest["name"]["short"]) <= 30 and len(manifest["description"]["short"]) <= 80
    assert png_size(package.read(manifest["icons"]["color"])) == (192, 192)
    assert png_size(package.read(manifest["icons"]["outline"])) == (32, 32)


def test_bot_scopes_and_command_lists_stay_within_teams_limits(package: zipfile.ZipFile) -> None:
    manifest = json.loads(package.read("manifest.json"))
    (bot,) = manifest["bots"]
    assert bot["botId"] == APP_ID
    assert set(bot["scopes"]) == {"personal", "team", "groupChat"}
    scopes = [scope for command_list in bot["commandLists"] for scope in command_list["scopes"]]
    assert sorted(scopes) == sorted(set(scopes)) == sorted(bot["scopes"])  # one list per scope
    for command_list in bot["commandLists"]:
        assert 1 <= len(command_list["commands"]) <= 10
        for command in command_list["commands"]:
            assert len(command["title"]) <= 32 and len(command["description"]) <= 128


def test_outline_icon_is_white_on_transparent(package: zipfile.ZipFile) -> None:
    import zlib

    data = package.read("outline.png")
    # Our writer stores one IDAT chunk of 8-bit RGBA rows, each prefixed with filter byte 0.
    start = data.index(b"IDAT") + 4
    length = int.from_bytes(data[start - 8 : start - 4], "big")
    raw = zlib.decompress(data[start : start + length])
    pixels = {
        raw[row * 129 + 1 + col * 4 : row * 129 + 5 + col * 4] for row in range(32) for col in range(32)
    }
    assert pixels == {b"\xff\xff\xff\xff", b"\x00\x00\x00\x00"}


def test_a_bad_app_id_is_refused_with_a_clear_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(
        app, ["teams", "package", "--app-id", "my-bot", "--out", str(tmp_path / "x.zip")]
    )
    assert result.exit_code == 2 and "GUID" in result.output
    assert not (tmp_path / "x.zip").exists()
