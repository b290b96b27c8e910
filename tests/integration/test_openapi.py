"""Contract test: the running server against docs/openapi.yaml.

Every request below goes through `ContractApi.call`, which finds the operation the document
declares for the path and method, fails on a status the operation does not declare, and
validates the body (JSON Schema 2020-12, $refs resolved against the document) and the required
headers of the declared response. Request bodies the server accepted must also be valid under
the operation's request schema, so the document describes what the server really takes.
"""

import datetime
import json
import os
import re
import time
import urllib.parse

import jsonschema
import pytest
import requests
import yaml

from harness import PASSWORD

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SPEC_PATH = os.path.join(ROOT, "docs", "openapi.yaml")
API_ID = "https://orders.example.test"
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def load_spec():
    with open(SPEC_PATH, encoding="utf-8") as f:
        return yaml.safe_load(f)


SPEC = load_spec()

FORMATS = jsonschema.FormatChecker(formats=())
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


@FORMATS.checks("date-time")
def is_date_time(value):
    if not isinstance(value, str):
        return True
    if not RFC3339.match(value):
        return False
    datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    return True


@FORMATS.checks("uri")
def is_uri(value):
    if not isinstance(value, str):
        return True
    parts = urllib.parse.urlsplit(value)
    return bool(parts.scheme and parts.netloc)


def resolve(node):
    """Follows a local $ref (one object of the document, e.g. a response)."""
    while isinstance(node, dict) and "$ref" in node:
        assert node["$ref"].startswith("#/"), node["$ref"]
        target = SPEC
        for part in node["$ref"][2:].split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node = target
    return node


def validator(schema):
    return jsonschema.Draft202012Validator(
        schema, resolver=jsonschema.RefResolver.from_schema(SPEC), format_checker=FORMATS)


def check_against(schema, instance, what):
    errors = sorted(validator(schema).iter_errors(instance), key=lambda e: list(e.path))
    if errors:
        detail = "\n".join(f"  at {list(e.absolute_path)}: {e.message}" for e in errors[:10])
        pytest.fail(f"{what} does not match the document:\n{detail}\nbody: "
                    f"{json.dumps(instance)[:2000]}")


class PathTemplates:
    """Maps a concrete path to the document's path template (literal segments win)."""

    def __init__(self, paths):
        self.templates = []
        for template in paths:
            segments = template.strip("/").split("/")
            pattern = "^/" + "/".join(
                "[^/]+" if s.startswith("{") else re.escape(s) for s in segments) + "$"
            literals = sum(1 for s in segments if not s.startswith("{"))
            self.templates.append((re.compile(pattern), literals, template))
        self.templates.sort(key=lambda t: -t[1])

    def find(self, path):
        for pattern, _, template in self.templates:
            if pattern.match(path):
                return template
        return None


TEMPLATES = PathTemplates(SPEC["paths"])


class Coverage:
    def __init__(self):
        self.seen = set()

    def add(self, template, method, status):
        self.seen.add((template, method, status))

    def operations(self):
        return {(t, m) for t, m, s in self.seen if 200 <= s < 300}


class ContractApi:
    """A developer's client whose every answer is checked against the document."""

    def __init__(self, url, coverage=None):
        self.url = url
        self.http = requests.Session()
        self.token = None
        self.coverage = coverage if coverage is not None else Coverage()

    def call(self, method, path, body=None, token=True, expect=None, **kw):
        headers = dict(kw.pop("headers", {}))
        if token and self.token:
            headers.setdefault("Authorization", f"Bearer {self.token}")
        json_body = body if "data" not in kw else None
        r = self.http.request(method, self.url + path, json=json_body, headers=headers,
                              timeout=30, **kw)
        self.check(method, path, r, json_body)
        if expect is not None:
            assert r.status_code == expect, f"{method} {path}: {r.status_code} {r.text}"
        return r

    def check(self, method, path, r, json_body=None):
        path_only = urllib.parse.urlsplit(path).path
        template = TEMPLATES.find(path_only)
        assert r.headers.get("X-Request-Id"), f"{method} {path}: no X-Request-Id"
        if template is None:
            assert r.status_code == 404, f"{method} {path}: {r.status_code} on an undocumented path"
            response = SPEC["components"]["responses"]["NoSuchEndpoint"]
            self.check_response(f"{method} {path} -> 404", response, r)
            return
        item = SPEC["paths"][template]
        operation = item.get(method.lower())
        if operation is None:
            assert r.status_code == 405, (
                f"{method} {path}: {r.status_code}, but the document defines no {method} "
                f"for {template}: {r.text}")
            response = SPEC["components"]["responses"]["MethodNotAllowed"]
            self.check_response(f"{method} {path} -> 405", response, r)
            documented = {m.upper() for m in item if m.upper() in METHODS}
            assert set(r.headers["Allow"].split(", ")) == documented, (template, r.headers)
            return
        status = str(r.status_code)
        assert status in operation["responses"], (
            f"{method} {template} answered {status}, which the document does not declare "
            f"(declared: {sorted(operation['responses'])}): {r.text[:500]}")
        self.coverage.add(template, method, r.status_code)
        self.check_response(f"{method} {template} -> {status}",
                            resolve(operation["responses"][status]), r)
        if 200 <= r.status_code < 300 and json_body is not None:
            request_body = resolve(operation.get("requestBody"))
            assert request_body, f"{method} {template} took a body the document does not declare"
            schema = request_body["content"]["application/json"]["schema"]
            check_against(schema, json_body, f"request body of {method} {template} (accepted)")

    @staticmethod
    def check_response(what, response, r):
        for name, header in (response.get("headers") or {}).items():
            if resolve(header).get("required"):
                assert name in r.headers, f"{what}: required header {name} missing"
        content = response.get("content")
        if not content:
            assert r.content == b"", f"{what}: the document declares no body, got {r.text[:200]}"
            return
        media = r.headers.get("Content-Type", "").split(";")[0].strip()
        assert media in content, f"{what}: Content-Type {media!r} not in {list(content)}"
        check_against(content[media]["schema"], r.json(), what)

    def signup_and_login(self, email, password=PASSWORD):
        self.call("POST", "/api/v1/accounts", {"email": email, "password": password}, token=False,
                  expect=201)
        r = self.call("POST", "/api/v1/sessions", {"email": email, "password": password},
                      token=False, expect=201)
        self.token = r.json()["token"]
        # The answer also set the gh_session cookie: drop it, so that token=False calls are
        # really anonymous (cookie sessions are tested on purpose below).
        self.http.cookies.clear()
        return self


def request_schema(template, method):
    operation = SPEC["paths"][template][method.lower()]
    return resolve(operation["requestBody"])["content"]["application/json"]["schema"]


def is_valid_request(template, method, body):
    return validator(request_schema(template, method)).is_valid(body)


def keys_implemented(api, env_id):
    r = requests.get(f"{api.url}/api/v1/environments/{env_id}/keys",
                     headers={"Authorization": f"Bearer {api.token}"}, timeout=30)
    return not (r.status_code == 404 and r.json().get("error") == "not_found"
                and r.json().get("message", "").startswith("no such endpoint"))


KEY_PATHS = {"/api/v1/environments/{env_id}/keys", "/api/v1/environments/{env_id}/keys/rotate"}


# --- The document itself ------------------------------------------------------------------------


def test_document_is_sound():
    assert SPEC["openapi"].startswith("3.1")
    operation_ids = []
    for template, item in SPEC["paths"].items():
        for method, operation in item.items():
            if method.upper() not in METHODS:
                continue
            operation_ids.append(operation["operationId"])
            assert operation.get("description"), (template, method)
            for status, response in operation["responses"].items():
                response = resolve(response)
                assert response["description"], (template, method, status)
                for content in (response.get("content") or {}).values():
                    jsonschema.Draft202012Validator.check_schema(content["schema"])
            placeholders = set(re.findall(r"{(\w+)}", template))
            params = [resolve(p) for p in item.get("parameters", []) + operation.get(
                "parameters", [])]
            assert placeholders == {p["name"] for p in params if p["in"] == "path"}, template
    assert len(operation_ids) == len(set(operation_ids))
    for name, schema in SPEC["components"]["schemas"].items():
        jsonschema.Draft202012Validator.check_schema(schema)
        for example in schema.get("examples", []):
            check_against({"$ref": f"#/components/schemas/{name}"}, example, f"example of {name}")
    # Every $ref in the document points at something.
    def walk(node):
        if isinstance(node, dict):
            if "$ref" in node:
                resolve(node)
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)
    walk(SPEC)


def test_served_document_is_the_yaml(server):
    api = ContractApi(server.url)
    r = api.call("GET", "/api/v1/openapi.json", expect=200)
    assert r.headers["Content-Type"].startswith("application/json")
    assert r.json() == load_spec()


def test_health_and_readiness(server):
    api = ContractApi(server.url)
    assert api.call("GET", "/healthz", expect=200).json() == {"status": "ok"}
    assert api.call("GET", "/readyz", expect=200).json() == {"status": "ready"}


# --- The whole flow -----------------------------------------------------------------------------


def test_whole_flow_matches_the_document(server):
    api = ContractApi(server.url).signup_and_login("flow@example.test")
    me = api.call("GET", "/api/v1/accounts/me", expect=200).json()
    assert me["email"] == "flow@example.test"

    project = api.call("POST", "/api/v1/projects",
                       {"name": "Acme Payments", "description": "Payments platform"},
                       expect=201).json()
    assert [e["name"] for e in project["environments"]] == ["development", "production"]
    dev, prod = (e["id"] for e in project["environments"])
    api.call("POST", "/api/v1/projects", {"name": "Second", "environments": ["only"]}, expect=201)
    page = api.call("GET", "/api/v1/projects?limit=1", expect=200).json()
    assert len(page["items"]) == 1 and page["next_cursor"]
    page = api.call("GET", f"/api/v1/projects?limit=1&cursor={page['next_cursor']}",
                    expect=200).json()
    assert page["items"][0]["name"] == "Second" and page["next_cursor"] is None
    api.call("GET", f"/api/v1/projects/{project['id']}", expect=200)
    renamed = api.call("PATCH", f"/api/v1/projects/{project['id']}",
                       {"name": "Acme Pay", "description": ""}, expect=200).json()
    assert renamed["slug"] == project["slug"]
    staging = api.call("POST", f"/api/v1/projects/{project['id']}/environments",
                       {"name": "Staging"}, expect=201).json()
    assert staging["issuer"].endswith("/oauth/acme-payments/staging")
    api.call("GET", f"/api/v1/environments/{prod}", expect=200)

    env = f"/api/v1/environments/{prod}"
    created = api.call("POST", f"{env}/apis", {
        "name": "Orders", "identifier": API_ID,
        "scopes": [{"name": "read:orders", "description": "Read orders"},
                   {"name": "write:orders"}, "admin:orders"],
        "token_lifetime": 900, "signing_alg": "EdDSA"}, expect=201).json()
    assert created["credentials"]["client_secret"]
    minimal = api.call("POST", f"{env}/apis", {"name": "Minimal", "identifier": "urn:minimal"},
                       expect=201).json()
    assert minimal["token_lifetime"] == 3600 and minimal["signing_alg"] == "ES256"
    assert minimal["scopes"] == []
    api.call("GET", f"{env}/apis", expect=200)
    api.call("GET", f"{env}/apis?limit=200", expect=200)
    api.call("GET", f"{env}/apis/{created['id']}", expect=200)
    updated = api.call("PATCH", f"{env}/apis/{created['id']}", {
        "identifier": API_ID, "scopes": ["read:orders", "write:orders"], "token_lifetime": 600,
        "signing_alg": "ES256"}, expect=200).json()
    assert [s["name"] for s in updated["scopes"]] == ["read:orders", "write:orders"]

    client = api.call("POST", f"{env}/clients", {
        "name": "Billing service", "description": "Nightly invoices",
        "token_endpoint_auth_method": "client_secret_post", "enabled": True,
        "grants": [{"api": API_ID, "scopes": ["read:orders"]}]}, expect=201).json()
    assert client["client_secret"] and client["previous_secret_expires_at"] is None
    bare = api.call("POST", f"{env}/clients", {"name": "Bare"}, expect=201).json()
    assert bare["grants"] == [] and bare["token_endpoint_auth_method"] == "client_secret_basic"
    api.call("GET", f"{env}/clients", expect=200)
    api.call("GET", f"{env}/clients/{client['id']}", expect=200)
    api.call("PATCH", f"{env}/clients/{client['id']}", {
        "enabled": False, "grants": [{"api": API_ID, "scopes": ["read:orders", "write:orders"]}]},
        expect=200)

    rotated = api.call("POST", f"{env}/clients/{client['id']}/secrets",
                       {"previous_secret_ttl": 600}, expect=201).json()
    assert rotated["client_id"] == client["client_id"] and rotated["previous_secret_expires_at"]
    rotated = api.call("POST", f"{env}/clients/{client['id']}/secrets", expect=201).json()
    assert rotated["previous_secret_expires_at"]  # default ttl 3600
    rotated = api.call("POST", f"{env}/clients/{client['id']}/secrets",
                       {"previous_secret_ttl": 0}, expect=201).json()
    assert rotated["previous_secret_expires_at"] is None
    api.call("POST", f"{env}/clients/{client['id']}/revoke-tokens", expect=204)
    got = api.call("GET", f"{env}/clients/{client['id']}", expect=200).json()
    assert got["tokens_revoked_at"] and got["enabled"] is False

    # Protection: rate limits, blocks, audit, alerts, webhooks.
    limited = api.call("PATCH", env, {"rate_limit": {"requests_per_second": 5, "burst": 10}},
                       expect=200).json()
    assert limited["rate_limit"] == {"requests_per_second": 5, "burst": 10}
    assert api.call("PATCH", env, {"rate_limit": None}, expect=200).json()["rate_limit"] is None
    limited = api.call("PATCH", f"{env}/clients/{bare['id']}",
                       {"rate_limit": {"requests_per_second": 1.5, "burst": 3}},
                       expect=200).json()
    assert limited["rate_limit"] == {"requests_per_second": 1.5, "burst": 3}
    hook = api.call("POST", f"/api/v1/projects/{project['id']}/webhooks",
                    {"url": "http://127.0.0.1:9/hook", "events": ["block.created"]},
                    expect=201).json()
    assert hook["secret"]
    assert api.call("GET", f"/api/v1/projects/{project['id']}/webhooks",
                    expect=200).json()["items"][0]["id"] == hook["id"]
    issuer = next(e["issuer"] for e in renamed["environments"] if e["id"] == prod)
    for _ in range(10):
        r = requests.post(issuer + "/token", data={"grant_type": "client_credentials"},
                          auth=(bare["client_id"], "wrong"), timeout=30)
        assert r.status_code == 401, r.text
    blocks = api.call("GET", f"{env}/blocks", expect=200).json()["items"]
    assert [b["kind"] for b in blocks] == ["client_ip"]
    api.call("DELETE", f"{env}/blocks/{blocks[0]['id']}", expect=204)
    deadline = time.monotonic() + 10
    while not api.call("GET", f"{env}/alerts", expect=200).json()["items"]:
        assert time.monotonic() < deadline, "no alert"
        time.sleep(0.1)
    api.call("GET", f"/api/v1/projects/{project['id']}/webhooks/{hook['id']}/deliveries",
             expect=200)
    while not api.call("GET", f"{env}/audit?type=token.refused&since=2000-01-01T00:00:00Z",
                       expect=200).json()["items"]:
        assert time.monotonic() < deadline, "no audit event"
        time.sleep(0.1)
    page = api.call("GET", f"/api/v1/projects/{project['id']}/audit?limit=2", expect=200).json()
    assert len(page["items"]) == 2 and page["next_cursor"]
    api.call("DELETE", f"/api/v1/projects/{project['id']}/webhooks/{hook['id']}", expect=204)
    mine = api.call("GET", "/api/v1/accounts/me/audit?type=login.", expect=200).json()["items"]
    assert mine and all(e["actor"] == me["id"] for e in mine)

    api.call("DELETE", f"{env}/clients/{bare['id']}", expect=204)
    api.call("DELETE", f"{env}/apis/{minimal['id']}", expect=204)
    api.call("DELETE", f"{env}/apis/{created['id']}", expect=204)
    assert api.call("GET", f"{env}/clients/{client['id']}", expect=200).json()["grants"] == []
    api.call("DELETE", f"/api/v1/projects/{project['id']}", expect=204)
    api.call("GET", f"/api/v1/projects/{project['id']}", expect=404)
    api.call("GET", f"/api/v1/environments/{dev}", expect=404)
    api.call("DELETE", "/api/v1/sessions/current", expect=204)
    api.call("GET", "/api/v1/accounts/me", expect=401)

    # Every operation of the document was answered with a success (keys: see below).
    documented = {(t, m.upper()) for t, item in SPEC["paths"].items() for m in item
                  if m.upper() in METHODS and t not in KEY_PATHS}
    health = {("/healthz", "GET"), ("/readyz", "GET"), ("/api/v1/openapi.json", "GET")}
    missing = documented - health - api.coverage.operations()
    assert not missing, f"operations never answered with 2xx: {sorted(missing)}"


def test_session_cookie_and_origin(server):
    api = ContractApi(server.url).signup_and_login("cookie@example.test")
    r = api.call("POST", "/api/v1/sessions",
                 {"email": "cookie@example.test", "password": PASSWORD, "otp": "123456"},
                 token=False, expect=201)
    cookie = r.headers["Set-Cookie"]
    assert cookie.startswith("gh_session=" + r.json()["token"] + ";")
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/" in cookie
    browser = ContractApi(server.url)
    browser.http.cookies.set("gh_session", r.json()["token"])
    browser.call("GET", "/api/v1/projects", expect=200)
    r = browser.call("POST", "/api/v1/projects", {"name": "Cross"},
                     headers={"Origin": "https://evil.example"}, expect=401)
    assert "Origin" in r.json()["message"]
    browser.call("POST", "/api/v1/projects", {"name": "No origin"}, expect=401)
    browser.call("POST", "/api/v1/projects", {"name": "Same origin"},
                 headers={"Origin": server.url}, expect=201)
    r = browser.call("DELETE", "/api/v1/sessions/current", headers={"Origin": server.url},
                     expect=204)
    assert "Max-Age=0" in r.headers["Set-Cookie"]
    browser.http.cookies.set("gh_session", api.call(
        "POST", "/api/v1/sessions", {"email": "cookie@example.test", "password": PASSWORD},
        token=False, expect=201).json()["token"])
    browser.call("GET", "/api/v1/accounts/me", expect=200)


# --- Errors -------------------------------------------------------------------------------------


def fixture_objects(api):
    project = api.call("POST", "/api/v1/projects", {"name": "Errors"}, expect=201).json()
    env = project["environments"][0]["id"]
    a = api.call("POST", f"/api/v1/environments/{env}/apis",
                 {"name": "Orders", "identifier": API_ID, "scopes": ["read:orders"]},
                 expect=201).json()
    c = api.call("POST", f"/api/v1/environments/{env}/clients",
                 {"name": "C", "grants": [{"api": API_ID, "scopes": ["read:orders"]}]},
                 expect=201).json()
    w = api.call("POST", f"/api/v1/projects/{project['id']}/webhooks",
                 {"url": "http://127.0.0.1:9/hook"}, expect=201).json()
    return {"project_id": project["id"], "env_id": env, "api_id": a["id"], "client_id": c["id"],
            "webhook_id": w["id"], "block_id": "blk_" + "0" * 20}


def concrete(template, ids):
    return re.sub(r"{(\w+)}", lambda m: ids[m.group(1)], template)


def operations(skip_keys):
    for template, item in SPEC["paths"].items():
        if skip_keys and template in KEY_PATHS:
            continue
        for method, operation in item.items():
            if method.upper() in METHODS:
                yield template, method.upper(), operation


def test_every_authenticated_operation_answers_401_without_a_session(server):
    api = ContractApi(server.url).signup_and_login("auth@example.test")
    ids = fixture_objects(api)
    skip_keys = not keys_implemented(api, ids["env_id"])
    for template, method, operation in operations(skip_keys):
        if operation.get("security", SPEC["security"]) == []:
            continue
        path = concrete(template, ids)
        api.call(method, path, {} if "requestBody" in operation else None, token=False,
                 expect=401)
        api.call(method, path, token=False, headers={"Authorization": "Basic abc"}, expect=401)
        api.call(method, path, token=False, headers={"Authorization": "Bearer not-a-session"},
                 expect=401)


def test_every_operation_on_a_missing_or_foreign_object_answers_404(server):
    owner = ContractApi(server.url).signup_and_login("owner@example.test")
    ids = fixture_objects(owner)
    other = ContractApi(server.url, owner.coverage).signup_and_login("other@example.test")
    skip_keys = not keys_implemented(owner, ids["env_id"])
    bogus = {k: v[:4] + "0" * 20 for k, v in ids.items()}
    bodies = {"/api/v1/projects/{project_id}/environments": {"name": "x"},
              "/api/v1/environments/{env_id}/apis": {"name": "x", "identifier": "urn:x"},
              "/api/v1/environments/{env_id}/clients": {"name": "x"},
              "/api/v1/projects/{project_id}": {"name": "x"},
              "/api/v1/environments/{env_id}/apis/{api_id}": {"name": "x"},
              "/api/v1/environments/{env_id}/clients/{client_id}": {"name": "x"},
              "/api/v1/environments/{env_id}": {"rate_limit": None},
              "/api/v1/projects/{project_id}/webhooks": {"url": "http://127.0.0.1:9/x"}}
    for template, method, operation in operations(skip_keys):
        if "{" not in template:
            continue
        body = bodies.get(template) if method in ("POST", "PATCH") else None
        for caller, values in ((owner, bogus), (other, ids)):
            r = caller.call(method, concrete(template, values), body, expect=404)
            assert r.json() == {"error": "not_found", "message": r.json()["message"]}
    # The foreign objects are still there, unchanged.
    owner.call("GET", concrete("/api/v1/environments/{env_id}/clients/{client_id}", ids),
               expect=200)
    assert other.call("GET", "/api/v1/projects", expect=200).json() == {
        "items": [], "next_cursor": None}


def test_every_operation_with_a_body_answers_415_and_413(server):
    api = ContractApi(server.url).signup_and_login("media@example.test")
    ids = fixture_objects(api)
    skip_keys = not keys_implemented(api, ids["env_id"])
    for template, method, operation in operations(skip_keys):
        if "requestBody" not in operation:
            continue
        path = concrete(template, ids)
        api.call(method, path, data="name=x", headers={"Content-Type": "text/plain"},
                 token=template != "/api/v1/accounts" and template != "/api/v1/sessions",
                 expect=415)
        big = b"{" + b" " * (1024 * 1024 + 10) + b"}"
        api.call(method, path, data=big, headers={"Content-Type": "application/json"},
                 expect=413)
        r = api.call(method, path, data="{not json", headers={"Content-Type": "application/json"},
                     expect=400)
        assert "field" not in r.json()
        api.call(method, path, data="[1]", headers={"Content-Type": "application/json"},
                 expect=400)
        r = api.call(method, path, {"no_such_member": 1}, expect=400)
        assert r.json()["field"] == "no_such_member"
        assert not is_valid_request(template, method, {"no_such_member": 1})


def test_unknown_paths_and_methods(server):
    api = ContractApi(server.url).signup_and_login("paths@example.test")
    ids = fixture_objects(api)
    skip_keys = not keys_implemented(api, ids["env_id"])
    api.call("GET", "/api/v1/nothing-here", expect=404)
    api.call("POST", "/api/v1/projects/x/y/z", {}, expect=404)
    for template, item in SPEC["paths"].items():
        if skip_keys and template in KEY_PATHS:
            continue
        for method in METHODS:
            if method.lower() not in item:
                api.call(method, concrete(template, ids), expect=405)


# (path template, method, body, status, field, the request schema rejects it too)
ERROR_CASES = [
    ("/api/v1/accounts", "POST", {"email": "not-an-email", "password": PASSWORD}, 400, "email",
     False),
    ("/api/v1/accounts", "POST", {"email": "a@b.test", "password": "short"}, 400, "password", True),
    ("/api/v1/accounts", "POST", {"email": "a@b.test"}, 400, "password", True),
    ("/api/v1/accounts", "POST", {"email": 7, "password": PASSWORD}, 400, "email", True),
    ("/api/v1/accounts", "POST", {"email": "errors@example.test", "password": PASSWORD}, 409,
     "email", False),
    ("/api/v1/sessions", "POST", {"email": "errors@example.test"}, 400, "password", True),
    ("/api/v1/sessions", "POST", {"email": "errors@example.test", "password": "wrong password!"},
     401, None, False),
    ("/api/v1/projects", "POST", {"name": ""}, 400, "name", True),
    ("/api/v1/projects", "POST", {"name": "x" * 101}, 400, "name", True),
    ("/api/v1/projects", "POST", {}, 400, "name", True),
    ("/api/v1/projects", "POST", {"name": "ok", "environments": []}, 400, "environments", True),
    ("/api/v1/projects", "POST", {"name": "ok", "environments": ["a", "A"]}, 400, "environments",
     False),
    ("/api/v1/projects", "POST", {"name": "ok", "environments": ["e"] * 21}, 400, "environments",
     True),
    ("/api/v1/projects", "POST", {"name": "ok", "description": "d" * 1001}, 400, "description",
     True),
    ("/api/v1/projects/{project_id}", "PATCH", {"environments": ["x"]}, 400, "environments", True),
    ("/api/v1/projects/{project_id}/environments", "POST", {}, 400, "name", True),
    ("/api/v1/projects/{project_id}/environments", "POST", {"name": "Development"}, 409, "name",
     False),
    ("/api/v1/projects?limit=0", "GET", None, 400, "limit", None),
    ("/api/v1/projects?limit=201", "GET", None, 400, "limit", None),
    ("/api/v1/projects?limit=ten", "GET", None, 400, "limit", None),
    ("/api/v1/projects?cursor=zzz", "GET", None, 400, "cursor", None),
    ("/api/v1/environments/{env_id}/apis?limit=0", "GET", None, 400, "limit", None),
    ("/api/v1/environments/{env_id}/clients?cursor=abc", "GET", None, 400, "cursor", None),
    ("/api/v1/environments/{env_id}/apis", "POST", {"name": "A"}, 400, "identifier", True),
    ("/api/v1/environments/{env_id}/apis", "POST", {"name": "A", "identifier": "has space"}, 400,
     "identifier", True),
    ("/api/v1/environments/{env_id}/apis", "POST",
     {"name": "A", "identifier": "urn:a", "scopes": [{"name": "bad scope"}]}, 400, "scopes", True),
    ("/api/v1/environments/{env_id}/apis", "POST",
     {"name": "A", "identifier": "urn:a", "scopes": [{"name": "s", "x": 1}]}, 400, "scopes", True),
    ("/api/v1/environments/{env_id}/apis", "POST",
     {"name": "A", "identifier": "urn:a", "scopes": ["r", "r"]}, 400, "scopes", False),
    ("/api/v1/environments/{env_id}/apis", "POST",
     {"name": "A", "identifier": "urn:a", "token_lifetime": 86401}, 400, "token_lifetime", True),
    ("/api/v1/environments/{env_id}/apis", "POST",
     {"name": "A", "identifier": "urn:a", "token_lifetime": "60"}, 400, "token_lifetime", True),
    ("/api/v1/environments/{env_id}/apis", "POST",
     {"name": "A", "identifier": "urn:a", "signing_alg": "HS256"}, 400, "signing_alg", True),
    ("/api/v1/environments/{env_id}/apis", "POST", {"name": "Dup", "identifier": API_ID}, 409,
     "identifier", False),
    ("/api/v1/environments/{env_id}/apis/{api_id}", "PATCH", {"identifier": "urn:other"}, 400,
     "identifier", False),
    ("/api/v1/environments/{env_id}/clients", "POST",
     {"name": "C", "token_endpoint_auth_method": "none"}, 400, "token_endpoint_auth_method", True),
    ("/api/v1/environments/{env_id}/clients", "POST",
     {"name": "C", "grants": [{"api": "urn:nope", "scopes": ["r"]}]}, 400, "grants", False),
    ("/api/v1/environments/{env_id}/clients", "POST",
     {"name": "C", "grants": [{"api": API_ID, "scopes": []}]}, 400, "grants", True),
    ("/api/v1/environments/{env_id}/clients", "POST",
     {"name": "C", "grants": [{"api": API_ID}]}, 400, "grants", True),
    ("/api/v1/environments/{env_id}/clients", "POST", {"name": "C", "enabled": "yes"}, 400,
     "enabled", True),
    ("/api/v1/environments/{env_id}/clients/{client_id}", "PATCH", {"name": " "}, 400, "name",
     False),
    ("/api/v1/environments/{env_id}/clients/{client_id}/secrets", "POST",
     {"previous_secret_ttl": -1}, 400, "previous_secret_ttl", True),
    ("/api/v1/environments/{env_id}/clients/{client_id}/secrets", "POST",
     {"previous_secret_ttl": 2592001}, 400, "previous_secret_ttl", True),
]


def test_error_answers_match_the_document(server):
    api = ContractApi(server.url).signup_and_login("errors@example.test")
    ids = fixture_objects(api)
    ids["project_id"] = api.call("POST", "/api/v1/projects", {"name": "E2"},
                                 expect=201).json()["id"]
    for template, method, body, status, field, schema_rejects in ERROR_CASES:
        r = api.call(method, concrete(template, ids), body, expect=status)
        if field is None:
            assert "field" not in r.json(), r.text
        else:
            assert r.json()["field"] == field, (template, body, r.text)
            if status == 400:
                assert r.json()["message"].startswith(field + ":"), r.text
        if schema_rejects is not None:
            path_template = template.split("?")[0]
            assert is_valid_request(path_template, method, body) is not schema_rejects, (
                f"the document's request schema of {method} {path_template} "
                f"{'accepts' if schema_rejects else 'rejects'} {body}")


# --- Signing keys -------------------------------------------------------------------------------


def test_signing_keys_match_the_document(server):
    api = ContractApi(server.url).signup_and_login("keys@example.test")
    project = api.call("POST", "/api/v1/projects", {"name": "Keys"}, expect=201).json()
    env_id = project["environments"][0]["id"]
    if not keys_implemented(api, env_id):
        pytest.skip("the signing keys endpoints are not in this build yet")
    env = f"/api/v1/environments/{env_id}"
    empty = api.call("GET", f"{env}/keys", expect=200).json()
    assert empty["next_cursor"] is None
    api.call("POST", f"{env}/apis", {"name": "A", "identifier": "urn:a"}, expect=201)
    api.call("POST", f"{env}/apis", {"name": "B", "identifier": "urn:b", "signing_alg": "EdDSA"},
             expect=201)

    def by_state(keys, alg):
        out = {}
        for k in sorted(keys, key=lambda k: k["kid"]):
            if k["alg"] == alg:
                out.setdefault(k["state"], []).append(k)
        return out

    def kids(keys, alg):
        return {state: [k["kid"] for k in ks] for state, ks in by_state(keys, alg).items()}

    keys = api.call("GET", f"{env}/keys", expect=200).json()["items"]
    assert {k["alg"] for k in keys} == {"ES256", "EdDSA"}
    assert len({k["kid"] for k in keys}) == len(keys)
    for alg in ("ES256", "EdDSA"):
        s = by_state(keys, alg)
        assert len(s["current"]) == 1 and len(s["next"]) == 1 and "previous" not in s, keys
        assert s["current"][0]["activated_at"] and s["next"][0]["activated_at"] is None
        assert s["current"][0]["retired_at"] is None and s["current"][0]["expires_at"] is None
    before = kids(keys, "ES256")

    after = api.call("POST", f"{env}/keys/rotate", {"alg": "ES256"}, expect=200).json()["items"]
    s = by_state(after, "ES256")
    assert kids(after, "ES256")["current"] == before["next"]
    assert kids(after, "ES256")["previous"] == before["current"]
    assert s["previous"][0]["retired_at"] and s["previous"][0]["expires_at"]
    assert s["current"][0]["activated_at"]
    assert kids(after, "ES256")["next"][0] not in before["current"] + before["next"]
    assert kids(after, "EdDSA") == kids(keys, "EdDSA")  # only ES256 rotated

    everything = api.call("POST", f"{env}/keys/rotate", expect=200).json()["items"]
    assert kids(everything, "EdDSA")["current"] == kids(keys, "EdDSA")["next"]
    assert len(kids(everything, "ES256")["previous"]) == 2
    listed = api.call("GET", f"{env}/keys", expect=200).json()["items"]
    assert sorted(listed, key=lambda k: k["kid"]) == sorted(everything, key=lambda k: k["kid"])
    api.call("POST", f"{env}/keys/rotate", {}, expect=200)

    for body, field in (({"alg": "RS256"}, "alg"), ({"alg": "HS256"}, "alg"),
                        ({"alg": 1}, "alg"), ({"kid": "x"}, "kid")):
        r = api.call("POST", f"{env}/keys/rotate", body, expect=400)
        assert r.json()["field"] == field, r.text
    assert not is_valid_request("/api/v1/environments/{env_id}/keys/rotate", "POST",
                                {"alg": "HS256"})
    api.call("POST", f"{env}/keys/rotate", data="alg=ES256",
             headers={"Content-Type": "application/x-www-form-urlencoded"}, expect=415)

    other = ContractApi(server.url).signup_and_login("keys-other@example.test")
    other.call("GET", f"{env}/keys", expect=404)
    other.call("POST", f"{env}/keys/rotate", {"alg": "ES256"}, expect=404)
    api.call("GET", f"{env}/keys", token=False, expect=401)
    api.call("POST", f"{env}/keys/rotate", token=False, expect=401)
    api.call("PUT", f"{env}/keys", expect=405)
    api.call("GET", f"{env}/keys/rotate", expect=405)
    # Nothing secret in the answer.
    text = api.call("GET", f"{env}/keys", expect=200).text
    assert '"d"' not in text and "PRIVATE" not in text and "sealed" not in text
