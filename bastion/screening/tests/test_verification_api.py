from bastion.people.services import person_create
from bastion.screening.models import VerificationRow
from bastion.screening.tests.workbooks import workbook

ID_ZHANGSAN = "430202199001010011"
LIST = workbook(
    {
        "名单": [
            ["姓名", "身份证号", "手机", "住址"],
            ["张三", ID_ZHANGSAN, "", "月塘路"],
            ["赵六", "", "", "外地"],
        ]
    }
)


def push(client_of, personas, tree, data=LIST):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client_of(personas.township_officer).post(
        "/api/v1/verification-lists",
        {"unit": tree.liyu.code, "title": "省推送名单", "file": SimpleUploadedFile("l.xlsx", data)},
    )


def test_it_uploads_a_list_and_reports_progress_per_village(personas, client_of, tree):
    person_create(actor=personas.commander, unit=tree.yuetang, name="张三", id_number=ID_ZHANGSAN)
    response = push(client_of, personas, tree)
    body = response.json()
    assert response.status_code == 201 and body["total"]["total"] == 2
    assert {p["unit_code"] for p in body["per_unit"]} == {tree.yuetang.code, None}


def test_an_unreadable_upload_is_422(personas, client_of, tree):
    response = push(client_of, personas, tree, data=b"garbage")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "file"


def test_a_village_lists_and_verifies_its_rows(personas, client_of, api, tree):
    # given
    person_create(actor=personas.commander, unit=tree.yuetang, name="张三", id_number=ID_ZHANGSAN)
    push(client_of, personas, tree)
    call = api(personas.village_worker)
    # when
    listed = call("get", "/verification-rows").json()
    row_id = listed["items"][0]["id"]
    verified = call(
        "post",
        f"/verification-rows/{row_id}/verify",
        data={"status": "found_correct", "version": 1},
    )
    stale = call(
        "post",
        f"/verification-rows/{row_id}/verify",
        data={"status": "not_here", "version": 1, "note": "已搬走"},
    )
    # then
    assert listed["count"] == 1 and listed["items"][0]["id_number_masked"] == "4302**********0011"
    assert verified.status_code == 200 and verified.json()["status"] == "found_correct"
    assert stale.status_code == 409 and stale.json()["current"]["status"] == "found_correct"


def test_a_row_of_another_village_is_404_and_an_unrouted_one_403(personas, client_of, api, tree):
    person_create(actor=personas.commander, unit=tree.yuetang, name="张三", id_number=ID_ZHANGSAN)
    push(client_of, personas, tree)
    mine = VerificationRow.objects.get(name="张三")
    unrouted = VerificationRow.objects.get(name="赵六")
    data = {"status": "found_correct", "version": 1}
    assert (
        api(personas.neighbour_worker)(
            "post", f"/verification-rows/{mine.pk}/verify", data=data
        ).status_code
        == 404
    )
    assert (
        api(personas.township_officer)(
            "post", f"/verification-rows/{unrouted.pk}/verify", data=data
        ).status_code
        == 403
    )
    routed = api(personas.township_officer)(
        "post", f"/verification-rows/{unrouted.pk}/route", data={"unit": tree.liyujuwei.code}
    )
    assert routed.status_code == 200 and routed.json()["unit_code"] == tree.liyujuwei.code
