"""/metrics (Prometheus text) and the JSON request log against the real binary."""

import json
import re

import requests

from harness import Server
from protection_helpers import API_ID, setup_client, token

SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (-?[0-9.eE+-]+|\+Inf|NaN)$')
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')


def parse(text):
    """A strict reader of the Prometheus text format: {(name, labels): value}, and the types."""
    samples, types = {}, {}
    for line in text.splitlines():
        if not line:
            continue
        if line.startswith("# HELP "):
            continue
        if line.startswith("# TYPE "):
            _, _, name, kind = line.split(" ", 3)
            assert kind in ("counter", "gauge", "histogram"), line
            types[name] = kind
            continue
        m = SAMPLE.match(line)
        assert m, f"not a sample line: {line!r}"
        labels = tuple(sorted(LABEL.findall(m.group(3) or "")))
        samples[(m.group(1), labels)] = float(m.group(4))
        assert m.group(1).startswith("gatehouse_"), line
    return samples, types


def value(samples, name, **labels):
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def test_metrics_parse_and_move(server):
    api, project, env, client = setup_client(server.url)
    r = requests.get(server.url + "/metrics", timeout=30)
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/plain")
    before, types = parse(r.text)
    assert types["gatehouse_http_requests_total"] == "counter"
    assert types["gatehouse_http_request_duration_seconds"] == "histogram"
    assert value(before, "gatehouse_snapshot_version") >= 1
    http = requests.Session()
    for _ in range(3):
        assert token(http, env["issuer"], client["client_id"],
                     client["client_secret"]).status_code == 200
    assert token(http, env["issuer"], client["client_id"], "wrong").status_code == 401
    after, _ = parse(requests.get(server.url + "/metrics", timeout=30).text)
    route = "POST /oauth/{}/{}/token"
    assert value(after, "gatehouse_http_requests_total", route=route, status="200") == \
        value(before, "gatehouse_http_requests_total", route=route, status="200") + 3
    assert value(after, "gatehouse_http_requests_total", route=route, status="401") >= 1
    assert value(after, "gatehouse_http_request_duration_seconds_count", route=route) >= 4
    assert value(after, "gatehouse_http_request_duration_seconds_bucket", route=route,
                 le="+Inf") == value(after, "gatehouse_http_request_duration_seconds_count",
                                     route=route)
    assert value(after, "gatehouse_tokens_issued_total", grant="client_credentials") == 3
    assert value(after, "gatehouse_tokens_refused_total", reason="token:invalid_client") == 1
    assert ("gatehouse_audit_queue_depth", ()) in after
    assert ("gatehouse_audit_events_dropped_total", ()) in after
    # No per-client label anywhere.
    assert client["client_id"] not in requests.get(server.url + "/metrics", timeout=30).text


def test_metrics_behind_a_bearer_token(tmp_path):
    s = Server(tmp_path / "data", env={"GATEHOUSE_METRICS_TOKEN": "scrape-me"}).start()
    try:
        assert requests.get(s.url + "/metrics", timeout=30).status_code == 401
        assert requests.get(s.url + "/metrics", headers={"Authorization": "Bearer nope"},
                            timeout=30).status_code == 401
        r = requests.get(s.url + "/metrics", headers={"Authorization": "Bearer scrape-me"},
                         timeout=30)
        assert r.status_code == 200
        parse(r.text)
    finally:
        s.stop()


def test_logs_are_json_lines_without_secrets(tmp_path):
    s = Server(tmp_path / "data").start()
    try:
        api, project, env, client = setup_client(s.url)
        http = requests.Session()
        r = token(http, env["issuer"], client["client_id"], client["client_secret"])
        access_token = r.json()["access_token"]
        token(http, env["issuer"], client["client_id"], "a-wrong-secret-value")
        http.get(env["issuer"] + "/verify", params={"audience": API_ID},
                 headers={"Authorization": f"Bearer {access_token}", "X-Request-Id": "trace-42"},
                 timeout=30)
        http.post(env["issuer"] + "/revoke", data={"token": access_token},
                  auth=(client["client_id"], client["client_secret"]), timeout=30)
    finally:
        s.stop()
    logs = s.logs()
    lines = [json.loads(line) for line in logs.splitlines() if line.strip()]
    requests_logged = [l for l in lines if l.get("msg") == "request"]
    token_lines = [l for l in requests_logged if l["route"] == "/oauth/{}/{}/token"]
    assert len(token_lines) == 2
    for l in token_lines:
        assert l["client_id"] == client["client_id"] and l["environment"] == env["id"]
        assert {"time", "request_id", "method", "status", "latency_us"} <= set(l)
    verify = [l for l in requests_logged if l["route"] == "/oauth/{}/{}/verify"]
    assert verify[0]["request_id"] == "trace-42" and verify[0]["client_id"] == client["client_id"]
    for secret in (client["client_secret"], access_token, access_token.split(".")[2],
                   "a-wrong-secret-value", api.token):
        assert secret not in logs


def test_per_client_labels_are_opt_in_and_bounded(tmp_path):
    s = Server(tmp_path / "data", extra_args=["--metrics-client-labels", "true"]).start()
    try:
        api, project, env, client = setup_client(s.url)
        http = requests.Session()
        for _ in range(2):
            assert token(http, env["issuer"], client["client_id"],
                         client["client_secret"]).status_code == 200
        samples, types = parse(requests.get(s.url + "/metrics", timeout=30).text)
        assert types["gatehouse_client_tokens_issued_total"] == "counter"
        assert value(samples, "gatehouse_client_tokens_issued_total",
                     client_id=client["client_id"]) == 2
    finally:
        s.stop()
