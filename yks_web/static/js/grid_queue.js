// 待上传 (issue 12 item 7): the door-to-door collection form keeps working with no network.
//
// A form with [data-offline-queue] (templates/grid/_collect_manual.html) is not posted by the browser: each record
// goes into IndexedDB (db "yks-grid", store "visits", keyed by its client_key) and is then sent to
// data-sync-url, form-encoded, with a fresh CSRF token from data-token-url. The server stores a client_key once
// (services/grid_visits.record), so a record sent twice, or whose answer was lost, is stored once. A record leaves
// the phone only when the server answered that it is stored; a refusal (409) or a rejection (422) keeps it as
// 上传失败 with the reason, to 重新编辑 or 删除 (templates/grid/_queue.html). Without JavaScript, or without
// IndexedDB, the form posts as a plain form.
// Also: registers the service worker of the grid pages (/grid/sw.js), and at 退出登录 removes the collection pages
// it kept and warns of records not yet uploaded.
(function () {
  "use strict";

  var t = window.yksT;  // static/js/i18n.js: the words in the reader's language (issue 15)

  var DB_NAME = "yks-grid";
  var STORE = "visits";
  var PAGES_CACHE = "yks-grid-pages";  // static/grid/service_worker.js
  var REASONS = {
    network: t("网络不可用，恢复网络后自动上传"),
    login: t("登录已失效，请重新登录后上传"),
    server: t("服务器暂时无法处理，稍后自动上传")
  };
  var RETRY_MS = 30000;
  var SERVER_TRIES = 10;  // a record answered by a server error this many times is shown as failed (and kept)
  var SERVER_GAVE_UP = t("服务器多次未能保存这条记录，请点【重新编辑】核对后提交，或联系网格管理员");
  var LAST_WORKER = "yks-grid-worker";  // localStorage: whose collection pages this phone keeps
  var timeFormat = new Intl.DateTimeFormat("sv-SE", {
    timeZone: "Asia/Shanghai", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hour12: false
  });

  // -- IndexedDB --------------------------------------------------------------------------------------------
  var opened = null;

  function openDb() {
    if (!opened) {
      opened = new Promise(function (resolve, reject) {
        var request = indexedDB.open(DB_NAME, 1);
        request.onupgradeneeded = function () {
          if (!request.result.objectStoreNames.contains(STORE)) {
            request.result.createObjectStore(STORE, { keyPath: "client_key" });
          }
        };
        request.onsuccess = function () { resolve(request.result); };
        request.onerror = function () { opened = null; reject(request.error); };
      });
    }
    return opened;
  }

  function withStore(mode, work) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var transaction = db.transaction(STORE, mode);
        var request = work(transaction.objectStore(STORE));
        transaction.oncomplete = function () { resolve(request ? request.result : undefined); };
        transaction.onerror = transaction.onabort = function () { reject(transaction.error); };
      });
    });
  }

  function allRecords() {
    return withStore("readonly", function (store) { return store.getAll(); }).then(function (records) {
      return records.sort(function (a, b) { return a.created < b.created ? -1 : a.created > b.created ? 1 : 0; });
    });
  }
  function getRecord(key) { return withStore("readonly", function (store) { return store.get(key); }); }
  function putRecord(record) { return withStore("readwrite", function (store) { return store.put(record); }); }
  function deleteRecord(key) { return withStore("readwrite", function (store) { return store.delete(key); }); }

  // -- the page -----------------------------------------------------------------------------------------------
  function queueForm() { return document.querySelector("form[data-offline-queue]"); }
  function panel() { return document.getElementById("grid-queue"); }
  function resultBox() { return document.getElementById("grid-visit-result"); }
  function worker() { var p = panel(); return p ? p.getAttribute("data-worker") : null; }

  // uuid4 as 32 hex digits, like the server's uuid4().hex (getRandomValues works on plain http too)
  function newKey() {
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    return Array.prototype.map.call(bytes, function (b) { return (b < 16 ? "0" : "") + b.toString(16); }).join("");
  }

  function maskName(name) {  // privacy.mask_name: *立叶
    var letters = Array.from(name || "");
    return letters.length <= 1 ? "*" : "*" + letters.slice(1).join("");
  }

  function shownTime(iso) {
    var when = new Date(iso);
    return isNaN(when.getTime()) ? "" : timeFormat.format(when);
  }

  function pageToken() {
    var input = document.querySelector("input[name=csrf_token]");
    if (input) return input.value;
    try { return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || ""; } catch (e) {
      return "";
    }
  }

  function setField(form, name, value) {
    var field = form.elements.namedItem(name);
    if (!field) return;
    if (field instanceof RadioNodeList || field.type === "radio") {
      Array.prototype.forEach.call(form.querySelectorAll("[name='" + name + "']"), function (option) {
        option.checked = option.value === value;
      });
    } else if (field.type === "checkbox") {
      field.checked = Boolean(value);
    } else {
      field.value = value;
    }
  }

  function formFields(form) {
    var fields = {};
    new FormData(form).forEach(function (value, name) {
      if (name !== "csrf_token" && typeof value === "string") fields[name] = value;
    });
    return fields;
  }

  function fieldBox(form, name) {
    var field = form.elements.namedItem(name);
    if (!field) return null;
    var element = field instanceof RadioNodeList ? field[0] : field;
    return element && element.type !== "hidden" ? element.closest(".field") || element.parentElement : null;
  }

  function clearErrors(form) {
    Array.prototype.forEach.call(form.querySelectorAll(".field-error"), function (p) { p.remove(); });
    Array.prototype.forEach.call(form.querySelectorAll(".has-error"), function (box) {
      box.classList.remove("has-error");
    });
    Array.prototype.forEach.call(form.querySelectorAll("[aria-invalid]"), function (element) {
      element.removeAttribute("aria-invalid");
      element.removeAttribute("aria-describedby");
    });
  }

  // The message beside its field, as the server's form macro shows it (templates/_macros.html errors()).
  function showErrors(form, errors) {
    var first = null;
    var unplaced = [];
    Object.keys(errors || {}).forEach(function (name) {
      var message = [].concat(errors[name])[0];
      var box = fieldBox(form, name);
      if (!box) { unplaced.push(message); return; }
      var p = document.createElement("p");
      p.className = "field-error";
      p.id = name + "-error";
      p.textContent = message;
      box.classList.add("has-error");
      box.appendChild(p);
      Array.prototype.forEach.call(box.querySelectorAll("input, select, textarea"), function (element) {
        element.setAttribute("aria-invalid", "true");
        element.setAttribute("aria-describedby", p.id);
      });
      if (!first) first = box.querySelector("input, select, textarea");
    });
    if (first) first.focus();
    return unplaced;
  }

  function labelOf(form, element) {
    var fieldset = element.type === "radio" && element.closest("fieldset");
    if (fieldset && fieldset.querySelector("legend")) return fieldset.querySelector("legend").textContent.trim();
    var label = element.id && form.querySelector("label[for='" + element.id + "']");
    return label ? label.textContent.trim() : "";
  }

  // What the browser can check before keeping a record: the required fields are there.
  function missingFields(form) {
    var errors = {};
    Array.prototype.forEach.call(form.elements, function (element) {
      if (!element.required || element.disabled || errors[element.name]) return;
      var empty = element.type === "radio"
        ? !form.querySelector("[name='" + element.name + "']:checked")
        : !String(element.value).trim();
      if (!empty) return;
      var label = { label: labelOf(form, element) };
      errors[element.name] = [element.type === "radio" || element.tagName === "SELECT"
        ? t("请选择%(label)s", label) : t("请填写%(label)s", label)];
    });
    return errors;
  }

  // -- sending ------------------------------------------------------------------------------------------------
  function freshToken(url) {
    if (!url) return Promise.resolve({ token: pageToken() });
    return fetch(url, {
      headers: { Accept: "application/json" }, credentials: "same-origin", redirect: "manual", cache: "no-store"
    }).then(function (response) {
      if (response.type === "opaqueredirect") return { reason: "login" };
      if (!response.ok) return { token: pageToken() };
      return response.json().then(function (answer) { return { token: answer.csrf || pageToken() }; });
    }, function () { return { reason: "network" }; });
  }

  // One record to the server: what became of it ("stored", "failed", or "pending" with a reason that also stops
  // the round: no network, logged out, server trouble).
  function send(record, token) {
    var body = new URLSearchParams();
    Object.keys(record.fields).forEach(function (name) { body.append(name, record.fields[name]); });
    body.set("grid_id", record.grid_id);
    body.set("client_key", record.client_key);
    return fetch(record.sync_url, {
      method: "POST", body: body, credentials: "same-origin", redirect: "manual", cache: "no-store",
      headers: { "X-CSRFToken": token, Accept: "application/json" }
    }).then(function (response) {
      if (response.type === "opaqueredirect") return { outcome: "pending", reason: "login" };
      if (response.status >= 500 || response.status === 429 || response.status === 400) {
        return { outcome: "pending", reason: "server" };
      }
      return response.json().catch(function () { return {}; }).then(function (answer) {
        if (response.status === 200 && (answer.status === "stored" || answer.status === "repeated")) {
          return { outcome: "stored", message: answer.message };
        }
        if (response.status === 200) return { outcome: "pending", reason: "server" };
        return {
          outcome: "failed",
          message: answer.message || (response.status === 404 ? t("该网格已不存在，或您已不是该网格的网格员") : t("上传失败")),
          errors: answer.errors || {}
        };
      });
    }, function () { return { outcome: "pending", reason: "network" }; });
  }

  var syncing = null;
  var lastReason = "";

  // Every pending record of this worker, oldest first; returns {client_key: outcome}.
  function syncAll() {
    if (!syncing) {
      syncing = doSync().catch(function () { return {}; }).then(function (outcomes) {
        syncing = null;
        return render().then(function () { return outcomes; });
      });
    }
    return syncing;
  }

  function doSync() {
    var me = worker();
    var outcomes = {};
    return allRecords().then(function (records) {
      var pending = records.filter(function (r) { return r.worker === me && r.status === "pending"; });
      if (!pending.length) { lastReason = ""; return outcomes; }
      return freshToken(pending[0].token_url).then(function (token) {
        if (token.reason) return holdAll(pending, token.reason, outcomes);
        var index = 0;
        function next() {
          if (index >= pending.length) { lastReason = ""; return outcomes; }
          var record = pending[index++];
          record.attempts = (record.attempts || 0) + 1;
          return send(record, token.token).then(function (result) {
            outcomes[record.client_key] = result;
            if (result.outcome === "stored") return deleteRecord(record.client_key).then(next);
            if (result.outcome === "failed") {
              record.status = "failed";
              record.error = result.message;
              record.errors = result.errors;
              return putRecord(record).then(next);
            }
            if (result.reason === "server" && record.attempts >= SERVER_TRIES) {
              // one record the server keeps refusing must not hold the others back: it shows as failed, kept
              record.status = "failed";
              record.error = SERVER_GAVE_UP;
              record.errors = {};
              return putRecord(record).then(next);
            }
            return holdAll(pending.slice(index - 1), result.reason, outcomes);
          });
        }
        return next();
      });
    });
  }

  function holdAll(records, reason, outcomes) {
    lastReason = reason;
    return Promise.all(records.map(function (record) {
      outcomes[record.client_key] = outcomes[record.client_key] || { outcome: "pending", reason: reason };
      record.error = REASONS[reason];
      return putRecord(record);
    })).then(function () { return outcomes; });
  }

  // -- the 待上传 panel ----------------------------------------------------------------------------------------
  function button(label, action, key, cls) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = cls;
    b.textContent = label;
    b.setAttribute("data-queue-action", action);
    b.setAttribute("data-key", key);
    return b;
  }

  function row(record) {
    var li = document.createElement("li");
    li.className = "list-row";
    li.setAttribute("data-queue-record", record.status);
    var text = document.createElement("span");
    var name = document.createElement("span");
    name.className = "strong";
    name.textContent = maskName(record.fields.name);
    var status = document.createElement("span");
    status.className = "badge";
    status.textContent = record.status === "failed" ? t("上传失败") : t("待上传");
    var when = document.createElement("span");
    when.className = "muted small";
    when.textContent = [shownTime(record.fields.recorded_at || record.created), record.grid_name].join(" · ");
    text.append(name, " ", status, document.createElement("br"), when);
    var reasons = [];
    if (record.error) reasons.push(record.error);
    Object.keys(record.errors || {}).forEach(function (field) { reasons.push([].concat(record.errors[field])[0]); });
    if (reasons.length) {
      var why = document.createElement("span");
      why.className = record.status === "failed" ? "field-error small" : "muted small";
      why.textContent = reasons.join(t("；"));
      text.append(document.createElement("br"), why);
    }
    li.appendChild(text);
    if (record.status === "failed") {
      var actions = document.createElement("span");
      if (queueForm()) actions.append(button(t("重新编辑"), "edit", record.client_key, "btn small"), " ");
      actions.append(button(t("删除"), "delete", record.client_key, "btn small danger"));
      li.appendChild(actions);
    }
    return li;
  }

  function render() {
    var p = panel();
    if (!p) return Promise.resolve();
    return allRecords().then(function (records) {
      var me = worker();
      var mine = records.filter(function (r) { return r.worker === me; });
      var others = records.length - mine.length;
      p.hidden = records.length === 0;
      p.querySelector("[data-queue-count]").textContent = String(mine.length);
      var list = p.querySelector("[data-queue-list]");
      list.replaceChildren.apply(list, mine.map(row));
      var reason = p.querySelector("[data-queue-reason]");
      var waiting = mine.some(function (r) { return r.status === "pending"; });
      reason.textContent = waiting && lastReason ? REASONS[lastReason] : "";
      var upload = p.querySelector("[data-queue-upload]");
      upload.hidden = !waiting;
      var note = p.querySelector("[data-queue-others]");
      note.hidden = others === 0;
      note.textContent = others ? t("另有%(num)s条其他账号的记录待上传，需由该网格员本人登录后上传", { num: others }) : "";
      var empty = document.querySelector("[data-queue-empty]");  // the 待上传 page
      if (empty) {
        empty.hidden = records.length > 0;
        empty.textContent = t("这部手机上没有待上传的记录");
      }
    }).catch(function () { /* no IndexedDB: nothing is queued here */ });
  }

  // -- submitting ----------------------------------------------------------------------------------------------
  function showResult(form, message, detail) {
    var box = resultBox();
    if (!box) return;
    box.querySelector("[data-result-message]").textContent = message;
    box.querySelector("[data-result-detail]").textContent = detail || "";
    form.hidden = true;
    box.hidden = false;
    box.querySelector("[data-continue]").focus();
  }

  function firstField(form) {
    return form.querySelector("input:not([type=hidden]):not([disabled]), select, textarea");
  }

  // 【继续采集】: an empty form with a new client_key.
  function continueCollecting(form) {
    form.reset();
    clearErrors(form);
    setField(form, "client_key", newKey());
    setField(form, "recorded_at", "");
    delete form.dataset.editing;
    form.hidden = false;
    if (resultBox()) resultBox().hidden = true;
    var first = firstField(form);
    if (first) first.focus();
  }

  function submitRecord(form) {
    clearErrors(form);
    var missing = missingFields(form);
    if (Object.keys(missing).length) { showErrors(form, missing); return Promise.resolve(); }
    var fields = formFields(form);
    var key = fields.client_key || newKey();
    return getRecord(key).then(function (before) {
      if (before && form.dataset.editing !== key) {  // a key already used (a page kept offline, reloaded): new
        key = newKey();
        before = null;
      }
      fields.client_key = key;
      fields.recorded_at = before && before.fields.recorded_at ? before.fields.recorded_at : new Date().toISOString();
      var record = {
        client_key: key, worker: worker(), grid_id: form.getAttribute("data-grid-id"),
        grid_name: form.getAttribute("data-grid-name") || "", sync_url: form.getAttribute("data-sync-url"),
        token_url: form.getAttribute("data-token-url"), fields: fields, status: "pending", error: "", errors: {},
        attempts: before ? before.attempts || 0 : 0, created: before ? before.created : new Date().toISOString()
      };
      return putRecord(record).then(function () {
        form.dataset.editing = key;  // until 继续采集: a second tap of 提交 sends the same record again
        return (syncing || Promise.resolve()).then(syncAll);  // a round already under way may predate this record
      }).then(function (outcomes) {
        var result = outcomes[key] || { outcome: "pending", reason: lastReason || "network" };
        if (result.outcome === "stored") {
          showResult(form, t("提交成功"), result.message || "");
        } else if (result.outcome === "failed" && Object.keys(result.errors || {}).length) {
          var unplaced = showErrors(form, result.errors);  // typed values stay; 提交 again resends this record
          if (unplaced.length) showResult(form, result.message, unplaced.join(t("；")));
        } else if (result.outcome === "failed") {
          showResult(form, t("提交失败：%(message)s", { message: result.message }),
            t("记录已保存在手机上（待上传列表），可重新编辑或删除"));
        } else {
          showResult(form, t("已保存在手机上，待上传"), REASONS[result.reason] || "");
        }
      });
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-offline-queue")) return;
    if (!window.indexedDB || !panel()) return;  // the plain post (PRG) then
    // before htmx's boost sees it: the record goes into the queue, not into a page swap
    event.preventDefault();
    event.stopPropagation();
    if (form.dataset.busy) return;
    form.dataset.busy = "1";
    submitRecord(form).catch(function () {
      HTMLFormElement.prototype.submit.call(form);  // IndexedDB refused (private mode, full disk): post it plainly
    }).then(function () { delete form.dataset.busy; });
  }, true);

  document.addEventListener("click", function (event) {
    var target = event.target.closest("[data-queue-upload], [data-queue-action], [data-continue]");
    if (!target) return;
    var form = queueForm();
    if (target.hasAttribute("data-queue-upload")) {
      syncAll();
    } else if (target.hasAttribute("data-continue")) {
      if (form) continueCollecting(form);
    } else if (target.getAttribute("data-queue-action") === "delete") {
      if (window.confirm(t("确定删除这条记录吗？删除后无法恢复"))) deleteRecord(target.getAttribute("data-key")).then(render);
    } else if (target.getAttribute("data-queue-action") === "edit" && form) {
      getRecord(target.getAttribute("data-key")).then(function (record) {
        if (!record) return;
        continueCollecting(form);
        Object.keys(record.fields).forEach(function (name) { setField(form, name, record.fields[name]); });
        form.dataset.editing = record.client_key;  // 提交 replaces this record in the queue (same client_key)
        showErrors(form, record.errors || {});
        var first = firstField(form);
        if (first) { first.focus(); first.scrollIntoView({ block: "center" }); }
      });
    }
  });

  // -- service worker, page start, 退出登录 -------------------------------------------------------------------
  var lastKept = null;

  function keepPage(path) {
    if (!("serviceWorker" in navigator) || path.indexOf("/grid/") !== 0 || path === lastKept) return;
    lastKept = path;
    navigator.serviceWorker.ready.then(function (registration) {
      if (registration.active) registration.active.postMessage({ type: "keep-page", path: path });
    });
  }

  // On a grid page (loaded whole, with the manifest link, or brought by htmx, with the 待上传 panel).
  function registerWorker() {
    var source = document.querySelector("link[rel=manifest][data-service-worker], #grid-queue[data-service-worker]");
    if (!source || !("serviceWorker" in navigator) || !window.isSecureContext) return;
    navigator.serviceWorker.register(source.getAttribute("data-service-worker"), { scope: "/grid/" })
      .catch(function () { /* no offline copy; the pages work online as ever */ });
  }

  var started = new WeakSet();

  // A page from the server names its worker: another account's kept pages go (a session that ended without
  // 退出登录 left them), so one account's cached form never files records under another's name.
  function forgetOtherWorkersPages(me) {
    if (!me || !window.localStorage || !window.caches) return;
    try {
      var before = localStorage.getItem(LAST_WORKER);
      if (before && before !== me) caches.delete(PAGES_CACHE);
      localStorage.setItem(LAST_WORKER, me);
    } catch (e) { /* storage refused: the logout clean-up still applies */ }
  }

  function start() {
    var form = queueForm();
    var p = panel();
    if (p && navigator.onLine) forgetOtherWorkersPages(p.getAttribute("data-worker"));
    if (form && !started.has(form) && window.indexedDB && p) {
      started.add(form);
      setField(form, "client_key", newKey());  // never the key of a page kept offline and opened again
    }
    if (p && !started.has(p) && window.indexedDB) {
      started.add(p);
      render().then(syncAll);
    }
    registerWorker();
    keepPage(location.pathname + location.search);
    warnAtLogout();
    pointToQueue();
  }

  // Any other grid page: records wait on this phone → a way to them (e.g. after 解绑, the form is gone).
  var QUEUE_PAGE = "/grid/queue";  // blueprints/grid/offline.py

  function pointToQueue() {
    var content = document.querySelector("#screen .content");
    if (panel() || !content || content.querySelector("[data-queue-banner]") || location.pathname.indexOf("/grid/") !== 0
        || !window.indexedDB || !indexedDB.databases) return;
    indexedDB.databases().then(function (databases) {
      return databases.some(function (d) { return d.name === DB_NAME; }) ? allRecords() : null;
    }).then(function (records) {
      if (!records || !records.length || content.querySelector("[data-queue-banner]")) return;
      var banner = document.createElement("p");
      banner.className = "flash flash-error";
      banner.setAttribute("role", "status");
      banner.setAttribute("data-queue-banner", "");
      var link = document.createElement("a");
      link.href = QUEUE_PAGE;
      link.textContent = t("查看待上传");
      banner.append(t("这部手机上有%(num)s条采集记录未上传，", { num: records.length }), link);
      content.insertBefore(banner, content.firstChild);
    }).catch(function () { /* nothing to point to */ });
  }

  var LOGOUT = "form[action$='/auth/logout'], form[action$='/auth/logout-everywhere']";

  function warnAtLogout() {
    var forms = Array.prototype.filter.call(document.querySelectorAll(LOGOUT), function (form) {
      return !started.has(form);
    });
    forms.forEach(function (form) { started.add(form); });
    if (!forms.length || !window.indexedDB || !indexedDB.databases) return;
    indexedDB.databases().then(function (databases) {
      if (!databases.some(function (d) { return d.name === DB_NAME; })) return null;
      return allRecords();
    }).then(function (records) {
      if (!records || !records.length) return;
      forms.forEach(function (form) {
        var warning = document.createElement("p");
        warning.className = "flash flash-error";
        warning.setAttribute("role", "status");
        warning.setAttribute("data-queue-warning", "");
        warning.textContent = t("有%(num)s条记录待上传：退出登录后仍保存在这部手机上，本人重新登录后上传",
          { num: records.length });
        form.parentNode.insertBefore(warning, form);
      });
    }).catch(function () { /* nothing to warn of */ });
  }

  // 退出登录: the collection pages this phone kept for the worker go (the next person on a shared phone sees none);
  // the records not yet uploaded stay, for that worker to upload after logging in again.
  document.addEventListener("submit", function (event) {
    if (event.target.matches && event.target.matches(LOGOUT) && window.caches) caches.delete(PAGES_CACHE);
  }, true);

  window.addEventListener("online", function () { if (panel()) syncAll(); });
  setInterval(function () {
    if (panel() && navigator.onLine) syncAll();
  }, RETRY_MS);
  document.addEventListener("htmx:load", start);
  document.addEventListener("htmx:pushedIntoHistory", function (event) { keepPage(event.detail.path); });
  document.addEventListener("DOMContentLoaded", start);
})();
