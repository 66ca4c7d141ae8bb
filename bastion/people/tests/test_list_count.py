"""The registry list counts its total only up to a cap (bastion.core.paging)."""

from bastion.core import paging


def test_the_city_registry_list_asks_to_filter_past_the_cap(
    personas, tree, register, client_of, monkeypatch
):
    monkeypatch.setattr(paging, "COUNT_CAP", 2)
    for name in ("甲一", "乙二", "丙三"):
        register(unit=tree.yuetang, name=name)
    # when
    html = client_of(personas.commander).get("/persons/").content.decode()
    # then
    assert "共 2+ 人，请按单位或标签筛选" in html
