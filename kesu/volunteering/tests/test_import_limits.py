"""An .xlsx import that would unpack to far more than a list holds is refused before it is read."""

from django.test import override_settings

from kesu.infra.tests.bombs import xlsx_bomb
from kesu.volunteering.importing import ImportRefused, check_file
from kesu.volunteering.tests.base import ServiceTestCase

MB = 1024 * 1024


class ImportZipBombTests(ServiceTestCase):
    @override_settings(KESU_MAX_UNZIPPED_IMPORT=4 * MB)
    def test_a_zip_bomb_is_refused_naming_the_file(self):
        with self.assertRaisesMessage(ImportRefused, "文件“基地.xlsx”解压后有"):
            check_file("bases", xlsx_bomb([["基地名称"], ["县科技馆"]], 6 * MB), "基地.xlsx", self.county)

    def test_a_part_packed_far_tighter_than_real_data_is_refused(self):
        with self.assertRaisesMessage(ImportRefused, "压缩比异常"):
            check_file("bases", xlsx_bomb([["基地名称"], ["县科技馆"]], 6 * MB), "基地.xlsx", self.county)
