"""WebM: VP9 through the bundled ffmpeg, piped like the MP4.

Everything but the codec is the MP4's (``mp4.Mp4Container``): yuv420p frames from
the workers on ffmpeg's stdin, tagged BT.709, the end pause repeated by ffmpeg, a
temporary file renamed into place. The bytes repeat on one machine: libvpx runs
single-threaded without row threading, and the muxer's bitexact mode leaves out the
random segment UID, the date and the muxing application.
"""
from __future__ import annotations

from .mp4 import Mp4Container
from .yuv import BITEXACT, ffmpeg_input

CODEC = "WebM (VP9 yuv420p)"

#: Constant quality (``-crf`` with ``-b:v 0``). libvpx's ``good`` deadline makes files
#: about a quarter smaller at ten times the time; ``realtime`` at speed 6 encodes
#: 1920x1080 at about 100 frames a second on one core. No lag: frames are coded as
#: they come, so memory does not depend on the frame count. At 1920x1080 ffmpeg still
#: peaks at 230-250 MB, and near 220 MB even when its queues stay empty: libvpx alone
#: holds about 175 MB whatever the deadline, speed, tiles, lag, alt-ref or aq mode: a
#: token buffer of 16 bytes x 772 tokens per 16x16 block (101 MB, cleared), ten frame
#: buffers with 160-pixel borders (47 MB: lookahead, references, alt-ref, loop-filter
#: and scaled copies) and its block contexts. ffmpeg's own code is 25 MB resident, and
#: each queue between its threads holds up to 8 frames (3.1 MB each; fixed since
#: ffmpeg 7), which fill when the encoder is the slowest stage. glibc's arena and mmap
#: settings change nothing beyond noise.
CRF = 32
DEADLINE = "realtime"
CPU_USED = 6


def ffmpeg_command(exe: str, width: int, height: int, fps: float, output: str, pause_frames: int = 0) -> list[str]:
    """Single-threaded VP9 with bitexact muxing and no metadata: same input, same bytes."""
    return [
        *ffmpeg_input(exe, width, height, fps, pause_frames),
        "-c:v", "libvpx-vp9", "-pix_fmt", "yuv420p", "-crf", str(CRF), "-b:v", "0", "-deadline", DEADLINE,
        "-cpu-used", str(CPU_USED), "-lag-in-frames", "0", "-row-mt", "0", "-threads", "1",
        *BITEXACT, "-f", "webm", output,
    ]


class WebmContainer(Mp4Container):
    """Pipes yuv420p payloads to ffmpeg (libvpx-vp9), which writes a temporary WebM."""

    label = "WebM"
    codec = CODEC
    command = staticmethod(ffmpeg_command)
