import pytest

from harness import Api, Server


@pytest.fixture
def server(tmp_path):
    s = Server(tmp_path / "data").start()
    yield s
    s.stop()


@pytest.fixture
def api(server):
    return Api(server.url).signup_and_login("dev@example.test")
