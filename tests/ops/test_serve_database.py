"""`boundary-bot serve` and its database: ready on PostgreSQL, honest (503) when it is unreachable."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def get(port: int, path: str) -> tuple[int, dict[str, str]]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


@contextmanager
def serving(database_url: str, tmp_path: Path) -> Iterator[tuple[int, subprocess.Popen[str]]]:
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "BOUNDARY_", "MICROSOFT_"))},
        "DATABASE_URL": database_url,
        "LOG_FORMAT": "json",
    }
    command = [sys.executable, "-m", "adapters.cli", "serve", "--host", "127.0.0.1", "--port", str(port)]
    process = subprocess.Popen(
        [*command, "--no-scheduler"],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if get(port, "/healthz")[0] == 200:
                    break
            except OSError:
                pass
            assert process.poll() is None, process.stderr.read() if process.stderr else ""
            assert time.monotonic() < deadline, "server did not come up"
            time.sleep(0.2)
        yield port, process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def wait_for_ready(port: int, expected: int, seconds: float = 30) -> dict[str, str]:
    deadline = time.monotonic() + seconds
    while True:
        status, body = get(port, "/readyz")
        if status == expected or time.monotonic() > deadline:
            assert status == expected, body
            return body
        time.sleep(0.2)


def test_serve_on_postgresql_migrates_and_is_ready(postgres_url: str, tmp_path: Path) -> None:
    with serving(postgres_url, tmp_path) as (port, process):
        assert wait_for_ready(port, 200) == {"status": "ready"}
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=15) == 0


def test_unreachable_database_keeps_the_process_up_but_not_ready(tmp_path: Path) -> None:
    nowhere = f"postgresql+psycopg://boundary@127.0.0.1:{free_port()}/boundary"  # nothing listens there
    with serving(nowhere, tmp_path) as (port, process):
        assert get(port, "/healthz")[0] == 200, "the process itself is fine"
        body = wait_for_ready(port, 503)
        assert body["status"] == "not ready"
        assert body["reason"].startswith("database unreachable")
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=15)
        logs = [json.loads(line) for line in process.stderr.read().splitlines() if line.startswith("{")]
    messages = [entry["message"] for entry in logs]
    assert any(message.startswith("database unreachable") for message in messages), messages
    assert all("boundary@127.0.0.1" not in json.dumps(entry) for entry in logs), (
        "no connection strings in logs"
    )
