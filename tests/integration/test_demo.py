"""`make demo`'s script, run as a test: the whole product flow against the real binaries.

Run from the repository root with Debian's python3:
    GATEHOUSE_BIN=build/gatehouse /usr/bin/python3 -m pytest -q tests/integration/test_demo.py
"""

import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.abspath(os.environ.get("GATEHOUSE_BIN", os.path.join(ROOT, "build", "gatehouse")))
ORDERS_API_BIN = os.path.join(os.path.dirname(BIN), "orders_api")


def test_demo_runs_the_whole_flow_and_cleans_up():
    r = subprocess.run([sys.executable, os.path.join(ROOT, "examples", "demo.py"),
                        "--gatehouse", BIN, "--orders-api", ORDERS_API_BIN],
                       capture_output=True, text=True, timeout=300)
    out = r.stdout
    assert r.returncode == 0, out + r.stderr
    for line in ["1. A developer registers and logs in",
                 "environment development: issuer http://127.0.0.1:",
                 "environment production: issuer http://127.0.0.1:",
                 "3. The developer registers the Orders API with read:orders and write:orders",
                 "4. The developer creates a consumer client granted only read:orders",
                 "scope \"read:orders\"",
                 "200 OK: 1 order(s)",
                 "403 Forbidden: WWW-Authenticate: Bearer realm=\"orders\", "
                 "error=\"insufficient_scope\"",
                 "next GET /orders: 401 Unauthorized",
                 "10. Someone tries a wrong client secret, repeatedly",
                 "the source was blocked after repeated failures",
                 "alert raised: block.created",
                 "DEMO OK"]:
        assert line in out, f"missing {line!r} in:\n{out}"
    workdir = out.split("fresh data dir ")[1].split("/data)")[0]
    assert not os.path.exists(workdir), "the demo left its temporary directory behind"
