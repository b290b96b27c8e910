#!/usr/bin/env python3
"""`make bench`: Gatehouse's HTTP figures side by side with a peer and two ceilings.

On this machine, in one run:
  * Gatehouse (`build/gatehouse serve`) on a fresh temporary data dir and a free 127.0.0.1
    port, provisioned through the management API: one project, an ES256 API and an EdDSA API,
    10 clients granted both; measured with wrk (bench/*.lua, keep-alive, 32 connections, two
    threads): token (client_secret_basic, ES256 and EdDSA), verify, introspection, JWKS;
  * node oidc-provider (bench/peer/, pinned by its lockfile) doing the same client_credentials
    grant with an ES256 JWT access token for a resource indicator: the peer;
  * nginx `return 200`: the HTTP ceiling of this machine with wrk sharing it;
  * `openssl speed` ECDSA P-256 and Ed25519: the crypto ceiling (one core);
  * scale: 999,990 more clients inserted straight into the SQLite database (the server is
    stopped; see docs/performance.md), then start-up time until /readyz answers 200, RSS and
    the same token measurement cycling through 1,000 of the 1,000,000 clients, taken turn
    about with the ten-client environment (a copy of it), three times each: medians compared.

Results: bench/results/latest.md and latest.json (and a dated copy of each). Every process
started here is stopped by its PID.
"""

import argparse
import base64
import datetime
import json
import os
import platform
import random
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH = os.path.join(ROOT, "bench")
PASSWORD = "correct horse battery staple"
RESOURCE_ES = "https://orders.bench.test"
RESOURCE_ED = "https://ledger.bench.test"


# The TLS run talks to our own throw-away self-signed certificate.
INSECURE = __import__("ssl")._create_unverified_context()


def log(msg):
    print(f"[bench] {msg}", flush=True)


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http(method, url, body=None, headers=None, form=None, timeout=60):
    headers = dict(headers or {})
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    if form is not None:
        data = form.encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    req = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=timeout, context=INSECURE) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()
    except (urllib.error.URLError, ConnectionError, OSError):
        return 0, b""


def wait_http_ok(url, proc, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{proc.args[0]} exited with {proc.returncode}")
        status, _ = http("GET", url, timeout=2)
        if status == 200:
            return
        time.sleep(0.01)
    raise RuntimeError(f"{url} not ready after {timeout} s")


def stop(proc, timeout=20):
    if proc is None or proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    return None


def basic(user, password):
    from urllib.parse import quote
    raw = f"{quote(user, safe='')}:{quote(password, safe='')}".encode()
    return base64.b64encode(raw).decode()


class Gatehouse:
    def __init__(self, binary, data_dir, port, log_path, extra=(), scheme="http"):
        self.binary, self.data_dir, self.port, self.log_path = binary, data_dir, port, log_path
        self.url = f"{scheme}://127.0.0.1:{port}"
        self.extra = list(extra)
        self.proc = None

    def start(self, timeout=120):
        env = {k: v for k, v in os.environ.items() if not k.startswith("GATEHOUSE_")}
        logf = open(self.log_path, "ab")
        started = time.monotonic()
        self.proc = subprocess.Popen(
            [self.binary, "serve", "--listen", f"127.0.0.1:{self.port}",
             "--data-dir", self.data_dir, *self.extra], stdout=logf, stderr=subprocess.STDOUT,
            env=env)
        wait_http_ok(self.url + "/readyz", self.proc, timeout)
        return time.monotonic() - started

    def stop(self):
        stop(self.proc)


def provision(url, n_clients):
    """Account, project, two APIs (ES256, EdDSA) and n clients granted both, via the API."""
    s, _ = http("POST", url + "/api/v1/accounts", {"email": "bench@example.test",
                                                    "password": PASSWORD})
    assert s == 201, s
    s, b = http("POST", url + "/api/v1/sessions", {"email": "bench@example.test",
                                                    "password": PASSWORD})
    assert s == 201, (s, b)
    auth = {"Authorization": "Bearer " + json.loads(b)["token"]}
    s, b = http("POST", url + "/api/v1/projects", {"name": "Bench"}, auth)
    assert s == 201, (s, b)
    project = json.loads(b)
    env = project["environments"][0]
    env_id = env["id"]
    apis = {}
    for ident, alg in ((RESOURCE_ES, "ES256"), (RESOURCE_ED, "EdDSA")):
        s, b = http("POST", f"{url}/api/v1/environments/{env_id}/apis",
                    {"name": alg, "identifier": ident, "scopes": ["read", "write"],
                     "signing_alg": alg}, auth)
        assert s == 201, (s, b)
        apis[alg] = json.loads(b)
    clients = []
    for i in range(n_clients):
        s, b = http("POST", f"{url}/api/v1/environments/{env_id}/clients",
                    {"name": f"bench {i}",
                     "grants": [{"api": RESOURCE_ES, "scopes": ["read", "write"]},
                                {"api": RESOURCE_ED, "scopes": ["read", "write"]}]}, auth)
        assert s == 201, (s, b)
        c = json.loads(b)
        clients.append((c["client_id"], c["client_secret"]))
    issuer_path = f"/oauth/{project['slug']}/{env['slug']}"
    return {"env_id": env_id, "issuer_path": issuer_path, "apis": apis, "clients": clients}


def bulk_clients(db_path, template_client_id, total):
    """Clones one client (its secret hash and grants) until the environment has `total`.

    The server must be stopped. Straight SQL on the same schema the store writes
    (src/store/sqlite/migrations.cc): clients, client_grants, client_secrets.
    """
    db = sqlite3.connect(db_path)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=OFF")
    (cid, env_id, method, created) = db.execute(
        "SELECT id, environment_id, auth_method, created_at FROM clients WHERE client_id = ?",
        (template_client_id,)).fetchone()
    grants = db.execute("SELECT api_id, position, scopes FROM client_grants WHERE client_id = ?",
                        (cid,)).fetchall()
    (hash_, secret_created) = db.execute(
        "SELECT hash, created_at FROM client_secrets WHERE client_id = ?", (cid,)).fetchone()
    have = db.execute("SELECT count(*) FROM clients WHERE environment_id = ?",
                      (env_id,)).fetchone()[0]
    n = total - have
    ids = [(f"cli_bulk{i:012x}", f"ci_bulk{i:012x}") for i in range(n)]
    with db:
        db.executemany(
            "INSERT INTO clients (id, environment_id, client_id, name, description, auth_method,"
            " enabled, tokens_revoked_at, created_at) VALUES (?, ?, ?, ?, '', ?, 1, NULL, ?)",
            ((i, env_id, c, "bulk", method, created) for i, c in ids))
        for api_id, position, scopes in grants:
            db.executemany(
                "INSERT INTO client_grants (client_id, api_id, position, scopes) "
                "VALUES (?, ?, ?, ?)", ((i, api_id, position, scopes) for i, _ in ids))
        db.executemany(
            "INSERT INTO client_secrets (client_id, hash, created_at, expires_at) "
            "VALUES (?, ?, ?, NULL)", ((i, hash_, secret_created) for i, _ in ids))
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return [c for _, c in ids]


def wrk(script, url, args, seconds, connections=32, threads=2, close=False):
    cmd = ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s", "--latency",
           "-s", os.path.join(BENCH, script), *(["-H", "Connection: close"] if close else []),
           url, "--", *args]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    m = re.search(r"^BENCH_JSON (\{.*\})$", out, re.M)
    if not m:
        raise RuntimeError(f"no result from wrk:\n{out}")
    r = json.loads(m.group(1))
    r["p50_ms"] = r["p50_us"] / 1000.0
    r["p99_ms"] = r["p99_us"] / 1000.0
    return r


def openssl_speed(seconds):
    out = {}
    for name, pattern in (("ecdsap256", r"256 bits ecdsa \(nistp256\)\s+\S+\s+\S+\s+(\S+)\s+(\S+)"),
                          ("ed25519", r"253 bits EdDSA \(Ed25519\)\s+\S+\s+\S+\s+(\S+)\s+(\S+)")):
        text = subprocess.run(["openssl", "speed", "-seconds", str(seconds), name],
                              capture_output=True, text=True).stdout
        m = re.search(pattern, text)
        out[name] = ({"sign_per_s": float(m.group(1)), "verify_per_s": float(m.group(2))}
                     if m else None)
    return out


def tls_supported(binary):
    out = subprocess.run([binary, "serve", "--help"], capture_output=True, text=True).stdout
    return "--tls-cert" in out


def measure_tls(opts, work, creds, path, seconds):
    """Token ES256 over HTTPS: keep-alive, and a new connection (full handshake) per request."""
    pki = os.path.join(work, "pki")
    os.makedirs(pki)
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:P-256", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1", "-keyout",
                    os.path.join(pki, "key.pem"), "-out", os.path.join(pki, "cert.pem")],
                   check=True, capture_output=True)
    # The same data dir: the environment, its clients and keys are already there.
    gh = Gatehouse(opts.gatehouse, os.path.join(work, "data"), free_port(),
                   os.path.join(work, "gatehouse-tls.log"),
                   ["--tls-cert", os.path.join(pki, "cert.pem"),
                    "--tls-key", os.path.join(pki, "key.pem")], scheme="https")
    out = {}
    try:
        gh.start(timeout=600)
        for name, close in (("token_es256_keepalive", False), ("token_es256_new_connection", True)):
            r = wrk("token.lua", gh.url, [path + "/token", creds, RESOURCE_ES], seconds,
                    close=close)
            out[name] = r
            log(f"gatehouse TLS {name}: {r['rps']:.0f} req/s, p99 {r['p99_ms']:.2f} ms, "
                f"non-2xx {r['non2xx']}, socket errors {r['socket_errors']}")
    finally:
        gh.stop()
    return out


NGINX_CONF = """
worker_processes 2;
daemon off;
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  client_body_temp_path {dir}/body;
  proxy_temp_path {dir}/proxy;
  fastcgi_temp_path {dir}/fastcgi;
  uwsgi_temp_path {dir}/uwsgi;
  scgi_temp_path {dir}/scgi;
  keepalive_requests 1000000;
  server {{
    listen 127.0.0.1:{port};
    location / {{ return 200 "ok\\n"; }}
  }}
}}
"""


def machine():
    model = ""
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return {"nproc": os.cpu_count(), "cpu": model, "kernel": platform.release(),
            "load_before": os.getloadavg()}


def ratio(a, b):
    return round(a / b, 2) if a and b else None


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gatehouse", default=os.path.join(ROOT, "build", "gatehouse"))
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--clients", type=int, default=10)
    ap.add_argument("--scale-clients", type=int, default=1_000_000,
                    help="0 skips the scale measurement")
    ap.add_argument("--no-peer", action="store_true")
    ap.add_argument("--no-tls", dest="tls", action="store_false")
    ap.add_argument("--out", default=os.path.join(BENCH, "results"))
    opts = ap.parse_args()

    for tool in ("wrk", "openssl", "node", "nginx"):
        if shutil.which(tool) is None and not (tool == "nginx" and os.path.exists("/usr/sbin/nginx")):
            sys.exit(f"bench: {tool} is not installed (make deps)")
    work = tempfile.mkdtemp(prefix="gatehouse-bench-")
    procs = []
    results = {"date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
               "machine": machine(), "seconds": opts.seconds, "connections": 32,
               "wrk_threads": 2, "gatehouse": {}, "peer": {}, "ceiling": {}, "scale": {}}
    gh = None
    try:
        # --- Gatehouse --------------------------------------------------------------------
        data = os.path.join(work, "data")
        gh = Gatehouse(opts.gatehouse, data, free_port(), os.path.join(work, "gatehouse.log"))
        gh.start()
        log(f"gatehouse on {gh.url}, provisioning {opts.clients} clients")
        p = provision(gh.url, opts.clients)
        base = gh.url + p["issuer_path"]
        creds = os.path.join(work, "clients.txt")
        with open(creds, "w") as f:
            f.writelines(f"{c}:{s}\n" for c, s in p["clients"])
        creds_small = os.path.join(work, "clients-10.txt")
        shutil.copy(creds, creds_small)
        cid, secret = p["clients"][0]
        s, b = http("POST", base + "/token", form=f"grant_type=client_credentials&resource="
                    f"{RESOURCE_ES}", headers={"Authorization": "Basic " + basic(cid, secret)})
        assert s == 200, (s, b)
        token = json.loads(b)["access_token"]
        api_creds = p["apis"]["ES256"]["credentials"]
        path = p["issuer_path"]
        from urllib.parse import quote
        runs = [
            ("token_es256", "token.lua", [path + "/token", creds, RESOURCE_ES]),
            ("token_eddsa", "token.lua", [path + "/token", creds, RESOURCE_ED]),
            ("verify", "verify.lua", [f"{path}/verify?audience={quote(RESOURCE_ES, safe='')}",
                                      token]),
            ("introspect", "introspect.lua", [path + "/introspect",
                                              basic(api_creds["client_id"],
                                                    api_creds["client_secret"]), token]),
            ("jwks", "get.lua", [path + "/jwks.json"]),
        ]
        for name, script, args in runs:
            r = wrk(script, gh.url, args, opts.seconds)
            results["gatehouse"][name] = r
            log(f"gatehouse {name}: {r['rps']:.0f} req/s, p50 {r['p50_ms']:.2f} ms, "
                f"p99 {r['p99_ms']:.2f} ms, non-2xx {r['non2xx']}")
        results["gatehouse"]["rss_mib"] = rss_mib(gh.proc.pid)
        gh.stop()

        # --- nginx return 200 -------------------------------------------------------------
        ndir = os.path.join(work, "nginx")
        os.makedirs(ndir)
        nport = free_port()
        with open(os.path.join(ndir, "nginx.conf"), "w") as f:
            f.write(NGINX_CONF.format(dir=ndir, port=nport))
        nginx = subprocess.Popen(["/usr/sbin/nginx", "-p", ndir, "-c",
                                  os.path.join(ndir, "nginx.conf")],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        procs.append(nginx)
        wait_http_ok(f"http://127.0.0.1:{nport}/", nginx, 10)
        r = wrk("get.lua", f"http://127.0.0.1:{nport}", ["/"], opts.seconds)
        results["ceiling"]["nginx_return_200"] = r
        log(f"nginx return 200: {r['rps']:.0f} req/s, p99 {r['p99_ms']:.2f} ms")
        stop(nginx)

        # --- node oidc-provider -----------------------------------------------------------
        if not opts.no_peer:
            peer_dir = os.path.join(BENCH, "peer")
            if not os.path.isdir(os.path.join(peer_dir, "node_modules", "oidc-provider")):
                subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=peer_dir,
                               check=True, stdout=subprocess.DEVNULL)
            version = json.load(open(os.path.join(peer_dir, "node_modules", "oidc-provider",
                                                  "package.json")))["version"]
            pport = free_port()
            peer_secret = "peer-secret-" + "x" * 32
            peer = subprocess.Popen(["node", "server.js", str(pport), "bench-peer", peer_secret,
                                     RESOURCE_ES], cwd=peer_dir,
                                    stdout=open(os.path.join(work, "peer.log"), "ab"),
                                    stderr=subprocess.STDOUT)
            procs.append(peer)
            deadline = time.monotonic() + 30
            while http("GET", f"http://127.0.0.1:{pport}/.well-known/openid-configuration")[0] \
                    != 200:
                if time.monotonic() > deadline or peer.poll() is not None:
                    raise RuntimeError("oidc-provider did not start")
                time.sleep(0.1)
            s, b = http("POST", f"http://127.0.0.1:{pport}/token",
                        form=f"grant_type=client_credentials&resource={RESOURCE_ES}",
                        headers={"Authorization": "Basic " + basic("bench-peer", peer_secret)})
            assert s == 200 and json.loads(b)["access_token"].count(".") == 2, (s, b)
            pcreds = os.path.join(work, "peer-clients.txt")
            with open(pcreds, "w") as f:
                f.write(f"bench-peer:{peer_secret}\n")
            r = wrk("token.lua", f"http://127.0.0.1:{pport}", ["/token", pcreds, RESOURCE_ES],
                    opts.seconds)
            r["version"] = version
            r["node"] = subprocess.run(["node", "--version"], capture_output=True,
                                       text=True).stdout.strip()
            results["peer"]["oidc_provider_token_es256"] = r
            log(f"oidc-provider {version} token: {r['rps']:.0f} req/s, p99 {r['p99_ms']:.2f} ms, "
                f"non-2xx {r['non2xx']}")
            stop(peer)

        # --- openssl speed ----------------------------------------------------------------
        results["ceiling"]["openssl_speed"] = openssl_speed(3)
        log(f"openssl speed: {results['ceiling']['openssl_speed']}")

        # --- scale ------------------------------------------------------------------------
        # The ten-client and the million-client environments are measured turn about, each
        # three times, and compared by their medians: this machine drifts by more than 10 %
        # over a few minutes, so one run of each minutes apart would measure the drift.
        if opts.scale_clients:
            small_data = os.path.join(work, "data-small")
            shutil.copytree(data, small_data)  # the server is stopped: a consistent copy
            log(f"inserting clients up to {opts.scale_clients}")
            t0 = time.monotonic()
            bulk = bulk_clients(os.path.join(data, "gatehouse.db"), cid, opts.scale_clients)
            insert_s = time.monotonic() - t0
            rng = random.Random(7)
            creds_large = os.path.join(work, "clients-large.txt")
            with open(creds_large, "w") as f:
                f.writelines(f"{c}:{secret}\n" for c in rng.sample(bulk, min(1000, len(bulk))))
            startup = gh.start(timeout=600)
            rss_idle = rss_mib(gh.proc.pid)
            log(f"{opts.scale_clients} clients: start-up {startup:.2f} s, RSS {rss_idle:.0f} MiB")
            small = Gatehouse(opts.gatehouse, small_data, free_port(),
                              os.path.join(work, "gatehouse-small.log"))
            try:
                small.start()
                samples = {"small": [], "large": []}
                for _ in range(3):
                    for key, server, cred_file in (("small", small, creds_small),
                                                   ("large", gh, creds_large)):
                        r = wrk("token.lua", server.url, [path + "/token", cred_file, RESOURCE_ES],
                                opts.seconds)
                        samples[key].append(r)
                        log(f"token ES256, {key} environment: {r['rps']:.0f} req/s, "
                            f"p99 {r['p99_ms']:.2f} ms, non-2xx {r['non2xx']}")
            finally:
                small.stop()
            median = {k: sorted(v, key=lambda r: r["rps"])[1] for k, v in samples.items()}
            base_rps = median["small"]["rps"]
            results["scale"] = {
                "clients": opts.scale_clients, "insert_seconds": round(insert_s, 1),
                "startup_seconds": round(startup, 3), "rss_mib_idle": round(rss_idle, 1),
                "rss_mib_after": round(rss_mib(gh.proc.pid), 1),
                "token_es256": median["large"], "small_token_es256": median["small"],
                "samples_rps": {k: [r["rps"] for r in v] for k, v in samples.items()},
                "slowdown_pct": round(100.0 * (base_rps - median["large"]["rps"]) / base_rps, 1)}
            log(f"{opts.scale_clients} clients token: median {median['large']['rps']:.0f} req/s "
                f"against {base_rps:.0f} with {opts.clients} "
                f"({results['scale']['slowdown_pct']} % slower)")
            gh.stop()
        # --- TLS ------------------------------------------------------------------------
        if opts.tls and tls_supported(opts.gatehouse):
            results["tls"] = measure_tls(opts, work, creds_small, path, opts.seconds)
        else:
            results["tls"] = None
            results["tls_skipped"] = "--no-tls" if not opts.tls else "this build has no --tls-cert"
        results["machine"]["load_after"] = os.getloadavg()
    finally:
        if gh:
            gh.stop()
        for proc in procs:
            stop(proc)
        shutil.rmtree(work, ignore_errors=True)

    write_results(results, opts.out)


def goals(res):
    """The goals of issue 7, as (goal, measured, met) rows."""
    g, peer = res["gatehouse"], res["peer"].get("oidc_provider_token_es256")
    out = []
    if peer:
        for key, label in (("token_es256", "ES256"), ("token_eddsa", "EdDSA")):
            x = g[key]["rps"] / peer["rps"]
            out.append((f"token {label} ≥ 6× oidc-provider", f"{x:.1f}×", x >= 6))
    for key, label in (("token_es256", "ES256"), ("token_eddsa", "EdDSA")):
        p99 = g[key]["p99_ms"]
        out.append((f"token {label} p99 < 2 ms", f"{p99:.2f} ms", p99 < 2))
    for key in ("verify", "introspect"):
        rps = g[key]["rps"]
        out.append((f"{key} ≥ 60,000 req/s", f"{rps:,.0f}", rps >= 60000))
    s = res.get("scale")
    if s:
        out.append((f"{s['clients']:,} clients: token within 10 % of 10 clients",
                    f"{s['slowdown_pct']} % slower", s["slowdown_pct"] <= 10))
        out.append(("RSS < 1 GB", f"{s['rss_mib_after']:.0f} MiB", s["rss_mib_after"] < 1024))
        out.append(("start-up < 5 s", f"{s['startup_seconds']:.2f} s", s["startup_seconds"] < 5))
    return out


def write_results(res, out_dir):
    g, c = res["gatehouse"], res["ceiling"]
    peer = res["peer"].get("oidc_provider_token_es256")
    nginx = c["nginx_return_200"]["rps"]
    ssl = c.get("openssl_speed") or {}
    es = ssl.get("ecdsap256") or {}
    ed = ssl.get("ed25519") or {}
    crypto = {"token_es256": es.get("sign_per_s"), "token_eddsa": ed.get("sign_per_s"),
              "verify": es.get("verify_per_s"), "introspect": es.get("verify_per_s")}
    m = res["machine"]
    lines = [f"Run {res['date']} on {m['nproc']} × {m['cpu']} (load before "
             f"{m['load_before'][0]:.2f}); wrk -t{res['wrk_threads']} -c{res['connections']} "
             f"-d{res['seconds']}s, keep-alive.", "",
             "| endpoint | req/s | p50 ms | p99 ms | × oidc-provider | ÷ nginx return 200 | "
             "÷ openssl (1 core) |", "|---|---:|---:|---:|---:|---:|---:|"]
    names = {"token_es256": "token, ES256 (client_secret_basic)",
             "token_eddsa": "token, EdDSA (client_secret_basic)",
             "verify": "verify (ES256 token)", "introspect": "introspection (ES256 token)",
             "jwks": "JWKS"}
    for key, label in names.items():
        r = g[key]
        vs_peer = ratio(r["rps"], peer["rps"]) if peer and key.startswith("token") else None
        lines.append(
            f"| {label} | {r['rps']:,.0f} | {r['p50_ms']:.2f} | {r['p99_ms']:.2f} | "
            f"{'%.1f×' % vs_peer if vs_peer else '–'} | {ratio(r['rps'], nginx):.2f} | "
            f"{'%.2f' % ratio(r['rps'], crypto.get(key)) if crypto.get(key) else '–'} |")
    if peer:
        lines.append(f"| oidc-provider {peer['version']} token, ES256 (node {peer['node']}, one "
                     f"process) | {peer['rps']:,.0f} | {peer['p50_ms']:.2f} | "
                     f"{peer['p99_ms']:.2f} | 1.0× | {ratio(peer['rps'], nginx):.2f} | – |")
    n = c["nginx_return_200"]
    lines.append(f"| nginx `return 200` (2 workers) | {n['rps']:,.0f} | {n['p50_ms']:.2f} | "
                 f"{n['p99_ms']:.2f} | – | 1.00 | – |")
    lines += ["", "| openssl speed -seconds 3 (one core) | sign/s | verify/s |", "|---|---:|---:|"]
    for k, label in (("ecdsap256", "ECDSA P-256 (ES256)"), ("ed25519", "Ed25519 (EdDSA)")):
        if ssl.get(k):
            lines.append(f"| {label} | {ssl[k]['sign_per_s']:,.0f} | "
                         f"{ssl[k]['verify_per_s']:,.0f} |")
    s = res.get("scale")
    if s:
        base = s.get("small_token_es256", g["token_es256"])
        runs = s.get("samples_rps")
        lines += ["", "| token ES256 (median of 3 runs, taken turn about) | clients | req/s | "
                  "p99 ms | slowdown | RSS | start-up |",
                  "|---|---:|---:|---:|---:|---:|---:|",
                  f"| small | 10 | {base['rps']:,.0f} | {base['p99_ms']:.2f} | – | "
                  f"{g['rss_mib']:.0f} MiB | – |",
                  f"| large | {s['clients']:,} | {s['token_es256']['rps']:,.0f} | "
                  f"{s['token_es256']['p99_ms']:.2f} | {s['slowdown_pct']} % | "
                  f"{s['rss_mib_after']:.0f} MiB | {s['startup_seconds']:.2f} s |"]
        if runs:
            lines += ["", "Every run, req/s: small " + ", ".join(f"{x:,.0f}" for x in runs["small"])
                      + "; large " + ", ".join(f"{x:,.0f}" for x in runs["large"]) + "."]
    tls = res.get("tls")
    if tls:
        lines += ["", "| token ES256 over HTTPS (TLS 1.3, P-256 certificate) | req/s | p50 ms | "
                  "p99 ms |", "|---|---:|---:|---:|"]
        for key, label in (("token_es256_keepalive", "keep-alive"),
                           ("token_es256_new_connection", "new connection per request")):
            r = tls[key]
            lines.append(f"| {label} | {r['rps']:,.0f} | {r['p50_ms']:.2f} | {r['p99_ms']:.2f} |")
    else:
        lines += ["", f"TLS: not measured ({res.get('tls_skipped', 'skipped')})."]
    lines += ["", "| goal | measured | met |", "|---|---|---|"]
    for goal, measured, met in goals(res):
        lines.append(f"| {goal} | {measured} | {'yes' if met else '**no**'} |")
    table = "\n".join(lines) + "\n"
    print("\n" + table)
    os.makedirs(out_dir, exist_ok=True)
    stamp = res["date"][:10]
    for name in ("latest", stamp):
        with open(os.path.join(out_dir, f"{name}.json"), "w") as f:
            json.dump(res, f, indent=2)
            f.write("\n")
        with open(os.path.join(out_dir, f"{name}.md"), "w") as f:
            f.write(table)
    log(f"results in {out_dir}/latest.md and latest.json")


if __name__ == "__main__":
    main()
