// Attaching images while writing: the "Attach image" button, dropping a file on the text,
// or pasting a screenshot uploads it at once and writes ![description](address) into the
// text where the cursor is. Without this script the file field posts with the form.
(function () {
  "use strict";

  function csrfToken(form) {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function insertAtCursor(textarea, text) {
    var start = textarea.selectionStart, end = textarea.selectionEnd;
    var before = textarea.value.slice(0, start), after = textarea.value.slice(end);
    var lead = before && !/\n\n$/.test(before) ? (/\n$/.test(before) ? "\n" : "\n\n") : "";
    var insert = lead + text + "\n";
    textarea.value = before + insert + after;
    var cursor = before.length + insert.length;
    textarea.setSelectionRange(cursor, cursor);
    textarea.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function setup(form) {
    var textarea = form.querySelector("textarea[name=body]");
    var fileInput = form.querySelector("input[type=file][name=image]");
    var altInput = form.querySelector("input[name=image_alt]");
    if (form.dataset.attachReady) return;
    form.dataset.attachReady = "1";
    if (!textarea || !fileInput || !window.fetch || !window.FormData) return;

    var status = document.createElement("p");
    status.className = "attach__status";
    status.setAttribute("role", "status");
    status.hidden = true;
    fileInput.parentNode.appendChild(status);

    var button = document.createElement("button");
    button.type = "button";
    button.className = "button button--secondary attach__button";
    button.textContent = form.dataset.attachButton;
    fileInput.parentNode.insertBefore(button, fileInput);
    fileInput.classList.add("attach__file--with-button");
    // The button is the way in; the hidden input is no tab stop of its own.
    fileInput.tabIndex = -1;
    button.addEventListener("click", function () { fileInput.click(); });

    function say(text, isError) {
      status.hidden = false;
      status.textContent = text;
      status.classList.toggle("attach__status--error", !!isError);
    }

    function upload(file) {
      var data = new FormData();
      data.append("image", file, file.name || "screenshot.png");
      data.append("image_alt", altInput ? altInput.value : "");
      say(form.dataset.attachUploading, false);
      return fetch(form.dataset.attachUrl, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken(form), "Accept": "application/json" },
      }).then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (body) {
          if (!response.ok || !body.markdown) {
            say(body.error || form.dataset.attachFailed, true);
            return;
          }
          insertAtCursor(textarea, body.markdown);
          if (altInput) altInput.value = "";
          say(form.dataset.attachDone, false);
        });
      }).catch(function () { say(form.dataset.attachFailed, true); });
    }

    function imagesIn(list) {
      var found = [];
      for (var i = 0; list && i < list.length; i++) {
        var item = list[i];
        var file = item.getAsFile ? (item.kind === "file" ? item.getAsFile() : null) : item;
        if (file) found.push(file);
      }
      return found;
    }

    function uploadAll(files) {
      return files.reduce(function (done, file) {
        return done.then(function () { return upload(file); });
      }, Promise.resolve());
    }

    fileInput.addEventListener("change", function () {
      var files = imagesIn(fileInput.files);
      // Uploaded here, so the form does not send the file a second time.
      uploadAll(files).then(function () { fileInput.value = ""; });
    });

    textarea.addEventListener("paste", function (event) {
      var files = imagesIn(event.clipboardData && event.clipboardData.items);
      if (!files.length) return;
      event.preventDefault();
      uploadAll(files);
    });

    textarea.addEventListener("dragover", function (event) {
      if (event.dataTransfer && Array.prototype.indexOf.call(event.dataTransfer.types, "Files") !== -1) {
        event.preventDefault();
        textarea.classList.add("attach__target");
      }
    });
    textarea.addEventListener("dragleave", function () { textarea.classList.remove("attach__target"); });
    textarea.addEventListener("drop", function (event) {
      textarea.classList.remove("attach__target");
      var files = imagesIn(event.dataTransfer && event.dataTransfer.files);
      if (!files.length) return;
      event.preventDefault();
      uploadAll(files);
    });
  }

  function init() {
    document.querySelectorAll("form[data-attach-url]").forEach(setup);
    // The live page replaces the reply box when a thread is locked or reopened.
    new MutationObserver(function () {
      document.querySelectorAll("form[data-attach-url]:not([data-attach-ready])").forEach(setup);
    }).observe(document.body, { childList: true, subtree: true });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
