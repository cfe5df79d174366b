/* Irreversible steps ask first.
 *
 * A form, or the button that submits it, with data-confirm="一句话" asks window.confirm(that sentence) before it is
 * sent; "取消" sends nothing. The button's sentence wins over the form's. The same attribute works on forms and
 * elements that htmx sends (through htmx's own htmx:confirm event), so a template never needs hx-confirm; where an
 * element has hx-confirm anyway, htmx asks that question itself and this script does not ask a second time.
 * Loaded with defer from base.html; no inline script (the pages will run under a Content-Security-Policy).
 */
(function () {
  "use strict";

  function sentence(el) {
    return el && el.dataset && el.dataset.confirm ? el.dataset.confirm : "";
  }

  /* A plain form: the browser sends it unless the submit event is cancelled. */
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || event.defaultPrevented) {
      return; // htmx has already taken this form over (it cancels the submit): htmx:confirm below asks
    }
    var question = sentence(event.submitter) || sentence(form);
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });

  /* An htmx request: htmx fires htmx:confirm on every request and waits when it is cancelled. */
  document.addEventListener("htmx:confirm", function (event) {
    var detail = event.detail || {};
    if (detail.question) {
      return; // hx-confirm: htmx asks
    }
    var elt = detail.elt;
    var trigger = detail.triggeringEvent;
    // The element's own sentence; for a submit, the button's first and then its form's. A search field that
    // sends as one types never takes the sentence of the form it sits in.
    var submits = elt instanceof HTMLFormElement || (elt && elt.type === "submit" && elt.form);
    var question =
      sentence(trigger && trigger.submitter) || sentence(elt) || (submits ? sentence(elt.form) : "");
    if (!question) {
      return;
    }
    event.preventDefault();
    if (window.confirm(question)) {
      detail.issueRequest(true);
    }
  });
})();
