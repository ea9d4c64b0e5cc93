"""Scores guarded like tests (issue 17, point 8): the floor check of scripts/evaluate.py on made-up scores."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def ev():
    spec = importlib.util.spec_from_file_location("_evaluate", ROOT / "scripts" / "evaluate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _quotes(f1_all=0.80, f1_direct=0.95, speaker=0.90) -> dict:
    """A summary in the shape eval_quotes.py writes."""
    m = lambda f1: {"precision": f1, "recall": f1, "f1": f1}  # noqa: E731
    return {"documents": 84, "set_aside": 7, "all": m(f1_all), "direct": m(f1_direct), "reported": m(0.6),
            "speaker_accuracy": speaker, "speaker_pairs": 1500}


def _events(type_accuracy=0.95, country=0.95) -> dict:
    """A summary in the shape eval_events.py writes."""
    h = {"records": 76, "type_accuracy": type_accuracy, "country_match": country, "side_match": 0.8}
    return {"halves": {"even (tuning)": dict(h), "odd (held out)": dict(h), "all": {**h, "records": 152}}}


def _found(ev, **quotes):
    return ev.scores({"fast": _quotes(**quotes), "accurate": _quotes()}, _events())


def test_every_floor_names_a_score_the_evaluations_report(ev):
    found = _found(ev)
    assert set(ev.FLOORS) <= set(found), set(ev.FLOORS) - set(found)  # a misspelt floor would guard nothing
    for name in ("quotes fast: F1 all", "quotes fast: F1 direct", "quotes fast: speaker accuracy",
                 "events all: type accuracy", "events all: country match"):
        assert name in ev.FLOORS
    assert all(0.5 < floor < 1 for floor in ev.FLOORS.values())


def test_scores_above_or_at_their_floors_pass(ev):
    assert ev.below_floors(_found(ev)) == []
    assert "at or above" in ev.check_floors(_found(ev))
    assert ev.below_floors(dict(ev.FLOORS)) == []  # a score equal to its floor holds


def test_a_score_below_its_floor_fails_naming_it(ev):
    floor = ev.FLOORS["quotes fast: F1 direct"]
    found = _found(ev, f1_direct=round(floor - 0.001, 3))
    assert ev.below_floors(found) == [f"quotes fast: F1 direct: {floor - 0.001:.3f} is below its floor {floor:.3f}"]
    with pytest.raises(SystemExit) as exc:
        ev.check_floors(found)
    message = str(exc.value.code)
    assert "quotes fast: F1 direct" in message and f"{floor - 0.001:.3f}" in message and f"{floor:.3f}" in message
    assert "a score is below its floor" in message


def test_every_fallen_score_is_named(ev):
    found = _found(ev, f1_all=0.1, speaker=0.2)
    found["events odd (held out): country match"] = 0.3
    failures = ev.below_floors(found)
    assert [f.rsplit(": ", 1)[0] for f in failures] == [
        "quotes fast: F1 all", "quotes fast: speaker accuracy", "events odd (held out): country match"]
    with pytest.raises(SystemExit, match="3 scores are below their floors"):
        ev.check_floors(found)


def test_a_score_an_evaluation_did_not_report_fails(ev):
    found = _found(ev)
    found["events all: type accuracy"] = None
    assert ev.below_floors(found) == [f"events all: type accuracy: not reported (floor {ev.FLOORS['events all: type accuracy']:.3f})"]


def test_an_evaluation_that_did_not_run_is_not_checked(ev):
    """Without ../shared an evaluation skips; its floors have nothing to check."""
    found = ev.scores({}, _events())
    assert not any(name.startswith("quotes") for name in found)
    assert ev.below_floors(found) == []
    assert "checked" in ev.check_floors(found)


def test_floors_stand_beside_their_scores(ev):
    found = _found(ev, f1_all=0.1)
    assert ev.floor_cell("quotes fast: F1 all", found) == f"{ev.FLOORS['quotes fast: F1 all']:.3f} **below**"
    assert ev.floor_cell("quotes accurate: F1 all", found) == f"{ev.FLOORS['quotes accurate: F1 all']:.3f}"
    assert ev.floor_cell("quotes fast: F1 reported", found) == "none"
    table = "\n".join(ev.quotes_section({"fast": _quotes(f1_all=0.1)}, found))
    assert f"| **0.100** | {ev.FLOORS['quotes fast: F1 all']:.3f} **below** | 0.75 |" in table
    events = "\n".join(ev.events_section(_events(), found))
    assert f"| {ev.FLOORS['events all: type accuracy']:.3f} |" in events


def test_make_eval_writes_the_page_then_fails(ev, tmp_path, monkeypatch, capsys):
    """main() on made-up evaluations: the page is written with the floors, then the exit is non-zero."""
    summaries = {"fast": _quotes(speaker=0.5), "accurate": _quotes()}

    def fake_run(script, *args):
        return summaries[args[-1]] if script == "eval_quotes.py" else _events()

    monkeypatch.setattr(ev, "run", fake_run)
    out = tmp_path / "evaluation.md"
    monkeypatch.setattr(sys, "argv", ["evaluate.py", "--out", str(out)])
    with pytest.raises(SystemExit) as exc:
        ev.main()
    assert "quotes fast: speaker accuracy: 0.500 is below its floor" in str(exc.value.code)
    floor = ev.FLOORS["quotes fast: speaker accuracy"]
    assert f"**0.500** (floor {floor:.3f} **below**" in out.read_text(encoding="utf-8")
    summaries["fast"] = _quotes()
    ev.main()  # every score holds: no exit
    assert f"at or above its floor ({len(ev.FLOORS)} of {len(ev.FLOORS)} floors checked)" in capsys.readouterr().err


def test_docs_evaluation_shows_the_floors(ev):
    """docs/evaluation.md (written by make eval) shows each floor of FLOORS beside its score, none fallen."""
    text = (ROOT / "docs" / "evaluation.md").read_text(encoding="utf-8")
    assert "FLOORS" in text and "**below**" not in text.split("marked **below**")[-1]
    for name, floor in ev.FLOORS.items():
        assert f"{floor:.3f}" in text, name
