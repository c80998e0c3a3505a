import pytest


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded evidence and generated documents of a test go to its own temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"

