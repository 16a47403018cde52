// The words the scripts write, in the reader's language (issue 15): the 简体中文 msgid itself, or its translation
// from page.html's <script type="application/json" id="yks-messages"> (yks_web/js_messages.py; no block in
// 简体中文). %(name)s or %(name)d take values[name]. Loaded before every other script of the page.
(function () {
  "use strict";
  var messages = null;
  window.yksT = function (msgid, values) {
    if (!messages) {
      try {
        messages = JSON.parse(document.getElementById("yks-messages").textContent) || {};
      } catch (e) { messages = {}; }  // 简体中文: no block
    }
    var found = Object.prototype.hasOwnProperty.call(messages, msgid) ? messages[msgid] : msgid;
    return values ? found.replace(/%\((\w+)\)[sd]/g, function (all, name) {
      return name in values ? String(values[name]) : all;
    }) : found;
  };
})();
