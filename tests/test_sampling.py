"""Frame specs: every grammar rule, the errors, and log:N's exact counts."""
import numpy as np
import pytest

from gdanim.errors import FrameSpecError
from gdanim.sampling import describe, parse_frames


def test_article_spec_gives_120_frames():
    frames = parse_frames("0:50,50:100:5,100:12000:200", 12001)
    expected = np.concatenate([np.arange(50), np.arange(50, 100, 5), np.arange(100, 12000, 200)])
    np.testing.assert_array_equal(frames, expected)
    assert len(frames) == 120 and frames[-1] == 11900
    assert describe(frames) == "120 frames from record 0 to 11900"


@pytest.mark.parametrize("spec, n_records, expected", [
    ("0:5", 10, [0, 1, 2, 3, 4]),
    ("3:4", 10, [3]),
    ("0:10", 10, list(range(10))),
    ("1:10:3", 10, [1, 4, 7]),
    ("0:10:4", 10, [0, 4, 8]),
    ("2:3:100", 10, [2]),
    ("0:11:5", 11, [0, 5, 10]),
    ("7", 10, [7]),
    ("0", 1, [0]),
    ("all", 4, [0, 1, 2, 3]),
    ("ALL", 3, [0, 1, 2]),
    ("9,1,5", 10, [1, 5, 9]),
    ("0:5,3:8,4", 10, [0, 1, 2, 3, 4, 5, 6, 7]),
    ("all,3", 4, [0, 1, 2, 3]),
    (" 1 : 4 , 8 ,\t0:2:1 ", 10, [0, 1, 2, 3, 8]),
    ("007", 10, [7]),
    ("log:3", 100, [0, 9, 99]),
    ("log:2", 100, [0, 99]),
    ("log:1", 100, [0]),
    ("log:5", 5, [0, 1, 2, 3, 4]),
    ("log:50", 5, [0, 1, 2, 3, 4]),
    ("LOG : 3", 100, [0, 9, 99]),
    ("log:10", 100, [0, 1, 2, 4, 7, 12, 21, 35, 59, 99]),
])
def test_grammar(spec, n_records, expected):
    frames = parse_frames(spec, n_records)
    assert frames.dtype == np.int64
    assert frames.tolist() == expected


@pytest.mark.parametrize("spec, n_records, message", [
    ("", 10, "empty frame spec: use A:B, A:B:S, N, log:N or all, with records 0..9"),
    ("  ", 10, "empty frame spec"),
    ("0:5,", 10, "frame spec '0:5,' has an empty item (records 0..9)"),
    ("1,,2", 10, "frame spec '1,,2' has an empty item"),
    ("abc", 10, "frame spec item 'abc' is not valid: use A:B, A:B:S, N, log:N or all, with records 0..9"),
    ("1:2:3:4", 10, "frame spec item '1:2:3:4' is not valid"),
    ("log", 10, "frame spec item 'log' is not valid"),
    ("log:2:3", 10, "frame spec item 'log:2:3' is not valid"),
    (":5", 10, "frame spec item ':5' is not valid"),
    ("5:", 10, "frame spec item '5:' is not valid"),
    ("end", 10, "frame spec item 'end' is not valid"),
    ("1.5", 10, "frame spec item '1.5': '1.5' is not a whole number >= 0 (records 0..9)"),
    ("-1", 10, "frame spec item '-1': '-1' is not a whole number >= 0"),
    ("0:1e3", 10, "frame spec item '0:1e3': '1e3' is not a whole number >= 0"),
    ("log:x", 10, "frame spec item 'log:x': 'x' is not a whole number >= 0"),
    ("log:2.5", 10, "'2.5' is not a whole number >= 0"),
    ("\u0663", 10, "frame spec item '\u0663' is not valid"),
    ("5:5", 10, "frame spec item '5:5' selects nothing: A:B needs A < B (records 0..9)"),
    ("6:5:1", 10, "frame spec item '6:5:1' selects nothing"),
    ("0:5:0", 10, "frame spec item '0:5:0': the step must be at least 1 (records 0..9)"),
    ("log:0", 10, "frame spec item 'log:0': log:N needs N >= 1 (records 0..9)"),
    ("12000", 12000, "frame spec item '12000': record 12000 is out of range: this run has records 0..11999"),
    ("0:13000", 12000, "frame spec item '0:13000': record 12999 is out of range: this run has records 0..11999"),
    ("0:12001", 12000, "record 12000 is out of range: this run has records 0..11999"),
    ("0:12000:5000", 10000, "record 10000 is out of range"),
    ("99999:100000", 10, "record 99999 is out of range"),
    ("9" * 50, 10, "999999999999... is out of range: this run has records 0..9"),
    ("0:5,x,0:99", 10, "frame spec item 'x' is not valid"),
])
def test_errors(spec, n_records, message):
    with pytest.raises(FrameSpecError) as e:
        parse_frames(spec, n_records)
    assert message in str(e.value)
    assert "\n" not in str(e.value)


def test_step_may_overshoot_b_but_not_the_run():
    """A:B:S only needs the records it selects to exist."""
    assert parse_frames("0:12005:200", 12001)[-1] == 12000
    with pytest.raises(FrameSpecError, match="record 12200 is out of range"):
        parse_frames("0:12201:200", 12001)


def test_long_item_is_shortened_in_messages():
    with pytest.raises(FrameSpecError) as e:
        parse_frames("x" * 500, 10)
    assert len(str(e.value)) < 150


def test_bad_arguments():
    with pytest.raises(TypeError):
        parse_frames(5, 10)
    with pytest.raises(ValueError, match="n_records must be at least 1"):
        parse_frames("all", 0)


@pytest.mark.parametrize("n_records", [1, 2, 3, 5, 10, 11, 100, 101, 1000, 12001, 10**6 + 3])
def test_log_exact_count(n_records):
    last = n_records - 1
    for count in sorted({1, 2, 3, 4, 5, 7, 10, 16, 50, 99, 100, 101, 120, 500, 999, 1000, n_records - 1, n_records}):
        if count < 1:
            continue
        frames = parse_frames(f"log:{count}", n_records)
        assert len(frames) == min(count, n_records)
        assert np.all(np.diff(frames) > 0) and frames[0] == 0 and frames[-1] <= last
        if count >= 2:
            assert frames[-1] == last


def test_log_is_roughly_geometric():
    frames = parse_frames("log:30", 100_001)
    ratios = (frames[2:] + 1) / (frames[1:-1] + 1)
    expected = 100_001 ** (1 / 29)
    assert np.allclose(ratios[5:], expected, rtol=0.05)


def test_log_collisions_move_up_minimally():
    """Rounded positions 0,0,1,1,1,2,2,3,... collide; each moves just past the one before."""
    frames = parse_frames("log:20", 50)
    assert frames.tolist() == list(range(13)) + [14, 17, 21, 26, 32, 40, 49]


@pytest.mark.parametrize("frames, text", [
    ([], "no frames"),
    ([4], "1 frame (record 4)"),
    ([0, 1, 2, 3], "4 frames from record 0 to 3, every record"),
    (np.arange(0, 100, 5), "20 frames from record 0 to 95, every 5 records"),
    ([0, 1, 5], "3 frames from record 0 to 5"),
])
def test_describe(frames, text):
    assert describe(frames) == text
