"""`gatehouse migrate` applies the schema and is idempotent; a bad setting is a clear error."""

import subprocess

from harness import BIN


def run(*args):
    return subprocess.run([BIN, *args], capture_output=True, text=True, timeout=60)


def test_migrate_is_idempotent(tmp_path):
    data = tmp_path / "data"
    first = run("migrate", "--data-dir", str(data))
    assert first.returncode == 0, first.stderr
    assert "schema at version" in first.stdout
    second = run("migrate", "--data-dir", str(data))
    assert second.returncode == 0 and second.stdout == first.stdout
    assert (data / "gatehouse.db").exists()


def test_bad_settings_are_named(tmp_path):
    r = run("serve", "--data-dir", str(tmp_path), "--log-level", "loud")
    assert r.returncode != 0 and "log_level" in r.stderr
    r = run("serve", "--data-dir", str(tmp_path), "--listen", "nowhere")
    assert r.returncode != 0 and "listen" in r.stderr
    conf = tmp_path / "g.toml"
    conf.write_text('colour = "red"\n')
    r = run("serve", "--config", str(conf))
    assert r.returncode != 0 and "colour" in r.stderr
