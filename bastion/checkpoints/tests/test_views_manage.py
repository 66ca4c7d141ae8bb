"""Setting up and editing a checkpoint from the web; nobody outside the county can."""

from bastion.checkpoints.models import Checkpoint


def form(**fields):
    data = {
        "name": "栗雨村口卡点",
        "kind": "village_entrance",
        "place": "栗雨路口",
        "responsible_unit": "",
        "person_in_charge": "张书记",
        "phone": "139 0733 0199",
        "serving_kinds": ["township", "volunteer"],
        "minimum_total": "2",
        "min_police": "0",
        "min_health": "1",
        "max_hours_in_24": "12",
        "slots": "白班 7:00 12；夜班 19:00 12",
    }
    data.update(fields)
    return data


def test_a_township_officer_sets_up_a_checkpoint(client_of, personas, tree):
    # when
    response = client_of(personas.township_officer).post(
        f"/checkpoints/units/{tree.liyu.code}/new/", form(responsible_unit=tree.liyu.code)
    )
    # then
    checkpoint = Checkpoint.objects.get()
    assert response.status_code == 302
    assert checkpoint.unit_code == "430211003000K001" and checkpoint.responsible_unit == tree.liyu
    assert checkpoint.phone == "13907330199" and checkpoint.minimum_by_kind == {"health": 1}
    assert checkpoint.slots == [
        {"code": "s1", "label": "白班", "starts": "07:00", "hours": 12},
        {"code": "s2", "label": "夜班", "starts": "19:00", "hours": 12},
    ]


def test_a_bad_slot_line_is_explained(client_of, personas, tree):
    response = client_of(personas.township_officer).post(
        f"/checkpoints/units/{tree.liyu.code}/new/", form(slots="白班 八点")
    )
    assert (
        "第 1 个班次应写成“名称 开始时间 小时数”，例如“白班 08:00 8”。" in response.content.decode()
    )
    assert not Checkpoint.objects.exists()


def test_editing_keeps_slot_codes_and_refuses_a_stale_copy(client_of, personas, zhuzhou_west):
    client = client_of(personas.county_officer)
    url = f"/checkpoints/{zhuzhou_west.unit_code}/edit/"
    page = client.get(url).content.decode()
    assert "夜班 00:00 8；白班 08:00 8；晚班 16:00 8" in page
    saved = client.post(
        url, form(version="1", kind="toll_station", slots="夜班 00:00 12；白班 12:00 12")
    )
    stale = client.post(url, form(version="1", place="别处"))
    zhuzhou_west.refresh_from_db()
    assert saved.status_code == 302 and zhuzhou_west.version == 2
    assert [s["code"] for s in zhuzhou_west.slots] == ["night", "day"]
    assert "保存失败：卡点信息刚被别人修改过" in stale.content.decode()
    assert zhuzhou_west.place == "栗雨路口"


def test_officers_and_other_counties_cannot(client_of, officer, personas, tree, zhuzhou_west):
    assert client_of(officer).get(f"/checkpoints/{zhuzhou_west.unit_code}/edit/").status_code == 404
    outsider = client_of(personas.outsider)
    assert outsider.get(f"/checkpoints/units/{tree.liyu.code}/new/").status_code == 404
    city = client_of(personas.commander)
    assert city.get(f"/checkpoints/units/{tree.liyu.code}/new/").status_code == 200
    county = client_of(personas.county_officer)
    assert county.get(f"/checkpoints/units/{tree.hetang.code}/new/").status_code == 404
