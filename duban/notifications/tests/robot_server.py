"""A loopback stand-in for the WeCom and DingTalk robot endpoints: records each request and answers
with the errcodes a test chooses. Tests never call a real endpoint."""

from __future__ import annotations

import json
import threading
import urllib.parse
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Received:
    path: str
    query: dict[str, str]
    body: dict


@dataclass
class RobotServer:
    requests: list[Received] = field(default_factory=list)
    # Each answer is an errcode (HTTP 200 with that errcode) or ("http", status).
    answers: deque = field(default_factory=deque)
    url: str = ""

    def answer(self, *answers) -> None:
        self.answers.extend(answers)


def start() -> tuple[RobotServer, ThreadingHTTPServer]:
    state = RobotServer()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 — http.server's naming
            parsed = urllib.parse.urlsplit(self.path)
            length = int(self.headers.get("Content-Length", 0))
            body = json.loads(self.rfile.read(length) or b"{}")
            state.requests.append(
                Received(parsed.path, dict(urllib.parse.parse_qsl(parsed.query)), body)
            )
            answer = state.answers.popleft() if state.answers else 0
            if isinstance(answer, tuple):
                self.send_response(answer[1])
                self.end_headers()
                return
            data = json.dumps({"errcode": answer, "errmsg": "ok" if answer == 0 else "err"})
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(data.encode())

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return state, server
