/* Forms marked data-offline="<key>" survive a weak signal: what was typed is kept in this phone's localStorage
   until the server has it, sent again when the network returns (the `online` event, or the next page opened while
   online). The key is the form's idempotency key, so the server makes one record however often it arrives. */
(function () {
  "use strict";
  var PREFIX = "linli-offline:";

  function status(form, text) {
    var box = form && form.querySelector("[data-offline-status]");
    if (box) { box.textContent = text; box.hidden = !text; }
  }

  function keep(form) {
    var entries = [];
    new FormData(form).forEach(function (value, name) {
      if (typeof value === "string") entries.push([name, value]);
    });
    localStorage.setItem(PREFIX + form.dataset.offline, JSON.stringify({ action: form.action, entries: entries }));
  }

  function formFor(key) {
    return document.querySelector('form[data-offline="' + key + '"]');
  }

  function send(key) {
    var raw = localStorage.getItem(PREFIX + key);
    if (!raw) return Promise.resolve(false);
    var item = JSON.parse(raw);
    var body = new URLSearchParams();
    item.entries.forEach(function (pair) { body.append(pair[0], pair[1]); });
    var form = formFor(key);
    status(form, "正在提交…");
    return fetch(item.action, { method: "POST", body: body, credentials: "same-origin" }).then(
      function (response) {
        localStorage.removeItem(PREFIX + key);
        // Show the page the server answered with (its one-time message included) at the address it came from.
        return response.text().then(function (html) {
          if (response.redirected) window.history.replaceState(null, "", response.url);
          document.open(); document.write(html); document.close(); return true;
        });
      },
      function () {
        status(form, "网络不通：已保存在本机，联网后会自动提交，请勿关闭浏览器。");
        return false;
      }
    );
  }

  function sendAll() {
    for (var i = localStorage.length - 1; i >= 0; i--) {
      var name = localStorage.key(i);
      if (name && name.indexOf(PREFIX) === 0) send(name.slice(PREFIX.length));
    }
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.dataset || !form.dataset.offline) return;
    event.preventDefault();
    keep(form);
    if (!navigator.onLine) {
      status(form, "网络不通：已保存在本机，联网后会自动提交，请勿关闭浏览器。");
      return;
    }
    send(form.dataset.offline);
  });

  window.addEventListener("online", sendAll);
  document.addEventListener("DOMContentLoaded", function () {
    if (navigator.onLine) sendAll();
  });
})();
