"""Helpers for the protection tests: a webhook receiver, a second loopback source address,
and a project with one environment, API and client ready for token requests."""

import hashlib
import hmac
import http.server
import json
import threading
import time

import requests
from requests.adapters import HTTPAdapter

from harness import Api

API_ID = "https://orders.example.test"


class SourceAdapter(HTTPAdapter):
    """Binds the client socket to `source` (e.g. 127.0.0.2): a second, distinct address."""

    def __init__(self, source, **kw):
        self.source = source
        super().__init__(**kw)

    def init_poolmanager(self, *args, **kw):
        kw["source_address"] = (self.source, 0)
        super().init_poolmanager(*args, **kw)


def session_from(source):
    s = requests.Session()
    s.mount("http://", SourceAdapter(source))
    return s


class Receiver:
    """A webhook receiver on 127.0.0.1 that records every POST (headers and raw body)."""

    def __init__(self, statuses=()):
        self.received = []
        self.statuses = list(statuses)  # answers to give first (then 204)
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                receiver.received.append({"headers": dict(self.headers), "body": body})
                self.send_response(receiver.statuses.pop(0) if receiver.statuses else 204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def wait_for(self, count, timeout=15):
        deadline = time.monotonic() + timeout
        while len(self.received) < count:
            assert time.monotonic() < deadline, f"only {len(self.received)} deliveries"
            time.sleep(0.05)
        return self.received

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def verify_signature(header, secret, body, tolerance=300):
    """The receiver's side of the Gatehouse-Signature check."""
    parts = dict(p.split("=", 1) for p in header.split(","))
    t = int(parts["t"])
    assert abs(time.time() - t) <= tolerance, "stale timestamp"
    expected = hmac.new(secret.encode(), f"{t}.".encode() + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, parts["v1"])


def setup_client(url, email="dev@example.test", **client_fields):
    api = Api(url).signup_and_login(email)
    project = api.create_project()
    env = project["environments"][0]
    api.create_api(env["id"], identifier=API_ID)
    client = api.create_client(env["id"], [{"api": API_ID, "scopes": ["read:orders"]}],
                               **client_fields)
    return api, project, env, client


def token(http, issuer, client_id, secret):
    return http.post(issuer + "/token", data={"grant_type": "client_credentials",
                                              "audience": API_ID},
                     auth=(client_id, secret), timeout=30)


def wait_audit(api, path, predicate, timeout=10):
    deadline = time.monotonic() + timeout
    while True:
        r = api.call("GET", path)
        assert r.status_code == 200, r.text
        items = r.json()["items"]
        if predicate(items):
            return items
        assert time.monotonic() < deadline, f"audit never matched: {json.dumps(items)[:2000]}"
        time.sleep(0.1)
