import pytest

from duban.notifications.tests import robot_server


@pytest.fixture
def robots():
    """The loopback robot server; its `url` is a Channel's base_url."""
    state, server = robot_server.start()
    yield state
    server.shutdown()
    server.server_close()
