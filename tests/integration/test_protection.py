"""Rate limits, blocking and alerts against the real binary.

A burst over a configured limit gets 429 with Retry-After; 1,000 wrong secrets from one address
block it and fire one alert to a real local webhook receiver whose signature check passes, while
the same client from a second loopback address (127.0.0.2) keeps getting tokens; verify-endpoint
sources are counted only when a trusted proxy forwards them.
"""

import time

import pytest
import requests

from harness import Api, Server, PASSWORD
from protection_helpers import (API_ID, Receiver, session_from, setup_client, token,
                                verify_signature)


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()


def test_environment_rate_limit_gives_429_with_retry_after(server):
    api, project, env, client = setup_client(server.url)
    issuer, cid, secret = env["issuer"], client["client_id"], client["client_secret"]
    http = requests.Session()
    # No limit by default: a busy service is never throttled by surprise.
    assert all(token(http, issuer, cid, secret).status_code == 200 for _ in range(30))
    r = api.call("PATCH", f"/api/v1/environments/{env['id']}",
                 {"rate_limit": {"requests_per_second": 1, "burst": 5}})
    assert r.status_code == 200, r.text
    statuses = [token(http, issuer, cid, secret) for _ in range(12)]
    assert [r.status_code for r in statuses[:5]] == [200] * 5
    limited = [r for r in statuses if r.status_code == 429]
    assert len(limited) >= 6
    r = limited[0]
    assert int(r.headers["Retry-After"]) >= 1
    assert r.headers["Cache-Control"] == "no-store"
    assert r.json()["error"] == "rate_limited" and r.json()["error_description"]
    # A client's own limit overrides the environment's.
    r = api.call("PATCH", f"/api/v1/environments/{env['id']}/clients/{client['id']}",
                 {"rate_limit": {"requests_per_second": 1000, "burst": 1000}})
    assert r.status_code == 200 and r.json()["rate_limit"]["burst"] == 1000
    time.sleep(0.1)  # the client's bucket refills at its new rate from where it was
    assert all(token(http, issuer, cid, secret).status_code == 200 for _ in range(20))
    # Bad values are refused, naming the field.
    r = api.call("PATCH", f"/api/v1/environments/{env['id']}",
                 {"rate_limit": {"requests_per_second": 0, "burst": 5}})
    assert r.status_code == 400 and r.json()["field"] == "rate_limit"


def test_login_and_account_creation_are_limited_per_ip(tmp_path):
    s = Server(tmp_path / "data",
               extra_args=["--rate-limit-login", "1:3", "--rate-limit-accounts", "1:2"]).start()
    try:
        http = requests.Session()
        codes = [http.post(s.url + "/api/v1/accounts",
                           json={"email": f"u{i}@example.test", "password": PASSWORD},
                           timeout=30).status_code for i in range(4)]
        assert codes[:2] == [201, 201] and 429 in codes[2:]
        codes = []
        for _ in range(6):
            r = http.post(s.url + "/api/v1/sessions",
                          json={"email": "u0@example.test", "password": PASSWORD}, timeout=30)
            codes.append(r.status_code)
            if r.status_code == 429:
                assert int(r.headers["Retry-After"]) >= 1
                assert r.json()["error"] == "rate_limited"
        assert codes[:3] == [201] * 3 and 429 in codes
        # Another address is not affected.
        r = session_from("127.0.0.2").post(
            s.url + "/api/v1/sessions", json={"email": "u0@example.test", "password": PASSWORD},
            timeout=30)
        assert r.status_code == 201
    finally:
        s.stop()


def test_failed_logins_back_off_per_account_and_address(tmp_path):
    s = Server(tmp_path / "data", extra_args=["--lockout-login", "3/300"]).start()
    try:
        Api(s.url).signup_and_login("owner@example.test")
        http = requests.Session()
        wrong = {"email": "owner@example.test", "password": "not the password"}
        codes = [http.post(s.url + "/api/v1/sessions", json=wrong, timeout=30).status_code
                 for _ in range(4)]
        assert codes == [401, 401, 401, 429]
        right = {"email": "owner@example.test", "password": PASSWORD}
        r = http.post(s.url + "/api/v1/sessions", json=right, timeout=30)
        assert r.status_code == 429 and int(r.headers["Retry-After"]) >= 1
        # The owner, from elsewhere, still logs in.
        r = session_from("127.0.0.2").post(s.url + "/api/v1/sessions", json=right, timeout=30)
        assert r.status_code == 201
    finally:
        s.stop()


def test_wrong_secrets_block_the_address_and_fire_one_signed_alert(server, receiver):
    api, project, env, client = setup_client(server.url)
    issuer, cid, secret = env["issuer"], client["client_id"], client["client_secret"]
    hook = api.call("POST", f"/api/v1/projects/{project['id']}/webhooks",
                    {"url": receiver.url, "events": ["block.created"]})
    assert hook.status_code == 201, hook.text
    hook = hook.json()
    assert hook["secret"] and "secret" not in api.call(
        "GET", f"/api/v1/projects/{project['id']}/webhooks").json()["items"][0]

    attacker = requests.Session()
    codes = [token(attacker, issuer, cid, "wrong-secret").status_code for _ in range(1000)]
    assert codes[:10] == [401] * 10
    assert set(codes[10:]) == {429}
    # Blocked even with the right secret...
    r = token(attacker, issuer, cid, secret)
    assert r.status_code == 429 and int(r.headers["Retry-After"]) > 800
    assert r.json()["error"] == "rate_limited"
    # ...while the same client from another address keeps working.
    other = session_from("127.0.0.2")
    for _ in range(5):
        assert token(other, issuer, cid, secret).status_code == 200

    deliveries = receiver.wait_for(1)
    time.sleep(1.5)
    assert len(receiver.received) == 1, "one block, one alert"
    d = deliveries[0]
    assert verify_signature(d["headers"]["Gatehouse-Signature"], hook["secret"], d["body"])
    assert not verify_signature(d["headers"]["Gatehouse-Signature"], "whsec_other", d["body"])
    payload = __import__("json").loads(d["body"])
    assert payload["type"] == "block.created"
    assert payload["alert"]["detail"]["client_id"] == cid
    assert payload["alert"]["detail"]["ip"] == "127.0.0.1"
    assert secret not in d["body"].decode()

    alerts = api.call("GET", f"/api/v1/environments/{env['id']}/alerts").json()["items"]
    assert [a["type"] for a in alerts] == ["block.created"]
    listed = api.call("GET", f"/api/v1/projects/{project['id']}/webhooks/{hook['id']}"
                             "/deliveries").json()["items"]
    assert listed[0]["state"] == "delivered" and listed[0]["last_status"] == 204
    blocks = api.call("GET", f"/api/v1/environments/{env['id']}/blocks").json()["items"]
    assert [(b["kind"], b["client_id"], b["ip"]) for b in blocks] == [
        ("client_ip", cid, "127.0.0.1")]
    # Lifting the block lets the real client back in from that address.
    r = api.call("DELETE", f"/api/v1/environments/{env['id']}/blocks/{blocks[0]['id']}")
    assert r.status_code == 204
    assert token(attacker, issuer, cid, secret).status_code == 200
    assert api.call("GET", f"/api/v1/environments/{env['id']}/blocks").json()["items"] == []


def test_many_client_ids_from_one_address_block_the_address(tmp_path):
    s = Server(tmp_path / "data", extra_args=["--lockout-ip", "20/60"]).start()
    try:
        api, project, env, client = setup_client(s.url)
        http = requests.Session()
        codes = [token(http, env["issuer"], f"ci_guess{i}", "x").status_code for i in range(25)]
        assert codes[:20] == [401] * 20 and set(codes[20:]) == {429}
        r = token(http, env["issuer"], client["client_id"], client["client_secret"])
        assert r.status_code == 429
        assert token(session_from("127.0.0.2"), env["issuer"], client["client_id"],
                     client["client_secret"]).status_code == 200
        kinds = [b["kind"] for b in api.call(
            "GET", f"/api/v1/environments/{env['id']}/blocks").json()["items"]]
        assert kinds == ["ip"]
    finally:
        s.stop()


def test_verify_blocks_only_forwarded_sources(tmp_path):
    s = Server(tmp_path / "data",
               extra_args=["--trusted-proxies", "127.0.0.1", "--lockout-verify", "5/60",
                           "--verify-burst-alert", "12"]).start()
    try:
        api, project, env, client = setup_client(s.url)
        http = requests.Session()
        verify = env["issuer"] + "/verify"
        good = token(http, env["issuer"], client["client_id"], client["client_secret"])
        good = good.json()["access_token"]

        def check(tok, forwarded=None):
            headers = {"Authorization": f"Bearer {tok}"}
            if forwarded:
                headers["X-Forwarded-For"] = forwarded
            return http.get(verify, params={"audience": API_ID}, headers=headers, timeout=30)

        codes = [check("not.a.token", "203.0.113.7").status_code for _ in range(7)]
        assert codes == [401] * 5 + [429] * 2
        # The same source is refused even with a good token; other sources are not.
        assert check(good, "203.0.113.7").status_code == 429
        assert check(good, "203.0.113.8").status_code == 200
        # The API itself (no forwarded address) is never blocked for its consumers' tokens.
        assert [check("bad").status_code for _ in range(10)] == [401] * 10
        assert check(good).status_code == 200
        deadline = time.monotonic() + 10
        while True:
            types = sorted(a["type"] for a in api.call(
                "GET", f"/api/v1/environments/{env['id']}/alerts").json()["items"])
            if types == ["block.created", "verify.invalid_burst"]:
                break
            assert time.monotonic() < deadline, types
            time.sleep(0.1)
        blocks = api.call("GET", f"/api/v1/environments/{env['id']}/blocks").json()["items"]
        assert [(b["kind"], b["ip"]) for b in blocks] == [("verify_source", "203.0.113.7")]
    finally:
        s.stop()


def test_untrusted_forwarded_for_is_ignored(server):
    api, project, env, client = setup_client(server.url)
    http = requests.Session()
    # Without trusted proxies, X-Forwarded-For cannot make one address look like many.
    for i in range(10):
        r = http.post(env["issuer"] + "/token", data={"grant_type": "client_credentials"},
                      auth=(client["client_id"], "wrong"),
                      headers={"X-Forwarded-For": f"198.51.100.{i}"}, timeout=30)
        assert r.status_code == 401
    r = token(http, env["issuer"], client["client_id"], client["client_secret"])
    assert r.status_code == 429


def test_failed_delivery_is_retried_with_backoff(tmp_path):
    failing = Receiver(statuses=[500])
    s = Server(tmp_path / "data", extra_args=["--lockout-client", "3/60"]).start()
    try:
        api, project, env, client = setup_client(s.url)
        hook = api.call("POST", f"/api/v1/projects/{project['id']}/webhooks",
                        {"url": failing.url}).json()
        http = requests.Session()
        for _ in range(3):
            token(http, env["issuer"], client["client_id"], "nope")
        first, second = failing.wait_for(2, timeout=20)
        assert first["headers"]["Gatehouse-Delivery"] == second["headers"]["Gatehouse-Delivery"]
        assert verify_signature(second["headers"]["Gatehouse-Signature"], hook["secret"],
                                second["body"])
        path = f"/api/v1/projects/{project['id']}/webhooks/{hook['id']}/deliveries"
        deadline = time.monotonic() + 5
        while True:
            d = api.call("GET", path).json()["items"][0]
            if d["state"] == "delivered":
                break
            assert time.monotonic() < deadline, d
            time.sleep(0.1)
        assert d["attempts"] == 2 and d["last_status"] == 204
    finally:
        s.stop()
        failing.close()
