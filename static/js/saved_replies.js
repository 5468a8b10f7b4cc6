// Saved replies in a reply box (staff only; the server renders the box's picker only for
// them). Ctrl+. in the reply text opens a list of saved replies; typing filters it, the
// arrow keys choose, Enter inserts the chosen reply at the cursor with its placeholders
// filled for this thread by the server, Esc closes. The "Insert" button beside the
// drop-down inserts at the cursor too. Without this script the button posts the form and
// the server returns it with the reply added.
(function () {
  "use strict";
  if (window.porchlightSavedReplies) return;
  window.porchlightSavedReplies = true;

  var open = null; // { box, textarea, panel, input, list, items, active }
  var counter = 0;

  function boxFor(element) {
    var form = element && element.form;
    return form ? form.querySelector("[data-saved-replies]") : null;
  }

  function choices(box) {
    var select = box.querySelector("[data-saved-reply-select]");
    if (!select) return [];
    return Array.prototype.map.call(select.options, function (option) {
      return { id: option.value, title: option.textContent.trim() };
    });
  }

  // The server renders each address with the id 0; the last "/0/" in it is the id.
  function idUrl(template, id) {
    var at = template.lastIndexOf("/0/");
    return template.slice(0, at) + "/" + encodeURIComponent(id) + "/" + template.slice(at + 3);
  }

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function status(box, text) {
    var el = box.querySelector("[data-saved-reply-status]");
    if (el) el.textContent = text;
  }

  function insertText(textarea, text, start, end) {
    textarea.focus();
    textarea.setSelectionRange(start, end);
    // execCommand keeps the insertion on the field's undo stack; setRangeText where it
    // is not supported.
    var done = false;
    try {
      done = document.execCommand("insertText", false, text);
    } catch (e) {
      done = false;
    }
    if (!done || textarea.value.slice(start, start + text.length) !== text) {
      textarea.setRangeText(text, start, end, "end");
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
    }
  }

  function countUse(box, id) {
    var form = box.closest("form");
    var token = form && form.querySelector("input[name=csrfmiddlewaretoken]");
    if (!token || !box.dataset.useUrl) return;
    fetch(idUrl(box.dataset.useUrl, id), {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": token.value },
    }).catch(function () {});
  }

  function insertSaved(box, textarea, id) {
    var start = textarea.selectionStart;
    var end = textarea.selectionEnd;
    status(box, "");
    return fetch(idUrl(box.dataset.fillUrl, id), {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (res) {
        if (!res.ok) throw new Error(String(res.status));
        return res.json();
      })
      .then(function (data) {
        insertText(textarea, data.body, start, end);
        countUse(box, id);
      })
      .catch(function () {
        status(box, box.dataset.labelFailed || "");
        textarea.focus();
      });
  }

  function render() {
    var words = fold(open.input.value).split(/\s+/).filter(Boolean);
    open.shown = open.items.filter(function (item) {
      var title = fold(item.title);
      return words.every(function (word) {
        return title.indexOf(word) !== -1;
      });
    });
    open.active = open.shown.length ? Math.min(open.active, open.shown.length - 1) : -1;
    open.list.textContent = "";
    open.shown.forEach(function (item, index) {
      var li = document.createElement("li");
      li.id = open.listId + "-" + index;
      li.setAttribute("role", "option");
      li.className = "saved-picker__option";
      li.textContent = item.title;
      li.setAttribute("aria-selected", index === open.active ? "true" : "false");
      li.addEventListener("mousedown", function (event) {
        event.preventDefault();
        choose(item);
      });
      open.list.appendChild(li);
    });
    if (!open.shown.length) {
      var none = document.createElement("li");
      none.className = "saved-picker__none";
      none.textContent = open.box.dataset.labelNone || "";
      open.list.appendChild(none);
    }
    if (open.active >= 0) {
      open.input.setAttribute("aria-activedescendant", open.listId + "-" + open.active);
      var activeEl = document.getElementById(open.listId + "-" + open.active);
      if (activeEl && activeEl.scrollIntoView) activeEl.scrollIntoView({ block: "nearest" });
    } else {
      open.input.removeAttribute("aria-activedescendant");
    }
  }

  function close(refocus) {
    if (!open) return;
    var state = open;
    open = null;
    state.panel.remove();
    if (refocus) {
      state.textarea.focus();
      state.textarea.setSelectionRange(state.start, state.end);
    }
  }

  function choose(item) {
    var state = open;
    close(false);
    state.textarea.focus();
    state.textarea.setSelectionRange(state.start, state.end);
    insertSaved(state.box, state.textarea, item.id);
  }

  function openPicker(box, textarea) {
    close(false);
    var items = choices(box);
    if (!items.length) return;
    counter += 1;
    var panel = document.createElement("div");
    panel.className = "saved-picker";
    panel.setAttribute("role", "dialog");
    panel.setAttribute("aria-label", box.dataset.labelList || "");
    var input = document.createElement("input");
    input.type = "search";
    input.className = "saved-picker__filter";
    input.autocomplete = "off";
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-expanded", "true");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-label", box.dataset.labelFilter || "");
    input.placeholder = box.dataset.labelFilter || "";
    var list = document.createElement("ul");
    list.className = "saved-picker__list";
    list.setAttribute("role", "listbox");
    list.id = "saved-picker-" + counter;
    input.setAttribute("aria-controls", list.id);
    var keys = document.createElement("p");
    keys.className = "saved-picker__keys";
    keys.textContent = box.dataset.labelKeys || "";
    panel.appendChild(input);
    panel.appendChild(list);
    panel.appendChild(keys);
    box.appendChild(panel);
    open = {
      box: box,
      textarea: textarea,
      panel: panel,
      input: input,
      list: list,
      listId: list.id,
      items: items,
      shown: items,
      active: 0,
      start: textarea.selectionStart,
      end: textarea.selectionEnd,
    };
    input.addEventListener("input", function () {
      open.active = 0;
      render();
    });
    input.addEventListener("keydown", function (event) {
      if (!open) return;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        var n = open.shown.length;
        if (n) open.active = (open.active + (event.key === "ArrowDown" ? 1 : n - 1)) % n;
        render();
      } else if (event.key === "Enter") {
        event.preventDefault();
        if (open.active >= 0) choose(open.shown[open.active]);
      } else if (event.key === "Escape") {
        event.preventDefault();
        close(true);
      }
    });
    input.addEventListener("blur", function () {
      // A click on an option is handled on mousedown, before the blur.
      if (open && open.input === input) close(false);
    });
    render();
    input.focus();
  }

  function revealHints() {
    document.querySelectorAll("[data-saved-reply-hint]").forEach(function (el) {
      el.hidden = false;
    });
  }

  document.addEventListener("keydown", function (event) {
    if (!event.ctrlKey || event.altKey || event.metaKey || event.key !== ".") return;
    var target = event.target;
    if (!target || target.tagName !== "TEXTAREA") return;
    var box = boxFor(target);
    if (!box || !box.querySelector("[data-saved-reply-select]")) return;
    event.preventDefault();
    openPicker(box, target);
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-saved-reply-insert]");
    if (!button) return;
    var box = button.closest("[data-saved-replies]");
    var form = button.form;
    var textarea = form && form.querySelector("textarea[name=body]");
    var select = box && box.querySelector("[data-saved-reply-select]");
    if (!textarea || !select || !window.fetch) return;
    event.preventDefault();
    insertSaved(box, textarea, select.value);
  });

  // A reply box that arrives live (after a lock changes) carries the hint hidden again.
  document.addEventListener("focusin", function (event) {
    if (event.target && event.target.tagName === "TEXTAREA") revealHints();
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", revealHints);
  } else {
    revealHints();
  }
})();
