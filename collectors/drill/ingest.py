"""Read a drill from any mix of files: each file's format is recognised from its header.

* GoPhish results CSV and raw-events CSV (from the same campaign or several), or a saved API JSON;
* Microsoft Attack Simulation Training user export;
* the generic CSV (see :mod:`collectors.drill.generic`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from collectors.drill import generic, gophish, msast
from netcomply.drill.csvsrc import header_of, read_text, rows
from netcomply.drill.model import Drill
from netcomply.errors import InputError, InputProblem


def detect(path: Path, text: str) -> str:
    """``gophish-results`` | ``gophish-events`` | ``gophish-json`` | ``msast`` | ``generic``."""
    if path.suffix.lower() == ".json":
        return "gophish-json"
    header = header_of(text, str(path))
    if set(gophish.RESULT_COLUMNS) <= set(header):
        return "gophish-results"
    if set(gophish.EVENT_COLUMNS) <= set(header):
        return "gophish-events"
    if msast.is_msast(header):
        return "msast"
    if generic.is_generic(header):
        return "generic"
    raise InputError(InputProblem(str(path), 1, "not a drill export I know: expected a GoPhish results or events "
                                  "CSV, a Microsoft Attack Simulation Training user export, or the generic CSV "
                                  f"(email,action,time,...); header was: {', '.join(header)[:200]}"))


def parse_json(text: str, file: str) -> Any:
    """JSON text -> data; invalid or absurdly nested JSON is an InputError with its line."""
    try:
        return json.loads(text)
    except ValueError as exc:
        raise InputError(InputProblem(file, getattr(exc, "lineno", None), f"invalid JSON: {exc}")) from None
    except RecursionError:
        raise InputError(InputProblem(file, None, "JSON nested too deeply to be a GoPhish export")) from None


def load_drill(paths: Sequence[Path], name: str | None = None) -> Drill:
    """One drill from every given file (a directory means every CSV/JSON file inside it)."""
    files: list[Path] = []
    for p in paths:
        if p.is_dir():
            files.extend(sorted(x for x in p.iterdir() if x.suffix.lower() in {".csv", ".json"}))
        else:
            files.append(p)
    if not files:
        raise InputError(InputProblem(" ".join(map(str, paths)) or "<none>", None, "no drill files given"))
    drill = Drill(name=name or (paths[0].name if len(paths) == 1 and paths[0].is_dir() else files[0].stem))
    kinds: set[str] = set()
    for path in files:
        text = read_text(path)
        kind = detect(path, text)
        kinds.add(kind.split("-")[0])
        file = str(path)
        if kind == "gophish-results":
            for row in rows(text, file, gophish.RESULT_COLUMNS):
                gophish.add_result(drill, row.values, f"{file}:{row.line}", campaign=path.stem)
        elif kind == "gophish-events":
            for row in rows(text, file, gophish.EVENT_COLUMNS):
                gophish.add_event(drill, row.values, f"{file}:{row.line}")
        elif kind == "gophish-json":
            for key, camp in gophish.campaigns_of(parse_json(text, file), file):
                gophish.load_campaign_json(drill, camp, file, key)
        elif kind == "msast":
            msast.load(path, drill)
        else:
            generic.load(path, drill)
        drill.sources.append(file)
    gophish.settle(drill)
    drill.kind = kinds.pop() if len(kinds) == 1 else "mixed"
    return drill
