"""From a document (path or upload) to a parsed plan ready for actions.do_import_plan."""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path

from kesu.domain.plan_parsing import DocumentError, parse_file
from kesu.infra.zipcheck import ZipRefused, check_zip, upload_limits

__all__ = ["DocumentError", "parse_path", "parse_upload"]


def parse_path(path: Path) -> tuple[dict, str]:
    """The parse of a file and the SHA-256 of its bytes (same bytes = same document)."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise DocumentError(f"无法读取文件“{path.name}”：{error.strerror or error}") from error
    _check_unzipped(data, path.name)
    return parse_file(path), hashlib.sha256(data).hexdigest()


def parse_upload(name: str, data: bytes) -> tuple[dict, str]:
    """Parse uploaded bytes under their original file name (the extension decides the reader)."""
    suffix = Path(name).suffix.lower()
    _check_unzipped(data, name)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"upload{suffix}"
        path.write_bytes(data)
        try:
            parsed = parse_file(path)
        except DocumentError as error:
            raise DocumentError(str(error).replace(path.name, name)) from error
    return parsed, hashlib.sha256(data).hexdigest()


def _check_unzipped(data: bytes, name: str) -> None:
    """A .docx is a zip archive: refuse one that would unpack to more than a plan document holds."""
    if Path(name).suffix.lower() == ".docx":
        try:
            check_zip(data, name, upload_limits("plan"))
        except ZipRefused as error:
            raise DocumentError(str(error)) from error
