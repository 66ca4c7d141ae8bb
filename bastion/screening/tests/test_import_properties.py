"""Property: importing any valid list a second time changes nothing."""

import io
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bastion.core.validators import id_check_char
from bastion.people.models import Household, Person
from bastion.screening.models import TravelRecord
from bastion.screening.services.imports import returnees_import_file
from bastion.screening.tests.workbooks import workbook

HEADER = [
    "姓名",
    "身份证号",
    "手机号",
    "住址",
    "从何地返回",
    "返乡日期",
    "交通方式",
    "车次/航班/车牌",
]
NAMES = st.text(alphabet="张王李赵刘陈杨黄周吴三四五六七八九十建国秀英", min_size=2, max_size=4)
ORIGINS = st.sampled_from(["湖北武汉", "湖北省黄冈市", "广东深圳", "湖南长沙", "浙江温州"])
TRANSPORTS = st.sampled_from(
    [("火车", "G1234"), ("飞机", "CZ3456"), ("自驾", "湘B12345"), ("客车", ""), ("", "")]
)


@st.composite
def rows(draw):
    born = draw(st.dates(min_value=date(1950, 1, 1), max_value=date(2005, 12, 31)))
    sequence = draw(st.integers(min_value=1, max_value=999))
    first17 = f"430211{born:%Y%m%d}{sequence:03d}"
    with_id = draw(st.booleans())
    mobile = f"139{draw(st.integers(min_value=0, max_value=10**8 - 1)):08d}"
    transport, number = draw(TRANSPORTS)
    arrived = date(2020, 1, 1) + timedelta(days=draw(st.integers(min_value=0, max_value=40)))
    return [
        draw(NAMES),
        first17 + id_check_char(first17) if with_id else "",
        mobile if (draw(st.booleans()) or not with_id) else "",
        f"月塘路 {draw(st.integers(min_value=1, max_value=30))} 号",
        draw(ORIGINS),
        draw(
            st.sampled_from(
                [
                    arrived.isoformat(),
                    f"{arrived:%Y/%m/%d}",
                    f"{arrived.year}年{arrived.month}月{arrived.day}日",
                ]
            )
        ),
        transport,
        number,
    ]


def state():
    return (
        sorted(Person.objects.values_list("id", "name", "mobile", "id_number")),
        sorted(Household.objects.values_list("id", "address")),
        sorted(
            TravelRecord.objects.values_list(
                "id",
                "person_id",
                "arrived_on",
                "origin_province",
                "transport",
                "transport_no",
                "version",
            )
        ),
    )


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.lists(rows(), min_size=1, max_size=12))
def test_reimporting_any_list_is_a_no_op(tree, data):
    # given a list imported once
    book = workbook({"名单": [HEADER, *data]})
    first = returnees_import_file(
        actor=None, unit=tree.yuetang, source=io.BytesIO(book), dry_run=False
    )
    before = state()
    # when it is imported again
    again = returnees_import_file(
        actor=None, unit=tree.yuetang, source=io.BytesIO(book), dry_run=False
    )
    # then nothing changed
    assert (again.created, again.updated) == (0, 0)
    assert again.unchanged == first.created + first.updated + first.unchanged
    assert again.rejected == first.rejected
    assert state() == before
