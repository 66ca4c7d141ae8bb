"""The officer's screen: register from a phone form, see the shift's work, look up earlier
passages; another county's officer and a village worker do not see the checkpoint."""

import uuid

from bastion.audit.models import AccessLog
from bastion.checkpoints.models import Decision, VehiclePassage
from bastion.checkpoints.services import OccupantIn
from bastion.checkpoints.tests.conftest import ID_DRIVER, ID_PASSENGER
from bastion.screening.models import Signal

PAGE = "/checkpoints/430211000000K001/"


def form_data(tree, key=None, occupants=None, **fields):
    occupants = occupants or [
        {"name": "张三", "id_number": ID_DRIVER, "temperature": "36.6", "decision": "pass"},
        {
            "name": "李四",
            "id_number": ID_PASSENGER,
            "temperature": "37.8",
            "decision": "refer_fever_point",
        },
    ]
    data = {
        "client_uuid": str(key or uuid.uuid4()),
        "plate": "湘B12345",
        "vehicle_kind": "car",
        "origin": "湖北省武汉市",
        "destination": tree.yuetang.code,
        "destination_q": "月塘",
        "purpose": "return_home",
        "disposition": "",
        "note": "",
        "occupants-TOTAL_FORMS": str(len(occupants)),
        "occupants-INITIAL_FORMS": "0",
        "occupants-MIN_NUM_FORMS": "1",
        "occupants-MAX_NUM_FORMS": "60",
    }
    for i, o in enumerate(occupants):
        for k, v in o.items():
            data[f"occupants-{i}-{k}"] = v
    data.update(fields)
    return data


def test_the_index_takes_an_officer_straight_to_their_checkpoint(client_of, officer):
    response = client_of(officer).get("/checkpoints/")
    assert response.status_code == 302 and response.url == PAGE


def test_the_index_lists_the_checkpoints_of_a_county(client_of, personas, zhuzhou_west):
    response = client_of(personas.county_officer).get("/checkpoints/")
    assert response.status_code == 200
    assert "株洲西收费站卡点" in response.content.decode()


def test_the_screen_shows_the_form_and_the_current_shift(client_of, officer):
    # when
    response = client_of(officer).get(PAGE)
    # then
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="passage-form"' in page and "data-current-shift" in page
    assert "添加乘车人" in page and "转送发热门诊" in page


def test_it_registers_and_hands_over_from_the_form(client_of, officer, tree):
    # when
    response = client_of(officer).post(PAGE, form_data(tree))
    # then
    assert response.status_code == 302 and response.url == PAGE
    passage = VehiclePassage.objects.get()
    driver, passenger = passage.occupants.order_by("position")
    assert driver.decision == Decision.PASS_AND_HAND_OVER
    assert passenger.decision == Decision.REFER_FEVER_POINT
    assert Signal.objects.get().unit_code == tree.yuetang.code


def test_a_resent_form_registers_nothing_twice(client_of, officer, tree):
    # given
    client = client_of(officer)
    data = form_data(tree, key=uuid.uuid4())
    client.post(PAGE, data)
    # when: the same form is sent again (a double tap, a retry on a bad network)
    response = client.post(PAGE, data, follow=True)
    # then
    assert VehiclePassage.objects.count() == 1
    assert "这辆车已登记过，未重复登记。" in response.content.decode()


def test_errors_appear_beside_the_occupant_and_nothing_is_written(client_of, officer, tree):
    # when
    response = client_of(officer).post(
        PAGE,
        form_data(
            tree,
            occupants=[
                {"name": "张三", "temperature": "36.6", "decision": "pass"},
                {"name": "李四", "temperature": "365", "decision": "pass"},
            ],
        ),
    )
    # then
    page = response.content.decode()
    assert response.status_code == 200
    assert "体温 365 °C 不可能：是否漏了小数点（36.5 °C）？请核对后重新填写。" in page
    assert 'value="李四"' in page
    assert not VehiclePassage.objects.exists()


def test_blank_occupant_rows_are_ignored(client_of, officer, tree):
    data = form_data(
        tree,
        occupants=[
            {"name": "张三", "temperature": "36.6", "decision": "pass"},
            {"name": "", "temperature": "", "decision": "pass"},
        ],
        destination="",
        destination_q="",
    )
    response = client_of(officer).post(PAGE, data)
    assert response.status_code == 302
    assert VehiclePassage.objects.get().occupants.count() == 1


def test_the_screen_lists_this_shifts_passages_and_open_hand_overs(
    client_of, officer, register, django_assert_max_num_queries
):
    # given: passages of the current shift (now) with hand-overs
    for n in range(6):
        register(
            plate=f"湘B2000{n}",
            now=None,
            occupants=[
                OccupantIn(name=f"移交{n}", temperature="36.5", decision="pass_and_hand_over")
            ],
        )
    client = client_of(officer)
    # when
    with django_assert_max_num_queries(18):
        response = client.get(PAGE)
    # then
    page = response.content.decode()
    assert page.count("data-passage=") == 6
    assert "移交0" in page and "待村（社区）接收的移交" in page


def test_another_countys_officer_and_a_village_worker_get_404(
    client_of, hetang_officer, personas, zhuzhou_west
):
    assert client_of(hetang_officer).get(PAGE).status_code == 404
    assert client_of(personas.village_worker).get(PAGE).status_code == 404
    assert client_of(personas.outsider).get("/checkpoints/").status_code == 404


def test_the_auditor_sees_the_screen_without_the_form(client_of, personas, zhuzhou_west, tree):
    client = client_of(personas.auditor)
    response = client.get(PAGE)
    assert response.status_code == 200 and 'id="passage-form"' not in response.content.decode()
    assert client.post(PAGE, form_data(tree)).status_code == 404


def test_destinations_are_found_by_pinyin_initials(client_of, officer, tree):
    # when
    response = client_of(officer).get(PAGE + "destinations/", {"destination_q": "ytjwh"})
    # then
    page = response.content.decode()
    assert f'data-destination="{tree.yuetang.code}"' in page
    assert tree.wenhualu.code not in page


def test_destinations_cover_the_whole_city_not_just_the_officers_unit(client_of, officer, tree):
    response = client_of(officer).get(PAGE + "destinations/", {"destination_q": "文化路"})
    assert f'data-destination="{tree.wenhualu.code}"' in response.content.decode()


def test_origins_flag_high_risk_areas(client_of, officer, wuhan):
    response = client_of(officer).get("/checkpoints/origins/", {"origin": "whs"})
    page = response.content.decode()
    assert 'data-origin="湖北省武汉市"' in page and "中高风险地区" in page


def test_lookup_is_a_post_and_is_logged(client_of, officer, register):
    # given
    register(
        occupants=[OccupantIn(name="张三", id_number=ID_DRIVER, temperature="36.5")],
    )
    client = client_of(officer)
    # when
    response = client.post("/checkpoints/lookup/", {"q": ID_DRIVER}, headers={"HX-Request": "1"})
    # then
    page = response.content.decode()
    assert "之前经过 1 次" in page and "湘B12345" in page
    assert ID_DRIVER not in page
    assert AccessLog.objects.filter(action="search", detail__kind="id_number").exists()
    empty = client.get("/checkpoints/lookup/", {"q": ID_DRIVER})
    assert empty.status_code == 200 and "之前经过" not in empty.content.decode()


def test_lookup_explains_a_bad_number(client_of, officer):
    response = client_of(officer).post(
        "/checkpoints/lookup/", {"q": "430202199001010012"}, headers={"HX-Request": "1"}
    )
    assert "身份证号校验位不对：最后一位应为 1，实际为 2，请逐位核对。" in response.content.decode()


def test_the_passage_page_masks_numbers_and_is_404_outside(
    client_of, officer, hetang_officer, register
):
    # given
    passage = register(
        occupants=[
            OccupantIn(name="张三", id_number=ID_DRIVER, phone="13800138000", temperature="36.5")
        ]
    )
    url = f"/checkpoints/passages/{passage.pk}/"
    # when
    page = client_of(officer).get(url).content.decode()
    # then
    assert "4302**********0011" in page and "138****8000" in page
    assert ID_DRIVER not in page and "13800138000" not in page
    assert client_of(hetang_officer).get(url).status_code == 404


def test_a_returning_vehicle_and_person_are_recognised_while_typing(client_of, officer, register):
    # given
    register(
        plate="湘B54321",
        occupants=[OccupantIn(name="张三", id_number=ID_DRIVER, temperature="36.5")],
    )
    client = client_of(officer)
    headers = {"HX-Request": "1"}
    # when: the plate field, then an occupant's ID field, of the registration form change
    plate = client.post(
        "/checkpoints/lookup/",
        {"plate": "湘b54321", "occupants-0-id_number": ""},
        headers={**headers, "HX-Trigger-Name": "plate"},
    )
    person = client.post(
        "/checkpoints/lookup/",
        {"plate": "湘A00000", "occupants-1-id_number": ID_DRIVER},
        headers={**headers, "HX-Trigger-Name": "occupants-1-id_number"},
    )
    half_typed = client.post(
        "/checkpoints/lookup/",
        {"occupants-0-id_number": "4302"},
        headers={**headers, "HX-Trigger-Name": "occupants-0-id_number"},
    )
    # then
    assert "这辆车之前经过 1 次" in plate.content.decode()
    assert "此人之前经过 1 次" in person.content.decode()
    assert half_typed.content.decode().strip() == ""
