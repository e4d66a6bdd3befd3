"""This app's matrix rows on their own (core's test runs them with every app's objects too)."""

import pytest

from duban.core.testing import check_matrix
from duban.notifications.tests.matrix import ROUTES, build


@pytest.mark.parametrize("name", sorted(ROUTES))
def test_route_answers_each_persona_as_expected(org, client_for, name):
    method, url, expected, *custom = ROUTES[name]
    data = custom[0] if custom else None
    if data is None and method == "post":
        data = {"reason": "测试", "version": 1}
    objects = {**build(org), "org": org}
    assert check_matrix(client_for, method, url(objects), expected, data) == []
