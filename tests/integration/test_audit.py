"""The audit trail against the real binary: every issuance and refusal (with the reason),
revocations, secret and key rotations, blocks and management changes, filtered and paged; never
a secret or a whole token."""

import datetime
import json

import requests

from harness import Server
from protection_helpers import API_ID, setup_client, token, wait_audit


def by_type(items):
    out = {}
    for e in items:
        out.setdefault(e["type"], []).append(e)
    return out


def test_events_for_each_action(server):
    api, project, env, client = setup_client(server.url)
    env_path = f"/api/v1/environments/{env['id']}"
    issuer, cid, secret = env["issuer"], client["client_id"], client["client_secret"]
    http = requests.Session()
    issued = token(http, issuer, cid, secret)
    assert issued.status_code == 200
    access_token = issued.json()["access_token"]
    assert token(http, issuer, cid, "not-the-secret-7f3a").status_code == 401
    r = http.post(issuer + "/token", data={"grant_type": "client_credentials",
                                           "audience": API_ID, "scope": "admin:everything"},
                  auth=(cid, secret), timeout=30)
    assert r.status_code == 400
    assert http.get(issuer + "/verify", params={"audience": API_ID},
                    headers={"Authorization": "Bearer garbage"}, timeout=30).status_code == 401
    r = http.post(issuer + "/introspect", data={"token": "x"}, auth=(cid, "not-the-secret-7f3a"), timeout=30)
    assert r.status_code == 401
    r = http.post(issuer + "/revoke", data={"token": access_token}, auth=(cid, secret), timeout=30)
    assert r.status_code == 200
    assert api.call("POST", f"{env_path}/clients/{client['id']}/secrets",
                    {"previous_secret_ttl": 0}).status_code == 201
    assert api.call("POST", f"{env_path}/clients/{client['id']}/revoke-tokens").status_code == 204
    assert api.call("POST", f"{env_path}/keys/rotate", {}).status_code == 200
    assert api.call("PATCH", f"{env_path}/clients/{client['id']}",
                    {"description": "changed"}).status_code == 200

    wanted = {"token.issued", "token.refused", "verify.refused", "introspect.refused",
              "token.revoked", "client.secret_rotated", "client.tokens_revoked", "key.rotated",
              "client.updated", "client.created", "api.created"}
    items = wait_audit(api, f"{env_path}/audit?limit=200",
                       lambda items: wanted <= {e["type"] for e in items})
    events = by_type(items)
    jti = events["token.issued"][0]["detail"]["jti"]
    assert events["token.issued"][0]["client_id"] == cid
    assert events["token.issued"][0]["actor"] == cid  # a client acts for itself
    assert events["token.issued"][0]["detail"]["audience"] == API_ID
    assert events["token.revoked"][0]["detail"]["jti"] == jti
    reasons = sorted(e["detail"]["reason"] for e in events["token.refused"])
    assert reasons == ["invalid_client", "invalid_scope"]
    assert events["verify.refused"][0]["detail"]["reason"]
    assert events["client.secret_rotated"][0]["actor"].startswith("acc_")
    assert events["client.secret_rotated"][0]["client_id"] == cid
    assert events["client.updated"][0]["detail"]["target"] == client["id"]
    for e in items:
        assert e["environment_id"] == env["id"] and e["project_id"] == project["id"]
        assert e["time"].endswith("Z") and e["request_id"]
    # Never a secret or a whole token.
    text = json.dumps(items)
    assert secret not in text and access_token not in text and "not-the-secret" not in text
    assert access_token.split(".")[2] not in text

    # The project's trail has the environment's events and the project's own.
    project_items = wait_audit(api, f"/api/v1/projects/{project['id']}/audit?limit=200",
                               lambda items: "project.created" in {e["type"] for e in items})
    assert {e["id"] for e in items} <= {e["id"] for e in project_items}


def test_filters_and_paging(server):
    api, project, env, client = setup_client(server.url)
    env_path = f"/api/v1/environments/{env['id']}"
    http = requests.Session()
    for _ in range(5):
        assert token(http, env["issuer"], client["client_id"],
                     client["client_secret"]).status_code == 200
    wait_audit(api, f"{env_path}/audit?type=token.issued",
               lambda items: len(items) == 5)
    assert api.call("GET", f"{env_path}/audit?client_id=nobody").json()["items"] == []
    prefix = api.call("GET", f"{env_path}/audit?type=token.").json()["items"]
    assert {e["type"] for e in prefix} == {"token.issued"}
    # Newest first, cursor paging without overlap.
    page1 = api.call("GET", f"{env_path}/audit?type=token.issued&limit=2").json()
    page2 = api.call("GET", f"{env_path}/audit?type=token.issued&limit=2&cursor="
                            f"{page1['next_cursor']}").json()
    ids = [e["id"] for e in page1["items"] + page2["items"]]
    assert len(set(ids)) == 4 and [int(i) for i in ids] == sorted((int(i) for i in ids),
                                                                  reverse=True)
    future = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=1))
    since = future.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert api.call("GET", f"{env_path}/audit?since={since}").json()["items"] == []
    assert len(api.call("GET", f"{env_path}/audit?type=token.issued&until={since}")
               .json()["items"]) == 5
    assert len(api.call("GET", f"{env_path}/audit?type=token.issued&since="
                               "2000-01-01T00:00:00%2B02:00").json()["items"]) == 5
    r = api.call("GET", f"{env_path}/audit?since=yesterday")
    assert r.status_code == 400 and r.json()["field"] == "since"
    # Another developer sees nothing of it.
    from harness import Api
    other = Api(server.url).signup_and_login("other@example.test")
    assert other.call("GET", f"{env_path}/audit").status_code == 404
    assert other.call("GET", f"/api/v1/projects/{project['id']}/audit").status_code == 404


def test_events_survive_a_restart_and_retention_setting(tmp_path):
    s = Server(tmp_path / "data", extra_args=["--audit-retention-days", "1"]).start()
    try:
        api, project, env, client = setup_client(s.url)
        assert token(requests.Session(), env["issuer"], client["client_id"],
                     client["client_secret"]).status_code == 200
        token_header = api.token
        path = f"/api/v1/environments/{env['id']}/audit?type=token.issued"
        wait_audit(api, path, lambda items: len(items) == 1)
    finally:
        s.stop()
    s = Server(tmp_path / "data").start()
    try:
        from harness import Api
        api = Api(s.url)
        api.token = token_header
        assert len(api.call("GET", path).json()["items"]) == 1
    finally:
        s.stop()


def test_account_trail_has_logins_and_changes(server):
    from harness import Api, PASSWORD
    api = Api(server.url).signup_and_login("me@example.test")
    r = requests.post(server.url + "/api/v1/sessions",
                      json={"email": "me@example.test", "password": "not my password"},
                      timeout=30)
    assert r.status_code == 401
    api.create_project()
    other = Api(server.url).signup_and_login("other@example.test")
    items = wait_audit(api, "/api/v1/accounts/me/audit",
                       lambda items: {"login.succeeded", "login.failed", "project.created"}
                       <= {e["type"] for e in items})
    me = api.call("GET", "/api/v1/accounts/me").json()["id"]
    assert all(e["actor"] == me for e in items)
    failed = [e for e in items if e["type"] == "login.failed"]
    assert failed[0]["ip"] == "127.0.0.1" and failed[0]["detail"]["email"] == "me@example.test"
    assert "not my password" not in json.dumps(items) and PASSWORD not in json.dumps(items)
    theirs = other.call("GET", "/api/v1/accounts/me/audit").json()["items"]
    assert all(e["actor"] != me for e in theirs)
