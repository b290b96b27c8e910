"""Shared harness for integration tests: a real `gatehouse serve` on a free 127.0.0.1 port.

Every process started here is stopped by its PID (SIGTERM, then SIGKILL after a timeout).
"""

import os
import signal
import socket
import subprocess
import time

import requests

BIN = os.environ.get("GATEHOUSE_BIN", "build/gatehouse")
PASSWORD = "correct horse battery staple"


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """One gatehouse process. `start()` waits for /readyz; `stop()` ends it by PID."""

    def __init__(self, data_dir, port=None, extra_args=(), env=None):
        self.data_dir = str(data_dir)
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.extra_args = list(extra_args)
        self.env = env
        self.proc = None
        self.log_path = os.path.join(self.data_dir + ".log")

    def start(self, timeout=30):
        env = {k: v for k, v in os.environ.items() if not k.startswith("GATEHOUSE_")}
        env.update(self.env or {})
        self.log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(
            [BIN, "serve", "--listen", f"127.0.0.1:{self.port}", "--data-dir", self.data_dir,
             *self.extra_args],
            stdout=self.log, stderr=subprocess.STDOUT, env=env)
        deadline = time.monotonic() + timeout
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gatehouse exited with {self.proc.returncode}:\n{self.logs()}")
            try:
                if requests.get(self.url + "/readyz", timeout=1).status_code == 200:
                    return self
            except requests.RequestException:
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"gatehouse not ready after {timeout} s:\n{self.logs()}")
            time.sleep(0.05)

    def stop(self, sig=signal.SIGTERM, timeout=15):
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            os.kill(self.proc.pid, sig)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.kill(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        code = self.proc.returncode
        self.proc = None
        self.log.close()
        return code

    def logs(self):
        try:
            with open(self.log_path, encoding="utf-8", errors="replace") as f:
                return f.read()
        except OSError:
            return ""


class Api:
    """A developer's view of the management API over a keep-alive session."""

    def __init__(self, url):
        self.url = url
        self.http = requests.Session()
        self.token = None

    def call(self, method, path, body=None, token=True, **kw):
        headers = kw.pop("headers", {})
        if token and self.token:
            headers.setdefault("Authorization", f"Bearer {self.token}")
        return self.http.request(method, self.url + path, json=body, headers=headers,
                                 timeout=30, **kw)

    def signup_and_login(self, email, password=PASSWORD):
        r = self.call("POST", "/api/v1/accounts", {"email": email, "password": password})
        assert r.status_code == 201, r.text
        r = self.call("POST", "/api/v1/sessions", {"email": email, "password": password})
        assert r.status_code == 201, r.text
        self.token = r.json()["token"]
        return self

    def create_project(self, name="Acme Payments", **fields):
        r = self.call("POST", "/api/v1/projects", {"name": name, **fields})
        assert r.status_code == 201, r.text
        return r.json()

    def create_api(self, env_id, identifier="https://orders.example.test",
                   scopes=("read:orders", "write:orders"), **fields):
        body = {"name": "Orders", "identifier": identifier,
                "scopes": [{"name": s, "description": s} for s in scopes], **fields}
        r = self.call("POST", f"/api/v1/environments/{env_id}/apis", body)
        assert r.status_code == 201, r.text
        return r.json()

    def create_client(self, env_id, grants, **fields):
        body = {"name": "Billing service", "grants": grants, **fields}
        r = self.call("POST", f"/api/v1/environments/{env_id}/clients", body)
        assert r.status_code == 201, r.text
        return r.json()
