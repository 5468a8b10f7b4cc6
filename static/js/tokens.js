// The API tokens page: a "Copy" button beside a newly created token. The button stays
// hidden without this script; the token is in a read-only field, selectable by hand.
(function () {
  "use strict";

  function say(text) {
    var status = document.querySelector("[data-copy-status]");
    if (status) status.textContent = text;
  }

  function copyBySelection(field) {
    field.focus();
    field.select();
    try {
      return document.execCommand("copy");
    } catch (e) {
      return false;
    }
  }

  function setUp(button) {
    var field = document.getElementById(button.getAttribute("data-copy-token"));
    if (!field) return;
    button.hidden = false;
    field.addEventListener("focus", function () {
      field.select();
    });
    button.addEventListener("click", function () {
      var copied = button.getAttribute("data-copied-text");
      var failed = button.getAttribute("data-copy-failed-text");
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(
          function () {
            say(copied);
          },
          function () {
            say(copyBySelection(field) ? copied : failed);
          }
        );
      } else {
        say(copyBySelection(field) ? copied : failed);
      }
    });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-copy-token]"), setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
