// 扫描粤康码 (SPEC O9): the one scanner of every role that scans a 粤康码 (templates/_scanner.html).
//
// The form works without this file: a wired 2D scanner types the code and Enter into the focused field, or a
// person pastes it and taps 【提交】. This adds the phone's rear camera: getUserMedia into a <video>, decoded by
// the native BarcodeDetector where it reads QR codes, else by the vendored jsQR (loaded by a <script src> the
// first time it is needed: the CSP allows 'self' scripts, never inline ones or eval). The first text decoded
// goes into the field and the form is submitted, as if typed. The camera stops on submit, when htmx swaps the
// scanner away, and when the page is hidden.
//
// Loaded by the scanner macro itself, so it may run once per swap: the second run only initialises.
(function () {
  "use strict";
  if (window.yksScanner) {
    window.yksScanner.init(document);
    return;
  }

  var t = window.yksT;  // static/js/i18n.js: the words in the reader's language (issue 15)

  var OPENING = t("正在打开摄像头…");
  var AIM = t("请将粤康码对准取景框");
  var FAILED = t("无法打开摄像头，请使用扫码枪或粘贴");
  var FOUND = t("已识别，正在提交…");
  var INTERVAL = 150; // ms between two decodes: quick enough for a held-up phone, light on an old one

  var active = null; // the running camera: {root, stream, timer, stopped}
  var jsqr = null; // the promise of window.jsQR, once asked for

  function part(root, name) {
    return root.querySelector("[data-scanner-" + name + "]");
  }

  function say(root, text) {
    var status = part(root, "status");
    if (status) status.textContent = text;
  }

  function stop() {
    if (!active) return;
    var current = active;
    active = null;
    current.stopped = true;
    clearTimeout(current.timer);
    if (current.stream) current.stream.getTracks().forEach(function (track) { track.stop(); });
    var video = part(current.root, "video");
    if (video) video.srcObject = null;
    var view = part(current.root, "view");
    if (view) view.hidden = true;
    var start = part(current.root, "start");
    var close = part(current.root, "stop");
    if (start) start.hidden = false;
    if (close) close.hidden = true;
    say(current.root, "");
  }

  function loadJsQR(src) {
    if (window.jsQR) return Promise.resolve(window.jsQR);
    if (!jsqr) {
      jsqr = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = src;
        script.async = true;
        script.onload = function () {
          if (typeof window.jsQR === "function") resolve(window.jsQR);
          else reject(new Error("jsQR did not load"));
        };
        script.onerror = function () {
          jsqr = null; // a later tap may try again
          reject(new Error("jsQR did not load"));
        };
        document.head.appendChild(script);
      });
    }
    return jsqr;
  }

  function darkestChannel(data) {
    for (var i = 0; i < data.length; i += 4) {
      var darkest = Math.min(data[i], data[i + 1], data[i + 2]);
      data[i] = data[i + 1] = data[i + 2] = darkest;
    }
  }

  // A decoder: video → Promise of the decoded text or null.
  function jsqrDecoder(root) {
    return loadJsQR(root.getAttribute("data-jsqr-src")).then(function (decode) {
      var canvas = document.createElement("canvas");
      var context = canvas.getContext("2d", { willReadFrequently: true });
      var frame = 0;
      return function (video) {
        var width = video.videoWidth, height = video.videoHeight;
        if (!width || !height) return Promise.resolve(null);
        if (canvas.width !== width) canvas.width = width;
        if (canvas.height !== height) canvas.height = height;
        context.drawImage(video, 0, 0, width, height);
        var image = context.getImageData(0, 0, width, height);
        // Every other frame, each pixel's darkest channel instead of jsQR's luminance: the yellow code's modules
        // (#d9a000) are too light in luminance for jsQR's binariser, but have no blue, unlike the white around them.
        frame += 1;
        if (frame % 2) darkestChannel(image.data);
        // attemptBoth: a dark-mode screenshot may be inverted.
        var found = decode(image.data, width, height, { inversionAttempts: "attemptBoth" });
        return Promise.resolve(found && found.data ? found.data : null);
      };
    });
  }

  function nativeDecoder() {
    var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    return function (video) {
      if (!video.videoWidth) return Promise.resolve(null);
      return detector.detect(video).then(function (codes) {
        return codes.length && codes[0].rawValue ? codes[0].rawValue : null;
      });
    };
  }

  function decoder(root) {
    if (!("BarcodeDetector" in window) || !window.BarcodeDetector.getSupportedFormats) {
      return jsqrDecoder(root);
    }
    return window.BarcodeDetector.getSupportedFormats().then(function (formats) {
      return formats.indexOf("qr_code") >= 0 ? nativeDecoder() : jsqrDecoder(root);
    }, function () { return jsqrDecoder(root); });
  }

  function submit(root, text) {
    var field = root.querySelector("input[name=code]");
    field.value = text;
    stop();
    say(root, FOUND);
    if (typeof root.requestSubmit === "function") root.requestSubmit();
    else root.submit();
  }

  function loop(current, video, decode) {
    if (current.stopped) return;
    if (!document.contains(current.root)) { stop(); return; }
    decode(video).then(function (text) {
      if (current.stopped) return;
      if (text) { submit(current.root, text); return; }
      current.timer = setTimeout(function () { loop(current, video, decode); }, INTERVAL);
    }, function () {
      if (!current.stopped) current.timer = setTimeout(function () { loop(current, video, decode); }, INTERVAL);
    });
  }

  function start(root) {
    stop();
    var media = navigator.mediaDevices;
    if (!window.isSecureContext || !media || typeof media.getUserMedia !== "function") {
      say(root, FAILED);
      return;
    }
    var current = { root: root, stream: null, timer: null, stopped: false };
    active = current;
    say(root, OPENING);
    part(root, "start").hidden = true;
    part(root, "stop").hidden = false;
    media.getUserMedia({ video: { facingMode: "environment" }, audio: false }).then(function (stream) {
      current.stream = stream;
      if (current.stopped) { stream.getTracks().forEach(function (track) { track.stop(); }); return null; }
      var video = part(root, "video");
      video.muted = true;
      video.setAttribute("playsinline", "");
      video.srcObject = stream;
      part(root, "view").hidden = false;
      var playing = video.play();
      return Promise.resolve(playing).catch(function () { /* autoplay refused: frames still arrive */ })
        .then(function () { return decoder(root); })
        .then(function (decode) {
          if (current.stopped) return;
          say(root, AIM);
          loop(current, video, decode);
        });
    }).catch(function () {
      if (current.stopped) return;
      stop();
      say(root, FAILED); // permission denied, no camera, the camera busy, or the decoder would not load
    });
  }

  function init(scope) {
    var roots = [];
    if (scope.matches && scope.matches("[data-scanner]")) roots.push(scope);
    if (scope.querySelectorAll) roots.push.apply(roots, scope.querySelectorAll("[data-scanner]"));
    roots.forEach(function (root) {
      if (root.hasAttribute("data-scanner-ready")) return;
      root.setAttribute("data-scanner-ready", "");
      part(root, "start").hidden = false;
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-scanner-start], [data-scanner-stop]");
    if (!button) return;
    var root = button.closest("[data-scanner]");
    if (!root) return;
    event.preventDefault();
    if (button.hasAttribute("data-scanner-start")) start(root);
    else stop();
  });
  document.addEventListener("submit", function (event) {
    if (active && event.target === active.root) stop();
  }, true);
  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail && event.detail.target;
    if (active && (!target || target.contains(active.root))) stop();
  });
  document.addEventListener("visibilitychange", function () {
    if (document.hidden) stop();
  });
  window.addEventListener("pagehide", stop);
  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:load", function (event) { init(event.detail.elt); });

  window.yksScanner = { init: init, stop: stop };
  if (document.readyState !== "loading") init(document);
})();
