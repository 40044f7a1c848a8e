// gdanim's HTML player: frames are boxes painted in order onto one canvas, so showing
// frame k means painting frames up to k over the nearest earlier snapshot. A box is
// deflated palette indices (255 keeps the pixel below), or with a lossy quality a
// WebP image. Nothing here fetches anything: the frames and the readout are in the page.
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
  readout.textContent = "loading frames...";  // the page's own text is for where scripts never run
  loopBox.checked = meta.loop;

  function grouped(k) { return String(k).replace(/\B(?=(\d{3})+(?!\d))/g, ","); }
  function runText(run, i) {
    var k = run.record[i];
    var fields = ["record " + grouped(k), "epoch " + grouped(run.epoch[i]), "step " + grouped(k)];
    run.names.forEach(function (name, j) { fields.push(name + " = " + run.params[i][j]); });
    if (run.unnamed) fields.push(run.unnamed + " parameters");
    fields.push("J = " + run.J[i]);
    // a line breaks only between fields: no-break spaces inside them
    fields = fields.map(function (field) { return field.replace(/ /g, "\u00a0"); });
    return labelled(run) + fields.join("  \u00b7  ");
  }
  // a race's labels padded to the longest, so that its runs' fields line up (monospace)
  var widest = Math.max.apply(null, runs.map(function (run) { return run.label === null ? 0 : run.label.length; }));
  function labelled(run) {
    if (run.label === null) return "";
    return run.label + ":" + new Array(widest - run.label.length + 2).join("\u00a0") + " ";
  }
  function readoutText(i) {  // one line per run
    return runs.map(function (run) { return runText(run, i); }).join("\n");
  }

  // One line per frame, a box after another: "x y width base64" of deflated palette
  // indices, or "x y base64" of a WebP image when there is no palette (lossy). The
  // text is read once and emptied; indexed boxes keep their deflated bytes.
  var indexed = "palette" in meta, fields = indexed ? 4 : 3, images = [], frames;
  var framesText = root.querySelector(".gdanim-frames");
  try {
    frames = framesText.textContent.trim().split("\n").map(function (line) {
      var f = line.split(" "), frame = [];
      for (var j = 0; j < f.length; j += fields) {
        var box = { x: +f[j], y: +f[j + 1] };
        if (indexed) { box.width = +f[j + 2]; box.deflated = bytesOf(f[j + 3]); }
        else { box.image = new Image(); box.image.src = "data:image/webp;base64," + f[j + 2]; images.push(box.image); }
        frame.push(box);
      }
      return frame;
    });
  } catch (err) {
    frames = null;
  }
  framesText.textContent = "";
  function bytesOf(base64) {
    var text = atob(base64), bytes = new Uint8Array(text.length);
    for (var i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
    return bytes;
  }

  // Indexed frames are painted into `screen`'s pixels (one 32-bit word each, palette
  // entries in the same byte order), which go to the canvas once a frame is shown.
  var width = canvas.width, painter;
  if (indexed) {
    var screen = ctx.createImageData(width, canvas.height), pixels = new Uint32Array(screen.data.buffer);
    var palette = new Uint32Array(256);
    new Uint8Array(palette.buffer).set(bytesOf(meta.palette));
    painter = {
      paint: function (box) {
        var indices = box.indices, w = box.width, h = indices.length / w;
        for (var r = 0; r < h; r++) {
          var at = (box.y + r) * width + box.x, row = r * w;
          for (var c = 0; c < w; c++) {
            var index = indices[row + c];
            if (index !== 255) pixels[at + c] = palette[index];
          }
        }
      },
      snapshot: function () { return pixels.slice(); },
      restore: function (saved) { pixels.set(saved); },
      show: function () { ctx.putImageData(screen, 0, 0); },
    };
  } else {
    painter = {
      paint: function (box) { ctx.drawImage(box.image, box.x, box.y); },
      snapshot: function () { return ctx.getImageData(0, 0, width, canvas.height); },
      restore: function (saved) { ctx.putImageData(saved, 0, 0); },
      show: function () {},
    };
  }

  // A frame's boxes are ready to paint once inflated (indexed) or loaded (WebP, all
  // at once: a box decodes when first drawn, which is quick). Inflated indices are
  // kept only from the snapshot before the frame shown to a few frames past it, so
  // memory stays that of a few frames however long the animation.
  var AHEAD = 8, inflated = {};
  var allLoaded = indexed ? null : Promise.all(images.map(function (image) {
    return new Promise(function (resolve, reject) {
      if (image.complete) { if (image.naturalWidth) resolve(); else reject(); return; }
      image.onload = resolve;
      image.onerror = reject;
    });
  }));
  function inflate(box) {
    // written straight in, not through a Blob, whose stream the browser process serves
    var inflater = new DecompressionStream("deflate"), writer = inflater.writable.getWriter();
    writer.write(box.deflated).catch(function () {});
    writer.close().catch(function () {});
    return new Response(inflater.readable).arrayBuffer().then(function (buffer) {
      box.indices = new Uint8Array(buffer);
    });
  }
  function ready(i) {
    if (!indexed) return allLoaded;
    if (!inflated[i]) inflated[i] = Promise.all(frames[i].map(inflate));
    return inflated[i];
  }
  function readyRange(from, to) {
    var waits = [];
    for (var i = Math.max(0, from); i <= Math.min(n - 1, to); i++) waits.push(ready(i));
    return Promise.all(waits);
  }
  function keepOnly(from, to) {
    if (!indexed) return;
    Object.keys(inflated).forEach(function (key) {
      var i = +key;
      if (i < from || i > to) {
        frames[i].forEach(function (box) { delete box.indices; });
        delete inflated[i];
      }
    });
  }

  // Snapshots every `every` frames, taken while painting forwards, so a step back
  // repaints at most `every` frames.
  var every = Math.max(16, Math.ceil(n / 16)), snapshots = {}, shown = -1;
  function plan(k) {  // {restore: a snapshot's frame or -1, from: the first frame to paint}
    if (k === shown) return { restore: -1, from: k + 1 };
    if (shown >= 0 && k > shown) return { restore: -1, from: shown + 1 };
    for (var s = k - k % every; s >= 0; s -= every) {
      if (snapshots[s]) return { restore: s, from: s + 1 };
    }
    return { restore: -1, from: 0 };
  }
  function drawTo(k, steps) {
    if (steps.restore >= 0) painter.restore(snapshots[steps.restore]);
    for (var i = steps.from; i <= k; i++) {
      frames[i].forEach(painter.paint);
      if (i % every === 0 && !snapshots[i]) {
        try { snapshots[i] = painter.snapshot(); } catch (err) { every = Infinity; }
      }
    }
    painter.show();
    shown = k;
  }

  // show(k) paints frame k once its boxes are ready; the latest request wins, so keys
  // pressed quickly step one frame each and end on the last one asked for.
  var playing = false, timer = null, wanted = 0, request = 0;
  function show(k) {
    k = Math.max(0, Math.min(n - 1, k));
    wanted = k;
    var mine = ++request, steps = plan(k);
    return readyRange(steps.from, k).then(function () {
      if (mine !== request) return;  // only the latest request paints, so the plan still holds
      drawTo(k, steps);
      slider.value = k;
      counter.textContent = (k + 1) + " / " + n;
      readout.textContent = readoutText(k);
      root.setAttribute("data-frame", k);
      keepOnly(k - k % every, k + AHEAD);
      readyRange(k + 1, k + AHEAD).catch(failed);
    }, failed);
  }
  function failed(why) {
    setPlaying(false);
    readout.textContent = typeof why === "string" ? why
      : indexed ? "this browser cannot inflate the frames (it needs DecompressionStream)"
      : "this browser cannot decode the WebP frames";
  }
  function schedule() {
    clearTimeout(timer);
    timer = playing ? setTimeout(tick, durations[Math.max(0, shown)] / parseFloat(speedBox.value)) : null;
  }
  function tick() {
    if (wanted + 1 < n) show(wanted + 1).then(schedule);
    else if (loopBox.checked) show(0).then(schedule);
    else setPlaying(false);
  }
  function setPlaying(on) {
    if (on && wanted === n - 1 && !loopBox.checked) show(0);
    playing = on;
    playButton.innerHTML = on ? "&#10074;&#10074;" : "&#9654;";
    playButton.setAttribute("aria-label", on ? "pause" : "play");
    schedule();
  }
  function step(by) { setPlaying(false); show(wanted + by); }

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

  // #frame=K shows frame K paused; #keys=A,B,... then, once it shows, presses those keys in order.
  function start() {
    var hash = root.parentNode === document.body ? location.hash : "";
    var frame = /[#&]frame=(\d+)/.exec(hash), pressed = /[#&]keys=([^&]*)/.exec(hash);
    var first = show(frame ? parseInt(frame[1], 10) : 0);
    if (pressed) {
      first.then(function () {
        pressed[1].split(",").forEach(function (key) {
          root.dispatchEvent(new KeyboardEvent("keydown", { key: key === "Space" ? " " : key, bubbles: true }));
        });
      });
    }
    if (!frame && !pressed) first.then(function () { if (!playing && request === 1) setPlaying(true); });
    if (root.parentNode === document.body) root.focus();
  }
  if (frames === null) failed("the frames in this page are damaged");
  else if (indexed && typeof DecompressionStream === "undefined") failed();
  else start();
})();
