"""CSV files people actually have: other delimiters, missing values, columns by index, names with commas, ID columns."""
import numpy as np
import pytest

import gdanim
from gdanim.cli import main
from gdanim.data import load
from gdanim.data.columns import sniff
from gdanim.errors import ConfigError, DataError


def write(tmp_path, text, name="t.csv"):
    path = tmp_path / name
    path.write_text(text)
    return path


@pytest.mark.parametrize("text, delimiter", [
    ("a,b,y\n1,2,3\n", ","),
    ("a;b;y\n1;2;3\n", ";"),
    ("a\tb\ty\n1\t2\t3\n", "\t"),
    ("a|b|y\n1|2|3\n", "|"),
    ("a;b;y\n1,5;2,5;3\n", ";"),  # decimal commas split the data row unevenly: not the delimiter
    ('"w, kg";h;y\n1;2;3\n', ";"),  # a comma inside a quoted name does not count either
    ("x\n1\n", ","),  # one column: nothing to choose between
])
def test_sniff(text, delimiter):
    assert sniff(text) == delimiter


@pytest.mark.parametrize("delimiter, given", [(";", None), ("\t", None), (";", ";"), ("\t", "tab"), ("\t", "\\t")])
def test_delimited_files_load_the_same_numbers(tmp_path, delimiter, given):
    rows = ["size", "rooms", "price"], ["50.5", "2", "150000"], ["80", "3", "240000"], ["120.25", "4", "330000"]
    path = write(tmp_path, "\n".join(delimiter.join(r) for r in rows) + "\n")
    data = load(path, delimiter=given)
    assert data.feature_names == ("size", "rooms") and data.target_name == "price"
    np.testing.assert_array_equal(data.X, [[50.5, 2], [80, 3], [120.25, 4]])
    np.testing.assert_array_equal(data.y, [150000, 240000, 330000])


def test_bad_delimiter_is_named_as_the_caller_wrote_it(tmp_path):
    path = write(tmp_path, "x,y\n1,2\n")
    with pytest.raises(ConfigError, match=r"^delimiter= must be one character such as ';' or ',', or tab; got 'ab'$"):
        load(path, delimiter="ab")


def test_drop_missing_leaves_out_rows_and_counts_them(tmp_path):
    path = write(tmp_path, "id,x,y\nA,1,2\nB,,3\nC,2,NA\nD,3,4\n,4,6\nF,5,nan\n")
    with pytest.raises(DataError, match=r'line 3, column "x": empty cell; drop_missing=True leaves out rows with missing'):
        load(path, x="x")
    data = load(path, x="x", drop_missing=True)
    np.testing.assert_array_equal(data.X[:, 0], [1, 3, 4])  # the empty id on line 6 is in a column not used
    np.testing.assert_array_equal(data.y, [2, 4, 6])
    assert data.dropped == (3, 4, 7)


def test_cli_reports_the_rows_left_out(tmp_path, capsys):
    path = write(tmp_path, "x,y\n-2,1\n,9\n0,4\n2,\n2,5\n")
    assert main(["train", "--data", str(path), "--drop-missing", "--lr", "auto", "--epochs", "40", "--json"]) == 0
    out, err = capsys.readouterr()
    assert f"gdanim: note: {path}: left out 2 of 5 rows with missing values (lines 3, 5)" == err.splitlines()[0]
    assert '"n": 3, "dropped_rows": 2' in out


@pytest.mark.parametrize("x, y, columns, target", [
    ("0,3", "4", ("a", "c"), "y"),
    ([0, 3], 4, ("a", "c"), "y"),
    ("c", "2", ("c",), "b"),
    ('"weight, kg",a', None, ("weight, kg", "a"), "y"),
    ("weight, kg", None, ("weight, kg",), "y"),
    (["weight, kg", "c"], "y", ("weight, kg", "c"), "y"),
])
def test_columns_by_index_and_names_with_commas(tmp_path, x, y, columns, target):
    path = write(tmp_path, 'a,"weight, kg",b,c,y\n1,2,3,4,5\n6,7,8,9,10\n')
    data = load(path, x=x, y=y)
    assert data.feature_names == columns and data.target_name == target
    header = ["a", "weight, kg", "b", "c", "y"]
    rows = np.array([[1, 2, 3, 4, 5], [6, 7, 8, 9, 10]], float)
    np.testing.assert_array_equal(data.X, rows[:, [header.index(c) for c in columns]])
    np.testing.assert_array_equal(data.y, rows[:, header.index(target)])


def test_cli_column_by_index(tmp_path, capsys):
    path = write(tmp_path, "id,x,y\nA1,-2,1\nA2,0,4\nA3,2,5\n")
    assert main(["train", "--data", str(path), "--x", "1", "--y", "2", "--lr", "auto", "--epochs", "40", "--json"]) == 0
    assert '"optimum": {"w": 1.0' in capsys.readouterr().out


def test_id_column_suggests_choosing_columns(tmp_path):
    path = write(tmp_path, "id,x,y\nA1,1,2\nA2,2,3\n")
    with pytest.raises(DataError, match=r'^.*t\.csv line 2, column "id": not a number: \'A1\'; choose columns with x=$'):
        gdanim.train(str(path))
    assert gdanim.train(load(path, x="x"), epochs=1).names == ("w", "b")


def test_index_out_of_range(tmp_path):
    path = write(tmp_path, "a,b,y\n1,2,3\n")
    with pytest.raises(ConfigError, match=r"t\.csv: y=3 is out of range: the columns are numbered 0 to 2$"):
        load(path, y=3)
