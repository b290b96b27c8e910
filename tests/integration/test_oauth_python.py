"""The token service against the real binary with real Python OAuth and JOSE libraries.

authlib gets tokens (client_secret_basic and client_secret_post) and calls introspection and
revocation; PyJWT and jwcrypto verify the JWTs locally against the environment's JWKS for every
signing algorithm; plain requests drive the RFC 6749 section 5.2 error table, the verify endpoint,
revocation, key and secret rotation, and a restart.

Run from the repository root with Debian's python3:
    GATEHOUSE_BIN=build/gatehouse /usr/bin/python3 -m pytest -q tests/integration/test_oauth_python.py
"""

import base64
import hashlib
import hmac
import json
import time

import jwt as pyjwt
import pytest
import requests
from authlib.integrations.requests_client import OAuth2Session
from jwcrypto import jwk as jcjwk
from jwcrypto import jwt as jcjwt

from harness import Api

API_ID = "https://orders.example.test"
OTHER_API_ID = "https://inventory.example.test"
ALGS = ["ES256", "EdDSA", "RS256", "PS256"]
HTTP_TIMEOUT = 10


# ---------------------------------------------------------------------------------------------
# Helpers (each one is a plain HTTP call against the contract; nothing reads the database).


def metadata(issuer):
    r = requests.get(issuer + "/.well-known/oauth-authorization-server", timeout=HTTP_TIMEOUT)
    assert r.status_code == 200, (r.status_code, r.text)
    return r.json()


def token_request(issuer, client=None, method=None, data=None, **kw):
    """POST to {issuer}/token; `client` is (client_id, secret), sent per `method`."""
    form = {"grant_type": "client_credentials"}
    form.update(data or {})
    form = {k: v for k, v in form.items() if v is not None}
    auth = None
    if client is not None:
        if method == "client_secret_post":
            form["client_id"], form["client_secret"] = client
        else:
            auth = client
    return requests.post(issuer + "/token", data=form, auth=auth, timeout=HTTP_TIMEOUT, **kw)


def get_token(issuer, client, method="client_secret_basic", **params):
    r = token_request(issuer, client, method, params)
    assert r.status_code == 200, (r.status_code, r.text)
    return r.json()["access_token"]


def creds(created):
    """(client_id, client_secret) of a created client or of an API's introspection credentials."""
    if "credentials" in created:
        return created["credentials"]["client_id"], created["credentials"]["client_secret"]
    return created["client_id"], created["client_secret"]


def verify(issuer, token, audience, scope=None, method="GET"):
    params = {"audience": audience}
    if scope is not None:
        params["scope"] = scope
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    return requests.request(method, issuer + "/verify", params=params, headers=headers,
                            timeout=HTTP_TIMEOUT)


def introspect(issuer, token, auth):
    return requests.post(issuer + "/introspect", data={"token": token}, auth=auth,
                         timeout=HTTP_TIMEOUT)


def revoke(issuer, token, auth):
    return requests.post(issuer + "/revoke", data={"token": token}, auth=auth,
                         timeout=HTTP_TIMEOUT)


def jwks(issuer):
    r = requests.get(issuer + "/jwks.json", timeout=HTTP_TIMEOUT)
    assert r.status_code == 200, (r.status_code, r.text)
    return r.json()


def b64json(segment):
    return json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))


def header_of(token):
    return b64json(token.split(".")[0])


def claims_of(token):
    return b64json(token.split(".")[1])


def pyjwt_decode(issuer, token, audience, algorithms=None, jwk_client=None):
    """Local verification as a resource server would do it: PyJWKClient on the jwks_uri."""
    jwk_client = jwk_client or pyjwt.PyJWKClient(metadata(issuer)["jwks_uri"])
    key = jwk_client.get_signing_key_from_jwt(token)
    return pyjwt.decode(token, key.key, algorithms=algorithms or ALGS, audience=audience,
                        issuer=issuer, options={"require": ["exp", "iat", "iss", "aud", "sub"]})


def assert_invalid_token(r):
    assert r.status_code == 401, (r.status_code, r.text)
    www = r.headers.get("WWW-Authenticate", "")
    assert www.startswith("Bearer"), www
    assert 'error="invalid_token"' in www, www


def assert_inactive(r):
    assert r.status_code == 200, (r.status_code, r.text)
    assert r.json() == {"active": False}, r.text


def assert_no_store(r):
    assert "no-store" in r.headers.get("Cache-Control", ""), dict(r.headers)
    assert r.headers.get("Pragma") == "no-cache", dict(r.headers)


def client_path(env_id, client):
    return f"/api/v1/environments/{env_id}/clients/{client['id']}"


# ---------------------------------------------------------------------------------------------
# Fixtures: one project with development and production, an Orders and an Inventory API in
# production, a basic client granted both Orders scopes, a post client granted read only.


class World:
    pass


@pytest.fixture
def world(server, api):
    w = World()
    w.server, w.api = server, api
    w.project = api.create_project("Acme Payments")
    dev, prod = w.project["environments"]
    w.dev_env, w.env = dev["id"], prod["id"]
    w.dev_issuer, w.issuer = dev["issuer"], prod["issuer"]
    w.orders = api.create_api(w.env, API_ID)
    w.inventory = api.create_api(w.env, OTHER_API_ID, scopes=("read:stock",), name="Inventory")
    w.basic = api.create_client(w.env, [{"api": API_ID, "scopes": ["read:orders", "write:orders"]}])
    w.post = api.create_client(w.env, [{"api": API_ID, "scopes": ["read:orders"]}],
                               name="Reporting", token_endpoint_auth_method="client_secret_post")
    w.both = api.create_client(w.env, [{"api": API_ID, "scopes": ["read:orders"]},
                                       {"api": OTHER_API_ID, "scopes": ["read:stock"]}],
                               name="Warehouse")
    return w


# ---------------------------------------------------------------------------------------------
# Metadata (RFC 8414).


def test_metadata_at_both_locations(world):
    s, issuer = world.server, world.issuer
    assert issuer == f"{s.url}/oauth/acme-payments/production"
    inserted = requests.get(s.url + "/.well-known/oauth-authorization-server"
                            "/oauth/acme-payments/production", timeout=HTTP_TIMEOUT)
    appended = requests.get(issuer + "/.well-known/oauth-authorization-server",
                            timeout=HTTP_TIMEOUT)
    for r in (inserted, appended):
        assert r.status_code == 200, (r.url, r.status_code, r.text)
        assert r.headers["Content-Type"].startswith("application/json")
    m = inserted.json()
    assert appended.json() == m
    assert m["issuer"] == issuer
    assert m["token_endpoint"] == issuer + "/token"
    assert m["introspection_endpoint"] == issuer + "/introspect"
    assert m["revocation_endpoint"] == issuer + "/revoke"
    assert m["jwks_uri"] == issuer + "/jwks.json"
    assert m["verify_endpoint"] == issuer + "/verify"
    assert m["grant_types_supported"] == ["client_credentials"]
    assert sorted(m["token_endpoint_auth_methods_supported"]) == [
        "client_secret_basic", "client_secret_post"]
    # No private_key_jwt yet, so no signing algorithms for client authentication.
    assert "token_endpoint_auth_signing_alg_values_supported" not in m
    assert "client_secret_basic" in m["introspection_endpoint_auth_methods_supported"]
    assert "client_secret_basic" in m["revocation_endpoint_auth_methods_supported"]
    assert {"read:orders", "write:orders", "read:stock"} <= set(m["scopes_supported"])
    assert m["response_types_supported"] == []
    # The development environment is its own authorization server.
    d = metadata(world.dev_issuer)
    assert d["issuer"] == world.dev_issuer and d["jwks_uri"] == world.dev_issuer + "/jwks.json"


@pytest.mark.parametrize("path", [
    "/oauth/acme-payments/staging",
    "/oauth/no-such-project/production",
    "/oauth/acme-payments",
])
def test_metadata_of_unknown_issuer_is_404(world, path):
    s = world.server
    for url in (s.url + "/.well-known/oauth-authorization-server" + path,
                s.url + path + "/.well-known/oauth-authorization-server"):
        r = requests.get(url, timeout=HTTP_TIMEOUT)
        assert r.status_code == 404, (url, r.status_code, r.text)
    for endpoint in ("/jwks.json", "/token", "/verify", "/introspect", "/revoke"):
        method = "GET" if endpoint in ("/jwks.json", "/verify") else "POST"
        r = requests.request(method, s.url + path + endpoint, timeout=HTTP_TIMEOUT)
        assert r.status_code == 404, (endpoint, r.status_code, r.text)


# ---------------------------------------------------------------------------------------------
# authlib: client_credentials with both client authentication methods.


def test_authlib_client_secret_basic(world):
    m = metadata(world.issuer)
    client_id, secret = creds(world.basic)
    with OAuth2Session(client_id, secret, token_endpoint_auth_method="client_secret_basic") as s:
        sent = []
        s.hooks["response"].append(lambda r, *a, **k: sent.append(r))
        tok = s.fetch_token(m["token_endpoint"], grant_type="client_credentials", audience=API_ID)
    assert tok["token_type"] == "Bearer"
    assert tok["expires_in"] == 3600
    assert sorted(tok["scope"].split()) == ["read:orders", "write:orders"]
    assert set(tok) >= {"access_token", "token_type", "expires_in", "scope"}
    assert "refresh_token" not in tok  # RFC 6749 4.4.3: SHOULD NOT be included
    request = sent[0].request
    assert request.headers["Authorization"].startswith("Basic ")
    assert "client_secret" not in request.body
    assert_no_store(sent[0])
    assert sent[0].headers["Content-Type"].startswith("application/json")
    claims = pyjwt_decode(world.issuer, tok["access_token"], API_ID)
    assert claims["client_id"] == client_id


def test_authlib_client_secret_post(world):
    m = metadata(world.issuer)
    client_id, secret = creds(world.post)
    assert world.post["token_endpoint_auth_method"] == "client_secret_post"
    with OAuth2Session(client_id, secret, token_endpoint_auth_method="client_secret_post") as s:
        sent = []
        s.hooks["response"].append(lambda r, *a, **k: sent.append(r))
        tok = s.fetch_token(m["token_endpoint"], grant_type="client_credentials",
                            resource=API_ID, scope="read:orders")
    request = sent[0].request
    assert "Authorization" not in request.headers
    assert "client_secret=" in request.body
    assert tok["token_type"] == "Bearer" and tok["scope"] == "read:orders"
    claims = pyjwt_decode(world.issuer, tok["access_token"], API_ID)
    assert claims["sub"] == client_id and claims["scope"] == "read:orders"


def test_authlib_token_then_calls_a_protected_resource(world):
    """The session puts the token in Authorization: Bearer; the verify endpoint accepts it."""
    client_id, secret = creds(world.basic)
    with OAuth2Session(client_id, secret) as s:
        s.fetch_token(world.issuer + "/token", grant_type="client_credentials", audience=API_ID)
        r = s.get(world.issuer + "/verify", params={"audience": API_ID}, timeout=HTTP_TIMEOUT)
    assert r.status_code == 200, r.text
    assert r.json()["client_id"] == client_id


# ---------------------------------------------------------------------------------------------
# The JWT for every signing algorithm, verified by PyJWT and jwcrypto against the JWKS.


KTY = {"ES256": ("EC", "P-256"), "EdDSA": ("OKP", "Ed25519"), "RS256": ("RSA", None),
       "PS256": ("RSA", None)}


@pytest.mark.parametrize("alg", ALGS)
def test_jwt_for_every_algorithm(server, api, alg):
    project = api.create_project("Algorithms")
    env = project["environments"][1]
    issuer = env["issuer"]
    identifier = f"https://{alg.lower()}.example.test/api"
    created = api.create_api(env["id"], identifier, scopes=("read:a", "write:a"),
                             signing_alg=alg, token_lifetime=900)
    assert created["signing_alg"] == alg
    client = api.create_client(env["id"], [{"api": identifier, "scopes": ["read:a", "write:a"]}])

    before = int(time.time())
    r = token_request(issuer, creds(client), data={"audience": identifier, "scope": "read:a"})
    after = int(time.time())
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["token_type"] == "Bearer" and body["expires_in"] == 900
    assert body["scope"] == "read:a"
    token = body["access_token"]

    # Header: RFC 9068 section 2.1.
    header = header_of(token)
    assert header["alg"] == alg
    assert header["typ"] == "at+jwt"
    assert isinstance(header["kid"], str) and header["kid"]
    assert set(header) <= {"alg", "typ", "kid"}, header

    # The JWKS: public keys only, the token's kid among them, with its alg.
    r = requests.get(issuer + "/jwks.json", timeout=HTTP_TIMEOUT)
    assert r.status_code == 200
    assert "max-age=" in r.headers.get("Cache-Control", ""), dict(r.headers)
    assert r.headers["Content-Type"].startswith("application/json") or \
        r.headers["Content-Type"].startswith("application/jwk-set+json")
    keys = r.json()["keys"]
    assert keys
    for k in keys:
        assert not {"d", "p", "q", "dp", "dq", "qi", "oth", "k"} & set(k), k
        assert k["use"] == "sig" and k["kid"] and k["alg"] in ALGS, k
        # kid is the RFC 7638 thumbprint of the public key.
        assert jcjwk.JWK(**k).thumbprint() == k["kid"], k
    assert len({k["kid"] for k in keys}) == len(keys)
    key = next(k for k in keys if k["kid"] == header["kid"])
    assert key["alg"] == alg
    kty, crv = KTY[alg]
    assert key["kty"] == kty
    if crv:
        assert key["crv"] == crv
    else:
        modulus = base64.urlsafe_b64decode(key["n"] + "=" * (-len(key["n"]) % 4))
        assert len(modulus) * 8 >= 2048

    # PyJWT, the way a resource server does it.
    claims = pyjwt_decode(issuer, token, identifier, algorithms=[alg])
    assert claims["iss"] == issuer
    assert claims["sub"] == client["client_id"]
    assert claims["client_id"] == client["client_id"]
    assert claims["aud"] in (identifier, [identifier])
    assert before - 1 <= claims["iat"] <= after + 1
    assert claims["exp"] == claims["iat"] + 900
    assert claims["scope"] == "read:a"
    assert isinstance(claims["jti"], str) and len(claims["jti"]) >= 22  # >= 128 bits
    assert set(claims) >= {"iss", "sub", "client_id", "aud", "iat", "exp", "jti", "scope"}
    # PyJWT refuses the wrong audience or issuer, and an algorithm not allowed.
    with pytest.raises(pyjwt.InvalidAudienceError):
        pyjwt_decode(issuer, token, "https://other.example.test", algorithms=[alg])
    jwk_client = pyjwt.PyJWKClient(issuer + "/jwks.json")
    signing_key = jwk_client.get_signing_key_from_jwt(token).key
    with pytest.raises(pyjwt.InvalidIssuerError):
        pyjwt.decode(token, signing_key, algorithms=[alg], audience=identifier,
                     issuer=issuer + "x")
    other_alg = "ES256" if alg != "ES256" else "EdDSA"
    with pytest.raises(pyjwt.InvalidAlgorithmError):
        pyjwt.decode(token, signing_key, algorithms=[other_alg], audience=identifier)

    # jwcrypto with the whole key set, picking the key by kid.
    keyset = jcjwk.JWKSet.from_json(json.dumps({"keys": keys}))
    verified = jcjwt.JWT(jwt=token, key=keyset, algs=[alg],
                         check_claims={"iss": issuer, "aud": identifier, "exp": None})
    assert json.loads(verified.claims) == claims
    assert verified.token.jose_header["typ"] == "at+jwt"

    # Every token has its own jti.
    again = get_token(issuer, creds(client), audience=identifier)
    assert claims_of(again)["jti"] != claims["jti"]
    assert sorted(claims_of(again)["scope"].split()) == ["read:a", "write:a"]

    # The verify endpoint agrees.
    r = verify(issuer, token, identifier)
    assert r.status_code == 200, r.text
    assert r.json()["jti"] == claims["jti"]


def test_tampered_tokens_are_refused(world):
    token = get_token(world.issuer, creds(world.basic), audience=API_ID)
    h, p, sig = token.split(".")
    claims = claims_of(token)
    forged_claims = dict(claims, scope="read:orders write:orders admin")
    forged_p = base64.urlsafe_b64encode(json.dumps(forged_claims).encode()).rstrip(b"=").decode()
    none_h = base64.urlsafe_b64encode(json.dumps(
        {"alg": "none", "typ": "at+jwt", "kid": header_of(token)["kid"]}).encode()
    ).rstrip(b"=").decode()
    flipped = sig[:-2] + ("A" if sig[-2] != "A" else "B") + sig[-1]
    kid = header_of(token)["kid"]
    public = next(k for k in jwks(world.issuer)["keys"] if k["kid"] == kid)

    def b64(raw):
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()

    def with_header(**fields):
        return b64(json.dumps({"typ": "at+jwt", "kid": kid, **fields}).encode())

    # alg confusion: HS256 keyed with the public JWK, and the ES256 signature under other algs.
    hs_h = with_header(alg="HS256")
    hs_sig = b64(hmac.new(json.dumps(public).encode(), f"{hs_h}.{p}".encode(),
                          hashlib.sha256).digest())
    confused = [f"{hs_h}.{p}.{hs_sig}"] + [f"{with_header(alg=a)}.{p}.{sig}"
                                          for a in ("RS256", "PS256", "EdDSA", "ES384")]
    wrong_typ = [f"{b64(json.dumps({'alg': 'ES256', 'kid': kid, 'typ': 'JWT'}).encode())}.{p}.{sig}",
                 f"{b64(json.dumps({'alg': 'ES256', 'kid': kid}).encode())}.{p}.{sig}"]
    for bad in (f"{h}.{forged_p}.{sig}", f"{h}.{p}.{flipped}", f"{none_h}.{p}.",
                f"{h}.{p}", "garbage", token + "x", *confused, *wrong_typ):
        assert_invalid_token(verify(world.issuer, bad, API_ID))
        assert_inactive(introspect(world.issuer, bad, creds(world.orders)))
    assert verify(world.issuer, token, API_ID).status_code == 200


# ---------------------------------------------------------------------------------------------
# RFC 6749 section 5.2: every error that applies, table-driven.


def _basic_header(user, password):
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


# (name, builder(world) -> dict(kwargs for requests.post), statuses, errors)
ERROR_CASES = [
    ("missing grant_type",
     lambda w: dict(data={"audience": API_ID}, auth=creds(w.basic)), {400}, {"invalid_request"}),
    ("grant_type password",
     lambda w: dict(data={"grant_type": "password", "username": "u", "password": "p"},
                    auth=creds(w.basic)), {400}, {"unsupported_grant_type"}),
    ("grant_type authorization_code",
     lambda w: dict(data={"grant_type": "authorization_code", "code": "x"}, auth=creds(w.basic)),
     {400}, {"unsupported_grant_type"}),
    ("grant_type refresh_token",
     lambda w: dict(data={"grant_type": "refresh_token", "refresh_token": "x"},
                    auth=creds(w.basic)), {400}, {"unsupported_grant_type"}),
    ("duplicate grant_type",
     lambda w: dict(data=[("grant_type", "client_credentials"),
                          ("grant_type", "client_credentials"), ("audience", API_ID)],
                    auth=creds(w.basic)), {400}, {"invalid_request"}),
    ("duplicate audience",
     lambda w: dict(data=[("grant_type", "client_credentials"), ("audience", API_ID),
                          ("audience", API_ID)], auth=creds(w.basic)), {400}, {"invalid_request"}),
    ("duplicate scope",
     lambda w: dict(data=[("grant_type", "client_credentials"), ("audience", API_ID),
                          ("scope", "read:orders"), ("scope", "read:orders")],
                    auth=creds(w.basic)), {400}, {"invalid_request"}),
    ("audience and resource naming different APIs",
     lambda w: dict(data={"grant_type": "client_credentials", "audience": API_ID,
                          "resource": OTHER_API_ID}, auth=creds(w.both)),
     {400}, {"invalid_request", "invalid_target"}),
    ("wrong secret",
     lambda w: dict(data={"grant_type": "client_credentials", "audience": API_ID},
                    auth=(w.basic["client_id"], "x" * 43)), {401}, {"invalid_client"}),
    ("unknown client",
     lambda w: dict(data={"grant_type": "client_credentials", "audience": API_ID},
                    auth=("no-such-client", w.basic["client_secret"])), {401}, {"invalid_client"}),
    ("no client authentication",
     lambda w: dict(data={"grant_type": "client_credentials", "audience": API_ID}),
     {401}, {"invalid_client"}),
    ("client_id without secret in the body",
     lambda w: dict(data={"grant_type": "client_credentials", "audience": API_ID,
                          "client_id": w.post["client_id"]}), {401}, {"invalid_client"}),
    ("basic client authenticating with post",
     lambda w: dict(data={"grant_type": "client_credentials", "audience": API_ID,
                          "client_id": w.basic["client_id"],
                          "client_secret": w.basic["client_secret"]}), {401}, {"invalid_client"}),
    ("post client authenticating with basic",
     lambda w: dict(data={"grant_type": "client_credentials", "audience": API_ID},
                    auth=creds(w.post)), {401}, {"invalid_client"}),
    ("both basic and post",
     lambda w: dict(data={"grant_type": "client_credentials", "audience": API_ID,
                          "client_id": w.post["client_id"],
                          "client_secret": w.post["client_secret"]},
                    auth=creds(w.post)), {400}, {"invalid_request"}),
    ("malformed Basic header",
     lambda w: dict(data={"grant_type": "client_credentials", "audience": API_ID},
                    headers={"Authorization": "Basic !!!not-base64!!!"}),
     {400, 401}, {"invalid_request", "invalid_client"}),
    ("Basic header without a colon",
     lambda w: dict(data={"grant_type": "client_credentials", "audience": API_ID},
                    headers={"Authorization": "Basic " + base64.b64encode(
                        w.basic["client_id"].encode()).decode()}),
     {400, 401}, {"invalid_request", "invalid_client"}),
    ("client of another environment",
     lambda w: dict(data={"grant_type": "client_credentials"}, auth=creds(w.dev_client)),
     {401}, {"invalid_client"}),
    ("API credentials cannot get tokens",
     lambda w: dict(data={"grant_type": "client_credentials", "audience": API_ID},
                    auth=creds(w.orders)), {400, 401}, {"invalid_client", "unauthorized_client"}),
    ("unknown audience",
     lambda w: dict(data={"grant_type": "client_credentials", "audience": "https://nope.test"},
                    auth=creds(w.basic)), {400}, {"invalid_target"}),
    ("unknown resource",
     lambda w: dict(data={"grant_type": "client_credentials", "resource": "https://nope.test"},
                    auth=creds(w.basic)), {400}, {"invalid_target"}),
    ("API of the environment not granted to the client",
     lambda w: dict(data={"grant_type": "client_credentials", "audience": OTHER_API_ID},
                    auth=creds(w.basic)), {400}, {"invalid_target"}),
    ("API of another environment",
     lambda w: dict(data={"grant_type": "client_credentials", "audience": "https://dev-only.test"},
                    auth=creds(w.basic)), {400}, {"invalid_target"}),
    ("audience omitted with two APIs granted",
     lambda w: dict(data={"grant_type": "client_credentials"}, auth=creds(w.both)),
     {400}, {"invalid_request", "invalid_target"}),
    ("scope unknown",
     lambda w: dict(data={"grant_type": "client_credentials", "audience": API_ID,
                          "scope": "admin"}, auth=creds(w.basic)), {400}, {"invalid_scope"}),
    ("scope of the API but not granted",
     lambda w: dict(data={"grant_type": "client_credentials", "audience": API_ID,
                          "scope": "read:orders write:orders"}, auth=creds(w.both)),
     {400}, {"invalid_scope"}),
    ("scope of another granted API",
     lambda w: dict(data={"grant_type": "client_credentials", "audience": API_ID,
                          "scope": "read:stock"}, auth=creds(w.both)), {400}, {"invalid_scope"}),
    ("JSON body",
     lambda w: dict(json={"grant_type": "client_credentials", "audience": API_ID},
                    auth=creds(w.basic)), {400, 415}, {"invalid_request", None}),
    ("text body",
     lambda w: dict(data="grant_type=client_credentials",
                    headers={"Content-Type": "text/plain",
                             "Authorization": _basic_header(*creds(w.basic))}),
     {400, 415}, {"invalid_request", None}),
]


@pytest.mark.parametrize("name,build,statuses,errors", ERROR_CASES,
                         ids=[c[0] for c in ERROR_CASES])
def test_token_endpoint_errors(world, name, build, statuses, errors):
    world.api.create_api(world.dev_env, "https://dev-only.test")
    world.dev_client = world.api.create_client(
        world.dev_env, [{"api": "https://dev-only.test", "scopes": ["read:orders"]}])
    r = requests.post(world.issuer + "/token", timeout=HTTP_TIMEOUT, **build(world))
    assert r.status_code in statuses, (name, r.status_code, r.text)
    if r.status_code == 415 and None in errors:
        return  # a non-form body may be refused at the media type
    assert r.headers["Content-Type"].startswith("application/json"), dict(r.headers)
    body = r.json()
    assert body["error"] in errors, (name, body)
    assert isinstance(body.get("error_description", ""), str)
    assert "access_token" not in body
    assert_no_store(r)
    if r.status_code == 401:
        www = r.headers.get("WWW-Authenticate", "")
        assert www, f"{name}: 401 without WWW-Authenticate"
        if build(world).get("auth") or "Authorization" in build(world).get("headers", {}):
            assert www.lower().startswith("basic"), www  # RFC 6749 5.2: the scheme used


def test_token_endpoint_refuses_other_methods(world):
    for method in ("GET", "PUT", "DELETE"):
        r = requests.request(method, world.issuer + "/token", auth=creds(world.basic),
                             params={"grant_type": "client_credentials"}, timeout=HTTP_TIMEOUT)
        assert r.status_code == 405, (method, r.status_code, r.text)
        assert "access_token" not in r.text


def test_error_bodies_are_the_same_for_unknown_client_and_wrong_secret(world):
    """No oracle telling which client_ids exist."""
    wrong = token_request(world.issuer, (world.basic["client_id"], "y" * 43))
    unknown = token_request(world.issuer, ("c_doesnotexist", "y" * 43))
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()


# ---------------------------------------------------------------------------------------------
# Scopes, audience and resource.


def test_scope_subset_and_default(world):
    c = creds(world.basic)
    cases = [(None, {"read:orders", "write:orders"}),
             ("read:orders", {"read:orders"}),
             ("write:orders", {"write:orders"}),
             ("write:orders read:orders", {"read:orders", "write:orders"})]
    for asked, granted in cases:
        r = token_request(world.issuer, c, data={"audience": API_ID, "scope": asked})
        assert r.status_code == 200, (asked, r.text)
        assert set(r.json()["scope"].split()) == granted, (asked, r.json())
        assert set(claims_of(r.json()["access_token"])["scope"].split()) == granted


def test_audience_resource_and_default_api(world):
    # Exactly one API granted: audience may be omitted; resource works like audience.
    for params in ({}, {"audience": API_ID}, {"resource": API_ID}):
        token = get_token(world.issuer, creds(world.basic), **params)
        assert claims_of(token)["aud"] in (API_ID, [API_ID]), params
    # Two APIs granted: the API has to be named; each gets its own scopes only.
    stock = get_token(world.issuer, creds(world.both), resource=OTHER_API_ID)
    c = claims_of(stock)
    assert c["aud"] in (OTHER_API_ID, [OTHER_API_ID]) and c["scope"] == "read:stock"
    orders = get_token(world.issuer, creds(world.both), audience=API_ID)
    assert claims_of(orders)["scope"] == "read:orders"
    r = token_request(world.issuer, creds(world.both))
    assert r.status_code == 400 and r.json()["error"] in ("invalid_request", "invalid_target")
    # A token for one API does not pass the verify endpoint for the other.
    assert verify(world.issuer, stock, OTHER_API_ID).status_code == 200
    assert_invalid_token(verify(world.issuer, stock, API_ID))


# ---------------------------------------------------------------------------------------------
# Verify endpoint.


def test_verify_endpoint(world):
    client_id = world.basic["client_id"]
    token = get_token(world.issuer, creds(world.basic), audience=API_ID, scope="read:orders")
    for method in ("GET", "POST"):
        r = verify(world.issuer, token, API_ID, method=method)
        assert r.status_code == 200, (method, r.text)
        body = r.json()
        for k, v in claims_of(token).items():
            assert body.get(k) == v, (k, body)
        assert r.headers["X-Gatehouse-Client-Id"] == client_id
        assert r.headers["X-Gatehouse-Subject"] == client_id
        assert r.headers["X-Gatehouse-Scope"] == "read:orders"
    r = verify(world.issuer, token, API_ID, scope="read:orders")
    assert r.status_code == 200, r.text
    # The auth scheme is case-insensitive (RFC 7235 section 2.1).
    r = requests.get(world.issuer + "/verify", params={"audience": API_ID},
                     headers={"Authorization": f"bearer {token}"}, timeout=HTTP_TIMEOUT)
    assert r.status_code == 200, r.text

    # Missing scope: 403 insufficient_scope, naming the scope needed (RFC 6750 3.1).
    for needed in ("write:orders", "read:orders write:orders"):
        r = verify(world.issuer, token, API_ID, scope=needed)
        assert r.status_code == 403, (needed, r.status_code, r.text)
        www = r.headers.get("WWW-Authenticate", "")
        assert www.startswith("Bearer") and 'error="insufficient_scope"' in www, www

    # Wrong audience, no token, other schemes: 401.
    assert_invalid_token(verify(world.issuer, token, OTHER_API_ID))
    assert_invalid_token(verify(world.issuer, token, "https://nope.test"))
    r = verify(world.issuer, None, API_ID)
    assert r.status_code == 401 and r.headers["WWW-Authenticate"].startswith("Bearer")
    r = requests.get(world.issuer + "/verify", params={"audience": API_ID},
                     headers={"Authorization": _basic_header(*creds(world.basic))},
                     timeout=HTTP_TIMEOUT)
    assert r.status_code == 401 and r.headers["WWW-Authenticate"].startswith("Bearer")


def test_verify_refuses_an_expired_token(world):
    world.api.create_api(world.env, "https://short.example.test", scopes=("s",), token_lifetime=1)
    c = world.api.create_client(world.env, [{"api": "https://short.example.test", "scopes": ["s"]}])
    r = token_request(world.issuer, creds(c))
    assert r.status_code == 200 and r.json()["expires_in"] == 1, r.text
    token = r.json()["access_token"]
    assert claims_of(token)["exp"] == claims_of(token)["iat"] + 1
    deadline = time.monotonic() + 3
    while True:  # the only poll: a 1 s token has to pass its exp (default leeway 0)
        r = verify(world.issuer, token, "https://short.example.test")
        if r.status_code != 200 or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert_invalid_token(r)
    assert_inactive(introspect(world.issuer, token, creds(c)))
    with pytest.raises(pyjwt.ExpiredSignatureError):
        pyjwt_decode(world.issuer, token, "https://short.example.test")


# ---------------------------------------------------------------------------------------------
# Introspection (RFC 7662).


def test_introspection(world):
    token = get_token(world.issuer, creds(world.basic), audience=API_ID)
    claims = claims_of(token)
    m = metadata(world.issuer)

    # By the API's own credentials, and by the token's own client: active.
    for who in (world.orders, world.basic):
        r = introspect(world.issuer, token, creds(who))
        assert r.status_code == 200, r.text
        assert r.headers["Content-Type"].startswith("application/json")
        body = r.json()
        assert body["active"] is True
        assert body["token_type"] == "Bearer"
        for k in ("scope", "client_id", "exp", "iat", "sub", "iss", "jti"):
            assert body[k] == claims[k], (k, body)
        assert body["aud"] in (API_ID, [API_ID])

    # authlib's own introspection call (client_secret_basic).
    with OAuth2Session(*creds(world.orders)) as s:
        r = s.introspect_token(m["introspection_endpoint"], token=token,
                               token_type_hint="access_token")
        assert r.status_code == 200 and r.json()["active"] is True

    # Another client of the environment, the other API's credentials: inactive.
    assert_inactive(introspect(world.issuer, token, creds(world.both)))
    assert_inactive(introspect(world.issuer, token, creds(world.inventory)))
    # A post client introspects in the body.
    r = requests.post(world.issuer + "/introspect",
                      data={"token": token, "client_id": world.post["client_id"],
                            "client_secret": world.post["client_secret"]}, timeout=HTTP_TIMEOUT)
    assert_inactive(r)
    # ... and its own token, active.
    own = get_token(world.issuer, creds(world.post), "client_secret_post")
    r = requests.post(world.issuer + "/introspect",
                      data={"token": own, "client_id": world.post["client_id"],
                            "client_secret": world.post["client_secret"]}, timeout=HTTP_TIMEOUT)
    assert r.status_code == 200 and r.json()["active"] is True, r.text
    assert r.json()["client_id"] == world.post["client_id"]
    # Garbage and unknown tokens: inactive.
    assert_inactive(introspect(world.issuer, "not-a-token", creds(world.orders)))

    # Unauthenticated or badly authenticated: 401 invalid_client.
    for auth in (None, (world.orders["credentials"]["client_id"], "z" * 43)):
        r = introspect(world.issuer, token, auth)
        assert r.status_code == 401, (auth, r.status_code, r.text)
        assert r.json()["error"] == "invalid_client"
        assert r.headers.get("WWW-Authenticate")
    # Missing token parameter: invalid_request.
    r = requests.post(world.issuer + "/introspect", data={}, auth=creds(world.orders),
                      timeout=HTTP_TIMEOUT)
    assert r.status_code == 400 and r.json()["error"] == "invalid_request", r.text


# ---------------------------------------------------------------------------------------------
# Revocation (RFC 7009), revoke-tokens, disabled and deleted clients.


def test_revocation(world):
    keep = get_token(world.issuer, creds(world.basic), audience=API_ID)
    token = get_token(world.issuer, creds(world.basic), audience=API_ID)
    assert verify(world.issuer, token, API_ID).status_code == 200

    # Another client cannot revoke it.
    r = revoke(world.issuer, token, creds(world.both))
    assert r.status_code in (200, 400, 403), r.text
    assert verify(world.issuer, token, API_ID).status_code == 200
    # Unauthenticated: 401 invalid_client.
    r = revoke(world.issuer, token, None)
    assert r.status_code == 401 and r.json()["error"] == "invalid_client", r.text
    assert verify(world.issuer, token, API_ID).status_code == 200

    # Its own client revokes it, with authlib: refused at once everywhere.
    with OAuth2Session(*creds(world.basic)) as s:
        r = s.revoke_token(world.issuer + "/revoke", token=token, token_type_hint="access_token")
    assert r.status_code == 200, r.text
    assert_invalid_token(verify(world.issuer, token, API_ID))
    assert_inactive(introspect(world.issuer, token, creds(world.orders)))
    assert_inactive(introspect(world.issuer, token, creds(world.basic)))
    # Revoking again, or revoking garbage: still 200 (RFC 7009 2.2).
    assert revoke(world.issuer, token, creds(world.basic)).status_code == 200
    assert revoke(world.issuer, "no-such-token", creds(world.basic)).status_code == 200
    # The client's other token is untouched; PyJWT cannot see revocation (by design).
    assert verify(world.issuer, keep, API_ID).status_code == 200
    assert pyjwt_decode(world.issuer, token, API_ID)["jti"] == claims_of(token)["jti"]

    # A post client revokes with its credentials in the body.
    ptoken = get_token(world.issuer, creds(world.post), "client_secret_post")
    with OAuth2Session(*creds(world.post), revocation_endpoint_auth_method="client_secret_post") \
            as s:
        r = s.revoke_token(world.issuer + "/revoke", token=ptoken)
    assert r.status_code == 200, r.text
    assert_invalid_token(verify(world.issuer, ptoken, API_ID))


def test_revoke_tokens_of_a_client(world):
    old = [get_token(world.issuer, creds(world.basic), audience=API_ID) for _ in range(2)]
    other = get_token(world.issuer, creds(world.post), "client_secret_post")
    r = world.api.call("POST", client_path(world.env, world.basic) + "/revoke-tokens")
    assert r.status_code == 204, r.text
    for t in old:
        assert_invalid_token(verify(world.issuer, t, API_ID))
        assert_inactive(introspect(world.issuer, t, creds(world.orders)))
    assert verify(world.issuer, other, API_ID).status_code == 200


def test_token_issued_right_after_revoke_tokens_is_valid(world):
    """revoke-tokens stops tokens issued so far, not the next one (even in the same second)."""
    r = world.api.call("POST", client_path(world.env, world.basic) + "/revoke-tokens")
    assert r.status_code == 204, r.text
    fresh = get_token(world.issuer, creds(world.basic), audience=API_ID)
    r = verify(world.issuer, fresh, API_ID)
    assert r.status_code == 200, (r.status_code, r.headers.get("WWW-Authenticate"))
    assert introspect(world.issuer, fresh, creds(world.orders)).json()["active"] is True


def test_disabled_client(world):
    token = get_token(world.issuer, creds(world.basic), audience=API_ID)
    r = world.api.call("PATCH", client_path(world.env, world.basic), {"enabled": False})
    assert r.status_code == 200 and r.json()["enabled"] is False, r.text
    assert_invalid_token(verify(world.issuer, token, API_ID))
    assert_inactive(introspect(world.issuer, token, creds(world.orders)))
    r = token_request(world.issuer, creds(world.basic), data={"audience": API_ID})
    assert r.status_code == 401 and r.json()["error"] == "invalid_client", r.text
    # Enabled again: it gets tokens again.
    r = world.api.call("PATCH", client_path(world.env, world.basic), {"enabled": True})
    assert r.status_code == 200, r.text
    fresh = get_token(world.issuer, creds(world.basic), audience=API_ID)
    assert verify(world.issuer, fresh, API_ID).status_code == 200


def test_deleted_client(world):
    token = get_token(world.issuer, creds(world.basic), audience=API_ID)
    r = world.api.call("DELETE", client_path(world.env, world.basic))
    assert r.status_code == 204, r.text
    assert_invalid_token(verify(world.issuer, token, API_ID))
    assert_inactive(introspect(world.issuer, token, creds(world.orders)))
    r = token_request(world.issuer, creds(world.basic), data={"audience": API_ID})
    assert r.status_code == 401 and r.json()["error"] == "invalid_client", r.text
    assert r.headers.get("WWW-Authenticate")


def test_deleted_api(world):
    token = get_token(world.issuer, creds(world.basic), audience=API_ID)
    r = world.api.call("DELETE", f"/api/v1/environments/{world.env}/apis/{world.orders['id']}")
    assert r.status_code == 204, r.text
    assert verify(world.issuer, token, API_ID).status_code == 401
    r = token_request(world.issuer, creds(world.basic), data={"audience": API_ID})
    assert r.status_code == 400 and r.json()["error"] == "invalid_target", r.text
    r = introspect(world.issuer, token, creds(world.orders))
    assert r.status_code == 401 or r.json() == {"active": False}, r.text


# ---------------------------------------------------------------------------------------------
# Secret rotation.


def test_secret_rotation_with_grace_then_ttl_zero(world):
    path = client_path(world.env, world.basic) + "/secrets"
    cid, s1 = creds(world.basic)

    def works(secret):
        r = token_request(world.issuer, (cid, secret), data={"audience": API_ID})
        assert r.status_code in (200, 401), r.text
        if r.status_code == 401:
            assert r.json()["error"] == "invalid_client"
        return r.status_code == 200

    r = world.api.call("POST", path, {"previous_secret_ttl": 600})
    assert r.status_code == 201, r.text
    s2 = r.json()["client_secret"]
    assert s2 != s1
    assert works(s1) and works(s2)

    r = world.api.call("POST", path, {"previous_secret_ttl": 0})
    assert r.status_code == 201, r.text
    s3 = r.json()["client_secret"]
    assert works(s3)
    assert not works(s2) and not works(s1)

    # At most two valid secrets: a grace period only for the one that was current.
    r = world.api.call("POST", path, {"previous_secret_ttl": 600})
    s4 = r.json()["client_secret"]
    assert works(s4) and works(s3) and not works(s2) and not works(s1)
    r = world.api.call("POST", path, {"previous_secret_ttl": 600})
    s5 = r.json()["client_secret"]
    assert works(s5) and works(s4) and not works(s3)

    # The grace period ends on time (ttl 1 s; a short poll, at most 3 s).
    r = world.api.call("POST", path, {"previous_secret_ttl": 1})
    assert r.status_code == 201, r.text
    s6 = r.json()["client_secret"]
    assert works(s6) and works(s5)
    deadline = time.monotonic() + 3
    while works(s5) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not works(s5) and works(s6)
    s5 = s6

    # authlib with the new secret.
    with OAuth2Session(cid, s5) as s:
        tok = s.fetch_token(world.issuer + "/token", grant_type="client_credentials")
    assert verify(world.issuer, tok["access_token"], API_ID).status_code == 200


# ---------------------------------------------------------------------------------------------
# Signing-key rotation with a token in flight.


def keys_of(world):
    r = world.api.call("GET", f"/api/v1/environments/{world.env}/keys")
    assert r.status_code == 200, r.text
    return r.json()["items"]


def test_key_rotation_with_a_token_in_flight(world):
    resource_server = pyjwt.PyJWKClient(world.issuer + "/jwks.json")  # caches the JWKS
    t1 = get_token(world.issuer, creds(world.basic), audience=API_ID)
    k1 = header_of(t1)["kid"]
    assert pyjwt_decode(world.issuer, t1, API_ID, jwk_client=resource_server)["sub"] == \
        world.basic["client_id"]

    items = keys_of(world)
    es = [k for k in items if k["alg"] == "ES256"]
    assert {k["state"] for k in es} <= {"next", "current", "previous"}
    current = [k for k in es if k["state"] == "current"]
    assert [k["kid"] for k in current] == [k1], es
    published = {k["kid"] for k in jwks(world.issuer)["keys"]}
    nexts = [k["kid"] for k in es if k["state"] == "next"]
    assert set(nexts) <= published  # the next key is published before it signs anything
    assert not any("d" in k for k in items)

    r = world.api.call("POST", f"/api/v1/environments/{world.env}/keys/rotate", {"alg": "ES256"})
    assert r.status_code in (200, 201), r.text

    t2 = get_token(world.issuer, creds(world.basic), audience=API_ID)
    k2 = header_of(t2)["kid"]
    assert k2 != k1
    if nexts:
        assert k2 == nexts[0]  # the published next key became current
    after = {k["kid"]: k["state"] for k in keys_of(world) if k["alg"] == "ES256"}
    assert after[k1] == "previous" and after[k2] == "current", after
    assert list(after.values()).count("current") == 1
    assert "next" in after.values()  # a new next key is already published
    published = {k["kid"] for k in jwks(world.issuer)["keys"]}
    assert {k1, k2} <= published
    assert set(after) <= published

    # The token in flight still verifies everywhere; so does the new one.
    for t in (t1, t2):
        assert verify(world.issuer, t, API_ID).status_code == 200
        assert introspect(world.issuer, t, creds(world.orders)).json()["active"] is True
        assert pyjwt_decode(world.issuer, t, API_ID)["aud"] in (API_ID, [API_ID])
        # The resource server's cached JWKS client copes (refetch on an unknown kid).
        assert pyjwt_decode(world.issuer, t, API_ID, jwk_client=resource_server)
    keyset = jcjwk.JWKSet.from_json(json.dumps(jwks(world.issuer)))
    for t in (t1, t2):
        jcjwt.JWT(jwt=t, key=keyset, algs=["ES256"])

    # Rotating without a body is allowed too.
    r = world.api.call("POST", f"/api/v1/environments/{world.env}/keys/rotate")
    assert r.status_code in (200, 201), r.text
    assert verify(world.issuer, t1, API_ID).status_code == 200


def test_keys_are_per_environment(world):
    world.api.create_api(world.dev_env, API_ID)
    dev_client = world.api.create_client(world.dev_env,
                                         [{"api": API_ID, "scopes": ["read:orders"]}])
    dev_token = get_token(world.dev_issuer, creds(dev_client))
    prod_token = get_token(world.issuer, creds(world.basic))
    dev_kids = {k["kid"] for k in jwks(world.dev_issuer)["keys"]}
    prod_kids = {k["kid"] for k in jwks(world.issuer)["keys"]}
    assert not dev_kids & prod_kids
    assert header_of(dev_token)["kid"] in dev_kids
    assert header_of(prod_token)["kid"] in prod_kids


# ---------------------------------------------------------------------------------------------
# Restart.


def test_restart_keeps_tokens_and_revocations(world):
    s = world.server
    good = get_token(world.issuer, creds(world.basic), audience=API_ID)
    revoked = get_token(world.issuer, creds(world.basic), audience=API_ID)
    assert revoke(world.issuer, revoked, creds(world.basic)).status_code == 200
    kids_before = {k["kid"] for k in jwks(world.issuer)["keys"]}

    s.stop()
    s.start()  # same data dir, same port, so the same issuer

    assert {k["kid"] for k in jwks(world.issuer)["keys"]} >= kids_before
    r = verify(world.issuer, good, API_ID)
    assert r.status_code == 200, r.text
    assert pyjwt_decode(world.issuer, good, API_ID)["jti"] == claims_of(good)["jti"]
    assert introspect(world.issuer, good, creds(world.orders)).json()["active"] is True
    assert_invalid_token(verify(world.issuer, revoked, API_ID))
    assert_inactive(introspect(world.issuer, revoked, creds(world.orders)))
    # New tokens after the restart use the same key.
    fresh = get_token(world.issuer, creds(world.basic), audience=API_ID)
    assert header_of(fresh)["kid"] == header_of(good)["kid"]
    assert verify(world.issuer, fresh, API_ID).status_code == 200


def test_restart_keeps_revoke_tokens_and_rotated_keys(world):
    s = world.server
    old = get_token(world.issuer, creds(world.basic), audience=API_ID)
    assert world.api.call("POST", client_path(world.env, world.basic) +
                          "/revoke-tokens").status_code == 204
    in_flight = get_token(world.issuer, creds(world.post), "client_secret_post")
    r = world.api.call("POST", f"/api/v1/environments/{world.env}/keys/rotate", {"alg": "ES256"})
    assert r.status_code in (200, 201), r.text
    s.stop()
    s.start()
    assert_invalid_token(verify(world.issuer, old, API_ID))
    assert verify(world.issuer, in_flight, API_ID).status_code == 200
    fresh = get_token(world.issuer, creds(world.post), "client_secret_post")
    assert header_of(fresh)["kid"] != header_of(in_flight)["kid"]


# ---------------------------------------------------------------------------------------------
# Environments are isolated authorization servers.


def test_token_of_one_environment_is_refused_by_another(world):
    # The same API identifier exists in both environments.
    world.api.create_api(world.dev_env, API_ID)
    dev_client = world.api.create_client(world.dev_env,
                                         [{"api": API_ID, "scopes": ["read:orders"]}])
    dev_token = get_token(world.dev_issuer, creds(dev_client), audience=API_ID)
    assert verify(world.dev_issuer, dev_token, API_ID).status_code == 200
    assert claims_of(dev_token)["iss"] == world.dev_issuer

    assert_invalid_token(verify(world.issuer, dev_token, API_ID))
    assert_inactive(introspect(world.issuer, dev_token, creds(world.orders)))
    # The dev client cannot authenticate to production at all.
    r = introspect(world.issuer, dev_token, creds(dev_client))
    assert r.status_code == 401, r.text
    r = token_request(world.issuer, creds(dev_client), data={"audience": API_ID})
    assert r.status_code == 401 and r.json()["error"] == "invalid_client", r.text

    # PyJWT configured for production refuses it: unknown kid, and wrong issuer anyway.
    with pytest.raises(pyjwt.PyJWKClientError):
        pyjwt.PyJWKClient(world.issuer + "/jwks.json").get_signing_key_from_jwt(dev_token)
    dev_key = pyjwt.PyJWKClient(world.dev_issuer + "/jwks.json").get_signing_key_from_jwt(
        dev_token).key
    with pytest.raises(pyjwt.InvalidIssuerError):
        pyjwt.decode(dev_token, dev_key, algorithms=["ES256"], audience=API_ID,
                     issuer=world.issuer)
    # And the other way round.
    prod_token = get_token(world.issuer, creds(world.basic), audience=API_ID)
    assert_invalid_token(verify(world.dev_issuer, prod_token, API_ID))


def test_developers_are_isolated(world):
    """Another developer's environment with the same API identifier shares nothing."""
    other = Api(world.server.url).signup_and_login("other@example.test")
    proj = other.create_project("Acme Payments")
    env = proj["environments"][1]
    assert env["issuer"] != world.issuer
    other.create_api(env["id"], API_ID)
    mine = get_token(world.issuer, creds(world.basic), audience=API_ID)
    assert_invalid_token(verify(env["issuer"], mine, API_ID))
    r = token_request(env["issuer"], creds(world.basic), data={"audience": API_ID})
    assert r.status_code == 401, r.text
