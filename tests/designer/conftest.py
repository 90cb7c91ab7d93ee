"""Fixtures for the app's tests: Alice and Bob (as in every test of ours), and state machines."""

import json

import harness  # noqa: F401  (registers the test functions)
import pytest

from designer.services import state_machines


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def alice(django_user_model):
    return django_user_model.objects.create_user("alice", password="alice-password")


@pytest.fixture
def bob(django_user_model):
    return django_user_model.objects.create_user("bob", password="bob-password")


@pytest.fixture
def make_state_machine(alice):
    def make(definition, owner=None, name="orders", type="STANDARD"):
        text = definition if isinstance(definition, str) else json.dumps(definition)
        return state_machines.create(owner or alice, name, text, type)

    return make
