import pytest


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded evidence and generated documents of a test go to its own temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


def pytest_configure(config):
    """Tests sign in hundreds of named actors: a fast hasher keeps set-up cheap (production keeps PBKDF2)."""
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
