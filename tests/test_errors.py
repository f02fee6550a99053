"""The error types: messages name file, row/feature, field, expected and found."""

from corridormap._errors import DataError, Problem, found


def test_problem_text_names_everything():
    p = Problem("geo/nodes.csv", "row 7", "lat", "a number in degrees", "'4O.1'")
    assert str(p) == "geo/nodes.csv:row 7: lat: expected a number in degrees, found '4O.1'"


def test_data_error_lists_every_problem():
    err = DataError([Problem("a.csv", "row 2", "x", "1", "2"), Problem("b.geojson", "", "type", "t", "u")])
    assert isinstance(err, ValueError)
    assert str(err).splitlines() == ["2 problems in the data", "a.csv:row 2: x: expected 1, found 2",
                                     "b.geojson: type: expected t, found u"]


def test_found_shows_type_and_shortens():
    assert found(3) == "3 (int)"
    assert found("") == "an empty value"
    assert found("x" * 100).endswith("...'")
