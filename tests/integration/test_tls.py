"""Native TLS against the real binary: a test CA and server certificate made here with the
openssl CLI; curl and Python requests over HTTPS; TLS 1.2+ only; HSTS; Secure session cookie;
our own HTTPS client (the CLI's, shared with the verification library) verifying the
certificate and its name."""

import os
import socket
import subprocess
import time

import pytest
import requests

from harness import PASSWORD, Server, free_port


def openssl(*args, cwd):
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture
def pki(tmp_path):
    d = tmp_path / "pki"
    d.mkdir()
    openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=Gatehouse Test CA",
            cwd=d)
    openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost", cwd=d)
    (d / "ext.cnf").write_text("subjectAltName=DNS:localhost,IP:127.0.0.1\n"
                               "extendedKeyUsage=serverAuth\n")
    openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
            "-CAcreateserial", "-out", "server.pem", "-days", "2", "-extfile", "ext.cnf", cwd=d)
    return d


@pytest.fixture
def tls_server(tmp_path, pki, monkeypatch):
    # The harness polls /readyz with requests: make it trust the test CA.
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(pki / "ca.pem"))
    port = free_port()
    s = Server(tmp_path / "data", port=port,
               extra_args=["--tls-cert", str(pki / "server.pem"),
                           "--tls-key", str(pki / "server.key")])
    s.url = f"https://127.0.0.1:{port}"
    s.start()
    yield s
    s.stop()


def test_https_with_requests(tls_server, pki):
    ca = str(pki / "ca.pem")
    r = requests.get(tls_server.url + "/readyz", verify=ca, timeout=10)
    assert r.status_code == 200
    assert r.headers["Strict-Transport-Security"].startswith("max-age=")
    http = requests.Session()
    http.verify = ca
    r = http.post(tls_server.url + "/api/v1/accounts",
                  json={"email": "tls@example.test", "password": PASSWORD}, timeout=30)
    assert r.status_code == 201
    r = http.post(tls_server.url + "/api/v1/sessions",
                  json={"email": "tls@example.test", "password": PASSWORD}, timeout=30)
    assert r.status_code == 201
    assert "; Secure" in r.headers["Set-Cookie"]
    token = r.json()["token"]
    project = http.post(tls_server.url + "/api/v1/projects", json={"name": "TLS"},
                        headers={"Authorization": f"Bearer {token}"}, timeout=30).json()
    issuer = project["environments"][0]["issuer"]
    assert issuer.startswith(tls_server.url + "/oauth/")
    meta = http.get(issuer + "/.well-known/oauth-authorization-server", timeout=30).json()
    assert meta["token_endpoint"].startswith("https://")
    # Without the CA, the certificate is refused.
    with pytest.raises(requests.exceptions.SSLError):
        requests.get(tls_server.url + "/readyz", verify=requests.certs.where(), timeout=10)


def test_https_with_curl(tls_server, pki):
    out = subprocess.run(["curl", "-sS", "--cacert", str(pki / "ca.pem"), "-D", "-",
                          tls_server.url + "/healthz"], capture_output=True, text=True, timeout=30)
    assert out.returncode == 0, out.stderr
    assert "HTTP/1.1 200" in out.stdout and "strict-transport-security" in out.stdout.lower()
    # TLS 1.1 and older are refused.
    old = subprocess.run(["curl", "-sS", "--cacert", str(pki / "ca.pem"), "--tlsv1.1",
                          "--tls-max", "1.1", tls_server.url + "/healthz"],
                         capture_output=True, text=True, timeout=30)
    assert old.returncode != 0
    # Plain HTTP on the TLS port gets no answer.
    plain = subprocess.run(["curl", "-sS", "--max-time", "5",
                            tls_server.url.replace("https", "http") + "/healthz"],
                           capture_output=True, text=True, timeout=30)
    assert plain.returncode != 0 or "HTTP/1.1 200" not in plain.stdout


def test_tls_protocols(tls_server, pki):
    host, port = "127.0.0.1", tls_server.port
    for flag, ok in (("-tls1_2", True), ("-tls1_3", True), ("-tls1_1", False)):
        out = subprocess.run(["openssl", "s_client", "-connect", f"{host}:{port}", flag,
                              "-CAfile", str(pki / "ca.pem"), "-verify_return_error"],
                             input="", capture_output=True, text=True, timeout=30)
        assert (out.returncode == 0) == ok, (flag, out.stdout[-500:], out.stderr[-500:])


def test_mismatched_tls_settings_are_refused(tmp_path, pki):
    out = subprocess.run([os.environ.get("GATEHOUSE_BIN", "build/gatehouse"), "serve",
                          "--listen", f"127.0.0.1:{free_port()}", "--data-dir",
                          str(tmp_path / "d"), "--tls-cert", str(pki / "server.pem")],
                         capture_output=True, text=True, timeout=30)
    assert out.returncode != 0 and "tls_key" in out.stderr


def gatehouse_cli(url, home, *args, ca=None):
    """The `gatehouse` CLI against `url`, trusting `ca` (GATEHOUSE_CA_FILE) when given."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GATEHOUSE_")}
    env.update(HOME=str(home), GATEHOUSE_CONFIG_DIR=str(home / "config"), GATEHOUSE_SERVER=url)
    if ca:
        env["GATEHOUSE_CA_FILE"] = str(ca)
    return subprocess.run([os.environ.get("GATEHOUSE_BIN", "build/gatehouse"), *args],
                          capture_output=True, text=True, env=env, timeout=60)


def test_our_own_https_client_verifies_the_certificate_and_its_name(tls_server, pki, tmp_path):
    # The CLI and the verification library share one HTTPS client (common/http_exchange).
    home = tmp_path / "home"
    home.mkdir()
    port = tls_server.port
    signup = ("signup", "--email", "cli-tls@example.test", "--password", PASSWORD)
    ok = gatehouse_cli(f"https://127.0.0.1:{port}", home, *signup, ca=pki / "ca.pem")
    assert ok.returncode == 0, ok.stderr
    # A DNS name from the certificate's SAN works too (checked by name, and sent as SNI).
    again = gatehouse_cli(f"https://localhost:{port}", home, *signup, ca=pki / "ca.pem")
    assert again.returncode != 0 and "already" in again.stderr.lower(), again.stderr
    # A certificate from a CA we do not trust is refused before anything is sent.
    untrusted = gatehouse_cli(f"https://127.0.0.1:{port}", home, *signup)
    assert untrusted.returncode != 0
    assert "certificate verify failed" in untrusted.stderr, untrusted.stderr


def test_our_own_https_client_refuses_a_certificate_for_another_name(tmp_path, pki):
    # Signed by the trusted CA, but for other.test only: not for the address we asked for.
    openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-keyout", "other.key", "-out", "other.csr", "-subj", "/CN=other.test", cwd=pki)
    (pki / "other.cnf").write_text("subjectAltName=DNS:other.test\nextendedKeyUsage=serverAuth\n")
    openssl("x509", "-req", "-in", "other.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
            "-CAcreateserial", "-out", "other.pem", "-days", "2", "-extfile", "other.cnf", cwd=pki)
    port = free_port()
    log = open(tmp_path / "other.log", "wb")
    proc = subprocess.Popen(
        [os.environ.get("GATEHOUSE_BIN", "build/gatehouse"), "serve", "--listen",
         f"127.0.0.1:{port}", "--data-dir", str(tmp_path / "data"),
         "--tls-cert", str(pki / "other.pem"), "--tls-key", str(pki / "other.key")],
        stdout=log, stderr=subprocess.STDOUT,
        env={k: v for k, v in os.environ.items() if not k.startswith("GATEHOUSE_")})
    try:
        deadline = time.monotonic() + 30
        while True:  # listening (its certificate cannot pass our own readiness check)
            assert proc.poll() is None and time.monotonic() < deadline
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.05)
        home = tmp_path / "home"
        home.mkdir()
        r = gatehouse_cli(f"https://127.0.0.1:{port}", home, "signup", "--email",
                          "x@example.test", "--password", PASSWORD, ca=pki / "ca.pem")
        assert r.returncode != 0
        assert "certificate verify failed" in r.stderr, r.stderr
        # The same server, asked for by the name on its certificate, is trusted: only the name
        # was wrong. (other.test is not resolvable here, so this is checked with openssl.)
        out = subprocess.run(["openssl", "s_client", "-connect", f"127.0.0.1:{port}",
                              "-CAfile", str(pki / "ca.pem"), "-verify_hostname", "other.test",
                              "-verify_return_error"], input="", capture_output=True, text=True,
                             timeout=30)
        assert out.returncode == 0, out.stderr[-500:]
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
