"""Which evidence files (佐证材料) are accepted: type checked by extension AND by the file's first bytes."""

from __future__ import annotations

from pathlib import PurePath

from kesu.domain.refusals import Refused

MAX_BYTES = 20 * 1024 * 1024

_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# extension -> (content type, accepted leading bytes)
ACCEPTED: dict[str, tuple[str, tuple[bytes, ...]]] = {
    ".pdf": ("application/pdf", (b"%PDF",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (_ZIP,)),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (_ZIP,)),
    ".pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", (_ZIP,)),
    ".doc": ("application/msword", (_OLE,)),
    ".xls": ("application/vnd.ms-excel", (_OLE,)),
    ".ppt": ("application/vnd.ms-powerpoint", (_OLE,)),
}
ACCEPTED_TEXT = "PDF、Word、Excel、PPT 文档和 JPG/PNG 图片"


class EvidenceRefused(Refused):
    pass


def check_evidence(name: str, size: int, head: bytes, max_bytes: int = MAX_BYTES) -> str:
    """The content type to store, or EvidenceRefused naming the file and what is wrong."""
    suffix = PurePath(name).suffix.lower()
    if suffix not in ACCEPTED:
        raise EvidenceRefused(f"“{name}”的文件类型不支持，只能上传{ACCEPTED_TEXT}。")
    if size == 0:
        raise EvidenceRefused(f"“{name}”是空文件。")
    if size > max_bytes:
        raise EvidenceRefused(f"“{name}”大小为 {size / 1024 / 1024:.1f} MB，超过 {max_bytes // 1024 // 1024} MB 的上限。")
    content_type, magics = ACCEPTED[suffix]
    if not head.startswith(magics):
        raise EvidenceRefused(f"“{name}”的内容与扩展名 {suffix} 不符（文件可能已损坏或被改名），请检查后重新上传。")
    return content_type
