"""Settings of the test suite (pyproject's DJANGO_SETTINGS_MODULE): the production settings, debug off, with
explicit test-only secrets, so that `make test` needs no environment and production needs every secret set.
"""

import os

os.environ.setdefault("KESU_SECRET_KEY", "kesu-test-only-secret-key-never-used-in-production")
os.environ.setdefault("KESU_FIELD_KEY", "kesu-test-only-field-key")

from kesu.settings import *  # noqa: E402,F403

# Tests sign in hundreds of named actors: a fast hasher keeps set-up cheap (production keeps PBKDF2).
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
