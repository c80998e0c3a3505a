"""Zip bombs are refused from the archive's directory alone, before anything is unpacked."""

import io
import time
import zipfile

import pytest

from kesu.infra.tests.bombs import docx_bomb, xlsx_bomb
from kesu.infra.zipcheck import ZipLimits, ZipRefused, check_zip

LIMITS = ZipLimits(unzipped=50 * 1024 * 1024, ratio=100)
MB = 1024 * 1024


def test_a_small_file_that_unpacks_to_more_than_the_limit_is_refused_quickly_naming_the_file():
    bomb = docx_bomb("方案", 60 * MB)
    assert len(bomb) < 200 * 1024
    started = time.perf_counter()
    with pytest.raises(ZipRefused, match=r"“方案.docx”解压后有 60\.\d MB，超过 50\.0 MB 的上限"):
        check_zip(bomb, "方案.docx", LIMITS)
    assert time.perf_counter() - started < 1


def test_an_entry_packed_far_tighter_than_real_text_is_refused_within_the_size_limit():
    with pytest.raises(ZipRefused, match="“答卷.xlsx”中的部件“xl/worksheets/sheet1.xml”压缩比异常"):
        check_zip(xlsx_bomb([["编号", "得分"], [1, 2]], 20 * MB), "答卷.xlsx", LIMITS)


def test_an_archive_of_too_many_parts_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for n in range(30):
            archive.writestr(f"x/{n}.xml", b"<a/>")
    with pytest.raises(ZipRefused, match="内含 30 个部件，超过 20 个的上限"):
        check_zip(buffer.getvalue(), "名单.xlsx", ZipLimits(unzipped=MB, ratio=100, entries=20))


def test_ordinary_files_and_files_that_are_not_zips_pass_and_a_stream_keeps_its_position():
    check_zip(docx_bomb("方案", 0), "方案.docx", LIMITS)
    check_zip(xlsx_bomb([[n, n * 2] for n in range(20_000)], 0), "答卷.xlsx", LIMITS)
    check_zip(b"not a zip at all", "答卷.xlsx", LIMITS)
    stream = io.BytesIO(docx_bomb("方案", 0))
    stream.seek(7)
    check_zip(stream, "方案.docx", LIMITS)
    assert stream.tell() == 7
