// Small enhancements; every page works without them (SPEC P3).
(function () {
  "use strict";

  var t = window.yksT;  // static/js/i18n.js: the words in the reader's language (issue 15)

  // 复制链接 / 复制号码: copy the invite link or a code, with a spoken confirmation (data-copy-done says what).
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy]");
    if (!button) return;
    var source = document.querySelector(button.getAttribute("data-copy"));
    var status = button.closest(".card") && button.closest(".card").querySelector("[data-copy-status]");
    if (!source) return;
    var done = function () { if (status) status.textContent = button.getAttribute("data-copy-done") || t("链接已复制"); };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(source.value).then(done, function () { source.select(); });
    } else {
      source.select();
      try { document.execCommand("copy"); done(); } catch (e) { /* the text stays selected */ }
    }
  });

  // 分享: the browser's share sheet (Web Share API), shown only where it exists.
  function revealShare(root) {
    if (!navigator.share) return;
    root.querySelectorAll("[data-share]").forEach(function (button) { button.hidden = false; });
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-share]");
    if (!button) return;
    var card = button.closest("[data-share-url]");
    navigator.share({
      title: card.getAttribute("data-share-title"),
      text: card.getAttribute("data-share-title"),
      url: card.getAttribute("data-share-url")
    }).catch(function () { /* the person closed the sheet */ });
  });
  document.addEventListener("DOMContentLoaded", function () { revealShare(document); });
  document.addEventListener("htmx:load", function (event) { revealShare(event.detail.elt); });
})();

// 粤康码: the time ticks every second (Asia/Shanghai, SPEC P5), so a screenshot is not mistaken for a live code.
(function () {
  "use strict";
  var format = new Intl.DateTimeFormat("sv-SE", {
    timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit", day: "2-digit",
    hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false
  });
  setInterval(function () {
    document.querySelectorAll("[data-clock]").forEach(function (el) {
      el.textContent = format.format(new Date());  // sv-SE writes 2026-11-23 06:52:11
    });
  }, 1000);
})();
