/*
 * Porchlight live updates — a progressive enhancement: every page works without it.
 *
 * One WebSocket to /ws/live/ (forum/consumers.py). The page subscribes to what it shows:
 * the thread (#posts[data-thread-id]), the sitewide notices (#sitewide-notices) and, for
 * moderators, the review-queue count ([data-queue-badge]); a signed-in member's bell
 * ([data-notification-bell]) hears their own unread count. The server pushes HTML it
 * rendered; after a reconnect the page catches up over plain HTTP
 * (/t/<id>/live/posts/?after=<position>, /t/<id>/live/banners/, /notices/live/).
 *
 * Only fragments from our own server are parsed as HTML; nothing is evaluated. Parsed
 * fragments come from a <template>, so no script in them could ever run.
 */
(function () {
  "use strict";

  var body = document.body;
  if (!body || !("WebSocket" in window) || !window.fetch || !body.dataset.liveUrl) return;

  var RETRY_MIN_MS = 1000;
  var RETRY_MAX_MS = 30000;
  var NOTICE_RECHECK_MAX_MS = 6 * 60 * 60 * 1000; // setTimeout is capped anyway; re-ask then
  var CATCH_UP_ROUNDS = 10; // × 50 posts per request
  var DISMISSED_KEY = "porchlight.dismissedNotices";

  var liveUrl = body.dataset.liveUrl;
  var noticesUrl = body.dataset.noticesUrl || "";
  var board = body.dataset.board || "";
  var posts = document.getElementById("posts");
  var threadId = posts ? Number(posts.dataset.threadId) : null;
  var onLastPage = posts ? posts.dataset.lastPage === "true" : false;
  var lastPosition = posts ? Number(posts.dataset.lastPosition) || 0 : 0;
  // The Moderation menu's button and its Review queue link both show the count.
  var queueLink = document.querySelector("[data-queue-badge]");
  var bell = document.querySelector("[data-notification-bell]");
  var me = document.querySelector(".account-nav__me");
  var myUrl = me ? me.getAttribute("href") : null;

  var socket = null;
  var attempt = 0;
  var reconnectTimer = null;
  var connections = 0; // connections that got as far as a subscription
  var subscribed = [];
  var noticeTimer = null;
  var clockSkew = 0; // server time minus ours, from the Date header of our fetches
  var newReplies = []; // post ids announced but not shown (reader not on the last page)
  var localDismissed = null;

  // --- Small helpers -------------------------------------------------------------------

  function parseFragment(html) {
    var template = document.createElement("template");
    template.innerHTML = html; // our own server's fragment; <template> runs nothing
    return template.content;
  }

  function get(url) {
    return fetch(url, {
      credentials: "same-origin",
      cache: "no-store",
      headers: { Accept: "text/html" },
    }).then(function (response) {
      var date = Date.parse(response.headers.get("Date") || "");
      if (!isNaN(date)) clockSkew = date - Date.now();
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response.text().then(function (text) {
        return { text: text, headers: response.headers };
      });
    });
  }

  var announcer = null;
  function announce(text) {
    if (!announcer) {
      announcer = document.createElement("div");
      announcer.className = "visually-hidden";
      announcer.setAttribute("role", "status");
      body.appendChild(announcer);
    }
    announcer.textContent = text;
  }

  // Words come from the page (templates/forum/_live_strings.html) in the reader's language,
  // with {n} and {name} left for the script to fill in.
  var words = document.getElementById("live-strings");
  function say(key, values) {
    var el = words && words.content ? words.content.querySelector('[data-key="' + key + '"]') : null;
    var text = el ? el.textContent : "";
    Object.keys(values || {}).forEach(function (name) {
      text = text.split("{" + name + "}").join(String(values[name]));
    });
    return text;
  }

  // The page holds a count's wording for 0, 1 and 2, the last standing for any larger count.
  function sayCount(key, n) {
    return say(key + "-" + (n === 0 || n === 1 ? n : 2), { n: n });
  }

  // Coalesce: while a refresh runs, further requests for it make it run once more after.
  function serialised(task) {
    var running = false;
    var again = false;
    return function run() {
      if (running) {
        again = true;
        return;
      }
      running = true;
      Promise.resolve()
        .then(task)
        .catch(function () {})
        .then(function () {
          running = false;
          if (again) {
            again = false;
            run();
          }
        });
    };
  }

  // --- Posts -----------------------------------------------------------------------------

  if (posts) {
    var first = Number(posts.dataset.firstPosition) || 0;
    var initial = posts.querySelectorAll(":scope > article.post");
    for (var i = 0; i < initial.length && first; i++) {
      initial[i].dataset.livePosition = String(first + i);
    }
  }

  function setReplyCount(count) {
    var el = document.querySelector("[data-reply-count]");
    var text = isNaN(count) ? "" : sayCount("replies", count);
    if (!el || !text) return;
    el.textContent = text;
  }

  function notePosition(position) {
    if (position > lastPosition) {
      lastPosition = position;
      posts.dataset.lastPosition = String(position);
      setReplyCount(position - 1); // positions run 1, 2, 3… with the opening post first
      markRead();
    }
  }

  // A signed-in reader on the last page has read what arrived on it: tell the server (at most
  // every two seconds, and only while the page is visible) so the next visit starts after
  // it and the bell forgets it.
  var readTimer = null;
  var readSent = lastPosition; // what the page showed when it loaded is the server's to mark
  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (input) return input.value;
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }
  function sendRead() {
    readTimer = null;
    if (document.visibilityState !== "visible" || lastPosition <= readSent) return;
    var position = lastPosition;
    var body = new URLSearchParams({ position: String(position) });
    fetch(posts.dataset.readUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken() },
      body: body,
    }).then(function (res) {
      if (res.ok) readSent = Math.max(readSent, position);
    }).catch(function () { /* the next arrival tries again */ });
  }
  function markRead() {
    // On an earlier page new replies are only offered as a link, not shown: nothing read.
    if (!myUrl || !onLastPage || !posts || !posts.dataset.readUrl || readTimer) return;
    readTimer = window.setTimeout(sendRead, 2000);
  }
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible" && lastPosition > readSent) markRead();
  });

  function isMine(article) {
    var author = article.querySelector(".post__author");
    return !!(myUrl && author && author.getAttribute("href") === myUrl);
  }

  function insertPost(article, position) {
    if (document.getElementById(article.id)) return false;
    article.dataset.livePosition = String(position);
    var before = null;
    var placed = posts.querySelectorAll(":scope > article[data-live-position]");
    for (var i = 0; i < placed.length; i++) {
      if (Number(placed[i].dataset.livePosition) > position) {
        before = placed[i];
        break;
      }
    }
    posts.insertBefore(article, before);
    return true;
  }

  function replacePost(article) {
    var old = document.getElementById(article.id);
    if (!old) return;
    if (old.dataset.livePosition) article.dataset.livePosition = old.dataset.livePosition;
    old.replaceWith(article);
  }

  function authorName(article) {
    var author = article.querySelector(".post__author");
    return author ? author.textContent.trim() : say("someone");
  }

  function showNewRepliesLink(postId) {
    if (newReplies.indexOf(postId) === -1) newReplies.push(postId);
    var box = document.getElementById("live-new-replies");
    if (!box) {
      box = document.createElement("p");
      box.id = "live-new-replies";
      box.className = "live-new-replies";
      box.setAttribute("role", "status");
      box.appendChild(document.createElement("a"));
      posts.after(box);
    }
    var link = box.firstChild;
    // The permalink of the first reply this page hasn't shown: it opens the right page.
    link.href = "/p/" + newReplies[0] + "/";
    var n = newReplies.length;
    link.textContent = sayCount("new-replies-link", n);
  }

  // The pushed copy is the one every member sees; the author's own copy has their own
  // links (Edit) and, when hidden, their content — so the author's page asks for it.
  function ownCopy(postId, position) {
    return get(posts.dataset.postsUrl + "?after=" + (position - 1)).then(function (res) {
      var wrapper = parseFragment(res.text).querySelector(
        '[data-live-post="' + Number(postId) + '"]'
      );
      return wrapper ? wrapper.querySelector("article.post") : null;
    });
  }

  function onPostCreated(msg) {
    if (!posts || msg.thread !== threadId) return;
    var exists = document.getElementById("post-" + msg.post);
    notePosition(msg.position);
    if (exists) return;
    if (!onLastPage) {
      showNewRepliesLink(msg.post);
      return;
    }
    var article = parseFragment(msg.html).querySelector("article.post");
    if (!article) return;
    var place = function (copy) {
      if (insertPost(copy, msg.position)) announce(say("new-reply-from", { name: authorName(copy) }));
    };
    if (isMine(article)) {
      ownCopy(msg.post, msg.position)
        .then(function (copy) {
          place(copy || article);
        })
        .catch(function () {
          place(article);
        });
    } else {
      place(article);
    }
  }

  function onPostChanged(msg) {
    if (!posts || msg.thread !== threadId) return;
    var old = document.getElementById("post-" + msg.post);
    if (!old) return;
    var article = parseFragment(msg.html).querySelector("article.post");
    if (!article) return;
    var position = Number(old.dataset.livePosition);
    if (isMine(article) && position) {
      ownCopy(msg.post, position)
        .then(function (copy) {
          replacePost(copy || article);
        })
        .catch(function () {
          replacePost(article);
        });
    } else {
      replacePost(article);
    }
  }

  // Posts written while the page wasn't listening (before the first subscription, or
  // while disconnected). Duplicates of pushed posts are skipped by id.
  var catchUp = serialised(function () {
    if (!posts) return null;
    var rounds = 0;
    function round() {
      rounds += 1;
      return get(posts.dataset.postsUrl + "?after=" + lastPosition).then(function (res) {
        var wrappers = parseFragment(res.text).querySelectorAll("[data-live-post]");
        var added = 0;
        for (var i = 0; i < wrappers.length; i++) {
          var postId = Number(wrappers[i].dataset.livePost);
          var article = wrappers[i].querySelector("article.post");
          if (!article || document.getElementById(article.id)) continue;
          if (onLastPage) {
            if (insertPost(article, Number(wrappers[i].dataset.position))) added += 1;
          } else {
            showNewRepliesLink(postId);
          }
        }
        notePosition(Number(res.headers.get("X-Last-Position")) || 0);
        setReplyCount(Number(res.headers.get("X-Reply-Count")));
        if (added) announce(sayCount("new-replies-said", added));
        if (onLastPage && res.headers.get("X-More-Posts") === "1" && rounds < CATCH_UP_ROUNDS) {
          return round();
        }
        return null;
      });
    }
    return round();
  });

  // --- Banners and the reply box ---------------------------------------------------------

  function carryOverText(oldBox, newBox) {
    var typed = oldBox.querySelectorAll("textarea[name]");
    var keep = [];
    for (var i = 0; i < typed.length; i++) {
      var target = newBox.querySelector('textarea[name="' + typed[i].name + '"]');
      if (target) target.value = typed[i].value;
      else if (typed[i].value.trim()) keep.push(typed[i].value);
    }
    if (keep.length) {
      // Replies closed while the reader was writing: nothing typed is lost.
      var note = document.createElement("p");
      note.className = "meta";
      note.textContent = say("unsent-note");
      var copy = document.createElement("textarea");
      copy.className = "live-unsent";
      copy.readOnly = true;
      copy.rows = 4;
      copy.setAttribute("aria-label", say("unsent-label"));
      copy.value = keep.join("\n\n");
      newBox.appendChild(note);
      newBox.appendChild(copy);
    }
  }

  var refreshThreadState = serialised(function () {
    if (!posts || !posts.dataset.bannersUrl) return null;
    return get(posts.dataset.bannersUrl).then(function (res) {
      var fragment = parseFragment(res.text);
      var banners = fragment.querySelector("#thread-banners");
      var oldBanners = document.getElementById("thread-banners");
      if (banners && oldBanners) oldBanners.replaceWith(banners);
      // A status change or an accepted answer: the question's state and the status pill.
      ["help-state", "thread-status"].forEach(function (id) {
        var fresh = fragment.querySelector("#" + id);
        var old = document.getElementById(id);
        if (fresh && old && !old.contains(document.activeElement)) old.replaceWith(fresh);
      });
      var box = fragment.querySelector("#reply");
      var oldBox = document.getElementById("reply");
      // A box holding a form is swapped only when its kind changes, keeping what was typed.
      var hasForm = oldBox && oldBox.querySelector("form");
      if (box && oldBox && (!hasForm || box.dataset.replyState !== oldBox.dataset.replyState)) {
        var focused = oldBox.contains(document.activeElement);
        carryOverText(oldBox, box);
        oldBox.replaceWith(box);
        if (focused) {
          var field = box.querySelector("textarea");
          if (field) field.focus({ preventScroll: true });
        }
      }
      setReplyCount(Number(res.headers.get("X-Reply-Count")));
    });
  });

  // --- Sitewide notices ------------------------------------------------------------------

  function dismissedIds() {
    if (localDismissed) return localDismissed;
    localDismissed = [];
    try {
      var stored = JSON.parse(window.localStorage.getItem(DISMISSED_KEY) || "[]");
      if (Array.isArray(stored)) localDismissed = stored.map(String);
    } catch (e) {
      /* storage blocked: dismissals last for this page only */
    }
    return localDismissed;
  }

  function rememberDismissed(id) {
    var ids = dismissedIds();
    if (ids.indexOf(id) === -1) ids.push(id);
    localDismissed = ids.slice(-50);
    try {
      window.localStorage.setItem(DISMISSED_KEY, JSON.stringify(localDismissed));
    } catch (e) {
      /* as above */
    }
  }

  // Visitors dismiss info notices in this browser (members' dismissals are a form post).
  function applyDismissals() {
    var block = document.getElementById("sitewide-notices");
    if (!block) return;
    var buttons = block.querySelectorAll("[data-dismiss-locally]");
    var ids = buttons.length ? dismissedIds() : [];
    for (var i = 0; i < buttons.length; i++) {
      var notice = buttons[i].closest("[data-notice-id]");
      if (!notice) continue;
      if (ids.indexOf(notice.dataset.noticeId) !== -1) notice.hidden = true;
      else buttons[i].hidden = false;
    }
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-dismiss-locally]");
    if (!button) return;
    var notice = button.closest("[data-notice-id]");
    if (!notice) return;
    rememberDismissed(notice.dataset.noticeId);
    notice.hidden = true;
    var main = document.getElementById("main");
    if (main) main.focus({ preventScroll: true });
  });

  // A scheduled notice starts, or one ends, without anyone telling us: ask again then.
  function scheduleNoticeRefresh() {
    if (noticeTimer) clearTimeout(noticeTimer);
    noticeTimer = null;
    var block = document.getElementById("sitewide-notices");
    var at = block ? Date.parse(block.dataset.nextChange || "") : NaN;
    if (isNaN(at)) return;
    var delay = at - (Date.now() + clockSkew) + 500;
    delay = Math.min(Math.max(delay, RETRY_MIN_MS), NOTICE_RECHECK_MAX_MS);
    noticeTimer = setTimeout(refreshNotices, delay);
  }

  var refreshNotices = serialised(function () {
    var block = document.getElementById("sitewide-notices");
    if (!block || !noticesUrl) return null;
    var url = noticesUrl + (board ? "?board=" + encodeURIComponent(board) : "");
    return get(url)
      .then(function (res) {
        var fresh = parseFragment(res.text).querySelector("#sitewide-notices");
        var current = document.getElementById("sitewide-notices");
        if (fresh && current) {
          current.replaceWith(fresh);
          applyDismissals();
        }
      })
      .then(scheduleNoticeRefresh, function (error) {
        // The server didn't answer: ask again later rather than at once.
        if (noticeTimer) clearTimeout(noticeTimer);
        noticeTimer = setTimeout(refreshNotices, RETRY_MAX_MS);
        throw error;
      });
  });

  // --- Review queue ----------------------------------------------------------------------

  function setQueueCount(count) {
    if (typeof count !== "number") return;
    // The header's menu script may have swapped the button in since this page loaded.
    var links = document.querySelectorAll("[data-queue-badge]");
    for (var i = 0; i < links.length; i++) setQueueBadge(links[i], count);
  }

  function setQueueBadge(queueLink, count) {
    var badge = queueLink.querySelector(".count");
    if (count <= 0) {
      if (badge) {
        if (badge.previousSibling && badge.previousSibling.nodeType === 3) {
          badge.previousSibling.textContent = badge.previousSibling.textContent.replace(/\s+$/, "");
        }
        badge.remove();
      }
      return;
    }
    if (!badge) {
      badge = document.createElement("span");
      badge.className = "count";
      var caret = queueLink.querySelector(".menu__caret");
      queueLink.insertBefore(document.createTextNode(" "), caret);
      queueLink.insertBefore(badge, caret);
    }
    badge.textContent = String(count);
    badge.setAttribute("aria-label", sayCount("open-items", count));
  }

  // --- The notification bell ------------------------------------------------------------

  // Same markup as templates/includes/bell.html: the visible count is hidden from assistive
  // technology, which reads "N unread" after the "Notifications" label instead.
  function setBellCount(count) {
    if (!bell || typeof count !== "number") return;
    var badge = bell.querySelector(".count");
    var spoken = bell.querySelector("[data-bell-unread]");
    var before = badge ? Number(badge.textContent) || 0 : 0;
    bell.classList.toggle("bell--unread", count > 0);
    if (count <= 0) {
      if (badge) {
        if (badge.previousSibling && badge.previousSibling.nodeType === 3) badge.previousSibling.remove();
        badge.remove();
      }
      if (spoken) spoken.remove();
      return;
    }
    if (!badge) {
      badge = document.createElement("span");
      badge.className = "count";
      badge.setAttribute("aria-hidden", "true");
      bell.appendChild(document.createTextNode(" "));
      bell.appendChild(badge);
    }
    if (!spoken) {
      spoken = document.createElement("span");
      spoken.className = "visually-hidden";
      spoken.setAttribute("data-bell-unread", "");
      bell.appendChild(spoken);
    }
    badge.textContent = String(count);
    spoken.textContent = sayCount("unread", count);
    if (count > before) announce(sayCount("unread-said", count));
  }

  // --- The connection ----------------------------------------------------------------------

  function send(message) {
    if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
  }

  function onSubscribed(msg) {
    var key = msg.thread != null ? "thread:" + msg.thread : String(msg.stream);
    if (subscribed.indexOf(key) === -1) subscribed.push(key);
    attempt = 0; // the server and its channel layer work: back-off starts over
    if (msg.thread != null) {
      // Replies written since the page was rendered, or while we were away.
      if (!(typeof msg.position === "number" && msg.position <= lastPosition)) catchUp();
      if (connections > 1) refreshThreadState();
    } else if (msg.stream === "notices" && connections > 1) {
      refreshNotices();
    }
  }

  var handlers = {
    subscribed: onSubscribed,
    "post.created": onPostCreated,
    "post.changed": onPostChanged,
    "thread.changed": function (msg) {
      if (msg.thread === threadId || msg.board != null) refreshThreadState();
    },
    "notices.changed": function () {
      refreshNotices();
    },
    "queue.count": function (msg) {
      setQueueCount(msg.count);
    },
    "notifications.count": function (msg) {
      setBellCount(msg.count);
    },
  };

  function connect() {
    reconnectTimer = null;
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    var ws;
    try {
      ws = new WebSocket(scheme + window.location.host + liveUrl);
    } catch (e) {
      scheduleReconnect();
      return;
    }
    socket = ws;
    ws.addEventListener("open", function () {
      connections += 1;
      if (threadId) send({ action: "subscribe", thread: threadId });
      if (document.getElementById("sitewide-notices")) {
        send({ action: "subscribe", stream: "notices" });
      }
      if (queueLink) send({ action: "subscribe", stream: "queue" });
      // The count may have moved since the page was rendered, or while we were away; from
      // now on the member's own group carries every change.
      if (bell) send({ action: "subscribe", stream: "notifications" });
    });
    ws.addEventListener("message", function (event) {
      var msg;
      try {
        msg = JSON.parse(event.data);
      } catch (e) {
        return;
      }
      var handler = msg && handlers[msg.type];
      if (handler) handler(msg);
    });
    ws.addEventListener("close", function () {
      if (socket !== ws) return;
      socket = null;
      subscribed = [];
      scheduleReconnect();
    });
  }

  // Exponential back-off with jitter: 1 s, 2 s, 4 s… up to 30 s, each between half and
  // all of that, so a restarted server isn't met by every page at the same instant.
  function scheduleReconnect() {
    if (reconnectTimer) return;
    var ceiling = Math.min(RETRY_MAX_MS, RETRY_MIN_MS * Math.pow(2, attempt));
    attempt += 1;
    reconnectTimer = setTimeout(connect, ceiling / 2 + (Math.random() * ceiling) / 2);
  }

  function reconnectNow() {
    if (socket || !reconnectTimer) return;
    clearTimeout(reconnectTimer);
    connect();
  }

  window.addEventListener("online", reconnectNow);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") reconnectNow();
  });

  // A read-only handle for tests and curious developers.
  window.porchlightLive = Object.freeze({
    get socket() {
      return socket;
    },
    get subscribed() {
      return subscribed.slice();
    },
    get connections() {
      return connections;
    },
    get lastPosition() {
      return lastPosition;
    },
  });

  applyDismissals();
  scheduleNoticeRefresh();
  connect();
})();
