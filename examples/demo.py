#!/usr/bin/env python3
"""The whole Gatehouse flow, step by step, on a fresh temporary data dir (`make demo`).

Starts Gatehouse and the example Orders API (examples/orders-api, C++ with the verification
library) on free 127.0.0.1 ports, then plays both sides: the developer who protects the API and
the consumer that calls it. Every process started here is stopped by its PID and the temporary
directory is removed, whatever happens. Exit status 0 when every step behaved as expected.

    python3 examples/demo.py --gatehouse build/gatehouse --orders-api build/orders_api

Only the Python standard library is used. The functions are reused by the integration tests.
"""

import argparse
import base64
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

EMAIL = "dev@acme.example"
PASSWORD = "correct horse battery staple"
ORDERS_API_ID = "https://orders.acme.example"


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http(method, url, body=None, form=None, headers=None, basic=None, timeout=10):
    """One request; returns (status, headers dict with lower-case names, parsed body or text)."""
    headers = dict(headers or {})
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    elif form is not None:
        data = urllib.parse.urlencode(form).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    if basic is not None:
        user = urllib.parse.quote(basic[0], safe="")
        password = urllib.parse.quote(basic[1], safe="")
        headers["Authorization"] = "Basic " + base64.b64encode(
            f"{user}:{password}".encode()).decode()
    req = urllib.request.Request(url, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as res:
            status, res_headers, raw = res.status, res.headers, res.read()
    except urllib.error.HTTPError as e:
        status, res_headers, raw = e.code, e.headers, e.read()
    text = raw.decode("utf-8", "replace")
    try:
        parsed = json.loads(text) if text else None
    except ValueError:
        parsed = text
    return status, {k.lower(): v for k, v in res_headers.items()}, parsed


class Process:
    """A child process with its output in a log file; stop() ends it by PID."""

    def __init__(self, name, argv, log_path, ready_url, timeout=30):
        self.name = name
        self.log_path = log_path
        self.log = open(log_path, "ab")
        self.proc = subprocess.Popen(argv, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{name} exited with {self.proc.returncode}:\n{self.logs()}")
            try:
                if http("GET", ready_url, timeout=1)[0] == 200:
                    return
            except OSError:
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"{name} not ready after {timeout} s:\n{self.logs()}")
            time.sleep(0.05)

    def stop(self):
        if self.proc is None:
            return
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.kill(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.proc = None
        self.log.close()

    def logs(self):
        with open(self.log_path, encoding="utf-8", errors="replace") as f:
            return f.read()


def start_gatehouse(binary, workdir):
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    argv = [binary, "serve", "--listen", f"127.0.0.1:{port}",
            "--data-dir", os.path.join(workdir, "data")]
    proc = Process("gatehouse", argv, os.path.join(workdir, "gatehouse.log"), url + "/readyz")
    return proc, url


def start_orders_api(binary, workdir, issuer, audience, mode, cache_ms=0):
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    argv = [binary, "--listen", f"127.0.0.1:{port}", "--issuer", issuer,
            "--audience", audience, "--mode", mode, "--cache-ms", str(cache_ms)]
    proc = Process(f"orders-api ({mode})", argv,
                   os.path.join(workdir, f"orders-api-{mode}.log"), url + "/healthz")
    return proc, url


def expect(ok, message):
    if not ok:
        raise AssertionError(message)


def provider_setup(gatehouse_url, say=print):
    """Steps 1-4: the developer's side. Returns what the consumer and the API need."""
    say("1. A developer registers and logs in")
    status, _, body = http("POST", gatehouse_url + "/api/v1/accounts",
                           {"email": EMAIL, "password": PASSWORD})
    expect(status == 201, f"register: {status} {body}")
    status, _, body = http("POST", gatehouse_url + "/api/v1/sessions",
                           {"email": EMAIL, "password": PASSWORD})
    expect(status == 201, f"login: {status} {body}")
    auth = {"Authorization": "Bearer " + body["token"]}
    say(f"   registered {EMAIL}; session token received (201)")

    say("2. The developer creates a project with development and production")
    status, _, project = http("POST", gatehouse_url + "/api/v1/projects",
                              {"name": "Acme Payments",
                               "environments": ["development", "production"]}, headers=auth)
    expect(status == 201, f"project: {status} {project}")
    envs = {e["name"]: e for e in project["environments"]}
    prod = envs["production"]
    for e in project["environments"]:
        say(f"   environment {e['name']}: issuer {e['issuer']}")

    say("3. The developer registers the Orders API with read:orders and write:orders")
    status, _, api = http("POST", f"{gatehouse_url}/api/v1/environments/{prod['id']}/apis",
                          {"name": "Orders", "identifier": ORDERS_API_ID,
                           "scopes": [{"name": "read:orders", "description": "Read orders"},
                                      {"name": "write:orders", "description": "Place orders"}]},
                          headers=auth)
    expect(status == 201, f"api: {status} {api}")
    say(f"   API {api['identifier']} ({api['signing_alg']}, tokens live "
        f"{api['token_lifetime']} s)")

    say("4. The developer creates a consumer client granted only read:orders")
    status, _, client = http("POST", f"{gatehouse_url}/api/v1/environments/{prod['id']}/clients",
                             {"name": "Billing service",
                              "grants": [{"api": ORDERS_API_ID, "scopes": ["read:orders"]}]},
                             headers=auth)
    expect(status == 201, f"client: {status} {client}")
    say(f"   client_id {client['client_id']} (secret shown once, handed to the consumer)")
    return {"auth": auth, "env": prod, "issuer": prod["issuer"], "client": client}


def get_token(issuer, client_id, secret):
    return http("POST", issuer + "/token",
                form={"grant_type": "client_credentials", "audience": ORDERS_API_ID},
                basic=(client_id, secret))


def run(gatehouse_bin, orders_bin, say=print):
    workdir = tempfile.mkdtemp(prefix="gatehouse-demo-")
    processes = []
    try:
        say(f"Starting Gatehouse (fresh data dir {workdir}/data)")
        gatehouse, gh_url = start_gatehouse(gatehouse_bin, workdir)
        processes.append(gatehouse)
        say(f"   Gatehouse at {gh_url}")
        world = provider_setup(gh_url, say)
        issuer, client = world["issuer"], world["client"]

        say("5. The provider starts the Orders API (C++, gatehouse::verifier)")
        orders, orders_url = start_orders_api(orders_bin, workdir, issuer, ORDERS_API_ID,
                                              "remote")
        processes.append(orders)
        say(f"   Orders API at {orders_url}, verifying every request with the verify endpoint "
            "(remote mode, no cache: a revocation counts on the next request)")

        say("6. The consumer gets an access token (client_credentials)")
        status, _, body = get_token(issuer, client["client_id"], client["client_secret"])
        expect(status == 200, f"token: {status} {body}")
        token = body["access_token"]
        say(f"   200: token_type {body['token_type']}, scope \"{body['scope']}\", "
            f"expires_in {body['expires_in']} s")
        bearer = {"Authorization": "Bearer " + token}

        say("7. The consumer reads orders: GET /orders")
        status, _, body = http("GET", orders_url + "/orders", headers=bearer)
        expect(status == 200, f"read: {status} {body}")
        say(f"   {status} OK: {len(body['orders'])} order(s) for {body['client_id']}")

        say("8. The consumer tries to place an order: POST /orders (needs write:orders)")
        status, headers, body = http("POST", orders_url + "/orders", body={}, headers=bearer)
        expect(status == 403, f"write: {status} {body}")
        say(f"   {status} Forbidden: WWW-Authenticate: {headers.get('www-authenticate')}")

        say("9. The developer revokes the client's tokens")
        status, _, body = http(
            "POST", f"{gh_url}/api/v1/environments/{world['env']['id']}/clients/"
            f"{client['id']}/revoke-tokens", headers=world["auth"])
        expect(status == 204, f"revoke-tokens: {status} {body}")
        status, headers, body = http("GET", orders_url + "/orders", headers=bearer)
        expect(status == 401, f"read after revocation: {status} {body}")
        say(f"   next GET /orders: {status} Unauthorized: "
            f"{headers.get('www-authenticate')}")

        say("10. Someone tries a wrong client secret, repeatedly")
        statuses = []
        for _ in range(12):
            status, headers, _ = get_token(issuer, client["client_id"], "wrong-secret")
            statuses.append(status)
        expect(all(s in (401, 403, 429) for s in statuses), f"wrong secret: {statuses}")
        say(f"   answers: {' '.join(map(str, statuses))}")
        expect(any(s in (403, 429) for s in statuses), f"never blocked: {statuses}")
        say("   the source was blocked after repeated failures")
        # Alerts are recorded off the request path: give the writer a moment (bounded).
        deadline = time.monotonic() + 5
        while True:
            status, _, alerts = http(
                "GET", f"{gh_url}/api/v1/environments/{world['env']['id']}/alerts",
                headers=world["auth"])
            if status != 200 or alerts["items"] or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        expect(status == 200 and alerts["items"], f"alerts: {status} {alerts}")
        say(f"   alert raised: {alerts['items'][0]['type']}: {alerts['items'][0]['message']}")
        say("DEMO OK: every step behaved as expected")
        return 0
    except (AssertionError, RuntimeError, OSError) as e:
        say(f"DEMO FAILED: {e}")
        for p in processes:
            say(f"--- {p.name} log ---\n{p.logs()}")
        return 1
    finally:
        for p in reversed(processes):
            p.stop()
        shutil.rmtree(workdir, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gatehouse", default="build/gatehouse")
    parser.add_argument("--orders-api", default="build/orders_api")
    args = parser.parse_args()
    return run(args.gatehouse, args.orders_api, say=lambda s: print(s, flush=True))


if __name__ == "__main__":
    sys.exit(main())
