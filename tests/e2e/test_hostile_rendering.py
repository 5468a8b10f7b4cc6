"""The hostile-input corpus, posted through the services and read on the real thread page in
Chromium: no script runs (no dialog, no wrapped alert/confirm/prompt call, no page error) and
nothing outside the allow-list reaches the DOM, even after every element in a post body is
hovered, focused and clicked.

Payloads call ``alert(1)``; an init script wraps the dialog functions before any page script
could run, and a dialog handler catches anything that slips past the wrapper. Requests to
anywhere but the live server are aborted, so a payload can neither load nor leak anything.
"""

import re

from django.conf import settings

from forum import services as forum_services
from forum.markup import ALLOWED_ATTRIBUTES, ALLOWED_TAGS
from tests.forum.hostile_corpus import HOSTILE_CORPUS

# The whole corpus, NUL cases included: the services remove control characters before
# storing, so even PostgreSQL takes them.
BROWSER_CORPUS = HOSTILE_CORPUS

WATCH_SCRIPT = """
window.__xss = [];
for (const name of ["alert", "confirm", "prompt"]) {
  const original = window[name];
  window[name] = function (...args) {
    window.__xss.push(name + "(" + args.map(String).join(", ") + ")");
    return original.apply(this, args);
  };
}
"""

# Fire every event an inline handler in the corpus listens for, on every element of every
# post body, then click them all. Navigations to http(s) and mailto are cancelled so the page
# stays put; any other link (javascript:, data:...) is left to do whatever it would do.
EXERCISE_SCRIPT = """
async () => {
  const bodies = [...document.querySelectorAll(".post__body")];
  const elements = bodies.flatMap((body) => [body, ...body.querySelectorAll("*")]);
  await Promise.all(
    elements
      .filter((el) => el instanceof HTMLImageElement && !el.complete)
      .map((img) => new Promise((resolve) => {
        img.addEventListener("load", resolve, { once: true });
        img.addEventListener("error", resolve, { once: true });
      }))
  );
  document.addEventListener("click", (event) => {
    const link = event.target.closest("a[href]");
    if (link && ["http:", "https:", "mailto:"].includes(link.protocol)) event.preventDefault();
  }, true);
  const types = [
    "mouseover", "mouseenter", "mousemove", "mousedown", "mouseup", "pointerover",
    "pointerenter", "focus", "focusin", "keydown", "copy", "wheel", "toggle",
    "animationstart", "load", "error",
  ];
  for (const el of elements) {
    for (const type of types) el.dispatchEvent(new Event(type, { bubbles: true }));
    if (typeof el.focus === "function") el.focus();
    el.click();
  }
  await new Promise((resolve) => setTimeout(resolve, 50));
}
"""

PROBLEMS_SCRIPT = """
({ allowedTags, allowedAttributes }) => {
  const problems = [];
  const show = (el) => el.outerHTML.slice(0, 160);
  const forbidden = [
    "script", "iframe", "object", "embed", "[style]", "svg", "math", "form", "input",
    "button", "textarea", "select", "meta", "base", "link", "style", "template", "noscript",
    "frame", "frameset", "applet", "video", "audio", "details", "a[href^='javascript:' i]",
  ].map((selector) => ".post__body " + selector).join(", ");
  for (const el of document.querySelectorAll(forbidden)) problems.push("forbidden " + show(el));
  for (const el of document.querySelectorAll(".post__body *")) {
    const tag = el.localName;
    if (!allowedTags.includes(tag)) problems.push("tag not allowed " + show(el));
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      if (name.startsWith("on")) problems.push("handler " + show(el));
      else if (!(allowedAttributes[tag] || []).includes(name)) {
        problems.push("attribute " + name + " not allowed " + show(el));
      }
    }
    if (tag === "a" && el.hasAttribute("href")
        && !["http:", "https:", "mailto:"].includes(el.protocol)) {
      problems.push("link protocol " + el.protocol + " " + show(el));
    }
    if (tag === "img" && el.hasAttribute("src")
        && !["http:", "https:"].includes(new URL(el.src).protocol)) {
      problems.push("image protocol " + show(el));
    }
  }
  if (document.baseURI !== location.href) problems.push("base URI changed to " + document.baseURI);
  return problems;
}
"""


def _watch(page, live_server) -> dict[str, list[str]]:
    """Arm the page: record dialogs, wrapped calls and page errors; keep it off the network."""
    seen = {"dialogs": [], "errors": [], "blocked": []}

    def on_dialog(dialog):
        seen["dialogs"].append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on("pageerror", lambda error: seen["errors"].append(str(error)))
    page.add_init_script(WATCH_SCRIPT)

    def refuse(route):
        seen["blocked"].append(route.request.url)
        route.abort()

    # A regex is matched inside the browser driver, so same-origin requests never make the
    # round trip to Python; everything else is refused.
    page.route(re.compile(rf"^(?!{re.escape(live_server.url)}/)"), refuse)
    return seen


def _exercise_and_inspect(page) -> list[str]:
    page.evaluate(EXERCISE_SCRIPT)
    return page.evaluate(
        PROBLEMS_SCRIPT,
        {
            "allowedTags": sorted(ALLOWED_TAGS),
            "allowedAttributes": {tag: list(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        },
    )


def _post_corpus(author, board) -> list[tuple[int, list[str]]]:
    """One thread per page of posts, one corpus case per post."""
    per_page = settings.FORUM_POSTS_PER_PAGE
    threads = []
    for start in range(0, len(BROWSER_CORPUS), per_page):
        chunk = BROWSER_CORPUS[start : start + per_page]
        thread = forum_services.thread_create(
            board=board,
            author=author,
            title=f"Hostile corpus from case {start + 1}",
            body=chunk[0].source,
        )
        for case in chunk[1:]:
            forum_services.post_create(thread=thread, author=author, body=case.source)
        threads.append((thread.pk, [case.id for case in chunk]))
    return threads


def test_no_hostile_post_runs_script_or_leaves_forbidden_markup(
    live_server, page, make_user, help_board
):
    author = make_user("mallory")
    threads = _post_corpus(author, help_board)
    assert sum(len(ids) for _, ids in threads) == len(BROWSER_CORPUS) >= 120
    seen = _watch(page, live_server)

    for thread_id, case_ids in threads:
        page.goto(f"{live_server.url}/t/{thread_id}/", wait_until="domcontentloaded")
        assert page.locator(".post__body").count() == len(case_ids), case_ids
        problems = _exercise_and_inspect(page)
        assert page.url == f"{live_server.url}/t/{thread_id}/", "a link navigated away"
        assert problems == [], (case_ids, problems)
        assert page.evaluate("window.__xss") == [], case_ids
        assert seen["dialogs"] == [], case_ids
        assert seen["errors"] == [], case_ids
        # Nothing a member typed made the browser fetch from another host (images included).
        assert seen["blocked"] == [], case_ids

    # Nothing was lost: typed markup is on the page as text.
    first_thread_id, _ = threads[0]
    page.goto(f"{live_server.url}/t/{first_thread_id}/")
    assert page.locator(".post__body", has_text="<script>alert(1)</script>").count() >= 1


def test_the_watch_would_notice_a_script_that_ran(live_server, new_context, make_user, help_board):
    """The harness is not blind: markup the pipeline would never emit, planted straight into
    the DOM, is caught by each of the checks above. The Content-Security-Policy is bypassed
    here, as it would refuse the planted handlers before the watch could see them run."""
    page = new_context(bypass_csp=True).new_page()
    author = make_user("mallory")
    thread = forum_services.thread_create(
        board=help_board, author=author, title="Harness check", body="Nothing to see."
    )
    seen = _watch(page, live_server)
    page.goto(f"{live_server.url}/t/{thread.pk}/")
    page.evaluate(
        """() => document.querySelector(".post__body").insertAdjacentHTML("beforeend",
             '<img src="x" onerror="alert(1)"><a href="javascript:confirm(2)">x</a>'
             + '<p style="color:red" onmouseover="prompt(3)">p</p>'
             + '<img src="https://evil.example/leak.png">')"""
    )
    problems = _exercise_and_inspect(page)
    assert any(problem.startswith("handler") for problem in problems)
    assert any("javascript" in problem for problem in problems)
    assert any("style=" in problem for problem in problems)
    calls = page.evaluate("window.__xss")
    assert "alert(1)" in calls
    assert "confirm(2)" in calls
    assert "prompt(3)" in calls
    assert len(seen["dialogs"]) == len(calls)
    assert "https://evil.example/leak.png" in seen["blocked"]
