/* Optional help for feedback forms (plugins/alusta_forms). Without it the forms work the same.
   - Fetches a signed timestamp from the site's own endpoint and puts it into the form, so
     the endpoint can refuse forms sent faster than a person fills them in.
   - Shows the server's own error sentences (data-msg-* on each field) next to a field
     before sending, and moves focus to the first wrong field.
   Loads nothing from third parties and stores nothing. */
(function () {
  "use strict";

  function fetchToken(form) {
    var url = form.getAttribute("data-token-url");
    var input = form.querySelector('input[name="_ts"]');
    if (!url || !input || input.value || !window.fetch) { return; }
    fetch(url, { credentials: "omit", cache: "no-store" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) { if (data && data.token) { input.value = data.token; } })
      .catch(function () { /* the form still works without the timestamp */ });
  }

  function problem(field) {
    var inputs = field.querySelectorAll("input, textarea");
    var messages = field.dataset;
    for (var i = 0; i < inputs.length; i++) {
      var v = inputs[i].validity;
      if (v.valid) { continue; }
      if (v.valueMissing) { return messages.msgRequired; }
      if (v.typeMismatch || v.badInput) { return messages.msgType; }
      if (v.tooLong) { return messages.msgLong; }
      if (v.tooShort) { return messages.msgShort; }
      if (v.rangeUnderflow) { return messages.msgLow; }
      if (v.rangeOverflow) { return messages.msgHigh; }
      return messages.msgRequired;
    }
    return "";
  }

  function show(field, text) {
    var error = field.querySelector(".feedback-error");
    var target = field.querySelector("fieldset") || field.querySelector("input, textarea");
    if (error) { error.textContent = text || ""; }
    field.classList.toggle("has-error", Boolean(text));
    if (target) {
      if (text) { target.setAttribute("aria-invalid", "true"); }
      else { target.removeAttribute("aria-invalid"); }
    }
  }

  function check(form, event) {
    var first = null;
    form.querySelectorAll(".feedback-field").forEach(function (field) {
      var text = problem(field);
      show(field, text);
      if (text && !first) { first = field; }
    });
    if (first) {
      event.preventDefault();
      (first.querySelector("fieldset") || first.querySelector("input, textarea")).focus();
    }
  }

  document.querySelectorAll("form.feedback-form").forEach(function (form) {
    form.noValidate = true;  /* our messages, in the page's language, replace the browser's */
    fetchToken(form);
    form.addEventListener("submit", function (event) { check(form, event); });
    form.addEventListener("change", function (event) {
      var field = event.target.closest(".feedback-field");
      if (field && field.classList.contains("has-error")) { show(field, problem(field)); }
    });
  });
})();
