"""Property tests at the input boundary: frame specs and CSV files.

Whatever the input, the result is valid or the error is the documented one, never any
other exception.
"""
import string

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gdanim.data import load
from gdanim.errors import DataError, FrameSpecError
from gdanim.sampling import parse_frames

FUZZ = settings(derandomize=True, max_examples=500, deadline=None)


# ---------------------------------------------------------------------------- frame specs


def check_frames(frames, n_records):
    assert isinstance(frames, np.ndarray) and frames.dtype == np.int64 and frames.ndim == 1
    assert frames.size >= 1
    assert np.all(np.diff(frames) > 0)
    assert frames[0] >= 0 and frames[-1] < n_records


spec_text = st.one_of(
    st.text(max_size=40),
    st.text(alphabet="0123456789:, \tlogaLx-.e", max_size=30),
)


@FUZZ
@given(spec=spec_text, n_records=st.integers(1, 5000))
def test_parse_frames_on_any_text(spec, n_records):
    try:
        frames = parse_frames(spec, n_records)
    except FrameSpecError as e:
        assert "\n" not in str(e)
        return
    check_frames(frames, n_records)


def pad(text):
    return st.tuples(st.sampled_from(["", " ", "\t"]), st.sampled_from(["", " "])).map(
        lambda p: p[0] + text + p[1]
    )


numbers = st.integers(0, 3500)
items = st.one_of(
    st.tuples(st.just("range"), numbers, numbers, st.none()),
    st.tuples(st.just("range"), numbers, numbers, st.integers(0, 700)),
    st.tuples(st.just("single"), numbers, st.none(), st.none()),
    st.tuples(st.just("log"), st.integers(0, 3500), st.none(), st.none()),
    st.tuples(st.just("all"), st.none(), st.none(), st.none()),
)


def render(item):
    kind, a, b, s = item
    if kind == "range":
        return f"{a}:{b}" if s is None else f"{a}:{b}:{s}"
    return {"single": str(a), "log": f"log:{a}", "all": "all"}[kind]


def reference(item, n_records):
    """The records an item selects, or None if it is an error: the grammar, spelled out."""
    kind, a, b, s = item
    if kind == "all":
        return set(range(n_records))
    if kind == "single":
        return {a} if a < n_records else None
    if kind == "log":
        if a < 1:
            return None
        if a >= n_records:
            return set(range(n_records))
        frames = parse_frames(f"log:{a}", n_records).tolist()
        assert len(frames) == a and frames[0] == 0
        assert a == 1 or frames[-1] == n_records - 1
        return set(frames)
    step = 1 if s is None else s
    if a >= b or step < 1:
        return None
    selected = set(range(a, b, step))
    return selected if max(selected) < n_records else None


@FUZZ
@given(spec_items=st.lists(items, min_size=1, max_size=5), n_records=st.integers(1, 3000), data=st.data())
def test_parse_frames_agrees_with_reference(spec_items, n_records, data):
    spec = ",".join(data.draw(pad(render(item))) for item in spec_items)
    selections = [reference(item, n_records) for item in spec_items]
    if any(selected is None for selected in selections):
        with pytest.raises(FrameSpecError):
            parse_frames(spec, n_records)
        return
    frames = parse_frames(spec, n_records)
    check_frames(frames, n_records)
    assert frames.tolist() == sorted(set().union(*selections))


# ---------------------------------------------------------------------------- CSV files


@pytest.fixture(scope="module")
def csv_path(tmp_path_factory):
    """One file, rewritten by every example (a directory per example would be slow)."""
    return tmp_path_factory.mktemp("fuzz") / "fuzz.csv"


def load_or_error(path, content):
    path.write_bytes(content)
    try:
        d = load(path)
    except DataError as e:
        assert "\n" not in str(e)
        return None
    assert d.n >= 1 and d.k >= 1 and d.X.shape == (d.n, d.k) and d.y.shape == (d.n,)
    assert d.X.dtype == d.y.dtype == np.float64
    assert np.isfinite(d.X).all() and np.isfinite(d.y).all()
    return d


@FUZZ
@given(content=st.one_of(
    st.binary(max_size=200),
    st.binary(max_size=60).map(lambda b: b"x,y\n1,2\n" + b),
    st.text(alphabet="xy01.,-e \r\n\"\ufeffn", max_size=60).map(str.encode),
))
def test_csv_any_bytes(csv_path, content):
    load_or_error(csv_path, content)


finite = st.one_of(
    st.integers(-10**6, 10**6).map(float),
    st.floats(allow_nan=False, allow_infinity=False),
)
good_text = st.sampled_from(["{}", " {} ", "{}\t", '"{}"', ' "{}"'])
bad_cell = st.one_of(
    st.sampled_from(["", " ", "nan", "-inf", "Infinity", "1e999", "abc", "1_0", "0x10", "1 2", "\u0661", '"', "1,2"]),
    st.text(max_size=4),
)


@st.composite
def cell(draw):
    """(text, value), value None when the cell is not a finite number as written."""
    if draw(st.integers(0, 9)) == 0:
        return draw(bad_cell), None
    value = draw(finite)
    return draw(good_text).format(repr(value)), value


@st.composite
def csv_file(draw):
    """A CSV file, its cells and its layout drawn; expected (X, y) when every cell is good."""
    names = draw(st.lists(st.text(alphabet="abxyz", min_size=1, max_size=3), min_size=1, max_size=4, unique=True))
    n_rows = draw(st.integers(0, 6))
    rows, values, clean = [], [], True
    for _ in range(n_rows):
        width = len(names) + draw(st.sampled_from([0] * 8 + [-1, 1]))
        cells = [draw(cell()) for _ in range(max(width, 1))]
        rows.append(",".join(text for text, _ in cells))
        values.append([value for _, value in cells])
        clean = clean and width == len(names) and all(value is not None for _, value in cells)
    lines = [",".join(names)]
    for row in rows:
        lines.extend([""] * draw(st.integers(0, 1)) + [row])
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    text = newline.join(lines) + newline * draw(st.integers(0, 3))
    bom = draw(st.booleans())
    content = ("\ufeff" if bom else "") + text
    expected = np.array(values, dtype=float) if clean and n_rows and len(names) >= 2 else None
    return content.encode(), expected


@FUZZ
@given(drawn=csv_file())
def test_csv_structured(csv_path, drawn):
    content, expected = drawn
    d = load_or_error(csv_path, content)
    if expected is not None:
        assert d is not None, content
        np.testing.assert_array_equal(d.X, expected[:, :-1])
        np.testing.assert_array_equal(d.y, expected[:, -1])


@FUZZ
@given(text=st.text(alphabet=string.printable + "\ufeff\x00\x85\u2028é", max_size=120))
def test_csv_any_text(csv_path, text):
    load_or_error(csv_path, text.encode())
