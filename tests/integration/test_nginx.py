"""examples/nginx against a real nginx (Debian's nginx-light), a real Gatehouse and a real
upstream (python http.server echoing the headers it receives).

The example configuration is used as shipped, with only its ADAPT values (addresses, issuer
path) replaced and the temp/log paths pointed into a temporary directory. nginx runs in the
foreground and is stopped by its PID.

Run from the repository root with Debian's python3:
    GATEHOUSE_BIN=build/gatehouse /usr/bin/python3 -m pytest -q tests/integration/test_nginx.py
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse

import pytest
import requests

from harness import free_port

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EXAMPLE = os.path.join(ROOT, "examples", "nginx")
API_ID = "https://orders.acme.example"  # the audience examples/nginx/nginx.conf names

ECHO_UPSTREAM = r"""
import json, sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

class Echo(BaseHTTPRequestHandler):
    def answer(self):
        body = json.dumps({"method": self.command, "path": self.path,
                           "headers": {k.lower(): v for k, v in self.headers.items()}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    do_GET = do_POST = answer
    def log_message(self, *args):
        pass

ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Echo).serve_forever()
"""


def wait_for_port(port, proc, what, timeout=20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{what} exited with {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"{what} not listening on {port}")


def stop(proc):
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()


@pytest.fixture
def world(server, api, tmp_path):
    if shutil.which("nginx") is None and not os.path.exists("/usr/sbin/nginx"):
        pytest.fail("nginx is not installed (Debian package nginx-light)")
    project = api.create_project(name="Acme Payments", environments=["development", "production"])
    prod = next(e for e in project["environments"] if e["name"] == "production")
    api.create_api(prod["id"], identifier=API_ID)
    reader = api.create_client(prod["id"], [{"api": API_ID, "scopes": ["read:orders"]}])

    upstream_port, nginx_port = free_port(), free_port()
    upstream = subprocess.Popen([sys.executable, "-c", ECHO_UPSTREAM, str(upstream_port)])
    prefix = tmp_path / "nginx"
    prefix.mkdir()
    issuer_path = urllib.parse.urlsplit(prod["issuer"]).path
    conf = open(os.path.join(EXAMPLE, "nginx.conf")).read()
    for old, new in [("127.0.0.1:8080", f"127.0.0.1:{server.port}"),
                     ("127.0.0.1:9000", f"127.0.0.1:{upstream_port}"),
                     ("listen 127.0.0.1:8000", f"listen 127.0.0.1:{nginx_port}"),
                     ("/oauth/acme-payments/production", issuer_path)]:
        assert old in conf, old
        conf = conf.replace(old, new)
    temp_paths = "".join(f"  {kind}_temp_path {prefix}/{kind};\n"
                         for kind in ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"])
    conf = conf.replace("http {\n", "http {\n" + temp_paths, 1)
    (prefix / "nginx.conf").write_text(conf)
    for include in ["gatehouse_verify.conf", "gatehouse_forward.conf"]:
        shutil.copy(os.path.join(EXAMPLE, include), prefix / include)
    nginx_bin = shutil.which("nginx") or "/usr/sbin/nginx"
    error_log = prefix / "error.log"
    nginx = subprocess.Popen(
        [nginx_bin, "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-e", str(error_log),
         "-g", f"daemon off; pid {prefix}/nginx.pid; error_log {error_log} info;"])
    try:
        wait_for_port(upstream_port, upstream, "upstream")
        wait_for_port(nginx_port, nginx, "nginx")
    except RuntimeError:
        stop(nginx)
        stop(upstream)
        raise

    def token():
        r = requests.post(prod["issuer"] + "/token",
                          data={"grant_type": "client_credentials", "audience": API_ID},
                          auth=(reader["client_id"], reader["client_secret"]), timeout=10)
        assert r.status_code == 200, r.text
        return r.json()["access_token"]

    def revoke_all():
        r = api.call("POST", f"/api/v1/environments/{prod['id']}/clients/{reader['id']}"
                             "/revoke-tokens")
        assert r.status_code == 204, r.text

    yield type("World", (), {"url": f"http://127.0.0.1:{nginx_port}", "token": staticmethod(token),
                             "revoke_all": staticmethod(revoke_all), "reader": reader,
                             "error_log": error_log, "server": server})
    stop(nginx)
    stop(upstream)


def get(world, method="GET", token=None, headers=None):
    headers = dict(headers or {})
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    return requests.request(method, world.url + "/orders", headers=headers, timeout=10)


def test_nginx_auth_request_flow(world):
    # No token: 401 with Gatehouse's challenge.
    r = get(world)
    assert r.status_code == 401, r.text
    assert r.headers["WWW-Authenticate"].startswith("Bearer")

    # A bad token: 401 invalid_token.
    r = get(world, token="not.a.token")
    assert r.status_code == 401
    assert 'error="invalid_token"' in r.headers["WWW-Authenticate"]

    # A good token without write:orders: 403 insufficient_scope, never reaches the upstream.
    token = world.token()
    r = get(world, "POST", token=token)
    assert r.status_code == 403, r.text
    assert 'error="insufficient_scope"' in r.headers.get("WWW-Authenticate", "")

    # A good token: 200 from the upstream, with Gatehouse's verdict forwarded and the caller's
    # own X-Gatehouse-* headers replaced.
    r = get(world, token=token, headers={"X-Gatehouse-Client-Id": "forged"})
    assert r.status_code == 200, r.text
    seen = r.json()["headers"]
    assert seen["x-gatehouse-client-id"] == world.reader["client_id"]
    assert seen["x-gatehouse-scope"] == "read:orders"
    assert seen["x-real-ip"] == "127.0.0.1"
    assert "127.0.0.1" in seen["x-forwarded-for"]

    # Revoked: 401 on the very next request.
    world.revoke_all()
    r = get(world, token=token)
    assert r.status_code == 401
    assert 'error="invalid_token"' in r.headers["WWW-Authenticate"]

