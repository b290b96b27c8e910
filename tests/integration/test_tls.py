"""Native TLS against the real binary: a test CA and server certificate made here with the
openssl CLI; curl and Python requests over HTTPS; TLS 1.2+ only; HSTS; Secure session cookie."""

import os
import subprocess

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
