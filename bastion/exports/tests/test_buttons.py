def test_the_person_list_links_to_an_export_of_its_filter(tree, personas, people, client_of):
    page = client_of(personas.township_officer).get(
        "/persons/", {"unit": tree.yuetang.code, "tag": "is_pregnant", "page": "1"}
    )
    html = page.content.decode()
    assert (
        f'href="/exports/new/?dataset=persons&amp;unit={tree.yuetang.code}&amp;tag=is_pregnant"'
        in html
    )


def test_the_observation_list_passes_a_valid_status_only(tree, personas, client_of):
    client = client_of(personas.village_worker)
    active = client.get("/observation/list/").content.decode()
    assert "dataset=observations&amp;status=active" in active
    assert "dataset=checkins" in active


def test_who_may_not_export_sees_no_button(tree, personas, client_of):
    page = client_of(personas.auditor).get("/persons/")
    assert page.status_code == 200
    assert "data-export-button" not in page.content.decode()


def test_the_signal_inbox_and_the_travel_list_link_to_their_exports(tree, personas, client_of):
    client = client_of(personas.village_worker)
    inbox = client.get("/screening/signals/", {"status": "new"}).content.decode()
    assert "dataset=signals" in inbox and "status=new" in inbox
    travel = client.get("/screening/travel/").content.decode()
    assert "dataset=travel_records" in travel
