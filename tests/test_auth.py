"""Admin logins are throttled: repeated failures lock the account out from that address."""

import pytest
from django.contrib.auth import get_user_model

pytestmark = pytest.mark.django_db


def attempt(client, password, address="10.0.0.1"):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": "official", "password": password},
        REMOTE_ADDR=address,
    )


def test_five_failures_lock_the_account_out_even_with_the_right_password(client):
    get_user_model().objects.create_user("official", password="right-one-123", is_staff=True)
    for _ in range(5):
        assert attempt(client, "wrong").status_code == 200  # the form again, with its error
    locked = attempt(client, "right-one-123")
    assert locked.status_code == 200 and "_auth_user_id" not in client.session


def test_another_address_is_not_locked_out(client):
    get_user_model().objects.create_user("official", password="right-one-123", is_staff=True)
    for _ in range(5):
        attempt(client, "wrong")
    response = attempt(client, "right-one-123", address="10.0.0.2")
    assert response.status_code == 302 and "_auth_user_id" in client.session


def test_a_few_failures_do_not_lock_anyone_out(client):
    get_user_model().objects.create_user("official", password="right-one-123", is_staff=True)
    for _ in range(4):
        attempt(client, "wrong")
    assert attempt(client, "right-one-123").status_code == 302
