// 工作台: the countdown to the 11:30 lock of yesterday's data (issue 16 item 4). The server writes the text
// and the seconds left when it renders the page (so it reads right without JavaScript); this only ticks it
// down while the page stays open, from the moment the element was first seen: at once when the script runs,
// and whenever htmx swaps a new 工作台 in (the phone's own clock may be wrong, so it is never read as a time).
(function () {
  "use strict";
  if (window.yksCountdown) { return; }  // loaded again with each 工作台 htmx swaps in: htmx:load ticks those
  window.yksCountdown = true;

  var t = window.yksT;  // static/js/i18n.js: the words in the reader's language (issue 15)

  function duration(seconds) {
    var minutes = Math.floor(seconds / 60), hours = Math.floor(minutes / 60);
    minutes = minutes % 60;
    if (hours) { return t("%(hours)d小时%(minutes)d分", { hours: hours, minutes: minutes }); }
    return minutes ? t("%(minutes)d分", { minutes: minutes }) : t("不到1分钟");
  }

  function tick() {
    document.querySelectorAll("[data-countdown]").forEach(function (el) {
      if (!el.dataset.countdownSeen) { el.dataset.countdownSeen = String(Date.now()); }
      var left = Number(el.dataset.countdown) - Math.floor((Date.now() - Number(el.dataset.countdownSeen)) / 1000);
      el.textContent = left > 0
        ? el.dataset.countdownPrefix + duration(left) + (el.dataset.countdownSuffix || "")
        : el.dataset.countdownDone;
    });
  }

  tick();  // stamp what is on the page now
  document.addEventListener("htmx:load", tick);  // and what htmx swaps in later
  setInterval(tick, 1000);
})();
