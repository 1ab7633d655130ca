"""The Teams app package: `manifest.json` plus the two icons, zipped flat, ready to upload.

The template and icons ship inside the package (`adapters/teams/manifest/`, linked from
`deploy/teams/` in the repository), so an installed Boundary can build the package too. The
manifest is checked here before anything is written (ids, command-list limits, icon sizes), so
a package that Teams would reject is never produced.
"""

from __future__ import annotations

import json
import re
import struct
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

MAX_COMMANDS_PER_LIST = 10
ICON_SIZES = {"color": (192, 192), "outline": (32, 32)}
SCOPES = ("personal", "team", "groupChat")


class PackageError(ValueError):
    """Something in the inputs would make Teams reject the package; the message says what."""


def source_dir() -> Path:
    """The manifest template and icons, installed with the package."""
    return Path(__file__).resolve().parent / "manifest"


def png_size(data: bytes) -> tuple[int, int]:
    if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        raise PackageError("icon is not a PNG file")
    width, height = struct.unpack(">II", data[16:24])
    return int(width), int(height)


def is_guid(value: object) -> bool:
    try:
        return isinstance(value, str) and str(uuid.UUID(value)) == value.lower()
    except ValueError:
        return False


@dataclass(frozen=True)
class PackageOptions:
    app_id: str
    version: str = "1.0.0"
    developer: str = "Boundary"
    website_url: str = "https://www.example.com/boundary"
    privacy_url: str | None = None
    terms_url: str | None = None
    domains: tuple[str, ...] = ()


def render_manifest(template: str, options: PackageOptions) -> dict[str, Any]:
    if not is_guid(options.app_id):
        raise PackageError(f"--app-id must be the bot's Microsoft App ID (a GUID), not {options.app_id!r}")
    if not re.fullmatch(r"\d+\.\d+\.\d+", options.version):
        raise PackageError(f"--version must look like 1.2.3, not {options.version!r}")
    for url in (options.website_url, options.privacy_url, options.terms_url):
        if url is not None and urlparse(url).scheme != "https":
            raise PackageError(f"Teams needs https URLs for the developer links, not {url!r}")
    website = options.website_url.rstrip("/")
    values = {
        "APP_ID": options.app_id.lower(),
        "VERSION": options.version,
        "DEVELOPER": options.developer,
        "WEBSITE_URL": website,
        "PRIVACY_URL": options.privacy_url or f"{website}/privacy",
        "TERMS_URL": options.terms_url or f"{website}/terms",
    }
    text = template.replace("{{VALID_DOMAINS}}", json.dumps(list(options.domains)))
    for key, value in values.items():
        text = text.replace("{{" + key + "}}", json.dumps(value)[1:-1])
    manifest: dict[str, Any] = json.loads(text)
    return manifest


def check_manifest(manifest: dict[str, Any], icons: dict[str, bytes]) -> None:
    """The checks Teams applies that we can make offline."""
    for key in (
        "$schema",
        "manifestVersion",
        "version",
        "id",
        "developer",
        "name",
        "description",
        "icons",
        "bots",
    ):
        if key not in manifest:
            raise PackageError(f"manifest has no {key!r}")
    if not is_guid(manifest["id"]):
        raise PackageError("manifest id is not a GUID")
    if len(manifest["name"]["short"]) > 30 or len(manifest["description"]["short"]) > 80:
        raise PackageError("name.short is limited to 30 characters and description.short to 80")
    for bot in manifest["bots"]:
        if not is_guid(bot["botId"]):
            raise PackageError("botId is not a GUID")
        seen: set[str] = set()
        for command_list in bot.get("commandLists", []):
            for scope in command_list["scopes"]:
                if scope in seen:
                    raise PackageError(f"more than one command list for scope {scope!r}")
                seen.add(scope)
            if len(command_list["commands"]) > MAX_COMMANDS_PER_LIST:
                raise PackageError(f"a command list has more than {MAX_COMMANDS_PER_LIST} commands")
    for name, (width, height) in ICON_SIZES.items():
        file_name = manifest["icons"][name]
        if file_name not in icons:
            raise PackageError(f"icon {file_name!r} is missing")
        if png_size(icons[file_name]) != (width, height):
            raise PackageError(f"{name} icon must be {width}x{height} pixels")


def build_package(out: Path, options: PackageOptions, source: Path | None = None) -> dict[str, Any]:
    """Write the zip to `out` and return the manifest that went into it."""
    source = source or source_dir()
    template_path = source / "manifest.template.json"
    if not template_path.is_file():
        raise PackageError(f"no Teams manifest template at {template_path}")
    manifest = render_manifest(template_path.read_text(encoding="utf-8"), options)
    icons = {
        manifest["icons"][name]: (source / manifest["icons"][name]).read_bytes()
        for name in ICON_SIZES
        if (source / manifest["icons"][name]).is_file()
    }
    check_manifest(manifest, icons)
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False))
        for file_name, data in icons.items():
            archive.writestr(file_name, data)
    return manifest
