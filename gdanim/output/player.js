// gdanim's HTML player: frames are WebP boxes drawn in order onto one canvas, so
// showing frame k means drawing frames up to k over the nearest earlier snapshot.
// Nothing here fetches anything: the frames and the readout are in the page.
(function () {
  "use strict";
  var script = document.currentScript;
  var root = script ? script.parentNode
    : Array.prototype.slice.call(document.querySelectorAll(".gdanim-player:not([data-ready])")).pop();
  root.setAttribute("data-ready", "");
  var meta = JSON.parse(root.querySelector(".gdanim-meta").textContent);
  var n = meta.frames, durations = meta.durations, runs = meta.readout.runs;
  var canvas = root.querySelector(".gdanim-canvas");
  var ctx = canvas.getContext("2d", { willReadFrequently: true });
  var slider = root.querySelector(".gdanim-slider");
  var counter = root.querySelector(".gdanim-counter");
  var speedBox = root.querySelector(".gdanim-speed");
  var loopBox = root.querySelector(".gdanim-loop");
  var playButton = root.querySelector('[data-act="play"]');
  var readout = root.querySelector(".gdanim-readout");
  loopBox.checked = meta.loop;

  // Python's format(v, ".Pg"), digit for digit: round half to even on the exact value.
  function formatG(v, p) {
    if (v === null) return "nan";
    if (v === 0) return Object.is(v, -0) ? "-0" : "0";
    var parts = Math.abs(v).toExponential(99).split("e");
    var digits = parts[0].replace(".", ""), exp = parseInt(parts[1], 10);
    var kept = digits.slice(0, p), rest = digits.slice(p);
    var up = rest[0] > "5" || (rest[0] === "5" && (/[1-9]/.test(rest.slice(1)) || kept[p - 1] % 2 === 1));
    if (up) {
      var carried = (BigInt(kept) + 1n).toString();
      if (carried.length > p) { exp += 1; carried = carried.slice(0, p); }
      kept = carried;
    }
    var sign = v < 0 ? "-" : "", text;
    if (exp >= -4 && exp < p) {
      text = exp >= 0 ? kept.slice(0, exp + 1) + "." + kept.slice(exp + 1)
        : "0." + "0".repeat(-exp - 1) + kept;
      text = text.indexOf(".") < 0 ? text : text.replace(/0+$/, "").replace(/\.$/, "");
      return sign + text;
    }
    var mantissa = (kept[0] + "." + kept.slice(1)).replace(/0+$/, "").replace(/\.$/, "");
    var e = Math.abs(exp) < 10 ? "0" + Math.abs(exp) : String(Math.abs(exp));
    return sign + mantissa + "e" + (exp < 0 ? "-" : "+") + e;
  }
  function grouped(k) { return String(k).replace(/\B(?=(\d{3})+(?!\d))/g, ","); }
  function runText(run, i) {
    var k = run.record[i];
    var fields = ["record " + grouped(k), "epoch " + grouped(run.epoch[i]), "step " + grouped(k)];
    run.names.forEach(function (name, j) { fields.push(name + " = " + formatG(run.params[i][j], 4)); });
    fields.push("J = " + formatG(run.J[i], 5));
    return (run.label === null ? "" : run.label + ":  ") + fields.join("  \u00b7  ");
  }
  function readoutText(i) {  // one line per run
    return runs.map(function (run) { return runText(run, i); }).join("\n");
  }

  // One line per frame: "x y base64" for each box that changed.
  var boxes = [];
  var frames = root.querySelector(".gdanim-frames").textContent.trim().split("\n").map(function (line) {
    var f = line.split(" "), frame = [];
    for (var j = 0; j < f.length; j += 3) {
      var image = new Image();
      image.src = "data:image/webp;base64," + f[j + 2];
      frame.push({ x: +f[j], y: +f[j + 1], image: image });
      boxes.push(image);
    }
    return frame;
  });

  // Canvas snapshots every `every` frames, taken while drawing forwards, so a step
  // back redraws at most `every` frames.
  var every = Math.max(16, Math.ceil(n / 16)), snapshots = {}, shown = -1;
  function drawTo(k) {
    var start = 0;
    if (shown >= 0 && k > shown) {
      start = shown + 1;
    } else {
      for (var s = k - k % every; s >= 0; s -= every) {
        if (snapshots[s]) { ctx.putImageData(snapshots[s], 0, 0); start = s + 1; break; }
      }
    }
    for (var i = start; i <= k; i++) {
      frames[i].forEach(function (box) { ctx.drawImage(box.image, box.x, box.y); });
      if (i % every === 0 && !snapshots[i]) {
        try { snapshots[i] = ctx.getImageData(0, 0, canvas.width, canvas.height); } catch (err) { every = Infinity; }
      }
    }
    shown = k;
  }

  var playing = false, timer = null;
  function show(k) {
    k = Math.max(0, Math.min(n - 1, k));
    if (k !== shown) drawTo(k);
    slider.value = k;
    counter.textContent = (k + 1) + " / " + n;
    readout.textContent = readoutText(k);
    root.setAttribute("data-frame", k);
  }
  function schedule() {
    clearTimeout(timer);
    timer = playing ? setTimeout(tick, durations[shown] / parseFloat(speedBox.value)) : null;
  }
  function tick() {
    if (shown + 1 < n) show(shown + 1);
    else if (loopBox.checked) show(0);
    else { setPlaying(false); return; }
    schedule();
  }
  function setPlaying(on) {
    if (on && shown === n - 1 && !loopBox.checked) show(0);
    playing = on;
    playButton.innerHTML = on ? "&#10074;&#10074;" : "&#9654;";
    playButton.setAttribute("aria-label", on ? "pause" : "play");
    schedule();
  }
  function step(by) { setPlaying(false); show(shown + by); }

  var actions = {
    play: function () { setPlaying(!playing); },
    back: function () { step(-1); },
    forward: function () { step(1); },
  };
  root.querySelector(".gdanim-controls").addEventListener("click", function (event) {
    var act = event.target.closest("[data-act]");
    if (act) actions[act.getAttribute("data-act")]();
  });
  slider.addEventListener("input", function () { setPlaying(false); show(parseInt(slider.value, 10)); });
  speedBox.addEventListener("change", schedule);
  var keys = {
    " ": actions.play, ArrowLeft: actions.back, ArrowRight: actions.forward,
    Home: function () { setPlaying(false); show(0); },
    End: function () { setPlaying(false); show(n - 1); },
  };
  root.addEventListener("keydown", function (event) {
    var action = keys[event.key];
    if (!action || event.target === speedBox) return;
    event.preventDefault();
    action();
  });
  root.addEventListener("keyup", function (event) { if (event.key === " ") event.preventDefault(); });

  // #frame=K shows frame K paused; #keys=A,B,... then presses those keys, in order.
  function start() {
    var hash = root.parentNode === document.body ? location.hash : "";
    var frame = /[#&]frame=(\d+)/.exec(hash), pressed = /[#&]keys=([^&]*)/.exec(hash);
    show(frame ? parseInt(frame[1], 10) : 0);
    if (pressed) {
      pressed[1].split(",").forEach(function (key) {
        root.dispatchEvent(new KeyboardEvent("keydown", { key: key === "Space" ? " " : key, bubbles: true }));
      });
    }
    if (!frame && !pressed) setPlaying(true);
    if (root.parentNode === document.body) root.focus();
  }
  // Wait for the images to load, not to decode: a box decodes when first drawn, which
  // is quick, whereas decoding hundreds of them up front takes seconds.
  function loaded(image) {
    return new Promise(function (resolve, reject) {
      if (image.complete) { if (image.naturalWidth) resolve(); else reject(); return; }
      image.onload = resolve;
      image.onerror = reject;
    });
  }
  Promise.all(boxes.map(loaded)).then(start, function () {
    readout.textContent = "this browser cannot decode the WebP frames";
  });
})();
