def test_board_index_renders_in_chromium(live_server, page, thread):
    page.goto(live_server.url + "/")
    assert page.get_by_role("heading", name="Community support").is_visible()
    page.get_by_role("link", name="Help", exact=True).first.click()
    assert "Help" in page.title()
