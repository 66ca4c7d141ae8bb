import io

import pytest

from bastion.core.errors import StaleVersion, ValidationError
from bastion.people.services import person_create
from bastion.screening.models import Signal, VerificationRow
from bastion.screening.services import ListRow, vlist_upload, vrow_route, vrow_verify
from bastion.screening.spreadsheets.verification import list_rows_read
from bastion.screening.tests.workbooks import workbook

ID_ZHANGSAN = "430202199001010011"


@pytest.fixture
def known(tree, personas):
    zhang = person_create(
        actor=personas.commander, unit=tree.yuetang, name="张三", id_number=ID_ZHANGSAN
    )
    li = person_create(
        actor=personas.commander, unit=tree.liyujuwei, name="李四", mobile="13900001111"
    )
    return {"zhang": zhang, "li": li}


def upload(personas, tree, rows):
    return vlist_upload(
        actor=personas.township_officer, unit=tree.liyu, title="省推送：湖北来株人员", rows=rows
    )


def test_rows_are_routed_by_id_then_phone_then_address(known, personas, tree):
    # when
    vlist = upload(
        personas,
        tree,
        [
            ListRow("Sheet1", 3, name="张三", id_number=ID_ZHANGSAN),
            ListRow("Sheet1", 4, name="李四", mobile="139 0000 1111"),
            ListRow("Sheet1", 5, name="王五", address="栗雨街道月塘社区泰山路 18 号"),
            ListRow("Sheet1", 6, name="赵六", address="不详"),
        ],
    )
    # then
    rows = {r.row_number: r for r in vlist.rows.all()}
    assert (rows[3].unit, rows[3].routed_by, rows[3].person) == (
        tree.yuetang,
        "id_number",
        known["zhang"],
    )
    assert (rows[4].unit, rows[4].routed_by) == (tree.liyujuwei, "mobile")
    assert (rows[5].unit, rows[5].routed_by) == (tree.yuetang, "address")
    assert rows[6].unit is None and rows[6].unit_code == tree.liyu.code
    assert Signal.objects.filter(source="verification_list").count() == 3
    assert rows[3].signal.person == known["zhang"]


def test_a_village_only_sees_its_own_rows(known, personas, tree):
    from bastion.screening.selectors import vrow_list

    upload(
        personas,
        tree,
        [ListRow("S", 3, name="张三", id_number=ID_ZHANGSAN), ListRow("S", 4, name="赵六")],
    )
    assert [r.name for r in vrow_list(user=personas.village_worker)] == ["张三"]
    assert vrow_list(user=personas.township_officer).count() == 2
    assert vrow_list(user=personas.outsider).count() == 0


def test_rejects_an_upload_from_a_village(personas, tree):
    with pytest.raises(ValidationError) as e:
        vlist_upload(
            actor=personas.village_worker,
            unit=tree.yuetang,
            title="名单",
            rows=[ListRow("S", 2, name="甲")],
        )
    assert e.value.message_dict == {"unit": ["核查名单只能由县（区）或乡镇（街道）下发。"]}


def test_a_correction_is_kept_beside_the_original(known, personas, tree):
    # given
    vlist = upload(
        personas, tree, [ListRow("S", 3, name="张叁", id_number=ID_ZHANGSAN, mobile="13900002222")]
    )
    row = vlist.rows.get()
    # when
    verified = vrow_verify(
        actor=personas.village_worker,
        row=row,
        status="found_corrected",
        version=row.version,
        corrected_name="张三",
        corrected_mobile="13900003333",
        corrected_id_number=ID_ZHANGSAN,
    )
    # then
    assert (verified.name, verified.corrected_name) == ("张叁", "张三")
    assert (verified.mobile, verified.corrected_mobile) == ("13900002222", "13900003333")
    assert verified.corrected_id_number == ""  # the same as the original: no correction
    assert verified.signal.status == "verifying"


def test_found_with_corrections_needs_a_correction(known, personas, tree):
    row = upload(personas, tree, [ListRow("S", 3, name="张三", id_number=ID_ZHANGSAN)]).rows.get()
    with pytest.raises(ValidationError) as e:
        vrow_verify(
            actor=personas.village_worker,
            row=row,
            status="found_corrected",
            version=1,
            corrected_name="张三",
        )
    assert e.value.message_dict == {
        "status": ["选择“信息有误已更正”时，请至少填写一项与原值不同的更正。"]
    }


def test_not_here_closes_the_signal_as_not_found(known, personas, tree):
    row = upload(personas, tree, [ListRow("S", 3, name="张三", id_number=ID_ZHANGSAN)]).rows.get()
    verified = vrow_verify(
        actor=personas.village_worker,
        row=row,
        status="not_here",
        version=1,
        note="走访邻居，已搬走两年",
    )
    assert verified.signal.status == "not_found" and verified.signal.handling_seconds is not None


def test_not_here_needs_the_account_of_the_check(known, personas, tree):
    row = upload(personas, tree, [ListRow("S", 3, name="张三", id_number=ID_ZHANGSAN)]).rows.get()
    with pytest.raises(ValidationError) as e:
        vrow_verify(actor=personas.village_worker, row=row, status="unreachable", version=1)
    assert e.value.message_dict == {"note": ["请写明核查经过（例如走访、电话情况）。"]}


def test_a_stale_verification_writes_nothing(known, personas, tree):
    row = upload(personas, tree, [ListRow("S", 3, name="张三", id_number=ID_ZHANGSAN)]).rows.get()
    vrow_verify(actor=personas.village_worker, row=row, status="found_correct", version=1)
    with pytest.raises(StaleVersion):
        vrow_verify(actor=personas.village_worker, row=row, status="not_here", version=1, note="x")
    assert VerificationRow.objects.get().status == "found_correct"


def test_the_uploader_routes_an_unroutable_row_by_hand(personas, tree):
    row = upload(personas, tree, [ListRow("S", 3, name="赵六")]).rows.get()
    routed = vrow_route(actor=personas.township_officer, row=row, unit=tree.liyujuwei)
    assert routed.unit_code == tree.liyujuwei.code and routed.signal.unit == tree.liyujuwei
    with pytest.raises(ValidationError) as e:
        vrow_route(actor=personas.township_officer, row=routed, unit=tree.yuetang)
    assert e.value.message_dict == {"unit": ["该行已分派。"]}


def test_a_messy_list_is_read_from_every_sheet(db):
    # given a title merged above the header, synonyms, blank rows, two sheets
    data = workbook(
        {
            "天元区": [
                ["序号", "姓 名", "公民身份号码", "联系电话", "现住址", "抵株时间"],
                [1, " 张三 ", "430202199001010011", 13900001111, "月塘社区", "2020年1月21日"],
                [None, None, None, None, None, None],
                [2, "李四", "", "", "栗雨社区", ""],
            ],
            "荷塘区": [
                ["姓名", "证件号码", "手机"],
                ["王五", "４３０２０２１９９００１０１００１１", ""],
            ],
        },
        title="自湖北来株人员核查名单",
    )
    # when
    rows = list_rows_read(io.BytesIO(data))
    # then
    assert [(r.sheet, r.row, r.name) for r in rows] == [
        ("天元区", 4, "张三"),
        ("天元区", 6, "李四"),
        ("荷塘区", 4, "王五"),
    ]
    assert rows[0].mobile == "13900001111" and rows[0].extra == {"抵株时间": "2020年1月21日"}
    assert rows[2].id_number == "430202199001010011"
