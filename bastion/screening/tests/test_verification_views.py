import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from python_calamine import CalamineWorkbook

from bastion.audit.models import AccessLog
from bastion.people.services import person_create
from bastion.screening.models import VerificationList, VerificationRow
from bastion.screening.tests.workbooks import workbook

ID_ZHANGSAN = "430202199001010011"


@pytest.fixture
def pushed(tree, personas, client_of):
    """A list of three rows pushed down by 栗雨街道: one to 月塘 by ID, one to 栗雨居委会 by
    address, one unroutable."""
    person_create(actor=personas.commander, unit=tree.yuetang, name="张三", id_number=ID_ZHANGSAN)
    data = workbook(
        {
            "名单": [
                ["姓名", "身份证号码", "手机号码", "家庭住址"],
                ["张三", ID_ZHANGSAN, "13900002222", "月塘路"],
                ["李四", "", "", "栗雨社区栗雨路 2 号"],
                ["赵六", "", "", "外地"],
            ]
        }
    )
    response = client_of(personas.township_officer).post(
        "/screening/lists/new/",
        {
            "unit": tree.liyu.code,
            "title": "省推送：湖北来株人员",
            "file": SimpleUploadedFile("list.xlsx", data),
        },
    )
    assert response.status_code == 302, response.content.decode()
    return VerificationList.objects.get()


def test_the_uploader_sees_progress_per_village_and_the_unrouted_rows(
    pushed, personas, client_of, tree
):
    page = (
        client_of(personas.township_officer).get(f"/screening/lists/{pushed.pk}/").content.decode()
    )
    assert "已核查 0/3" in page and "未能分派" in page and "赵六" in page
    assert f'data-unit="{tree.yuetang.code}"' in page


def test_an_unreadable_file_says_why(personas, client_of, tree):
    response = client_of(personas.township_officer).post(
        "/screening/lists/new/",
        {
            "unit": tree.liyu.code,
            "title": "名单",
            "file": SimpleUploadedFile("x.xlsx", b"not excel"),
        },
    )
    assert (
        "无法读取文件：不是有效的 Excel 文件（.xlsx、.xls 或 .ods），或文件已损坏。"
        in response.content.decode()
    )
    assert not VerificationList.objects.exists()


def test_a_village_verifies_its_row_with_a_correction(pushed, personas, client_of):
    # given
    row = VerificationRow.objects.get(name="张三")
    client = client_of(personas.village_worker)
    index = client.get("/screening/lists/").content.decode()
    # when
    response = client.post(
        f"/screening/rows/{row.pk}/",
        {"status": "found_corrected", "corrected_mobile": "13900003333", "version": 1},
    )
    # then
    assert f'data-row="{row.pk}"' in index and "李四" not in index
    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.mobile, row.corrected_mobile, row.status) == (
        "13900002222",
        "13900003333",
        "found_corrected",
    )


def test_the_verify_page_masks_the_list_values(pushed, personas, client_of):
    row = VerificationRow.objects.get(name="张三")
    page = client_of(personas.village_worker).get(f"/screening/rows/{row.pk}/").content.decode()
    assert "4302**********0011" in page and ID_ZHANGSAN not in page and "139****2222" in page


def test_a_row_of_another_village_is_404(pushed, personas, client_of):
    row = VerificationRow.objects.get(name="张三")
    assert client_of(personas.neighbour_worker).get(f"/screening/rows/{row.pk}/").status_code == 404
    assert (
        client_of(personas.village_worker).get(f"/screening/lists/{pushed.pk}/").status_code == 404
    )


def test_the_export_is_masked_and_logged_with_its_reason(pushed, personas, client_of):
    response = client_of(personas.township_officer).post(
        f"/screening/lists/{pushed.pk}/export/", {"reason": "报送区指挥部"}
    )
    rows = (
        CalamineWorkbook.from_filelike(io.BytesIO(response.content))
        .get_sheet_by_index(0)
        .to_python()
    )
    assert rows[1][:4] == ["原表", "行号", "姓名", "身份证号"]
    zhang = next(r for r in rows if r[2] == "张三")
    assert zhang[3] == "4302**********0011" and zhang[4] == "139****2222"
    log = AccessLog.objects.get(action="export")
    assert log.reason == "报送区指挥部" and log.detail == {"count": 3, "masked": True}


def test_the_export_needs_a_reason(pushed, personas, client_of):
    response = client_of(personas.township_officer).post(
        f"/screening/lists/{pushed.pk}/export/", {}, follow=True
    )
    assert "请填写导出事由。" in response.content.decode()
    assert not AccessLog.objects.filter(action="export").exists()


def test_the_uploader_routes_an_unroutable_row(pushed, personas, client_of, tree):
    row = VerificationRow.objects.get(name="赵六")
    client_of(personas.township_officer).post(
        f"/screening/rows/{row.pk}/route/", {"unit": tree.liyujuwei.code}
    )
    row.refresh_from_db()
    assert row.unit == tree.liyujuwei and row.signal is not None
