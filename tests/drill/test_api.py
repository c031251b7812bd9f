"""The GoPhish REST client against a real HTTP server on 127.0.0.1 serving GoPhish-shaped JSON."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from drill_plan import human, people_tested

from collectors.drill.gophish_api import GophishClient
from compliance.drill.config import load_thresholds
from compliance.drill.privacy import Pseudonymiser, load_key
from netcomply.app.pipelines.drill import run
from netcomply.errors import InputError

API_KEY = "0f3c1a2b4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8"


@pytest.fixture
def gophish(fixtures: Path) -> Iterator[tuple[str, list[str]]]:
    body = (fixtures / "gophish-api-results.json").read_bytes()
    seen: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append(self.path)
            if self.headers.get("Authorization") != f"Bearer {API_KEY}":
                self._send(401, b'{"message":"Invalid API Key","success":false,"data":null}')
            elif self.path == "/api/campaigns/12/results":
                self._send(200, body)
            else:
                self._send(404, b'{"message":"Campaign not found","success":false,"data":null}')

        def _send(self, code: int, payload: bytes) -> None:
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", seen
    finally:
        server.shutdown()
        server.server_close()


def test_client_reads_results_and_timeline(gophish: tuple[str, list[str]], monkeypatch: pytest.MonkeyPatch) -> None:
    url, seen = gophish
    monkeypatch.setenv("GOPHISH_API_KEY", API_KEY)
    with GophishClient(url) as client:
        drill = client.drill(["12"])
    assert seen == ["/api/campaigns/12/results"]
    assert drill.name == "2026 下半年社交工程演練"
    doc = run(drill, load_thresholds(), Pseudonymiser(load_key())).document
    assert doc["participants"] == len(people_tested())
    assert (doc["opened"], doc["clicked"]) == (human("opened"), human("clicked"))


def test_wrong_key_and_missing_campaign_are_input_errors(gophish: tuple[str, list[str]]) -> None:
    url, _ = gophish
    with pytest.raises(InputError, match="refused the API key"), GophishClient(url, api_key="wrong") as client:
        client.drill(["12"])
    with pytest.raises(InputError, match="HTTP 404"), GophishClient(url, api_key=API_KEY) as client:
        client.drill(["99"])
    with pytest.raises(InputError, match="GOPHISH_API_KEY"):
        GophishClient(url)


def test_unreachable_server_is_an_input_error() -> None:
    # a loopback port nothing listens on (bound then closed)
    import socket

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    with pytest.raises(InputError, match="unreachable"), GophishClient(f"http://127.0.0.1:{port}", api_key="k",
                                                                      timeout=2) as c:
        c.drill(["1"])


def test_saved_api_json_is_valid_json(fixtures: Path) -> None:
    doc = json.loads((fixtures / "gophish-api-results.json").read_text(encoding="utf-8"))
    assert {"id", "name", "status", "results", "timeline"} <= set(doc)
