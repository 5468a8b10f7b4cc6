/*
 * The header's menus — a progressive enhancement. Without this script the Moderation,
 * Staff and account menus are <details> elements and every header link and the search
 * box show; with it each menu is a disclosure button (aria-expanded, aria-controls) that
 * shows or hides its list, and on narrow screens the search box and the links fold behind
 * two labelled buttons (Search, Menu). Enter or Space toggles (they are buttons), Escape
 * closes and puts focus back on the button, a click elsewhere closes.
 */
(function () {
  "use strict";

  var header = document.querySelector("[data-site-header]");
  if (!header) return;

  var buttons = []; // every disclosure button of the header, menus and toggles alike

  function targetOf(button) {
    return document.getElementById(button.getAttribute("aria-controls"));
  }

  function isOpen(button) {
    return button.getAttribute("aria-expanded") === "true";
  }

  function setOpen(button, open) {
    var target = targetOf(button);
    button.setAttribute("aria-expanded", open ? "true" : "false");
    if (!target) return;
    if (button.dataset.headerToggle !== undefined) target.classList.toggle("is-open", open);
    else target.hidden = !open;
  }

  // One thing open at a time: a menu closes the other menus (the phone's menu panel that
  // holds it stays open); Search or Menu closes everything else.
  function closeOthers(except) {
    var isToggle = except.dataset.headerToggle !== undefined;
    buttons.forEach(function (button) {
      if (button === except || !isOpen(button)) return;
      if (!isToggle && button.dataset.headerToggle !== undefined) return;
      setOpen(button, false);
    });
  }

  function makeDisclosure(details) {
    var summary = details.querySelector("summary");
    var list = details.querySelector(".menu__list");
    if (!summary || !list || !list.id) return;
    var wrapper = document.createElement("div");
    wrapper.className = details.className;
    var button = document.createElement("button");
    button.type = "button";
    button.className = summary.className;
    for (var name in summary.dataset) button.dataset[name] = summary.dataset[name];
    while (summary.firstChild) button.appendChild(summary.firstChild);
    var caret = document.createElement("span");
    caret.className = "menu__caret";
    caret.setAttribute("aria-hidden", "true");
    button.appendChild(caret);
    button.setAttribute("aria-expanded", "false");
    button.setAttribute("aria-controls", list.id);
    list.hidden = true;
    wrapper.appendChild(button);
    wrapper.appendChild(list);
    details.replaceWith(wrapper);
    buttons.push(button);
  }

  Array.prototype.forEach.call(header.querySelectorAll("details[data-menu]"), makeDisclosure);
  Array.prototype.forEach.call(header.querySelectorAll("[data-header-toggle]"), function (button) {
    button.hidden = false;
    buttons.push(button);
  });
  header.classList.add("has-js");

  header.addEventListener("click", function (event) {
    var button = event.target.closest("button[aria-controls]");
    if (!button || buttons.indexOf(button) === -1) return;
    var open = !isOpen(button);
    if (open) closeOthers(button);
    setOpen(button, open);
    if (open && button.getAttribute("aria-controls") === "site-search-form") {
      var input = targetOf(button).querySelector("input[type=search]");
      if (input) input.focus();
    }
  });

  document.addEventListener("click", function (event) {
    if (header.contains(event.target)) return;
    buttons.forEach(function (button) {
      if (isOpen(button) && button.dataset.headerToggle === undefined) setOpen(button, false);
    });
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" && event.key !== "Esc") return;
    // The innermost open disclosure holding the focus (or whose button has it) closes.
    var active = document.activeElement;
    var hit = null;
    buttons.forEach(function (button) {
      if (!isOpen(button)) return;
      var target = targetOf(button);
      var holds = button === active || (target && target.contains(active));
      if (holds && (!hit || (targetOf(hit) && targetOf(hit).contains(button)))) hit = button;
    });
    if (!hit) return;
    setOpen(hit, false);
    hit.focus();
    event.preventDefault();
  });
})();
