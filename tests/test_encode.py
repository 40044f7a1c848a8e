"""Output encoding: exact round trips, byte determinism, atomic writes and cleanup."""
import io
import os
import pickle
import signal
import struct
import subprocess
import sys
import textwrap

import imageio_ffmpeg
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, ImageSequence

from _fakes import FullDisk
import gdanim
from gdanim.output import atomic, check_writable, frame_encoder, open_container, output_kind
from gdanim.output.atomic import atomic_path, remove_stale_temps
from gdanim.output.gif import GifContainer, GifFrameEncoder, gif_delays
from gdanim.output.mp4 import Mp4Container
from gdanim.output.palette import TRANSPARENT, Palette
from gdanim.output.png import PngDirContainer, png_payload
from gdanim.errors import ConfigError, OutputError
from gdanim.output.yuv import yuv420_payload

W, H = 64, 48


def synthetic_frames(n=8):
    """Plot-like frames: white background, colour ramps (over 255 colours in all, so the
    palette comes from median cut), a moving soft-edged disc, a line; frames 3 and 4
    repeat frame 2 (a paused animation must keep every frame)."""
    yy, xx = np.mgrid[0:H, 0:W]
    frames = []
    for k in range(n):
        step = 2 if k in (3, 4) else k
        rgb = np.full((H, W, 3), 255.0)
        ramp = np.linspace(0, 1, W)[None, :, None]
        rgb[36:44] = (1 - ramp) * [30, 60, 200] + ramp * [250, 200, 20]
        rgb[24:34, :, 0] = 40 + 3 * xx[24:34]
        rgb[24:34, :, 1] = 10 * yy[24:34]
        coverage = np.clip(6.5 - np.hypot(xx - 10 - 5 * step, yy - 15), 0, 1)[..., None]
        rgb = (1 - coverage) * rgb + coverage * [220, 40, 40]
        rgb[5 + step, 2:60] = [0, 0, 0]
        frame = np.empty((H, W, 4), np.uint8)
        frame[..., :3] = np.round(rgb)
        frame[..., 3] = 255
        frames.append(frame)
    return frames


@pytest.fixture(scope="module")
def frames():
    return synthetic_frames()


@pytest.fixture(scope="module")
def palette(frames):
    return Palette.from_frames(frames[::2])


def gif_payloads(frames, palette):
    encoder = GifFrameEncoder(palette)
    return [encoder.encode(f) for f in frames]


def write_gif(path, payloads, palette, **timing):
    timing = timing or {"fps": 30, "end_pause": 0.5}
    with GifContainer(path, W, H, palette, **timing) as gif:
        for payload in payloads:
            gif.add(payload)
    return path.read_bytes()


def leftovers(directory):
    return sorted(name for name in os.listdir(directory) if name.endswith(".tmp"))


# ------------------------------------------------------------------------ kinds, timing


@pytest.mark.parametrize(
    ("path", "kind"),
    [("a.gif", "gif"), ("out/A.GIF", "gif"), ("a.mp4", "mp4"), ("a.webp", "webp"), ("a.WebM", "webm"),
     ("a.html", "html"), ("frames/", "png")],
)
def test_output_kind(path, kind):
    assert output_kind(path) == kind


def test_output_kind_existing_directory_and_unknown_suffix(tmp_path):
    (tmp_path / "shots.v2").mkdir()
    assert output_kind(tmp_path / "shots.v2") == "png"
    with pytest.raises(ConfigError, match=r"^cannot write movie\.avi: unknown output suffix '\.avi'; use \.gif, \.mp4, "
                       r"\.webp, \.webm, \.html, or end the path with / for PNG frames$"):
        output_kind("movie.avi")
    # no suffix, no trailing "/" and no such directory: an error, not a surprise directory of PNGs
    with pytest.raises(ConfigError, match=r"^cannot write anim: no suffix; use \.gif, \.mp4, \.webp, \.webm, \.html, "
                       r"or end the path with / for PNG frames$"):
        output_kind("anim")


def test_gif_delays_cumulative_rounding():
    assert gif_delays(6, 30, 0.5) == [3, 4, 3, 3, 4, 3 + 50]
    assert gif_delays(4, 40, 0) == [2, 3, 3, 2]  # ends 2.5, 5, 7.5, 10: halves to even
    assert sum(gif_delays(700, 7, 0)) == 10000  # no drift over 100 s
    assert gif_delays(3, 400, 0) == [1, 1, 1]
    assert gif_delays(0, 30, 1) == []
    with pytest.raises(ConfigError):
        gif_delays(3, 0, 0)
    with pytest.raises(ConfigError):
        gif_delays(3, 30, -1)


@given(
    n=st.integers(1, 300),
    fps=st.floats(0.5, 100),
    pause=st.floats(0, 10),
)
def test_gif_delays_keep_total_time(n, fps, pause):
    delays = gif_delays(n, fps, pause)
    assert len(delays) == n and min(delays) >= 1
    assert abs(sum(delays) - 100 * (n / fps + pause)) <= 1


# ------------------------------------------------------------------------ palette


def test_median_cut_palette_keeps_background_and_is_picklable(frames, palette):
    indices = palette.index(frames[0])
    assert indices.shape == (H, W) and indices.dtype == np.uint8
    assert indices.max() < TRANSPARENT
    assert (palette.colors[indices[0, 0]] == [255, 255, 255]).all()
    clone = pickle.loads(pickle.dumps(palette))
    assert (clone.index(frames[5]) == palette.index(frames[5])).all()


def test_palette_of_few_colours_is_exact():
    frame = np.zeros((4, 4, 4), np.uint8)
    frame[:2] = [10, 200, 30, 255]
    frame[3, 3] = [250, 250, 251, 255]
    pal = Palette.from_frames([frame])
    np.testing.assert_array_equal(pal.colors[pal.index(frame)], frame[..., :3])
    probe = np.array([[[255, 255, 255, 255], [9, 201, 33, 255]]], np.uint8)
    assert pal.colors[pal.index(probe)].tolist() == [[[250, 250, 251], [10, 200, 30]]]


def test_key_colours_get_exact_entries_that_own_their_cells(frames):
    """The one-pixel black line lies on rows that median cut skips (it sees every other
    row), so without a key its pixels decode as another colour. Declared key, black gets
    entry 0 and its whole LUT cell; a key colour absent from the sample gets one too."""
    line = (frames[0][..., :3] == 0).all(axis=2)
    plain = Palette.from_frames(frames[::2])
    assert (plain.colors[plain.index(frames[0])][line] != 0).any()
    keyed = Palette.from_frames(frames[::2], key_colors=[[0, 0, 0], [250, 250, 5]])
    assert keyed.colors[:2].tolist() == [[0, 0, 0], [250, 250, 5]]
    probe = np.array([[[0, 0, 0, 255], [3, 2, 1, 255], [250, 250, 5, 255]]], np.uint8)
    assert keyed.index(probe).tolist() == [[0, 0, 1]]
    for frame in frames:
        black = (frame[..., :3] == 0).all(axis=2)
        assert black.any() and (keyed.colors[keyed.index(frame)][black] == 0).all()


def test_key_colours_join_a_few_colour_palette_or_force_median_cut():
    frame = np.zeros((4, 4, 4), np.uint8)
    frame[..., 3] = 255
    frame[:2] = [10, 200, 30, 255]
    frame[3, 3] = [250, 250, 251, 255]
    pal = Palette.from_frames([frame], key_colors=[[250, 250, 251], [1, 2, 200]])
    assert pal.colors[:5].tolist() == [[250, 250, 251], [1, 2, 200], [0, 0, 0], [10, 200, 30], [0, 0, 0]]
    np.testing.assert_array_equal(pal.colors[pal.index(frame)], frame[..., :3])
    # 255 colours and one more key colour: median cut of 254, after the key
    ramp = np.zeros((1, 255, 4), np.uint8)
    ramp[0, :, 0] = np.arange(255)
    ramp[..., 3] = 255
    pal = Palette.from_frames([ramp], key_colors=[[0, 0, 255]])
    assert pal.colors[0].tolist() == [0, 0, 255]
    assert pal.index(np.array([[[0, 0, 255, 255]]], np.uint8)).tolist() == [[0]]


# ------------------------------------------------------------------------ GIF


def test_gif_round_trip_is_exact(tmp_path, frames, palette):
    path = tmp_path / "a.gif"
    write_gif(path, gif_payloads(frames, palette), palette)
    with Image.open(path) as im:
        assert im.n_frames == len(frames)
        assert im.size == (W, H)
        assert im.info["loop"] == 0
        durations = []
        for frame, decoded in zip(frames, ImageSequence.Iterator(im)):
            expected = palette.colors[palette.index(frame)]
            np.testing.assert_array_equal(np.asarray(decoded.convert("RGB")), expected)
            durations.append(decoded.info["duration"])
    assert durations == [10 * d for d in gif_delays(len(frames), 30, 0.5)]


def gif_frames_layout(data):
    """(disposal, transparent index or None, x, y, width, height) of each frame, read
    straight from the GIF blocks."""
    pos = 13 + 3 * 256
    layout, control = [], None
    while data[pos] != 0x3B:
        if data[pos] == 0x21 and data[pos + 1] == 0xF9:
            packed, transparent = data[pos + 3], data[pos + 6]
            control = ((packed >> 2) & 7, transparent if packed & 1 else None)
            pos += 8
        elif data[pos] == 0x21:
            pos += 2
            while data[pos]:
                pos += 1 + data[pos]
            pos += 1
        else:
            assert data[pos] == 0x2C and data[pos + 9] & 0x80 == 0
            x, y, w, h = np.frombuffer(data[pos + 1 : pos + 9], "<u2").tolist()
            layout.append((*control, x, y, w, h))
            pos += 11
            while data[pos]:
                pos += 1 + data[pos]
            pos += 1
    return layout


def test_gif_frames_hold_only_the_changed_box(tmp_path, frames, palette):
    edited = frames[0].copy()
    edited[30, 40] = [0, 0, 0, 255]
    sequence = [frames[0], frames[0], edited, frames[1]]
    layout = gif_frames_layout(write_gif(tmp_path / "a.gif", gif_payloads(sequence, palette), palette))
    assert layout[:3] == [(1, None, 0, 0, W, H), (1, 255, 0, 0, 1, 1), (1, 255, 40, 30, 1, 1)]
    assert layout[3][:2] == (1, 255) and layout[3][4] < W


def test_palette_colour_owns_its_lut_cell():
    """White must not decode as a near-white that happens to be nearer the cell centre."""
    pal = Palette([[255, 255, 255], [253, 253, 254], [0, 0, 0]], counts=[100, 1, 5])
    probe = np.array([[[255, 255, 255, 255], [1, 2, 0, 255]]], np.uint8)
    assert pal.index(probe).tolist() == [[0, 2]]


def test_gif_bytes_are_deterministic_and_independent_of_chunking(tmp_path, frames, palette):
    whole = write_gif(tmp_path / "a.gif", gif_payloads(frames, palette), palette)
    again = write_gif(tmp_path / "b.gif", gif_payloads(frames, palette), palette)
    chunked = []
    for start, stop in [(0, 3), (3, 4), (4, 8)]:  # as three workers would
        encoder = frame_encoder("gif", pickle.loads(pickle.dumps(palette)))
        if start:
            encoder.encode(frames[start - 1])
        chunked += [encoder.encode(f) for f in frames[start:stop]]
    assert write_gif(tmp_path / "c.gif", chunked, palette) == whole == again


def test_gif_explicit_delays_without_loop(tmp_path, frames, palette):
    path = tmp_path / "a.gif"
    write_gif(path, gif_payloads(frames[:3], palette), palette, delays=[7, 8, 9], loop=False)
    with Image.open(path) as im:
        assert "loop" not in im.info
        assert [f.info["duration"] for f in ImageSequence.Iterator(im)] == [70, 80, 90]


def test_gif_container_rejects_unprimed_chunk(tmp_path, frames, palette):
    crop_payload = gif_payloads(frames[:2], palette)[1]
    with pytest.raises(ValueError, match="whole frame"):
        write_gif(tmp_path / "a.gif", [crop_payload], palette)
    assert os.listdir(tmp_path) == []


@settings(derandomize=True, max_examples=25, deadline=None)
@given(st.data())
def test_gif_round_trip_random_edits(palette, tmp_path_factory, data):
    """Random small edits anywhere (edges, single pixels, none at all) decode exactly."""
    rng = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1)))
    h, w = data.draw(st.integers(1, 7)), data.draw(st.integers(1, 7))
    frame = rng.integers(0, 256, (h, w, 4), dtype=np.uint8)
    frames = [frame]
    for _ in range(data.draw(st.integers(0, 4))):
        frame = frame.copy()
        mask = rng.random((h, w)) < data.draw(st.sampled_from([0.0, 0.1, 0.5]))
        frame[mask] = rng.integers(0, 256, (int(mask.sum()), 4), dtype=np.uint8)
        frames.append(frame)
    encoder = GifFrameEncoder(palette)
    path = tmp_path_factory.mktemp("edits") / "a.gif"
    with GifContainer(path, w, h, palette, fps=10) as gif:
        for f in frames:
            gif.add(encoder.encode(f))
    with Image.open(path) as im:
        decoded = [np.asarray(f.convert("RGB")) for f in ImageSequence.Iterator(im)]
    assert len(decoded) == len(frames)
    for f, d in zip(frames, decoded):
        np.testing.assert_array_equal(d, palette.colors[palette.index(f)])


def test_gif_psnr_on_matplotlib_frame(tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(2, 1.5), dpi=48)
    x = np.linspace(-2, 2, 60)
    X, Y = np.meshgrid(x, x)
    ax.contourf(X, Y, X**2 + 3 * Y**2, levels=20, cmap="viridis")
    ax.plot([-1.8, -0.5, 0.2], [1.5, 0.4, 0.1], "r.-")
    ax.set_title("J = 0.1234", fontsize=7)
    fig.canvas.draw()
    rgba = np.asarray(fig.canvas.buffer_rgba()).copy()
    plt.close(fig)
    pal = Palette.from_frames([rgba])
    path = tmp_path / "p.gif"
    with GifContainer(path, rgba.shape[1], rgba.shape[0], pal, fps=10) as gif:
        gif.add(GifFrameEncoder(pal).encode(rgba))
    with Image.open(path) as im:
        decoded = np.asarray(im.convert("RGB"), dtype=float)
    mse = np.mean((decoded - rgba[..., :3]) ** 2)
    assert 10 * np.log10(255**2 / mse) >= 30


# ------------------------------------------------------------------------ MP4


def test_mp4_odd_size_is_rejected_before_writing(tmp_path):
    with pytest.raises(ConfigError, match=r"even width and height; got 63x48"):
        Mp4Container(tmp_path / "a.mp4", 63, 48, 10)
    assert os.listdir(tmp_path) == []


def test_mp4_encodes_decodable_deterministic_video(tmp_path, frames):
    first = tmp_path / "a.mp4"
    with Mp4Container(first, W, H, 12, end_pause_frames=3) as mp4:
        for f in frames:
            mp4.add(yuv420_payload(f))
    second = tmp_path / "b.mp4"
    with open_container(second, "mp4", width=W, height=H, fps=12, end_pause=0.25) as mp4:
        encoder = frame_encoder("mp4")
        for f in frames:
            mp4.add(encoder.encode(f))
    assert first.read_bytes() == second.read_bytes()
    reader = imageio_ffmpeg.read_frames(str(first))
    meta = next(reader)
    decoded = [np.frombuffer(b, np.uint8).reshape(H, W, 3) for b in reader]
    assert meta["size"] == (W, H) and len(decoded) == len(frames) + 3
    assert np.abs(decoded[0].astype(int) - frames[0][..., :3]).mean() < 6
    assert leftovers(tmp_path) == []


def test_mp4_is_tagged_bt709(tmp_path, frames):
    """Primaries, transfer and matrix BT.709, limited range: in the H.264 stream, which
    ffmpeg prints as ``yuv420p(tv, bt709, ...)`` only when all three are BT.709, and
    in the MP4 ``colr`` box (type nclx: primaries, transfer, matrix 1 = BT.709, then
    the full-range flag, clear)."""
    path = tmp_path / "a.mp4"
    with Mp4Container(path, W, H, 12) as mp4:
        for f in frames:
            mp4.add(yuv420_payload(f))
    probe = subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-i", str(path)], capture_output=True,
                           text=True, timeout=60)
    stream = [line for line in probe.stderr.splitlines() if "Video:" in line]
    assert len(stream) == 1 and "h264" in stream[0] and "yuv420p(tv, bt709, progressive)" in stream[0], probe.stderr
    data = path.read_bytes()
    assert data.count(b"colr") == 1
    colr = data.index(b"colr")
    assert data[colr - 4 : colr] == (4 + 4 + 4 + 7).to_bytes(4, "big")  # box size
    assert data[colr + 4 : colr + 8] == b"nclx"
    assert struct.unpack(">HHHB", data[colr + 8 : colr + 15]) == (1, 1, 1, 0)


def test_mp4_missing_ffmpeg(tmp_path, monkeypatch):
    monkeypatch.setenv("IMAGEIO_FFMPEG_EXE", str(tmp_path / "no-ffmpeg"))
    with pytest.raises(OutputError, match="ffmpeg") as info:
        Mp4Container(tmp_path / "a.mp4", W, H, 10)
    assert "\n" not in str(info.value)


@pytest.mark.skipif(os.name == "nt", reason="shell script stands in for ffmpeg")
def test_mp4_ffmpeg_failure_reports_last_stderr_line(tmp_path, monkeypatch, frames):
    fake = tmp_path / "ffmpeg"
    fake.write_text("#!/bin/sh\necho 'some noise' >&2\necho 'Conversion failed: fake' >&2\nexit 1\n")
    fake.chmod(0o755)
    monkeypatch.setenv("IMAGEIO_FFMPEG_EXE", str(fake))
    target = tmp_path / "a.mp4"
    target.write_bytes(b"previous")
    with pytest.raises(OutputError, match=r"a\.mp4: Conversion failed: fake$"):
        with Mp4Container(target, W, H, 10) as mp4:
            for f in frames * 10:
                mp4.add(yuv420_payload(f))
    assert target.read_bytes() == b"previous"
    assert leftovers(tmp_path) == []


# ------------------------------------------------------------------------ PNG


def png_chunk_types(data):
    types, pos = [], 8
    while pos < len(data):
        length = int.from_bytes(data[pos : pos + 4], "big")
        types.append(data[pos + 4 : pos + 8])
        pos += 12 + length
    return types


def test_png_directory_round_trip_and_stale_frames(tmp_path, frames):
    out = tmp_path / "frames"
    for count in (5, 3):
        with open_container(out, "png", width=W, height=H, fps=10, end_pause=0) as pngs:
            encoder = frame_encoder("png")
            for f in frames[:count]:
                pngs.add(encoder.encode(f))
    (out / "notes.txt").write_text("mine")
    assert sorted(os.listdir(out)) == ["frame_00000.png", "frame_00001.png", "frame_00002.png", "notes.txt"]
    for i, f in enumerate(frames[:3]):
        with Image.open(out / f"frame_{i:05d}.png") as im:
            np.testing.assert_array_equal(np.asarray(im), f[..., :3])


def test_png_payload_is_deterministic_lossless_and_metadata_free():
    rgba = synthetic_frames(1)[0]
    rgba[0, 0, 3] = 128  # transparency is kept when present
    data = png_payload(rgba)
    assert data == png_payload(rgba.copy())
    assert png_chunk_types(data) == [b"IHDR", b"IDAT", b"IEND"]
    with Image.open(io.BytesIO(data)) as im:
        np.testing.assert_array_equal(np.asarray(im), rgba)


# ------------------------------------------------------------------------ atomic writes


@pytest.mark.parametrize("error", [RuntimeError, KeyboardInterrupt])
def test_atomic_path_keeps_previous_file(tmp_path, error):
    target = tmp_path / "a.gif"
    target.write_bytes(b"previous")
    with pytest.raises(error):
        with atomic_path(target) as temp:
            with open(temp, "wb") as f:
                f.write(b"half")
            raise error
    assert target.read_bytes() == b"previous" and os.listdir(tmp_path) == ["a.gif"]
    with atomic_path(target) as temp:
        assert os.path.basename(temp).startswith(".a.gif.")
        with open(temp, "wb") as f:
            f.write(b"new")
    assert target.read_bytes() == b"new" and os.listdir(tmp_path) == ["a.gif"]


def test_gif_exception_mid_render_keeps_previous_file(tmp_path, frames, palette):
    target = tmp_path / "a.gif"
    target.write_bytes(b"previous")
    with pytest.raises(KeyboardInterrupt):
        with GifContainer(target, W, H, palette, fps=10) as gif:
            for payload in gif_payloads(frames, palette):
                gif.add(payload)
            raise KeyboardInterrupt
    assert target.read_bytes() == b"previous" and os.listdir(tmp_path) == ["a.gif"]


@pytest.fixture
def disk_full_after(monkeypatch):
    def install(budget):
        monkeypatch.setattr(
            atomic, "open", lambda *a, **k: FullDisk(open(*a, **k), budget), raising=False
        )

    return install


def test_disk_full_gif(tmp_path, frames, palette, disk_full_after):
    target = tmp_path / "a.gif"
    target.write_bytes(b"previous")
    disk_full_after(1000)  # the header fits, the frames do not
    with pytest.raises(OutputError) as info:
        write_gif(target, gif_payloads(frames, palette), palette)
    assert str(info.value) == f"cannot write {target}: No space left on device"
    assert target.read_bytes() == b"previous" and os.listdir(tmp_path) == ["a.gif"]


def test_disk_full_png(tmp_path, frames, disk_full_after):
    disk_full_after(0)
    with pytest.raises(OutputError, match="No space left on device"):
        with PngDirContainer(tmp_path / "frames") as pngs:
            pngs.add(png_payload(frames[0]))
    assert os.listdir(tmp_path / "frames") == []


def test_check_writable(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(OutputError, match=r"^cannot write out/x\.gif: directory out does not exist$"):
        check_writable("out/x.gif")
    os.mkdir("out")
    check_writable("out/x.gif")
    check_writable("out/frames/")  # created later by PngDirContainer
    with pytest.raises(OutputError, match="directory missing does not exist"):
        check_writable("missing/frames/")
    open("results", "w").close()
    with pytest.raises(OutputError, match=r"^cannot write results/: results is not a directory$"):
        check_writable("results/")
    monkeypatch.setattr(os, "access", lambda *a, **k: False)
    with pytest.raises(OutputError, match=r"^cannot write out/x\.gif: directory out is not writable$"):
        check_writable("out/x.gif")


def test_remove_stale_temps_only_touches_dead_processes(tmp_path):
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    dead, alive = child.pid, os.getpid()
    names = [f".a.gif.{dead}.0badf00d.tmp", f".a.gif.{alive}.0badf00d.tmp", f".b.gif.{dead}.0badf00d.tmp", "a.gif"]
    for name in names:
        (tmp_path / name).write_bytes(b"x")
    remove_stale_temps(tmp_path, "a.gif")
    assert sorted(os.listdir(tmp_path)) == sorted(names[1:])


@pytest.mark.skipif(os.name == "nt", reason="POSIX signals")
def test_sigterm_runs_cleanup(tmp_path):
    target = tmp_path / "a.gif"
    target.write_bytes(b"previous")
    script = textwrap.dedent(
        """
        import os, signal, sys
        from gdanim.output.atomic import atomic_path
        from gdanim.output.signals import install_signal_cleanup
        install_signal_cleanup()
        install_signal_cleanup()
        with atomic_path(sys.argv[1]) as temp:
            open(temp, "wb").write(b"half")
            os.kill(os.getpid(), signal.SIGTERM)
            signal.pause()
        """
    )
    package_root = os.path.dirname(os.path.dirname(gdanim.__file__))
    env = dict(os.environ, PYTHONPATH=package_root)
    done = subprocess.run([sys.executable, "-c", script, str(target)], env=env, timeout=30)
    assert done.returncode == 128 + signal.SIGTERM
    assert target.read_bytes() == b"previous" and os.listdir(tmp_path) == ["a.gif"]


def test_lazy_lut_gives_the_nearest_colour_in_any_lookup_order():
    rng = np.random.default_rng(3)
    colors = rng.integers(0, 256, (40, 3))
    pixels = np.concatenate([rng.integers(0, 256, (1, 500, 3)), np.full((1, 500, 1), 255)], axis=2).astype(np.uint8)
    # brute force: the palette colour nearest the centre of each pixel's 6-bit cell
    centres = (pixels[0, :, :3] >> 2).astype(float) * 4 + 1.5
    distance = ((centres[:, None, :] - colors[None, :, :].astype(float)) ** 2).sum(axis=2)
    expected = distance.argmin(axis=1)
    forwards, backwards = Palette(colors), Palette(colors)
    half = pickle.loads(pickle.dumps(Palette(colors)))
    half.index(pixels[:, :250])  # a LUT filled in part, then pickled, as workers receive it
    half = pickle.loads(pickle.dumps(half))
    np.testing.assert_array_equal(forwards.index(pixels)[0], expected)
    np.testing.assert_array_equal(backwards.index(pixels[:, ::-1])[0][::-1], expected)
    np.testing.assert_array_equal(half.index(pixels)[0], expected)
