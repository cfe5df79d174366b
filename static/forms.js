/* Small page behaviours, kept out of the templates (the Content-Security-Policy allows no inline script or style).
 *
 * - <select data-autosubmit> sends its form when the choice changes (the language switch, list filters);
 * - <button data-back> goes back one page (the error pages);
 * - data-width="40" sets an element's width to 40 % (a progress bar), data-indent="3" its left padding to 3 em
 *   (a tree's depth): values computed by the server, set through the DOM, which the policy allows.
 * Loaded with defer from base.html; runs again on content htmx swaps in.
 */
(function () {
  "use strict";

  function number(value) {
    var n = parseFloat(value);
    return isFinite(n) ? n : null;
  }

  function apply(root) {
    root.querySelectorAll("[data-width]").forEach(function (el) {
      var n = number(el.dataset.width);
      if (n !== null) el.style.width = Math.max(0, Math.min(100, n)) + "%";
    });
    root.querySelectorAll("[data-indent]").forEach(function (el) {
      var n = number(el.dataset.indent);
      if (n !== null) el.style.paddingLeft = Math.max(0, n) + "em";
    });
  }

  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el instanceof HTMLSelectElement && el.hasAttribute("data-autosubmit") && el.form) {
      el.form.submit();
    }
  });

  document.addEventListener("click", function (event) {
    var el = event.target instanceof Element ? event.target.closest("[data-back]") : null;
    if (el) {
      event.preventDefault();
      window.history.back();
    }
  });

  document.addEventListener("htmx:load", function (event) {
    if (event.target instanceof Element) apply(event.target);
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { apply(document); });
  } else {
    apply(document);
  }
})();
