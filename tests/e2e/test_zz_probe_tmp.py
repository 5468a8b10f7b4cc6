def test_probe(live_server, page):
    page.goto(live_server.url + "/accounts/login/")
    for sel in [page.get_by_label("Login", exact=True), page.get_by_role("textbox", name="Login", exact=True), page.get_by_label("Login"), page.get_by_label("Login *", exact=True)]:
        print(sel, sel.count())
    print(page.get_by_label("Login").evaluate("e => e.labels[0].textContent"))
