"""The management API against the real binary: the flow, isolation, validation, durability."""

import concurrent.futures
import signal
import socket
import stat
import os

import pytest
import requests

from harness import PASSWORD, Api, Server

API_ID = "https://orders.example.test"


def test_whole_flow(server, api):
    project = api.create_project("Acme Payments", description="Payments platform")
    assert project["slug"] == "acme-payments"
    assert [e["name"] for e in project["environments"]] == ["development", "production"]
    prod = project["environments"][1]
    assert prod["issuer"] == f"{server.url}/oauth/acme-payments/production"

    created_api = api.create_api(prod["id"], API_ID)
    assert created_api["token_lifetime"] == 3600 and created_api["signing_alg"] == "ES256"
    assert len(created_api["credentials"]["client_secret"]) == 43
    client = api.create_client(prod["id"], [{"api": API_ID, "scopes": ["read:orders"]}])
    assert client["token_endpoint_auth_method"] == "client_secret_basic"
    assert client["grants"] == [{"api": API_ID, "scopes": ["read:orders"]}]
    assert len(client["client_secret"]) == 43

    # Secrets are shown once: never in a read or a list.
    for path in (f"/api/v1/environments/{prod['id']}/clients/{client['id']}",
                 f"/api/v1/environments/{prod['id']}/clients",
                 f"/api/v1/environments/{prod['id']}/apis/{created_api['id']}",
                 f"/api/v1/environments/{prod['id']}/apis"):
        r = api.call("GET", path)
        assert r.status_code == 200
        assert "\"client_secret\"" not in r.text
        assert client["client_secret"] not in r.text
        assert r.headers["Cache-Control"] == "no-store"

    r = api.call("POST", f"/api/v1/environments/{prod['id']}/clients/{client['id']}/secrets",
                 {"previous_secret_ttl": 600})
    assert r.status_code == 201, r.text
    assert r.json()["client_secret"] != client["client_secret"]
    assert r.json()["previous_secret_expires_at"] is not None

    r = api.call("POST", f"/api/v1/environments/{prod['id']}/clients/{client['id']}/revoke-tokens")
    assert r.status_code == 204
    got = api.call("GET", f"/api/v1/environments/{prod['id']}/clients/{client['id']}").json()
    assert got["tokens_revoked_at"] is not None

    r = api.call("PATCH", f"/api/v1/projects/{project['id']}", {"name": "Acme Pay"})
    assert r.status_code == 200 and r.json()["name"] == "Acme Pay"
    assert r.json()["slug"] == "acme-payments"  # issuers never move

    r = api.call("POST", f"/api/v1/projects/{project['id']}/environments", {"name": "Staging"})
    assert r.status_code == 201 and r.json()["slug"] == "staging"
    r = api.call("POST", f"/api/v1/projects/{project['id']}/environments", {"name": "staging"})
    assert r.status_code == 409

    # Deleting the API removes its grants; deleting the project removes everything.
    r = api.call("DELETE", f"/api/v1/environments/{prod['id']}/apis/{created_api['id']}")
    assert r.status_code == 204
    got = api.call("GET", f"/api/v1/environments/{prod['id']}/clients/{client['id']}").json()
    assert got["grants"] == []
    assert api.call("DELETE", f"/api/v1/projects/{project['id']}").status_code == 204
    assert api.call("GET", f"/api/v1/projects/{project['id']}").status_code == 404
    assert api.call("GET", f"/api/v1/environments/{prod['id']}/clients").status_code == 404


def test_sessions(server):
    api = Api(server.url).signup_and_login("Someone@Example.TEST")
    assert api.call("GET", "/api/v1/accounts/me").json()["email"] == "someone@example.test"
    # Same 401 for an unknown email and a wrong password.
    bad = [api.call("POST", "/api/v1/sessions", {"email": e, "password": p}, token=False)
           for e, p in (("someone@example.test", "wrong password!!"),
                        ("nobody@example.test", PASSWORD))]
    assert [r.status_code for r in bad] == [401, 401]
    assert bad[0].json() == bad[1].json()
    r = api.call("POST", "/api/v1/sessions", {"email": "someone@example.test", "password": PASSWORD},
                 token=False)
    cookie = r.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "gh_session=" in cookie
    assert api.call("DELETE", "/api/v1/sessions/current").status_code == 204
    assert api.call("GET", "/api/v1/projects").status_code == 401
    assert api.call("GET", "/api/v1/projects", token=False).status_code == 401


def test_cookie_writes_need_same_origin(server):
    api = Api(server.url).signup_and_login("cookie@example.test")
    r = api.call("POST", "/api/v1/sessions", {"email": "cookie@example.test", "password": PASSWORD},
                 token=False)
    token = r.json()["token"]
    jar = {"gh_session": token}
    body = {"name": "From the dashboard"}
    r = requests.post(server.url + "/api/v1/projects", json=body, cookies=jar,
                      headers={"Origin": "https://evil.example"})
    assert r.status_code == 401
    r = requests.post(server.url + "/api/v1/projects", json=body, cookies=jar)
    assert r.status_code == 401  # no Origin at all
    r = requests.post(server.url + "/api/v1/projects", json=body, cookies=jar,
                      headers={"Origin": server.url})
    assert r.status_code == 201, r.text
    assert requests.get(server.url + "/api/v1/projects", cookies=jar).status_code == 200


def test_isolation_between_developers(server, api):
    other = Api(server.url).signup_and_login("other@example.test")
    project = api.create_project()
    env = project["environments"][0]["id"]
    a = api.create_api(env, API_ID)
    c = api.create_client(env, [{"api": API_ID, "scopes": ["read:orders"]}])
    paths = [("GET", f"/api/v1/projects/{project['id']}"),
             ("PATCH", f"/api/v1/projects/{project['id']}"),
             ("DELETE", f"/api/v1/projects/{project['id']}"),
             ("POST", f"/api/v1/projects/{project['id']}/environments"),
             ("GET", f"/api/v1/environments/{env}/apis"),
             ("GET", f"/api/v1/environments/{env}/apis/{a['id']}"),
             ("DELETE", f"/api/v1/environments/{env}/apis/{a['id']}"),
             ("POST", f"/api/v1/environments/{env}/apis"),
             ("GET", f"/api/v1/environments/{env}/clients/{c['id']}"),
             ("POST", f"/api/v1/environments/{env}/clients/{c['id']}/secrets"),
             ("POST", f"/api/v1/environments/{env}/clients/{c['id']}/revoke-tokens"),
             ("DELETE", f"/api/v1/environments/{env}/clients/{c['id']}")]
    for method, path in paths:
        body = {"name": "x"} if method in ("PATCH", "POST") else None
        if path.endswith("/apis"):
            body = {"name": "x", "identifier": "urn:x"}
        if path.endswith("secrets") or path.endswith("revoke-tokens"):
            body = None
        r = other.call(method, path, body)
        assert r.status_code == 404, (method, path, r.text)
        assert r.json()["error"] == "not_found"
    assert other.call("GET", "/api/v1/projects").json() == {"items": [], "next_cursor": None}
    assert api.call("GET", f"/api/v1/environments/{env}/clients/{c['id']}").status_code == 200


def test_project_slugs_are_unique_across_developers(server, api):
    other = Api(server.url).signup_and_login("other@example.test")
    a = api.create_project("Shop")
    b = other.create_project("Shop")
    assert a["slug"] == "shop" and b["slug"] != "shop" and b["slug"].startswith("shop-")


VALIDATION_CASES = [
    # (path template, method, body, status, field)
    ("/api/v1/accounts", "POST", {"email": "not-an-email", "password": PASSWORD}, 400, "email"),
    ("/api/v1/accounts", "POST", {"email": "a@b.test", "password": "short"}, 400, "password"),
    ("/api/v1/accounts", "POST", {"email": "abcdefghijk@b.test", "password": "ABCDEFGHIJK@b.test"},
     400, "password"),
    ("/api/v1/accounts", "POST", {"email": "a@b.test"}, 400, "password"),
    ("/api/v1/accounts", "POST", {"email": "a@b.test", "password": PASSWORD, "admin": True}, 400,
     "admin"),
    ("/api/v1/accounts", "POST", {"email": 7, "password": PASSWORD}, 400, "email"),
    ("/api/v1/projects", "POST", {"name": ""}, 400, "name"),
    ("/api/v1/projects", "POST", {"name": "x" * 101}, 400, "name"),
    ("/api/v1/projects", "POST", {}, 400, "name"),
    ("/api/v1/projects", "POST", {"name": "ok", "environments": []}, 400, "environments"),
    ("/api/v1/projects", "POST", {"name": "ok", "environments": ["a", "A"]}, 400, "environments"),
    ("/api/v1/projects", "POST", {"name": "ok", "environments": "prod"}, 400, "environments"),
    ("/api/v1/projects", "POST", {"name": "ok", "colour": "red"}, 400, "colour"),
    ("{env}/apis", "POST", {"name": "A", "identifier": "has space"}, 400, "identifier"),
    ("{env}/apis", "POST", {"name": "A"}, 400, "identifier"),
    ("{env}/apis", "POST", {"name": "A", "identifier": "urn:a", "scopes": [{"name": "bad scope"}]},
     400, "scopes"),
    ("{env}/apis", "POST", {"name": "A", "identifier": "urn:a", "scopes": ["r", "r"]}, 400,
     "scopes"),
    ("{env}/apis", "POST", {"name": "A", "identifier": "urn:a", "scopes": [{"name": "a\"b"}]}, 400,
     "scopes"),
    ("{env}/apis", "POST", {"name": "A", "identifier": "urn:a", "token_lifetime": 0}, 400,
     "token_lifetime"),
    ("{env}/apis", "POST", {"name": "A", "identifier": "urn:a", "token_lifetime": 86401}, 400,
     "token_lifetime"),
    ("{env}/apis", "POST", {"name": "A", "identifier": "urn:a", "token_lifetime": "60"}, 400,
     "token_lifetime"),
    ("{env}/apis", "POST", {"name": "A", "identifier": "urn:a", "signing_alg": "HS256"}, 400,
     "signing_alg"),
    ("{env}/apis", "POST", {"name": "A", "identifier": "urn:a", "signing_alg": "none"}, 400,
     "signing_alg"),
    ("{env}/apis", "POST", {"name": "Dup", "identifier": API_ID}, 409, "identifier"),
    ("{env}/clients", "POST", {"name": "C", "token_endpoint_auth_method": "none"}, 400,
     "token_endpoint_auth_method"),
    ("{env}/clients", "POST", {"name": "C", "grants": [{"api": "urn:nope", "scopes": ["r"]}]}, 400,
     "grants"),
    ("{env}/clients", "POST", {"name": "C", "grants": [{"api": API_ID, "scopes": ["admin"]}]}, 400,
     "grants"),
    ("{env}/clients", "POST", {"name": "C", "grants": [{"api": API_ID, "scopes": []}]}, 400,
     "grants"),
    ("{env}/clients", "POST", {"name": "C", "grants": [{"api": API_ID}]}, 400, "grants"),
    ("{env}/clients", "POST", {"name": "C", "grants": "all"}, 400, "grants"),
    ("{env}/clients", "POST", {"name": "C", "enabled": "yes"}, 400, "enabled"),
    ("{env}/clients", "POST", {"description": "no name"}, 400, "name"),
]


@pytest.mark.parametrize("path,method,body,status,field", VALIDATION_CASES)
def test_validation_names_the_field(server, api, path, method, body, status, field):
    project = api.create_project()
    env = project["environments"][0]["id"]
    api.create_api(env, API_ID)
    r = api.call(method, path.replace("{env}", f"/api/v1/environments/{env}"), body)
    assert r.status_code == status, r.text
    assert r.json()["field"] == field, r.text
    assert r.json()["message"].startswith(field), r.text


def test_grants_cannot_cross_environments(server, api):
    project = api.create_project()
    dev, prod = (e["id"] for e in project["environments"])
    api.create_api(dev, API_ID)
    r = api.call("POST", f"/api/v1/environments/{prod}/clients",
                 {"name": "C", "grants": [{"api": API_ID, "scopes": ["read:orders"]}]})
    assert r.status_code == 400 and r.json()["field"] == "grants"


def test_body_errors(server, api):
    url = server.url + "/api/v1/projects"
    auth = {"Authorization": f"Bearer {api.token}"}
    r = requests.post(url, data="name=x", headers={**auth, "Content-Type": "text/plain"})
    assert r.status_code == 415 and r.json()["error"] == "unsupported_media_type"
    r = requests.post(url, data="{not json", headers={**auth, "Content-Type": "application/json"})
    assert r.status_code == 400 and r.json()["error"] == "invalid_request"
    r = requests.post(url, data="[1]", headers={**auth, "Content-Type": "application/json"})
    assert r.status_code == 400
    r = requests.post(url, data=b"{" + b" " * (2 * 1024 * 1024) + b"}",
                      headers={**auth, "Content-Type": "application/json"})
    assert r.status_code == 413 and r.json()["error"] == "payload_too_large"


def test_413_reaches_a_client_that_keeps_sending(server):
    # Raw socket, no Expect: the whole oversized body is on its way when the answer comes.
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as s:
        body = b"x" * (3 * 1024 * 1024)
        s.sendall(b"POST /api/v1/accounts HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
                  + f"Content-Length: {len(body)}\r\n\r\n".encode())
        try:
            s.sendall(body)
        except OSError:
            pass
        answer = s.recv(4096)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:100]


def test_unknown_paths_and_methods(server):
    r = requests.get(server.url + "/api/v1/nothing-here")
    assert r.status_code == 404 and r.json()["error"] == "not_found"
    assert r.headers["X-Request-Id"]
    r = requests.put(server.url + "/api/v1/projects")
    assert r.status_code == 405 and set(r.headers["Allow"].split(", ")) == {"GET", "POST"}
    assert r.json()["error"] == "method_not_allowed"
    r = requests.get(server.url + "/healthz", headers={"X-Request-Id": "abc-123"})
    assert r.headers["X-Request-Id"] == "abc-123"


def test_paging_is_stable_under_inserts(server, api):
    for i in range(7):
        api.create_project(f"Project {i}")
    seen, cursor = [], None
    while True:
        q = "?limit=3" + (f"&cursor={cursor}" if cursor else "")
        page = api.call("GET", "/api/v1/projects" + q).json()
        seen += [p["name"] for p in page["items"]]
        if len(seen) == 3:
            api.create_project("Inserted meanwhile")
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == [f"Project {i}" for i in range(7)] + ["Inserted meanwhile"]
    assert api.call("GET", "/api/v1/projects?limit=0").json()["field"] == "limit"
    assert api.call("GET", "/api/v1/projects?cursor=zzz").json()["field"] == "cursor"


def test_persistence_across_restart_and_private_files(tmp_path):
    data = tmp_path / "data"
    server = Server(data).start()
    try:
        api = Api(server.url).signup_and_login("dev@example.test")
        project = api.create_project()
        env = project["environments"][0]["id"]
        api.create_api(env, API_ID)
        client = api.create_client(env, [{"api": API_ID, "scopes": ["read:orders"]}])
    finally:
        assert server.stop() == 0  # graceful shutdown exits cleanly
    assert stat.S_IMODE(os.stat(data).st_mode) == 0o700
    for name in os.listdir(data):
        assert stat.S_IMODE(os.stat(data / name).st_mode) & 0o077 == 0, name
    server = Server(data, port=server.port).start()
    try:
        api.http = requests.Session()
        r = api.call("GET", f"/api/v1/environments/{env}/clients/{client['id']}")
        assert r.status_code == 200 and r.json()["grants"][0]["api"] == API_ID
    finally:
        server.stop()


def test_concurrent_creation_loses_nothing(server, api):
    project = api.create_project()
    env = project["environments"][0]["id"]
    api.create_api(env, API_ID)

    def make(i):
        a = Api(server.url)
        a.token = api.token
        r = a.call("POST", f"/api/v1/environments/{env}/clients",
                   {"name": f"client {i}", "grants": [{"api": API_ID, "scopes": ["read:orders"]}]})
        return r.status_code, r.json().get("client_id")

    with concurrent.futures.ThreadPoolExecutor(max_workers=16) as pool:
        results = list(pool.map(make, range(120)))
    assert all(status == 201 for status, _ in results), results
    ids = {cid for _, cid in results}
    assert len(ids) == 120
    listed, cursor = set(), None
    while True:
        page = api.call("GET", f"/api/v1/environments/{env}/clients?limit=50"
                        + (f"&cursor={cursor}" if cursor else "")).json()
        listed |= {c["client_id"] for c in page["items"]}
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert listed == ids


def test_kill_9_loses_no_answered_write(tmp_path):
    data = tmp_path / "data"
    server = Server(data).start()
    api = Api(server.url).signup_and_login("dev@example.test")
    project = api.create_project()
    env = project["environments"][0]["id"]
    answered = []
    stop = False

    def writer(i):
        a = Api(server.url)
        a.token = api.token
        n = 0
        while not stop:
            try:
                r = a.call("POST", f"/api/v1/environments/{env}/apis",
                           {"name": "x", "identifier": f"urn:w{i}:{n}"})
            except requests.RequestException:
                return
            if r.status_code == 201:
                answered.append(r.json()["identifier"])
            n += 1

    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        futures = [pool.submit(writer, i) for i in range(4)]
        while len(answered) < 60:
            pass
        server.proc.send_signal(signal.SIGKILL)
        server.proc.wait()
        stop = True
        for f in futures:
            f.result()
    server.log.close()
    server.proc = None
    server = Server(data, port=server.port).start()
    try:
        api.http = requests.Session()
        stored, cursor = set(), None
        while True:
            page = api.call("GET", f"/api/v1/environments/{env}/apis?limit=200"
                            + (f"&cursor={cursor}" if cursor else "")).json()
            stored |= {a["identifier"] for a in page["items"]}
            cursor = page["next_cursor"]
            if not cursor:
                break
        assert set(answered) <= stored
    finally:
        server.stop()
