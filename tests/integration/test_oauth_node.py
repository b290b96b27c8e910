"""Runs tests/integration/node (openid-client + jose, node:test) against a real gatehouse.

Provisions a project with an ES256 API (plus one API per other signing algorithm), a
client_secret_basic client granted all of them and a client_secret_post client, then runs
`node --test` with ISSUER, CLIENT_ID, CLIENT_SECRET, AUDIENCE (and the optional variables the
Node tests document). `npm ci` runs first when node_modules is missing (needs the npm registry).
"""

import json
import os
import shutil
import subprocess

import pytest

NODE_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "node")
API_ID = "https://orders.example.test"
NPM_TIMEOUT = 300
NODE_TIMEOUT = 240

pytestmark = pytest.mark.skipif(not (shutil.which("node") and shutil.which("npm")),
                                reason="node and npm are required")


@pytest.fixture(scope="module")
def node_modules():
    if not os.path.isdir(os.path.join(NODE_DIR, "node_modules")):
        r = subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=NODE_DIR,
                           capture_output=True, text=True, timeout=NPM_TIMEOUT)
        assert r.returncode == 0, f"npm ci failed:\n{r.stdout}\n{r.stderr}"
    return os.path.join(NODE_DIR, "node_modules")


def test_node_clients(server, api, node_modules):
    project = api.create_project("Acme Payments")
    env = project["environments"][1]
    orders = api.create_api(env["id"], API_ID)
    grants = [{"api": API_ID, "scopes": ["read:orders", "write:orders"]}]
    alg_audiences = {}
    for alg in ("ES256", "EdDSA", "RS256", "PS256"):
        identifier = f"https://{alg.lower()}.example.test"
        api.create_api(env["id"], identifier, scopes=("read:a",), signing_alg=alg,
                       name=f"API {alg}")
        grants.append({"api": identifier, "scopes": ["read:a"]})
        alg_audiences[alg] = identifier
    basic = api.create_client(env["id"], grants)
    post = api.create_client(env["id"], [{"api": API_ID, "scopes": ["read:orders"]}],
                             name="Reporting", token_endpoint_auth_method="client_secret_post")

    child_env = {k: v for k, v in os.environ.items() if not k.startswith("GATEHOUSE_")}
    child_env.update({
        "ISSUER": env["issuer"],
        "CLIENT_ID": basic["client_id"],
        "CLIENT_SECRET": basic["client_secret"],
        "AUDIENCE": API_ID,
        "SCOPES": "read:orders write:orders",
        "POST_CLIENT_ID": post["client_id"],
        "POST_CLIENT_SECRET": post["client_secret"],
        "API_CLIENT_ID": orders["credentials"]["client_id"],
        "API_CLIENT_SECRET": orders["credentials"]["client_secret"],
        "ALG_AUDIENCES": json.dumps(alg_audiences),
    })
    r = subprocess.run(["node", "--test", "--test-reporter=spec", "oauth.test.mjs"],
                       cwd=NODE_DIR, env=child_env, capture_output=True, text=True,
                       timeout=NODE_TIMEOUT)
    print(r.stdout)
    print(r.stderr)
    assert r.returncode == 0, f"node --test failed ({r.returncode}):\n{r.stdout}\n{r.stderr}"
    assert "# fail 0" in r.stdout or "ℹ fail 0" in r.stdout, r.stdout
