"""Video: the workers' yuv420p conversion, WebM (VP9), colour tags read back from
ffmpeg, byte determinism, and the chunk bound that keeps memory flat."""
import os
import re
import subprocess
import sys

import imageio_ffmpeg
import numpy as np
import pytest

import gdanim
from gdanim.animation import animate
from gdanim.engines.stream import chunk_bounds
from gdanim.errors import ConfigError
from gdanim.output.webm import WebmContainer
from gdanim.output.yuv import Yuv420Encoder, tile_shape, yuv420_payload
from gdanim.render import chunk_frames


@pytest.fixture(scope="module")
def short():
    return gdanim.train("six-points", lr=0.01, init="w=3,b=-1", epochs=40)


def planes(payload, width, height):
    data = np.frombuffer(payload, np.uint8)
    y = data[: width * height].reshape(height, width)
    cb = data[width * height : width * height * 5 // 4].reshape(height // 2, width // 2)
    cr = data[width * height * 5 // 4 :].reshape(height // 2, width // 2)
    return y, cb, cr


def test_yuv_of_hand_worked_colours():
    """White, black, red and blue 2x2 blocks: Y 16-235, Cb and Cr 16-240 (BT.709).

    Red: Y = 16 + 219 * 0.2126 = 62.6; Cb = 128 - 224 * 0.2126 / 1.8556 = 102.3;
    Cr = 128 + 112 = 240. Blue: Y = 16 + 219 * 0.0722 = 31.8; Cb = 240;
    Cr = 128 - 224 * 0.0722 / 1.5748 = 117.7.
    """
    colours = [(255, 255, 255), (0, 0, 0), (255, 0, 0), (0, 0, 255)]
    frame = np.zeros((2, 8, 4), np.uint8)
    for i, colour in enumerate(colours):
        frame[:, 2 * i : 2 * i + 2, :3] = colour
    frame[..., 3] = 255
    y, cb, cr = planes(yuv420_payload(frame), 8, 2)
    assert y[0].tolist() == [235, 235, 16, 16, 63, 63, 32, 32]
    assert cb[0].tolist() == [128, 128, 102, 240]
    assert cr[0].tolist() == [128, 128, 240, 118]


def test_yuv_matches_the_formula_within_one_level():
    rng = np.random.default_rng(0)
    frame = rng.integers(0, 256, (6, 10, 4), dtype=np.uint8)
    y, cb, cr = planes(yuv420_payload(frame), 10, 6)
    rgb = frame[..., :3].astype(float)
    luma = rgb @ [0.2126, 0.7152, 0.0722]
    assert np.abs(y - (16 + 219 / 255 * luma)).max() <= 0.75
    block = rgb.reshape(3, 2, 5, 2, 3).mean(axis=(1, 3))
    block_luma = block @ [0.2126, 0.7152, 0.0722]
    assert np.abs(cb - (128 + 224 / 255 * (block[..., 2] - block_luma) / 1.8556)).max() <= 0.75
    assert np.abs(cr - (128 + 224 / 255 * (block[..., 0] - block_luma) / 1.5748)).max() <= 0.75


def test_yuv_needs_even_sides():
    with pytest.raises(ValueError, match="even width and height"):
        yuv420_payload(np.zeros((3, 4, 4), np.uint8))


def test_tiles_have_even_sides_that_divide_the_frame():
    assert tile_shape(1080, 1920) == (8, 128)
    assert tile_shape(1000, 1000) == (8, 100)
    assert tile_shape(162, 98) == (6, 98)  # 98 has no even divisor from 16 to 128 but itself
    assert tile_shape(150, 200) == (6, 100)
    assert tile_shape(2, 2) == (2, 2)


@pytest.mark.parametrize("height, width", [(24, 256), (150, 200), (162, 98), (2, 2)])
def test_converting_only_changed_tiles_gives_every_frame_exactly(height, width):
    """Whatever the encoder saw before (nothing, the previous frame, a frame from
    elsewhere, another size), each payload is the whole frame's conversion."""
    rng = np.random.default_rng(height)
    frames = [rng.integers(0, 256, (height, width, 4), dtype=np.uint8)]
    for k in range(4):  # small changes, one odd pixel (half a chroma block), then none
        frame = frames[-1].copy()
        block = frame[k : k + 3, width // 3 : width // 3 + 5]
        block[...] = rng.integers(0, 256, block.shape)
        frame[-1, -1, k % 3] ^= 1
        frames.append(frame)
    frames += [frames[-1].copy(), frames[0], rng.integers(0, 256, (height + 2, width, 4), dtype=np.uint8)]
    encoder = Yuv420Encoder()
    for frame in frames:
        assert encoder.encode(frame) == yuv420_payload(frame)


def test_big_payloads_come_in_small_chunks():
    guided = chunk_bounds(120, 2)
    assert [hi - lo for lo, hi in guided] == [30, 23, 17, 13, 10, 7, 5, 4, 4, 4, 3]
    assert [lo for lo, _ in guided[1:]] == [hi for _, hi in guided[:-1]] and guided[-1][1] == 120
    assert chunk_bounds(120, 2, max_size=2) == [(lo, lo + 2) for lo in range(0, 120, 2)]
    assert chunk_bounds(10, 1, max_size=2) == [(0, 10)]  # one process: no chunk is held
    assert chunk_frames("mp4", 1920, 1080, False) == 2  # 8 MB / (1920 x 1080 x 1.5 bytes)
    assert chunk_frames("webm", 1920, 1080, True) == 1
    assert chunk_frames("gif", 1920, 1080, False) is None


def stream_line(path) -> str:
    """ffmpeg's description of the first video stream, e.g. "vp9 (Profile 0), yuv420p(tv, bt709, ...)"."""
    err = subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-i", str(path)],
                         capture_output=True, text=True).stderr
    return re.search(r"Stream #0:0.*?: Video: (.*)", err)[1]


@pytest.mark.parametrize("suffix, codec", [(".webm", "vp9"), (".mp4", "h264")])
def test_video_is_tagged_bt709_and_repeats_its_bytes(short, tmp_path, suffix, codec):
    # three chunks of 4, 4 and 2 frames: with two workers, one worker's encoder serves two
    runs = [animate(short, "params", "0:40:4", size=(160, 120), fps=10, end_pause=0.3, workers=w)
            .save(tmp_path / f"a{w}{suffix}", manifest=False) for w in (1, 2)]
    assert runs[0].path.read_bytes() == runs[1].path.read_bytes()
    line = stream_line(runs[0].path)
    assert line.startswith(codec)
    # one name for matrix, primaries and transfer means all three are bt709
    assert re.search(r"yuv420p\(tv, bt709[,)]", line), line
    reader = imageio_ffmpeg.read_frames(str(runs[0].path), output_params=["-vf", "scale=in_color_matrix=bt709:in_range=tv"])
    meta = next(reader)
    frames = [np.frombuffer(f, np.uint8).reshape(120, 160, 3) for f in reader]
    assert meta["fps"] == 10 and len(frames) == 10 + 3  # one per record, then 0.3 s of pause
    rendered = list(animate(short, "params", "0:40:4", size=(160, 120)).frames())
    for decoded, frame in zip(frames, rendered):
        assert np.sqrt(np.mean((decoded.astype(float) - frame) ** 2)) < 8


def test_untagged_video_would_be_caught(tmp_path):
    """The tag check above can fail: ffmpeg names an untagged stream differently."""
    out = tmp_path / "plain.webm"
    subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-loglevel", "error", "-f", "lavfi", "-i",
                    "color=c=white:s=64x48:d=0.1", "-c:v", "libvpx-vp9", "-pix_fmt", "yuv420p", str(out)], check=True)
    assert not re.search(r"yuv420p\(tv, bt709[,)]", stream_line(out))


def test_webm_odd_size_is_one_error_and_no_file(short, tmp_path):
    with pytest.raises(ConfigError, match=r"^size=161x120 has an odd side: WebM \(VP9 yuv420p\) needs an even width and height$"):
        animate(short, "params", "0:4", size=(161, 120)).save(tmp_path / "a.webm")
    with pytest.raises(ConfigError, match="got 64x47"):
        WebmContainer(tmp_path / "b.webm", 64, 47, 10)
    assert os.listdir(tmp_path) == []


_FAULTS_CHILD = """
import multiprocessing, resource, threading
from gdanim.heap import reuse_freed_frames

def faults_of_sending(chunks=20):
    # a render's chunks of two 3 MB frames, pickled, piped and read back, as in the pool
    receiving, sending = multiprocessing.Pipe(duplex=False)
    chunk = [b"x" * (3 << 20)] * 2
    sender = threading.Thread(target=lambda: [sending.send(chunk) for _ in range(chunks)])
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    sender.start()
    for _ in range(chunks):
        receiving.recv()
    sender.join()
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before

default = faults_of_sending()
reuse_freed_frames()
faults_of_sending(2)  # the heap grows once
print(default, faults_of_sending())
"""


@pytest.mark.skipif(os.uname().sysname != "Linux", reason="the heap setting is glibc's (Linux)")
def test_freed_frames_are_reused_not_faulted_in_anew():
    """20 chunks of 6 MB piped as the render's pool pipes them: by default pages are
    faulted in anew for most of them (1,536 pages a chunk); with the heap kept,
    the pages are reused."""
    out = subprocess.run([sys.executable, "-c", _FAULTS_CHILD], capture_output=True, text=True, check=True)
    default, reused = map(int, out.stdout.split())
    assert default >= 5000
    assert reused < 200



_HEAP_CALLS = []  # where a forked worker counts, in its own copy


def _encoder_reuses_freed_frames():
    Yuv420Encoder()
    return len(_HEAP_CALLS)


def test_only_render_workers_change_the_heap_setting(monkeypatch):
    """Made in the caller's own process (a notebook kernel), the video encoder leaves
    glibc's heap setting alone; made in a forked render worker, it sets it."""
    import multiprocessing

    from gdanim.output import yuv

    monkeypatch.setattr(yuv, "reuse_freed_frames", lambda: _HEAP_CALLS.append(1))
    assert _encoder_reuses_freed_frames() == 0
    with multiprocessing.get_context("fork").Pool(1) as pool:
        assert pool.apply(_encoder_reuses_freed_frames) == 1
    assert _HEAP_CALLS == []


def test_raw_frames_pass_through_megabyte_pipes(tmp_path):
    """The encoder's input and the render pool's results, the two hops of every raw
    frame, hold PIPE_BYTES (Linux's default is 64 KiB)."""
    fcntl = pytest.importorskip("fcntl")
    if not hasattr(fcntl, "F_GETPIPE_SZ"):
        pytest.skip("pipe sizes are Linux's")
    from gdanim.engines.pool import forked_pool
    from gdanim.heap import PIPE_BYTES, widen_pipe
    from gdanim.output.mp4 import Mp4Container

    def size(fd):
        return fcntl.fcntl(fd, fcntl.F_GETPIPE_SZ)

    read, write = os.pipe()
    try:
        widen_pipe(write)
        assert size(read) == PIPE_BYTES == 1 << 20
    finally:
        os.close(read)
        os.close(write)
    video = Mp4Container(tmp_path / "v.mp4", 16, 16, fps=10)
    try:
        assert size(video._process.stdin.fileno()) == PIPE_BYTES
    finally:
        video.abort()
    with forked_pool(1, int, ()) as pool:
        assert size(pool._outqueue._reader.fileno()) == PIPE_BYTES
