"""Drill importers under fuzzing: GoPhish results/events CSV, saved API JSON and the REST client, Microsoft
Attack Simulation Training CSV, the generic CSV, the HR roster and the reviewer overrides. Starting from the real
fixtures in tests/drill/fixtures, any mutation gives a drill (which the report pipeline can analyse) or an
InputError naming file and line (CSV) or key (JSON); never another exception."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from fuzzkit import FUZZ, fixture_text, mutated, piece, result_or_input_error
from hypothesis import given
from hypothesis import strategies as st

from collectors.drill.gophish_api import GophishClient
from collectors.drill.ingest import load_drill
from collectors.drill.roster import load_roster
from compliance.drill.bots import load_overrides
from compliance.drill.config import load_thresholds
from compliance.drill.privacy import Pseudonymiser
from netcomply.app.pipelines.drill import run
from netcomply.csvread import FIELD_LIMIT
from netcomply.errors import InputError

TH = load_thresholds()
PSEUDO = Pseudonymiser(b"robustness-test-key-0123456789")
DRILL_FIXTURES = ["gophish-results.csv", "gophish-events.csv", "msast-users.csv", "generic.csv",
                  "gophish-api-results.json"]
TEXTS = {name: fixture_text("drill", "fixtures", name) for name in [*DRILL_FIXTURES, "roster.csv"]}


def _load_and_analyse(path: Path) -> None:
    def call() -> None:
        drill = load_drill([path])
        run(drill, TH, PSEUDO)  # what the importer let through must be analysable

    result_or_input_error(call, str(path))


@FUZZ
@given(data=st.data(), name=st.sampled_from(DRILL_FIXTURES))
def test_mutated_drill_exports(tmp_path: Path, data: st.DataObject, name: str) -> None:
    path = tmp_path / name
    path.write_text(data.draw(mutated(TEXTS[name])), encoding="utf-8")
    _load_and_analyse(path)


@FUZZ
@given(data=st.data(), name=st.sampled_from(DRILL_FIXTURES), raw=st.binary(max_size=300))
def test_random_bytes_after_a_real_header(tmp_path: Path, data: st.DataObject, name: str, raw: bytes) -> None:
    head = TEXTS[name].splitlines(keepends=True)[0].encode("utf-8")
    path = tmp_path / name
    path.write_bytes(head + raw if data.draw(st.booleans()) else raw)
    _load_and_analyse(path)


def _json_value(depth: int = 3) -> st.SearchStrategy[Any]:
    scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), piece)
    return st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                         st.dictionaries(piece, inner, max_size=3)), max_leaves=8)


@FUZZ
@given(data=st.data())
def test_gophish_json_shapes(tmp_path: Path, data: st.DataObject) -> None:
    """Valid JSON of the wrong shape: each key of the real API answer replaced by any JSON value."""
    doc = json.loads(TEXTS["gophish-api-results.json"])
    for _ in range(data.draw(st.integers(1, 4))):
        target: Any = doc
        section = data.draw(st.sampled_from(["top", "results", "timeline"]))
        if section != "top" and isinstance(doc.get(section), list) and doc[section]:
            target = doc[section][data.draw(st.integers(0, len(doc[section]) - 1))]
        if isinstance(target, dict) and target:
            key = data.draw(st.sampled_from(sorted(target)))
            target[key] = data.draw(_json_value())
    if data.draw(st.booleans()):
        doc = data.draw(st.sampled_from([[doc], [doc, 3], "x", None, 7]))
    path = tmp_path / "campaign.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    _load_and_analyse(path)


@FUZZ
@given(data=st.data(), status=st.sampled_from([200, 200, 200, 401, 404, 500]))
def test_gophish_api_answers(data: st.DataObject, status: int) -> None:
    """The REST client on any answer: mutated bodies, wrong statuses; an InputError names the endpoint."""
    body = data.draw(mutated(TEXTS["gophish-api-results.json"])).encode("utf-8")
    transport = httpx.MockTransport(lambda request: httpx.Response(status, content=body))
    with GophishClient("http://127.0.0.1:9", api_key="k", transport=transport) as client:
        try:
            run(client.drill(["12"]), TH, PSEUDO)
        except InputError as exc:  # an HTTP answer has no file: the problem names the endpoint or the key
            for p in exc.problems:
                assert "/api/campaigns/12/results" in p.file or p.file == "GOPHISH_API_KEY", p
                assert p.message.strip()


@FUZZ
@given(data=st.data())
def test_roster_and_overrides(tmp_path: Path, data: st.DataObject) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text(data.draw(mutated(TEXTS["roster.csv"])), encoding="utf-8")
    result_or_input_error(lambda: load_roster(roster), str(roster))
    overrides = tmp_path / "overrides.csv"
    base = "email,decision,reason,by,action,time\nalice@agency.gov.tw,bot,gateway scan,it,clicked,2026-10-05T01:00Z\n"
    overrides.write_text(data.draw(mutated(base)), encoding="utf-8")
    result_or_input_error(lambda: load_overrides(overrides), str(overrides))


@pytest.mark.parametrize("name", ["generic.csv", "gophish-events.csv", "msast-users.csv", "roster.csv"])
def test_cell_past_the_limit_is_file_line_error(tmp_path: Path, name: str) -> None:
    """Issue 14: a field over 128 KB gave csv.Error (exit 1). Now: a FIELD_LIMIT, then FILE:LINE."""
    lines = TEXTS[name].splitlines()
    lines.insert(3, lines[2].replace(",", ',"' + "x" * (FIELD_LIMIT + 1) + '",', 1))
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_roster(path) if name == "roster.csv" else load_drill([path])
    (problem,) = info.value.problems
    assert (problem.file, problem.line) == (str(path), 4)
    assert f"{FIELD_LIMIT:,} characters" in problem.message


def test_cell_of_200_kb_under_the_limit_loads(tmp_path: Path) -> None:
    """A legitimately long cell (a 200 KB user agent) is read: the limit is above Python's 128 KiB default."""
    path = tmp_path / "generic.csv"
    path.write_text("email,action,time,user_agent\na@x.tw,sent,2026-04-01T00:00:00Z," + "U" * 200_000 + "\n",
                    encoding="utf-8")
    drill = load_drill([path])
    assert len(drill.events) == 1 and len(drill.events[0].user_agent or "") == 200_000


def test_unclosed_quote_names_the_record_start(tmp_path: Path) -> None:
    """A missing closing quote swallows the rest of the file; the error names the line the record began on."""
    body = "email,action,time\n" + "a@x.tw,sent,\n" + 'b@x.tw,"opened,\n' + "c@x.tw,sent,\n" * 80_000
    path = tmp_path / "generic.csv"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_drill([path])
    assert info.value.problems[0].line == 3


def test_deep_json_is_bad_input(tmp_path: Path) -> None:
    path = tmp_path / "campaign.json"
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_drill([path])
    assert info.value.problems[0].file == str(path)


def test_json_item_of_wrong_shape_names_its_key(tmp_path: Path) -> None:
    doc = json.loads(TEXTS["gophish-api-results.json"])
    doc["timeline"][2] = "not an event"
    path = tmp_path / "campaign.json"
    path.write_text(json.dumps([doc]), encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_drill([path])
    (problem,) = info.value.problems
    assert (problem.file, problem.key) == (str(path), "[0].timeline[2]")


def test_json_that_is_no_gophish_campaign_is_refused(tmp_path: Path) -> None:
    """A Microsoft Graph attack-simulation answer (JSON) used to read as an empty drill of 0 people."""
    path = tmp_path / "simulation.json"
    path.write_text(json.dumps({"value": [{"simulationUser": {"email": "a@x.tw"}, "isCompromised": True}]}),
                    encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_drill([path])
    (problem,) = info.value.problems
    assert (problem.file, problem.key) == (str(path), "$") and "user CSV" in problem.message
