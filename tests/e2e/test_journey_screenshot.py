"""A screenshot pasted into a reply: a member describes the image, pastes a JPEG (a phone
photo carrying its GPS position) into the reply box, sees the Markdown appear, posts, and
the thread shows the image with that description. The stored file has no EXIF."""

import base64
import io
import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from forum.models import Attachment, Post
from tests.e2e.browser import field, shots, sign_in
from tests.forum.attachment_images import has_exif, jpeg_with_gps, png_bytes

ALT = "The sign-in error dialog"

# Builds a File from the bytes in page JS and pastes it into the reply box, as the
# browser does for a screenshot on the clipboard.
PASTE_JS = """([selector, b64, name]) => {
    const bytes = Uint8Array.from(atob(b64), c => c.charCodeAt(0));
    const file = new File([bytes], name, {type: "image/jpeg"});
    const data = new DataTransfer();
    data.items.add(file);
    const target = document.querySelector(selector);
    target.focus();
    const event = new ClipboardEvent(
        "paste", {clipboardData: data, bubbles: true, cancelable: true}
    );
    target.dispatchEvent(event);
    return event.defaultPrevented;
}"""


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_a_pasted_screenshot_shows_in_the_thread_without_its_exif(
    page, live_server, thread, other_member
):
    photo = jpeg_with_gps(size=(320, 200))
    assert has_exif(photo)
    sign_in(page, live_server, other_member.username)
    page.goto(live_server.url + thread.get_absolute_url())
    reply = page.locator("#reply textarea[name=body]")
    reply.fill("Same here. This is what I see after signing in:")
    field(page, "Describe the image").fill(ALT)
    pasted = page.evaluate(
        PASTE_JS, ["#reply textarea[name=body]", base64.b64encode(photo).decode(), "photo.jpg"]
    )
    assert pasted, "the page did not take the pasted image"
    expect(reply).to_have_value(
        re.compile(
            r"^Same here\. This is what I see after signing in:\n\n"
            + re.escape(f"![{ALT}](/attachments/")
            + r"\d+/\)\n$"
        )
    )
    expect(page.locator(".attach__status")).to_contain_text("Image attached")
    expect(field(page, "Describe the image")).to_have_value("")
    page.locator("#reply").get_by_role("button", name="Post reply").click()

    image = page.locator(f"article img[alt='{ALT}']")
    expect(image).to_have_count(1)
    image.scroll_into_view_if_needed()
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=image.element_handle()
    )
    assert image.evaluate("img => img.naturalWidth") == 320

    attachment = Attachment.objects.get()
    post = Post.objects.get(pk=attachment.post_id)
    assert post.author == other_member and post.thread == thread
    with attachment.image.open("rb") as handle:
        stored = handle.read()
    assert not has_exif(stored) and b"PhoneCo" not in stored
    assert Image.open(io.BytesIO(stored)).size == (320, 200)

    shots(page, "journey-screenshot-thread")
    page.emulate_media(color_scheme="dark")
    shots(page, "journey-screenshot-thread-dark")


def test_a_file_that_is_not_an_image_is_refused_in_place_with_the_text_kept(
    page, live_server, thread, other_member
):
    sign_in(page, live_server, other_member.username)
    page.goto(live_server.url + thread.get_absolute_url())
    reply = page.locator("#reply textarea[name=body]")
    reply.fill("My reply, typed with care.")
    page.locator("#reply input[type=file]").set_input_files(
        {"name": "notes.png", "mimeType": "image/png", "buffer": b"just some text"}
    )
    status = page.locator(".attach__status")
    expect(status).to_contain_text("isn't a PNG, JPEG, WebP or GIF image")
    expect(reply).to_have_value("My reply, typed with care.")
    assert not Attachment.objects.exists()
    shots(page, "journey-screenshot-refused")


DROP_JS = """([selector, b64, name]) => {
    const bytes = Uint8Array.from(atob(b64), c => c.charCodeAt(0));
    const data = new DataTransfer();
    data.items.add(new File([bytes], name, {type: "image/png"}));
    const target = document.querySelector(selector);
    const init = {dataTransfer: data, bubbles: true, cancelable: true};
    target.dispatchEvent(new DragEvent("dragover", init));
    const drop = new DragEvent("drop", init);
    target.dispatchEvent(drop);
    return drop.defaultPrevented;
}"""


def test_an_image_dropped_on_a_new_thread_is_attached_with_its_file_name_as_description(
    page, live_server, member, help_board
):
    sign_in(page, live_server, member.username)
    page.goto(live_server.url + f"/b/{help_board.slug}/new/")
    field(page, "Title").fill("The export button stays grey")
    message = page.locator("textarea[name=body]")
    message.fill("Whatever I do, it stays grey.")
    dropped = page.evaluate(
        DROP_JS,
        ["textarea[name=body]", base64.b64encode(png_bytes()).decode(), "grey-button.png"],
    )
    assert dropped
    expect(message).to_have_value(re.compile(r"\n\n!\[grey button\]\(/attachments/\d+/\)\n$"))
    page.get_by_role("button", name="Start thread").click()
    expect(page.locator("article img[alt='grey button']")).to_have_count(1)
    assert Attachment.objects.get().post.thread.title == "The export button stays grey"
