def test_header_help_link_reaches_the_help_page(live_server, page, thread):
    page.goto(live_server.url + "/")
    assert page.get_by_role("heading", name="Community support").is_visible()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Help").click()
    page.wait_for_url(live_server.url + "/help/")
    assert page.get_by_role("heading", name="Help", exact=True).is_visible()
    assert (
        page.get_by_role("navigation", name="Footer").get_by_role("link", name="Help").count() == 1
    )
