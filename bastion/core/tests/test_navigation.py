def nav_labels(response):
    return [str(a.label) for a in response.context["areas"]]


def test_a_grid_worker_sees_the_field_areas_only(tree, personas, client_of):
    labels = nav_labels(client_of(personas.village_worker).get("/"))
    assert "人员" in labels and "物资" in labels and "酒宴与消杀" in labels
    assert "账号" not in labels and "访问日志" not in labels


def test_an_auditor_sees_the_access_log(tree, personas, client_of):
    response = client_of(personas.auditor).get("/")
    assert "访问日志" in nav_labels(response)
    assert 'href="/audit/"' in response.content.decode()


def test_an_officer_manages_accounts(tree, personas, client_of):
    assert "账号" in nav_labels(client_of(personas.township_officer).get("/"))
