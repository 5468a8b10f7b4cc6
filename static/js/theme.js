// The colour scheme, set before the page paints (this file is loaded in <head>, not
// deferred). A member's saved choice is already on <html> (data-theme, rendered by the
// server) and is copied to localStorage so the pages they see after signing out match;
// a visitor's choice lives only in localStorage, because visitors share one cached copy
// of each page. "auto" leaves data-theme off and the stylesheet's media query decides.
(function () {
  "use strict";
  var KEY = "porchlight-theme";
  var CHOICES = ["auto", "light", "dark"];
  var root = document.documentElement;
  var member = root.getAttribute("data-member-theme");

  function stored() {
    try {
      var value = window.localStorage.getItem(KEY);
      return CHOICES.indexOf(value) >= 0 ? value : "auto";
    } catch (error) {
      return "auto";
    }
  }

  function store(choice) {
    try {
      window.localStorage.setItem(KEY, choice);
    } catch (error) {
      // Storage refused (private mode): the choice lasts for this page only.
    }
  }

  function apply(choice) {
    if (choice === "light" || choice === "dark") {
      root.setAttribute("data-theme", choice);
    } else {
      root.removeAttribute("data-theme");
    }
  }

  function mark(form, choice) {
    form.querySelectorAll("button[name=theme]").forEach(function (button) {
      button.setAttribute("aria-pressed", button.value === choice ? "true" : "false");
    });
  }

  if (member) {
    store(member);
  } else {
    apply(stored());
  }

  document.addEventListener("DOMContentLoaded", function () {
    var forms = document.querySelectorAll("[data-theme-switch]");
    forms.forEach(function (form) {
      if (member) {
        return; // The form posts and the account keeps the choice.
      }
      form.hidden = false;
      mark(form, stored());
      // A visitor's form never reaches the server: their choice stays in this browser.
      form.addEventListener("submit", function (event) {
        event.preventDefault();
      });
      form.querySelectorAll("button[name=theme]").forEach(function (button) {
        button.addEventListener("click", function (event) {
          event.preventDefault();
          store(button.value);
          apply(button.value);
          forms.forEach(function (each) {
            mark(each, button.value);
          });
        });
      });
    });
  });
})();
