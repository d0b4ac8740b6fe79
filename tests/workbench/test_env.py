import pytest
from django.core.exceptions import ImproperlyConfigured

from workbench.env import env_bool, env_float, env_int, env_list, env_str


@pytest.mark.parametrize(
    "raw,expected",
    [("1", True), ("TRUE", True), ("on", True), ("0", False), ("no", False), ("", False)],
)
def test_booleans_accept_the_usual_spellings(raw, expected):
    assert env_bool("X", not expected, environ={"X": raw}) is expected


def test_a_misspelt_boolean_is_an_error_not_false():
    with pytest.raises(ImproperlyConfigured, match="not a boolean"):
        env_bool("DEBUG", False, environ={"DEBUG": "ture"})


def test_an_absent_variable_takes_the_default():
    assert env_bool("DEBUG", True, environ={}) is True
    assert env_int("N", 7, environ={}) == 7
    assert env_str("S", "d", environ={}) == "d"


def test_numbers_are_checked():
    with pytest.raises(ImproperlyConfigured, match="whole number"):
        env_int("N", 1, environ={"N": "ten"})
    with pytest.raises(ImproperlyConfigured, match="minimum"):
        env_int("N", 1, minimum=1, environ={"N": "0"})
    with pytest.raises(ImproperlyConfigured, match="not a number"):
        env_float("F", 1.0, environ={"F": "1,5"})
    assert env_float("F", 1.0, environ={"F": "2.5"}) == 2.5


def test_lists_are_comma_separated_and_trimmed():
    assert env_list("L", [], environ={"L": " ar, en ,,"}) == ["ar", "en"]
    assert env_list("L", ["x"], environ={}) == ["x"]


def test_production_mode_refuses_to_start_without_a_secret_key(tmp_path):
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env["DATABASE_URL"] = "postgres://postgres@127.0.0.1:5432/test"
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "SECRET_KEY is required" in result.stderr
