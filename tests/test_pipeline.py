"""The registry, the configuration and re-analysis of a stored corpus."""

from __future__ import annotations

import dataclasses
import sqlite3

import pytest

from storyline import Corpus
from storyline.errors import BadConfigFile, BadPipeline, BadSetting, UnknownStage
from storyline.pipeline import config as cfg
from storyline.pipeline import registry
from storyline.pipeline.declare import Option, Stage
from storyline.records import Quote

TEXTS = {
    "a.txt": "Foreign Minister Ana Lindqvist met Prime Minister Jonas Berg in Oslo on Monday.\n"
    "“We agreed to cooperate,” Lindqvist said.\n",
    "b.txt": "Norway threatened to impose sanctions on Sweden, the ministry said on Tuesday.\n",
    "c.txt": "Sweden and Finland signed a fisheries agreement in Helsinki in 2022.\n",
}


def noop(doc, analysis, options):
    pass


@pytest.fixture
def corpus(tmp_path) -> Corpus:
    src = tmp_path / "in"
    src.mkdir()
    for name, text in TEXTS.items():
        (src / name).write_text(text, encoding="utf-8")
    c = Corpus(tmp_path / "c.db")
    c.ingest([str(src)], workers=1)
    return c


@pytest.fixture
def bumped(monkeypatch):
    """Pretend a stage was upgraded: its version changes in the registry."""

    def bump(name: str, version: str = "2") -> None:
        every = dict(registry.stages())
        every[name] = dataclasses.replace(every[name], version=version)
        monkeypatch.setattr(registry, "stages", lambda: every)

    return bump


def table(c: Corpus, sql: str) -> list[tuple]:
    return [tuple(r) for r in c._read().execute(sql).fetchall()]


# -- the registry ---------------------------------------------------------------


def test_registry_builtin_stages_come_through_entry_points_in_order():
    assert list(registry.stages())[:5] == ["parse", "actors", "quotes", "events", "claims"]
    assert [s.name for s in registry.order(["events"])] == ["parse", "actors", "quotes", "events"]
    assert [s.name for s in registry.order(["parse"])] == ["parse"]
    assert registry.dependents({"actors"}) == {"actors", "quotes", "events", "claims"}
    assert registry.dependents({"events"}) == {"events"}
    assert registry.dependents({"quotes"}) == {"quotes", "events", "claims"}


def test_registry_tables_come_from_the_declared_record_types():
    tables = [cls.__table__ for cls in registry.record_types()]
    assert tables[:6] == ["documents", "metadata", "residue", "rejections", "entities", "stage_runs"]
    assert {"sentences", "mentions", "quotes", "events"} <= set(tables)
    assert [s.name for s in registry.owners(Quote)] == ["quotes"]


def test_registry_check_pipeline_refuses_a_stage_before_what_it_reads():
    parse, actors = registry.stage("parse"), registry.stage("actors")
    registry.check_pipeline([parse, actors])
    with pytest.raises(BadPipeline, match=r"stage actors requires \['parse'\], which does not run before it"):
        registry.check_pipeline([actors, parse])
    with pytest.raises(BadPipeline, match="stage actors requires"):
        registry.check_pipeline([actors])


def test_registry_sort_refuses_cycles_and_unknown_requirements():
    a = Stage("a", "1", noop, requires=("b",))
    b = Stage("b", "1", noop, requires=("a",))
    with pytest.raises(BadPipeline, match="cycle"):
        registry._toposort({"a": a, "b": b})
    with pytest.raises(BadPipeline, match=r"stage a requires \['zzz'\], which no installed stage provides"):
        registry._toposort({"a": Stage("a", "1", noop, requires=("zzz",))})


def test_registry_unknown_stage_is_a_clear_error():
    with pytest.raises(UnknownStage, match="No stage named 'quote'. Installed stages: actors, claims, events, parse, quotes"):
        registry.stage("quote")


# -- the configuration -------------------------------------------------------------


def test_config_defaults_then_file_then_environment_then_set(tmp_path):
    assert cfg.load(env={}).values["quotes"]["mode"] == "fast"
    toml = tmp_path / "storyline.toml"
    toml.write_text('[quotes]\nmode = "accurate"\n', encoding="utf-8")
    assert cfg.load(file=toml, env={}).values["quotes"]["mode"] == "accurate"
    env = {"STORYLINE_QUOTES": "fast", "STORYLINE_QUOTE_MODEL": "/m.json.gz"}
    c = cfg.load(file=toml, env=env)
    assert c.values["quotes"] == {"mode": "fast", "model": "/m.json.gz"}
    c = cfg.load({"quotes.mode": "accurate"}, file=toml, env=env)
    assert c.values["quotes"]["mode"] == "accurate"
    assert c.explicit == {("quotes", "mode"), ("quotes", "model")}


def test_config_file_from_the_environment_and_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "storyline.toml").write_text('[quotes]\nmode = "accurate"\n', encoding="utf-8")
    monkeypatch.delenv("STORYLINE_QUOTES", raising=False)
    assert cfg.load().values["quotes"]["mode"] == "accurate"
    other = tmp_path / "other.toml"
    other.write_text('[quotes]\nmode = "fast"\n', encoding="utf-8")
    monkeypatch.setenv("STORYLINE_CONFIG", str(other))
    assert cfg.load().values["quotes"]["mode"] == "fast"


@pytest.mark.parametrize(
    "settings, message",
    [
        ({"quote.mode": "fast"}, "Invalid setting 'quote.mode': no stage named 'quote' (from --set)"),
        ({"quotes.speed": "1"}, "stage quotes has no option 'speed' (its options: mode, model; from --set)"),
        ({"quotes.mode": "slow"}, "'slow' is not one of 'fast', 'accurate' (from --set)"),
    ],
)
def test_config_bad_settings_say_what_is_wrong(settings, message):
    with pytest.raises(BadSetting) as err:
        cfg.load(settings, env={})
    assert message in err.value.message


def test_config_bad_set_syntax_and_bad_files(tmp_path):
    with pytest.raises(BadSetting, match="write it as STAGE.OPTION=VALUE"):
        cfg.parse_sets(["quotes"])
    assert cfg.parse_sets(["quotes.mode = accurate"]) == {"quotes.mode": "accurate"}
    bad = tmp_path / "bad.toml"
    bad.write_text("[quotes\n", encoding="utf-8")
    with pytest.raises(BadConfigFile, match="Cannot read"):
        cfg.load(file=bad, env={})
    with pytest.raises(BadConfigFile, match="no such file"):
        cfg.load(file=tmp_path / "missing.toml", env={})


def test_config_option_values_convert_to_the_default_type():
    assert Option("n", 3, "").convert("4") == 4
    assert Option("on", False, "").convert("yes") is True
    assert Option("x", 0.5, "").convert("0.25") == 0.25


# -- analysis of a stored corpus ------------------------------------------------------


def test_analyze_fresh_corpus_is_up_to_date(corpus):
    runs = table(corpus, "SELECT stage, version, count(*) FROM stage_runs GROUP BY 1, 2 ORDER BY 1")
    assert runs == [("actors", "1", 3), ("claims", "1", 3), ("events", "1", 3), ("parse", "1", 3), ("quotes", "1", 3)]
    assert corpus.analyze(workers=1)["runs"] == []


def test_analyze_reruns_only_the_bumped_stage_and_replaces_its_rows(corpus, bumped):
    events = table(corpus, "SELECT * FROM events ORDER BY doc_id, trigger_start")
    quotes = table(corpus, "SELECT * FROM quotes ORDER BY doc_id, content_start")
    corpus._write().execute("UPDATE events SET confidence = -1")  # so that a replaced row shows
    corpus._con.commit()
    bumped("events")
    out = corpus.analyze(workers=1)
    assert out["runs"] == [{"stages": ["events"], "documents": 3, "failed": 0}]
    assert table(corpus, "SELECT * FROM events ORDER BY doc_id, trigger_start") == events
    assert table(corpus, "SELECT * FROM quotes ORDER BY doc_id, content_start") == quotes
    assert table(corpus, "SELECT DISTINCT version FROM stage_runs WHERE stage = 'events'") == [("2",)]
    assert table(corpus, "SELECT DISTINCT version FROM stage_runs WHERE stage = 'quotes'") == [("1",)]
    assert corpus.analyze(workers=1)["runs"] == []  # a second run changes nothing


def test_analyze_a_bumped_stage_reruns_the_stages_that_read_it(corpus, bumped):
    bumped("actors")
    out = corpus.analyze(workers=1)
    assert out["runs"] == [{"stages": ["actors", "quotes", "events", "claims"], "documents": 3, "failed": 0}]
    assert "merge-entities" in out["passes"]


def test_analyze_named_stage_only_runs_where_it_is_missing(corpus):
    con = corpus._write()
    with con:
        con.execute("DELETE FROM stage_runs WHERE stage = 'quotes' AND doc_id = (SELECT min(doc_id) FROM stage_runs)")
    assert corpus.analyze(["parse"], workers=1)["runs"] == []  # quotes is not parse's concern
    # events reads quotes: a document whose quotes are out of date gets both, so the two agree
    out = corpus.analyze(["events"], workers=1)
    assert out["runs"] == [{"stages": ["quotes", "events", "claims"], "documents": 1, "failed": 0}]
    assert table(corpus, "SELECT count(*) FROM stage_runs") == [(15,)]
    assert corpus.analyze(["quotes"], workers=1)["runs"] == []


def test_analyze_unknown_stage_is_an_error(corpus):
    with pytest.raises(UnknownStage):
        corpus.analyze(["nope"])


def test_analyze_set_option_makes_runs_with_other_values_stale(corpus):
    from storyline.pipeline import rerun

    con = corpus._write()
    explicit = cfg.load({"quotes.mode": "accurate"}, env={})
    assert set(rerun.stale(con, ["quotes"], explicit)) == set(table(corpus, "SELECT id FROM documents")[i][0] for i in range(3))
    assert rerun.stale(con, ["quotes"], cfg.load({"quotes.mode": "fast"}, env={})) == {}
    assert rerun.stale(con, ["quotes"], cfg.load(env={})) == {}  # defaults never make a run stale


def test_analyze_stage_runs_store_the_options(corpus):
    stored = table(corpus, "SELECT DISTINCT options FROM stage_runs WHERE stage = 'quotes'")
    assert stored == [('{"mode":"fast","model":null}',)]
    listed = {s["name"]: s for s in corpus.stages()}
    assert listed["quotes"]["documents"] == 3 and listed["quotes"]["versions"] == {"1": 3}
    assert listed["quotes"]["options"]["mode"]["choices"] == ["fast", "accurate"]
    assert listed["events"]["requires"] == ["actors", "quotes"] and listed["events"]["tables"] == ["events"]


def test_analyze_reingest_changes_nothing(corpus, tmp_path):
    before = table(corpus, "SELECT count(*) FROM entities")
    again = corpus.ingest([str(tmp_path / "in")], workers=1)
    assert (again.added, again.unchanged) == (0, 3)
    assert table(corpus, "SELECT count(*) FROM entities") == before
    con = sqlite3.connect(corpus.path)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_merge_reaches_its_fixed_point_in_one_run(example_corpus, tmp_path):
    import shutil

    from storyline.passes.merge import merge_entities

    path = tmp_path / "copy.db"
    shutil.copy(example_corpus, path)
    con = sqlite3.connect(path)
    n = con.execute("SELECT count(*) FROM entities").fetchone()[0]
    assert merge_entities(con) == 0  # the ingest's own pass left nothing to merge
    assert con.execute("SELECT count(*) FROM entities").fetchone()[0] == n


def test_merge_repeats_until_nothing_merges(tmp_path):
    """Round one folds the spellings "Sergei"/"Sergey"; only then is "Lavrov" one full name's surname."""
    from storyline import store
    from storyline.passes.merge import merge_entities
    from storyline.records import Entity

    con = store.connect(tmp_path / "c.db", create=True)
    with con:
        for id_, name in (("e1", "Sergey Lavrov"), ("e2", "Sergei Lavrov"), ("e3", "Lavrov")):
            con.execute(store.insert_sql(Entity), store.to_row(Entity(id=id_, name=name, kind="person")))
    assert merge_entities(con) == 2
    assert [r[0] for r in con.execute("SELECT name FROM entities")] == ["Sergey Lavrov"]
    assert merge_entities(con) == 0
