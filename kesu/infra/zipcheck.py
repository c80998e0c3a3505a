"""Zip bombs: an .xlsx or .docx is a zip archive, and a small one can unpack to gigabytes (a 96 KB .docx
holding 30 MB of text kept a server thread busy for minutes). `check_zip` reads only the archive's
directory and refuses it, naming the file, before any reader unpacks it. The sizes it checks are the ones
Python's zipfile then holds every reader to: an entry that unpacks to more than it declares fails to read.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from typing import BinaryIO, Literal

from django.conf import settings

from kesu.domain.refusals import Refused

MAX_ENTRIES = 10_000  # files inside one archive; a large workbook or document has a few hundred
RATIO_FREE = 1024 * 1024  # entries that unpack to less than this are not checked for their ratio


class ZipRefused(Refused, ValueError):
    """The archive would unpack to more than the limits allow; the message (Chinese) names the file."""


@dataclass(frozen=True)
class ZipLimits:
    unzipped: int  # bytes all entries unpack to together
    ratio: int  # unpacked / packed size allowed for an entry over RATIO_FREE
    entries: int = MAX_ENTRIES


def upload_limits(kind: Literal["plan", "import", "survey"]) -> ZipLimits:
    """The limits of the settings for plan documents, .xlsx imports, or survey files."""
    unzipped = {
        "plan": settings.KESU_MAX_UNZIPPED_PLAN,
        "import": settings.KESU_MAX_UNZIPPED_IMPORT,
        "survey": settings.KESU_MAX_UNZIPPED_SURVEY,
    }[kind]
    return ZipLimits(unzipped=unzipped, ratio=settings.KESU_MAX_ZIP_RATIO)


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:,.1f} MB"


def check_zip(source: bytes | BinaryIO, name: str, limits: ZipLimits) -> None:
    """Raise ZipRefused when the archive has too many entries or unpacks to too much. A file that is not a
    zip archive passes: the reader that opens it next says what is wrong with it. A file object is left
    at the position it had."""
    stream = io.BytesIO(source) if isinstance(source, bytes) else source
    position = stream.tell()
    try:
        with zipfile.ZipFile(stream) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        return
    finally:
        stream.seek(position)
    if len(entries) > limits.entries:
        raise ZipRefused(f"文件“{name}”内含 {len(entries):,} 个部件，超过 {limits.entries:,} 个的上限，"
                         "不像正常的 Excel/Word 文件，已拒绝。")
    total = sum(entry.file_size for entry in entries)
    if total > limits.unzipped:
        raise ZipRefused(f"文件“{name}”解压后有 {_mb(total)}，超过 {_mb(limits.unzipped)} 的上限：请删去多余的内容"
                         "（如图片、空白行、多余的工作表）后重新上传。")
    for entry in entries:
        if entry.file_size > RATIO_FREE and entry.file_size > limits.ratio * max(entry.compress_size, 1):
            ratio = entry.file_size // max(entry.compress_size, 1)
            raise ZipRefused(f"文件“{name}”中的部件“{entry.filename[:80]}”压缩比异常（{ratio:,} 倍，上限 {limits.ratio} 倍），"
                             "可能是恶意构造的文件，已拒绝。")
