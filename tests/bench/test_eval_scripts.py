"""The evaluation scripts' metrics and output format, on tiny invented TEST data."""

import json

import pytest

from bench import eval_checkworthiness, eval_matching


def test_matching_metrics_match_a_hand_computation():
    rankings = {
        "q1": ["d1", "d2", "d3"],  # relevant first: AP 1, RR 1, P@1 1
        "q2": ["d4", "d5", "d1"],  # relevant {d5, d1}: AP (1/2 + 2/3) / 2, RR 1/2, P@1 0
        "q3": ["d1", "d2", "d3", "d4", "d6", "d9"],  # relevant d9 at rank 6: outside the top 5
    }
    qrels = {"q1": {"d1"}, "q2": {"d5", "d1"}, "q3": {"d9"}}
    result = eval_matching.metrics(rankings, qrels)
    assert result["n"] == 3
    assert result["map5"] == pytest.approx((1 + (1 / 2 + 2 / 3) / 2 + 0) / 3, abs=1e-4)
    assert result["mrr5"] == pytest.approx((1 + 1 / 2 + 0) / 3, abs=1e-4)
    assert result["p1"] == pytest.approx(1 / 3, abs=1e-4)


def test_matching_metrics_ignore_queries_without_judgements():
    result = eval_matching.metrics({"q1": ["d1"], "q2": ["d2"]}, {"q1": {"d1"}})
    assert result == {"map5": 1.0, "mrr5": 1.0, "p1": 1.0, "n": 1}


def test_checkworthiness_metrics_match_a_hand_computation():
    # tp 2, fp 1, fn 1, tn 1: F1(pos) = 4/6, F1(neg) = 2/4
    result = eval_checkworthiness.metrics([1, 1, 1, 0, 0], [True, True, False, True, False])
    assert result["f1"] == pytest.approx(4 / 6, abs=1e-4)
    assert result["macro_f1"] == pytest.approx((4 / 6 + 1 / 2) / 2, abs=1e-4)
    assert result["accuracy"] == pytest.approx(3 / 5)


def write_matching_task(folder, *, english):
    folder.mkdir(parents=True)
    if english:
        (folder / "verified_claims.tsv").write_text(
            "\tvclaim\ttitle\n"
            "0\tTEST claim: the moon is made of green cheese.\tTEST moon cheese\n"
            '1\t"TEST claim: penguins\nfly south in winter."\tTEST penguins\n',
            encoding="utf-8",
        )
        (folder / "dev.queries.tsv").write_text(
            "\ttweet_content\n"
            "7\tIs the moon really green cheese? TEST\n"
            '8\t"Penguins fly south\nevery winter, TEST"\n',
            encoding="utf-8",
        )
        (folder / "dev.qrels").write_text("7\t0\t0\t1\n8\t0\t1\t1\n", encoding="utf-8")
    else:
        (folder / "verified_claims.tsv").write_text(
            "vclaim_id\tvclaim\ttitle\n"
            "vclaim-0\tاختبار القمر مصنوع من الجبن\tاختبار\n"
            "vclaim-1\tاختبار البطاريق تطير جنوبا\tاختبار\n",
            encoding="utf-8",
        )
        (folder / "dev.queries.tsv").write_text(
            "tweet_id\ttweet_text\ntweet-0\tهل البطاريق تطير جنوبا؟\n", encoding="utf-8"
        )
        (folder / "dev.qrels").write_text("tweet-0 0 vclaim-1 1\n", encoding="utf-8")


def test_eval_matching_ends_with_one_json_line_per_language_and_baseline(tmp_path, capsys):
    write_matching_task(tmp_path / "en_claim_matching", english=True)
    write_matching_task(tmp_path / "ar_claim_matching", english=False)
    assert eval_matching.main([str(tmp_path), "--split", "dev", "--json"]) == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    result = json.loads(last)
    assert set(result) == {"ar", "ar_bm25", "en", "en_bm25"}
    assert result["en"] == {"map5": 1.0, "mrr5": 1.0, "p1": 1.0, "n": 2}
    assert result["ar"]["n"] == 1 and result["ar"]["p1"] == 1.0


def test_eval_matching_skips_a_language_whose_files_are_absent(tmp_path, capsys):
    write_matching_task(tmp_path / "en_claim_matching", english=True)
    assert eval_matching.main([str(tmp_path), "--json"]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert any(line.startswith("ar:") and "skipped" in line for line in out)
    assert set(json.loads(out[-1])) == {"en", "en_bm25"}


def test_eval_matching_rejects_a_missing_folder(tmp_path):
    assert eval_matching.main([str(tmp_path / "nothing")]) == 2


def test_eval_checkworthiness_ends_with_one_json_line(tmp_path, capsys):
    folder = tmp_path / "en_checkworthiness"
    folder.mkdir()
    (folder / "dev.tsv").write_text(
        "Sentence_id\tText\tclass_label\n"
        "1\tTEST: The unemployment rate fell to 3.5% in 2019.\tYes\n"
        "2\tTEST: Thank you all very much!\tNo\n",
        encoding="utf-8",
    )
    assert eval_checkworthiness.main([str(tmp_path), "--json"]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    result = json.loads(out[-1])
    assert set(result) == {"en"}
    assert result["en"]["n"] == 2
    assert {"f1", "macro_f1", "accuracy", "rule_f1", "learned_f1"} <= set(result["en"])
