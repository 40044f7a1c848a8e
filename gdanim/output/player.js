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
  loopBox.checked = meta.loop;

  function grouped(k) { return String(k).replace(/\B(?=(\d{3})+(?!\d))/g, ","); }
  function runText(run, i) {
    var k = run.record[i];
    var fields = ["record " + grouped(k), "epoch " + grouped(run.epoch[i]), "step " + grouped(k)];
    run.names.forEach(function (name, j) { fields.push(name + " = " + run.params[i][j]); });
    fields.push("J = " + run.J[i]);
    return (run.label === null ? "" : run.label + ":  ") + fields.join("  \u00b7  ");
  }
  function readoutText(i) {  // one line per run
    return runs.map(function (run) { return runText(run, i); }).join("\n");
  }

  // One line per frame, a box after another: "x y width base64" of deflated palette
  // indices, or "x y base64" of a WebP image when there is no palette (lossy).
  var indexed = "palette" in meta, fields = indexed ? 4 : 3, boxes = [];
  var frames = root.querySelector(".gdanim-frames").textContent.trim().split("\n").map(function (line) {
    var f = line.split(" "), frame = [];
    for (var j = 0; j < f.length; j += fields) {
      var box = { x: +f[j], y: +f[j + 1] };
      if (indexed) { box.width = +f[j + 2]; box.data = f[j + 3]; }
      else { box.image = new Image(); box.image.src = "data:image/webp;base64," + f[j + 2]; }
      frame.push(box);
      boxes.push(box);
    }
    return frame;
  });

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
  function bytesOf(base64) {
    var text = atob(base64), bytes = new Uint8Array(text.length);
    for (var i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
    return bytes;
  }

  // Snapshots every `every` frames, taken while painting forwards, so a step back
  // repaints at most `every` frames.
  var every = Math.max(16, Math.ceil(n / 16)), snapshots = {}, shown = -1;
  function drawTo(k) {
    var start = 0;
    if (shown >= 0 && k > shown) {
      start = shown + 1;
    } else {
      for (var s = k - k % every; s >= 0; s -= every) {
        if (snapshots[s]) { painter.restore(snapshots[s]); start = s + 1; break; }
      }
    }
    for (var i = start; i <= k; i++) {
      frames[i].forEach(painter.paint);
      if (i % every === 0 && !snapshots[i]) {
        try { snapshots[i] = painter.snapshot(); } catch (err) { every = Infinity; }
      }
    }
    painter.show();
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
  // Indexed boxes are inflated up front (quick); WebP images are waited for to load,
  // not to decode: a box decodes when first drawn, which is quick, whereas decoding
  // hundreds of them up front takes seconds.
  function inflated(box) {
    // written straight in, not through a Blob, whose stream the browser process serves
    var inflater = new DecompressionStream("deflate"), writer = inflater.writable.getWriter();
    writer.write(bytesOf(box.data));
    writer.close();
    return new Response(inflater.readable).arrayBuffer().then(function (buffer) {
      box.indices = new Uint8Array(buffer);
      delete box.data;
    });
  }
  function loaded(box) {
    var image = box.image;
    return new Promise(function (resolve, reject) {
      if (image.complete) { if (image.naturalWidth) resolve(); else reject(); return; }
      image.onload = resolve;
      image.onerror = reject;
    });
  }
  var ready = indexed && typeof DecompressionStream === "undefined" ? Promise.reject()
    : Promise.all(boxes.map(indexed ? inflated : loaded));
  ready.then(start, function () {
    readout.textContent = indexed ? "this browser cannot inflate the frames (it has no DecompressionStream)"
      : "this browser cannot decode the WebP frames";
  });
})();
