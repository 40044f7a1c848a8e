"""WebM: VP9 through the bundled ffmpeg, piped like the MP4.

Everything but the codec is the MP4's (``encode.Mp4Container``): raw RGB frames on
ffmpeg's stdin, the BT.709 conversion to limited-range yuv420p, the end pause as
repeated frames, a temporary file renamed into place. The bytes repeat on one
machine: libvpx runs single-threaded without row threading, and the muxer's bitexact
mode leaves out the random segment UID, the date and the muxing application.
"""
from __future__ import annotations

from ..encode import Mp4Container

#: Constant quality (``-crf`` with ``-b:v 0``); 32 keeps thin lines and the status
#: line's digits crisp. ``good`` deadline at speed 4 is libvpx's usual trade-off.
CRF = 32
CPU_USED = 4
#: Frames libvpx holds before coding one: alt-ref frames need a few, and each held
#: 1080p frame costs about 3 MB.
LAG_IN_FRAMES = 8


def ffmpeg_command(exe: str, width: int, height: int, fps: float, output: str) -> list[str]:
    """Single-threaded VP9 with bitexact muxing and no metadata: same input, same bytes."""
    colour = ["-colorspace", "bt709", "-color_primaries", "bt709", "-color_trc", "bt709", "-color_range", "tv"]
    vp9 = ["-c:v", "libvpx-vp9", "-pix_fmt", "yuv420p", "-crf", str(CRF), "-b:v", "0", "-deadline", "good",
           "-cpu-used", str(CPU_USED), "-row-mt", "0", "-threads", "1", "-lag-in-frames", str(LAG_IN_FRAMES)]
    return [exe, "-hide_banner", "-loglevel", "error", "-y", "-f", "rawvideo", "-pix_fmt", "rgb24",
            "-s", f"{width}x{height}", "-framerate", repr(float(fps)), "-i", "pipe:0", "-an",
            "-vf", "scale=out_color_matrix=bt709:out_range=tv:flags=bicubic+accurate_rnd+full_chroma_int+bitexact",
            *vp9, *colour, "-flags:v", "+bitexact", "-fflags", "+bitexact", "-map_metadata", "-1", "-f", "webm", output]


class WebmContainer(Mp4Container):
    """Pipes RGB24 payloads to ffmpeg (libvpx-vp9), which writes a temporary WebM."""

    label = "WebM"
    codec = "WebM (VP9 yuv420p)"
    command = staticmethod(ffmpeg_command)
