"""Datasets: the built-ins' exact values, synthetic data, arrays, and CSV files good and bad."""
import os
import time

import numpy as np
import pytest

from gdanim.data import BUILTIN, Dataset, from_arrays, load, synthetic
from gdanim.errors import ConfigError, DataError


# ---------------------------------------------------------------------------- built-ins


@pytest.mark.parametrize("name, X, y", [
    ("six-points", [[1], [2], [4], [5], [6], [7]], [4, -12, 3, -11, -5, -17]),
    ("six-points-2d", [[1, -2], [2, 1], [4, 1], [5, -3], [6, 4], [7, 5]], [14, -12, -31, -21, -51, -37]),
    ("backprop-demo", [[4, 1], [2, 8], [1, 0], [3, 2], [1, 4], [6, 7]], [2, -14, 1, -1, -7, -8]),
    ("one-point", [[1.5]], [0.8]),
])
def test_small_builtins_exact(name, X, y):
    d = load(name)
    assert d.name == name
    np.testing.assert_array_equal(d.X, np.array(X, dtype=float))
    np.testing.assert_array_equal(d.y, np.array(y, dtype=float))
    assert d.feature_names == (("x",) if d.k == 1 else ("x1", "x2"))
    assert d.target_name == "y"


def test_line_100():
    d = load("line-100")
    x = np.random.default_rng(0).random(100)
    assert (d.n, d.k, d.feature_names) == (100, 1, ("x",))
    np.testing.assert_array_equal(d.X[:, 0], x)
    np.testing.assert_array_equal(d.y, 2 * d.X[:, 0] + 3)
    assert ((0 <= d.X) & (d.X < 1)).all()
    np.testing.assert_array_equal(load("line-100").X, d.X)


@pytest.mark.parametrize("name", BUILTIN)
def test_builtins_are_valid_datasets(name):
    d = load(name)
    assert d.X.dtype == np.float64 and d.X.flags.c_contiguous and d.X.shape == (d.n, d.k)
    assert d.y.dtype == np.float64 and d.y.shape == (d.n,)
    assert not d.X.flags.writeable and not d.y.flags.writeable


def test_builtin_rejects_csv_options():
    with pytest.raises(ConfigError, match=r"^x= applies to CSV files, not to the built-in 'six-points'$"):
        load("six-points", x="x")
    with pytest.raises(ConfigError, match=r"^drop_missing= applies to CSV files, not to the built-in 'line-100'$"):
        load("line-100", drop_missing=True)


def test_unknown_name_lists_builtins():
    with pytest.raises(DataError) as e:
        load("seven-points")
    assert "'seven-points'" in str(e.value)
    for name in BUILTIN:
        assert name in str(e.value)


@pytest.mark.parametrize("source", ["nope.csv", "data/nope", "NOPE.CSV"])
def test_missing_path(source):
    with pytest.raises(DataError, match=f"^data file not found: {source}$"):
        load(source)


def test_pathlike_is_always_a_path(tmp_path):
    with pytest.raises(DataError, match="data file not found"):
        load(tmp_path / "six-points")


def test_directory(tmp_path):
    with pytest.raises(DataError, match="is a directory"):
        load(str(tmp_path) + "/")


# ---------------------------------------------------------------------------- synthetic


def test_synthetic_values_and_shapes():
    d = synthetic(n=50, w=[2.0, -1.0], b=3.0, noise=0.5, seed=7)
    rng = np.random.default_rng(7)
    X = rng.random((50, 2))
    np.testing.assert_array_equal(d.X, X)
    np.testing.assert_array_equal(d.y, X @ [2.0, -1.0] + 3.0 + 0.5 * rng.standard_normal(50))
    assert (d.n, d.k, d.feature_names, d.target_name) == (50, 2, ("x1", "x2"), "y")


def test_synthetic_reproducible_and_seeded():
    a, b = synthetic(200, 1.5, -1, noise=0.3, seed=3), synthetic(200, 1.5, -1, noise=0.3, seed=3)
    np.testing.assert_array_equal(a.X, b.X)
    np.testing.assert_array_equal(a.y, b.y)
    assert not np.array_equal(a.X, synthetic(200, 1.5, -1, noise=0.3, seed=4).X)


def test_synthetic_noise_free_and_features_independent_of_noise():
    clean, noisy = synthetic(30, 2, 3), synthetic(30, 2, 3, noise=1.0)
    np.testing.assert_array_equal(clean.y, 2 * clean.X[:, 0] + 3)
    np.testing.assert_array_equal(clean.X, noisy.X)
    np.testing.assert_array_equal(clean.X, load("line-100").X[:30])


def test_synthetic_string_form():
    d = load("synthetic:n=1000,w=2,b=3,noise=0.5,seed=0")
    ref = synthetic(1000, 2, 3, noise=0.5, seed=0)
    np.testing.assert_array_equal(d.X, ref.X)
    np.testing.assert_array_equal(d.y, ref.y)
    assert d.name == ref.name == "synthetic:n=1000,w=2,b=3,noise=0.5,seed=0"


def test_synthetic_string_defaults_and_subsets():
    d = load("synthetic")
    ref = synthetic(100, 1, 0, noise=0.1, seed=0)
    np.testing.assert_array_equal(d.y, ref.y)
    assert d.name == "synthetic:n=100,w=1,b=0,noise=0.1,seed=0"
    two = load("synthetic: n = 20 , w=2;-1")
    assert (two.n, two.k) == (20, 2)
    np.testing.assert_array_equal(two.y, synthetic(20, [2, -1], 0, noise=0.1).y)


def test_synthetic_name_reloads_the_same_data():
    d = synthetic(64, [0.1, -2.5e-7], 1 / 3, noise=0.25, seed=9)
    again = load(d.name)
    np.testing.assert_array_equal(again.X, d.X)
    np.testing.assert_array_equal(again.y, d.y)


@pytest.mark.parametrize("spec, message", [
    ("synthetic:m=3", "unknown key 'm'; the keys are n, w, b, noise, seed"),
    ("synthetic:n=abc", "n must be a whole number, got 'abc'"),
    ("synthetic:n=2.5", "n must be a whole number"),
    ("synthetic:w=2;x", "w must be numbers separated by ';'"),
    ("synthetic:b=", "b must be a number, got ''"),
    ("synthetic:n", "expected key=value, got 'n'"),
    ("synthetic:n=3,n=4", "n is given twice"),
    ("synthetic:n=0", "n must be a whole number >= 1, got 0"),
    ("synthetic:seed=-1", "seed must be a whole number >= 0, got -1"),
    ("synthetic:noise=-0.5", "noise must be >= 0"),
    ("synthetic:b=nan", "b must be finite"),
    ("synthetic:w=inf", "weights must be finite"),
])
def test_synthetic_string_errors(spec, message):
    with pytest.raises(ConfigError, match="synthetic") as e:
        load(spec)
    assert message in str(e.value)


@pytest.mark.parametrize("kwargs", [
    dict(n=True), dict(n=2.0), dict(w=[]), dict(w=[[1, 2]]), dict(w="a"), dict(b=None), dict(seed=1.5),
])
def test_synthetic_argument_errors(kwargs):
    with pytest.raises(ConfigError, match="^synthetic: "):
        synthetic(**{**dict(n=5, w=1, b=0), **kwargs})


# ---------------------------------------------------------------------------- arrays and Dataset


def test_from_arrays():
    d = from_arrays([1, 2, 3], [4, 5, 6])
    assert (d.name, d.n, d.k, d.feature_names, d.target_name) == ("arrays", 3, 1, ("x",), "y")
    d2 = from_arrays(np.ones((4, 3), dtype=np.float32), np.zeros(4, dtype=int), name="mine")
    assert d2.name == "mine" and d2.feature_names == ("x1", "x2", "x3") and d2.X.dtype == np.float64


def test_from_arrays_copies():
    X = np.asfortranarray(np.arange(6.0).reshape(3, 2))
    d = from_arrays(X, [1, 2, 3])
    X[0, 0] = 99
    assert d.X[0, 0] == 0 and d.X.flags.c_contiguous
    with pytest.raises(ValueError):
        d.X[0, 0] = 1


@pytest.mark.parametrize("X, y, message", [
    ([1, 2, 3], [1, 2], "arrays: X has 3 rows but y has 2"),
    ([[1.0], [np.nan]], [1, 2], r"arrays: X\[1, 0\] is nan; every value must be finite"),
    ([1.0, 2.0], [1, np.inf], r"arrays: y\[1\] is inf"),
    ([], [], "arrays: no rows"),
    (np.ones((3, 0)), [1, 2, 3], "no features"),
    (np.ones((2, 2, 2)), [1, 2], "X must be 2-D"),
    ([1, 2], [[1], [2]], "y must be 1-D"),
    (["a", "b"], [1, 2], "X must be an array of numbers"),
])
def test_from_arrays_errors(X, y, message):
    with pytest.raises(DataError, match=message):
        from_arrays(X, y)


def test_dataset_validates_when_built_directly():
    with pytest.raises(DataError, match="2 feature names for 1 features"):
        Dataset("d", [[1.0], [2.0]], [1.0, 2.0], ("a", "b"), "y")
    with pytest.raises(DataError, match="feature names repeat"):
        Dataset("d", [[1.0, 2.0]], [1.0], ("a", "a"), "y")
    with pytest.raises(DataError, match=r"d: y\[0\] is nan"):
        Dataset("d", [[1.0]], [np.nan], ("a",), "y")
    d = Dataset("d", [[1, 2]], [3], ["a", "b"], "y")
    assert d.feature_names == ("a", "b") and d.X.dtype == np.float64


# ---------------------------------------------------------------------------- CSV: happy paths


def write(tmp_path, content, name="data.csv"):
    path = tmp_path / name
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    return str(path)


def test_csv_default_columns(tmp_path):
    path = write(tmp_path, "size,rooms,price\n1,2,3\n4,5,6\n")
    d = load(path)
    assert d.name == path and d.feature_names == ("size", "rooms") and d.target_name == "price"
    np.testing.assert_array_equal(d.X, [[1, 2], [4, 5]])
    np.testing.assert_array_equal(d.y, [3, 6])


@pytest.mark.parametrize("x", ["price, size", ["price", "size"], ("price", "size")])
def test_csv_select_columns(tmp_path, x):
    path = write(tmp_path, "size,rooms,price\n1,2,3\n4,5,6\n")
    d = load(path, x=x, y="rooms")
    assert d.feature_names == ("price", "size") and d.target_name == "rooms"
    np.testing.assert_array_equal(d.X, [[3, 1], [6, 4]])
    np.testing.assert_array_equal(d.y, [2, 5])
    only_y = load(path, y="size")
    assert only_y.feature_names == ("rooms", "price")


def test_csv_accepts_pathlike(tmp_path):
    write(tmp_path, "x,y\n1,2\n", "d.csv")
    d = load(tmp_path / "d.csv")
    assert d.n == 1 and d.name == str(tmp_path / "d.csv")


@pytest.mark.parametrize("content", [
    b"\xef\xbb\xbfx,y\n1,2\n3,4\n",  # UTF-8 byte-order mark
    b"x,y\r\n1,2\r\n3,4\r\n",  # CRLF
    b"x,y\r1,2\r3,4\r",  # old Mac line ends
    b"x,y\n1,2\n3,4",  # no final newline
    b"x,y\n1,2\n3,4\n\n\n",  # trailing blank lines
    b"x,y\n1,2\n  \n3,4\n \t\n",  # blank lines holding spaces
    b" x , y \n 1 ,2\t\n3 , 4 \n",  # whitespace around cells and names
    b'"x","y"\n"1","2"\n3, "4"\n',  # quoted names and numbers
    b"\xef\xbb\xbfx,y\r\n1,2\r\n\r\n3,4\r\n\r\n",  # all of the above
])
def test_csv_tolerated_formats(tmp_path, content):
    d = load(write(tmp_path, content))
    assert d.feature_names == ("x",) and d.target_name == "y"
    np.testing.assert_array_equal(d.X, [[1], [3]])
    np.testing.assert_array_equal(d.y, [2, 4])


def test_csv_number_formats(tmp_path):
    d = load(write(tmp_path, "x,y\n+1,.5\n5.,-0\n1e3,-2.5E-3\n"))
    np.testing.assert_array_equal(d.X[:, 0], [1, 5, 1000])
    np.testing.assert_array_equal(d.y, [0.5, 0, -0.0025])


def test_csv_unused_columns_may_hold_text(tmp_path):
    path = write(tmp_path, "city,x,y\nParis,1,2\n,3,4\n")
    d = load(path, x="x")
    np.testing.assert_array_equal(d.X, [[1], [3]])
    with pytest.raises(DataError, match=r'line 2, column "city": not a number: \'Paris\''):
        load(path)


def test_csv_single_row(tmp_path):
    d = load(write(tmp_path, "x,y\n1.5,0.8\n"))
    assert (d.n, d.k) == (1, 1)


def test_csv_large_fast_path(tmp_path):
    """200,000 rows through the vectorised reader, exactly."""
    rng = np.random.default_rng(1)
    table = rng.normal(size=(200_000, 2))
    path = tmp_path / "big.csv"
    with open(path, "w") as f:
        f.write("x,y\n")
        np.savetxt(f, table, delimiter=",", fmt="%.17g")
    start = time.perf_counter()
    d = load(path)
    elapsed = time.perf_counter() - start
    np.testing.assert_array_equal(d.X[:, 0], table[:, 0])
    np.testing.assert_array_equal(d.y, table[:, 1])
    assert elapsed < 2.0, f"200,000 rows took {elapsed:.2f} s"


# ---------------------------------------------------------------------------- CSV: errors


@pytest.mark.parametrize("content, message", [
    (b"", "{f}: the file is empty; it needs a header row and data rows"),
    (b"\xef\xbb\xbf \n\n", "{f}: the file is empty"),
    (b"x,y\n", "{f}: no data rows after the header"),
    (b"x,y\n\n\n", "{f}: no data rows after the header"),
    (b"x,y\n1,2\n3,4\nabc,5\n", "{f} line 4, column \"x\": not a number: 'abc'"),
    (b"x,y\n1,2\n3,nan\n", "{f} line 3, column \"y\": missing value 'nan'; drop_missing=True leaves out rows with missing values"),
    (b"x,y\n1,2\n3,NaN\n", "{f} line 3, column \"y\": missing value 'NaN'; drop_missing=True leaves out rows with missing values"),
    (b"x,y\n-inf,2\n", "{f} line 2, column \"x\": not a finite number: '-inf'"),
    (b"x,y\n1e999,2\n", "{f} line 2, column \"x\": not a finite number: '1e999'"),
    (b"x,y\n1,2\n3,4,5\n", "{f} line 3 has 3 cells, but the header has 2 columns"),
    (b"x,y\n1,2\n\n3\n", "{f} line 4 has 1 cell, but the header has 2 columns"),
    (b"x,y\n1,2\n3,\n", "{f} line 3, column \"y\": empty cell"),
    (b"x,y\n1,2\n ,4\n", "{f} line 3, column \"x\": empty cell"),
    (b"x,y\r\n1,2\r\n\r\n3,4x\r\n", "{f} line 4, column \"y\": not a number: '4x'"),
    (b"x,y\n1_000,2\n", "{f} line 2, column \"x\": not a number: '1_000'"),
    (b"x,y\n\xef\xbc\x91,2\n", "{f} line 2, column \"x\": not a number: '\uff11'"),
    (b"x\n1\n2\n", "{f}: only one column (\"x\"); need at least one x column and a y column"),
    (b"x,x\n1,2\n", "{f} line 1: duplicate column name \"x\""),
    (b"x,,y\n1,2,3\n", "{f} line 1: column 2 of the header has no name"),
    (b"\n1,2\n", "{f} line 1: the header row is blank"),
    (b"1,2\n3,4\n", "{f} line 1: the header row looks like data ('1,2')"),
    (b"x,y\n1,2\n\xff\xfe\n", "{f} line 3: not UTF-8 text (byte 0xff); save the file as UTF-8 CSV"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", "{f} line 1: not UTF-8 text (byte 0x89)"),
    (b"x,y\n1,2\x00\n", "{f} line 2, column \"y\": not a number: '2\\x00'"),
])
def test_csv_errors(tmp_path, content, message):
    path = write(tmp_path, content, "six.csv")
    with pytest.raises(DataError) as e:
        load(path)
    assert str(e.value).startswith(message.format(f=path))
    assert "\n" not in str(e.value)


def test_csv_error_names_the_file_as_given(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "x,y\n1,2\n3,4\nabc,5\n", "six.csv")
    with pytest.raises(DataError, match=r"^six\.csv line 4, column \"x\": not a number: 'abc'$"):
        load("six.csv")


def test_csv_error_after_many_good_rows(tmp_path):
    rows = "".join(f"{i},{2 * i}\n" for i in range(5000))
    path = write(tmp_path, "x,y\n" + rows + "7,oops\n" + rows)
    with pytest.raises(DataError, match=r"line 5002, column \"y\": not a number: 'oops'"):
        load(path)


def test_csv_long_cell_is_shortened(tmp_path):
    path = write(tmp_path, "x,y\n1," + "z" * 1000 + "\n")
    with pytest.raises(DataError) as e:
        load(path)
    assert len(str(e.value)) < 200 and "zzz...'" in str(e.value)


@pytest.mark.parametrize("kwargs, message", [
    (dict(x="z"), 'no column "z"; the columns are "a", "b", "c" (or 0-based indices)'),
    (dict(y="z"), 'no column "z"; the columns are "a", "b", "c" (or 0-based indices)'),
    (dict(x="a,c"), 'column "c" is both an x column and the y column'),
    (dict(x="a,a", y="c"), "a column is listed twice in x='a,a'"),
    (dict(x="a,", y="c"), "empty column name in x='a,'"),
    (dict(x=[], y="c"), "x lists no columns"),
])
def test_csv_column_selection_errors(tmp_path, kwargs, message):
    path = write(tmp_path, "a,b,c\n1,2,3\n")
    with pytest.raises(DataError) as e:
        load(path, **kwargs)
    assert str(e.value) == f"{path}: {message}"


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs a non-root POSIX user")
def test_csv_unreadable(tmp_path):
    path = write(tmp_path, "x,y\n1,2\n")
    os.chmod(path, 0)
    with pytest.raises(DataError, match="cannot read"):
        load(path)
