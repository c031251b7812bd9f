"""Build, measure and report the snmp-info vendor corpus (``tests/vendor/corpus/snmpinfo.jsonl``): the device
answers netdisco/snmp-info's per-class tests mock, the values of them that were evidently copied from real devices.

Why: one more source nobody here wrote or tuned on. snmp-info is netdisco's SNMP library; it has a device class per
vendor family (``SNMP::Info::Layer3::Huawei``), and its tests (``xt/lib/Test/SNMP/Info/<class>.pm``) fill a cache of
what such a device answers (``'_description'`` = sysDescr, ``'_id'`` = sysObjectID, ENTITY-MIB columns, MACs). Many
of those values are strings copied from real devices (``Cisco IOS Software, C1240 Software (C1240-K9W7-M), ...``);
others are invented for the test (``My Bogus ACS6008 Description``, serial ``12345``, MAC ``0123456789AB``). Only
the first kind is kept, by the rules of :func:`placeholder_descr`, :func:`placeholder_oid`, :func:`placeholder_serial`
and :func:`placeholder_mac` (one rule per row class, written before any verdict was seen). The brief named
``xt/fixtures/*.json`` too: no commit of the repository holds such files (``git log --all -- xt/fixtures``).

Items: each Perl hash literal of a test module that sets ``'_description'`` or ``'_id'`` is one device (the ``setup``
cache, and a test's own cache with both); each sysDescr a test assigns on its own
(``$test->{info}{_description} = ...``) is one more device answering sysDescr only (a test pairs it with the setup's
sysObjectID, a pairing the author made up). The Perl is read by a small lexer (quoted strings, ``.`` and ``.=``
concatenation, ``my $var``, ``"$var"`` interpolation, ``pack("H*", ...)``), never run. The facts go through
``collectors.vendor.recordings.facts``, so a row has the shape of ``walks.jsonl`` / ``blind.jsonl`` rows.
Devices also in ``librenms.jsonl``, ``walks.jsonl`` or ``blind.jsonl`` (same sysDescr and sysObjectID; for a
sysDescr-only row, the same sysDescr) are left out: not blind. Labels: ``snmpinfo_labels.yaml``, the maker the test
class is for, per class, or per row where one class covers several makers.

Run::

    .venv/bin/python tools/vendor_corpus_snmpinfo.py build /work/.mirror/netdisco+snmp-info/repo
    .venv/bin/python tools/vendor_corpus_snmpinfo.py measure   # aggregate figures (whole rows, partial answers)
    .venv/bin/python tools/vendor_corpus_snmpinfo.py report    # write docs/vendor-snmpinfo-corpus.md
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "tests" / "vendor" / "corpus"
ROWS = OUT / "snmpinfo.jsonl"
LABELS = OUT / "snmpinfo_labels.yaml"
DOC = ROOT / "docs" / "vendor-snmpinfo-corpus.md"
UNDER = "xt/lib/Test/SNMP/Info"
SOURCES_BEGIN = "# --- snmpinfo.jsonl (tools/vendor_corpus_snmpinfo.py) ---"
SOURCES_END = "# --- end of snmpinfo.jsonl ---"
#: snmp-info cache keys -> the ENTITY-MIB column (recordings.ENT_COLUMNS) their method reads.
ENTITY_KEYS = {"e_descr": "2", "e_class": "5", "e_hwver": "8", "e_fwver": "9", "e_swver": "10", "e_serial": "11",
               "e_vendor": "12", "e_model": "13"}

sys.path.insert(0, str(ROOT))
from tools.toolmodule import load as load_tool  # noqa: E402

W = load_tool("vendor_corpus_walks")  # git reading (_git, _show, _repo_of, _identity) is reused, not copied
B = load_tool("vendor_corpus_blind")  # so are the blind corpus's row shape, dedupe and per-source figures

# --- a lexer and reader for the Perl the tests are written in (data only: never run) -------------------------

_TOKEN = re.compile(r"""
    (?P<space>\s+) | (?P<comment>\#[^\n]*)
  | '(?P<sq>(?:[^'\\]|\\.)*)' | "(?P<dq>(?:[^"\\]|\\.)*)"
  | (?P<var>\$\w+) | (?P<num>\d+(?:\.\d+)*) | (?P<word>\w+)
  | (?P<op>=>|\.=|->|::|[{}()\[\];,.=]) | (?P<other>.)
""", re.X | re.S)
_DQ_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", "0": "\0"}


@dataclass(frozen=True)
class Tok:
    kind: str  # str, var, num, word, op, other
    text: str
    line: int


def tokens(source: str) -> list[Tok]:
    """Perl text -> tokens; comments and space dropped; a string token holds its raw body (quotes removed)."""
    out, line = [], 1
    for m in _TOKEN.finditer(source):
        kind = m.lastgroup or "other"
        if kind in ("sq", "dq"):
            out.append(Tok(kind, m.group(kind), line))
        elif kind not in ("space", "comment"):
            out.append(Tok(kind, m.group(), line))
        line += m.group().count("\n")
    return out


def string_value(tok: Tok, env: dict[str, Any]) -> str:
    """A quoted string's value: single quotes know ``\\'`` and ``\\\\`` only; double quotes know the usual escapes
    and interpolate ``$var`` (a variable not set reads as empty, as Perl's would)."""
    if tok.kind == "sq":
        return re.sub(r"\\([\\'])", r"\1", tok.text)

    def piece(m: re.Match[str]) -> str:
        if m.group(1):
            return str(env.get("$" + m.group(1), ""))
        return _DQ_ESCAPES.get(m.group(2), m.group(2))

    return re.sub(r"\$(\w+)|\\(.)", piece, tok.text, flags=re.S)


class Unreadable(Exception):
    """An expression the reader does not evaluate (a call, arithmetic): its value is not a captured answer."""


@dataclass
class Reader:
    """Walks the tokens once, in order, keeping ``my`` variables, and collects the hash literals and assignments
    that set a device's identity."""

    toks: list[Tok]
    env: dict[str, Any] = field(default_factory=dict)
    hashes: list[tuple[int, dict[str, Any]]] = field(default_factory=list)  # (line, literal) with _description/_id
    assigned: list[tuple[int, str, Any]] = field(default_factory=list)  # (line, key, value) of $x->{_key} = ...
    i: int = 0

    def at(self, k: int = 0) -> Tok:
        j = self.i + k
        return self.toks[j] if j < len(self.toks) else Tok("op", ";", 0)

    def expr(self) -> Any:
        """term ('.' term)*; stops before ``,`` ``;`` ``}`` ``)``."""
        value = self.term()
        while self.at().text == "." and self.at().kind == "op":
            self.i += 1
            value = str(value if value is not None else "") + str(self.term() or "")
        return value

    def term(self) -> Any:
        tok = self.at()
        self.i += 1
        if tok.kind in ("sq", "dq"):
            return string_value(tok, self.env)
        if tok.kind == "var" and tok.text in self.env and self.at().text not in ("->", "{", "["):
            return self.env[tok.text]
        if tok.kind == "num":
            return tok.text
        if tok.kind == "word" and tok.text == "undef":
            return None
        if tok.kind == "word" and tok.text == "pack" and self.at().text == "(":
            self.i += 1
            fmt, _, data = self.expr(), self.expect(","), self.expr()
            self.expect(")")
            if fmt != "H*":
                raise Unreadable(fmt)
            return bytes.fromhex(str(data))
        if tok.text == "{":
            self.i -= 1
            return self.hash_literal()
        raise Unreadable(tok.text)

    def expect(self, text: str) -> None:
        if self.at().text != text:
            raise Unreadable(f"expected {text!r} at line {self.at().line}")
        self.i += 1

    def skip_value(self) -> None:
        """Past a value the reader does not evaluate, to the ``,`` or ``}`` that ends it."""
        depth = 0
        while self.i < len(self.toks):
            t = self.at().text
            if depth == 0 and t in (",", "}", ";"):
                return
            depth += t in ("{", "(", "[")
            depth -= t in ("}", ")", "]")
            self.i += 1

    def hash_literal(self) -> dict[str, Any]:
        """``{ key => value, ... }``; values it cannot evaluate are left out."""
        line = self.at().line
        self.expect("{")
        out: dict[str, Any] = {}
        while self.i < len(self.toks) and self.at().text != "}":
            key_tok = self.at()
            self.i += 1
            if self.at().text != "=>":
                raise Unreadable(f"not a hash at line {key_tok.line}")
            self.i += 1
            start = self.i
            try:
                out[string_value(key_tok, self.env) if key_tok.kind in ("sq", "dq") else key_tok.text] = self.expr()
            except Unreadable:
                self.i = start
                self.skip_value()
            if self.at().text == ",":
                self.i += 1
        self.expect("}")
        if "_description" in out or "_id" in out:
            self.hashes.append((line, out))
        return out

    def statement(self) -> None:
        """One step: a variable assignment, a hash literal, a ``->{_key} = value`` assignment, or one token."""
        tok, nxt = self.at(), self.at(1)
        start = self.i
        try:
            if tok.kind == "var" and nxt.text in ("=", ".="):
                self.i += 2
                value = self.expr()
                self.env[tok.text] = (str(self.env.get(tok.text) or "") + str(value or "")) if nxt.text == ".=" \
                    else value
                return
            if tok.text == "{" and nxt.kind == "word" and nxt.text.startswith("_") and self.at(2).text == "}" \
                    and self.at(3).text == "=":
                self.i += 4
                self.assigned.append((tok.line, nxt.text, self.expr()))
                return
            if tok.text == "{" and self.toks[self.i - 1].text in ("=", "(", ",") and self.i > 0:
                self.hash_literal()
                return
        except Unreadable:
            self.i = start
        self.i += 1

    def read(self) -> Reader:
        while self.i < len(self.toks):
            self.statement()
        return self


def read_module(source: str) -> Reader:
    return Reader(tokens(source)).read()


# --- which values are captured from real devices (one rule per row class) ----------------------------------------

_INVENTED = re.compile(r"^\s*my\s|\b(?:bogus|dummy|fake|foo|test(?:ing)?)\b|x{4,}", re.I)
_RUN = re.compile(r"0123|1234|2345|3456|4567|5678|6789|abcd|bcde|cdef", re.I)


def placeholder_descr(text: Any) -> bool:
    """sysDescr: invented when empty, a single word without a digit (a host name: no device facts; a version string
    such as ``ONEOS5-VOIP_H323-V4.3R4E18`` is one word and kept), written as the author's own
    ("My Allied hub ...", "My Bogus ... Description", "My Name ..."), or saying bogus/dummy/test/XXXX. A real
    string with its host name redacted ("Linux hostname 2.6.39 ...", "pfSense my.dnsname.domain ...") is kept:
    real recordings are redacted the same way."""
    if not isinstance(text, str) or not text.strip():
        return True
    return (len(text.split()) < 2 and not re.search(r"\d", text)) or bool(_INVENTED.search(text))


def placeholder_oid(oid: Any, answered: set[str]) -> bool:
    """sysObjectID: invented when it is not under 1.3.6.1.4.1 (``.100.3.6...``), or when it is a bare enterprise
    number (``.1.3.6.1.4.1.9``) that no recorded device of the other corpora answers (``answered``): a product's
    OID sits below its maker's number, and the bare number is what an author writes who has no device at hand.
    Bare numbers real devices do answer (Cumulus's 40310, Vyatta's 30803) are kept."""
    text = str(oid or "").lstrip(".")
    if not re.fullmatch(r"1\.3\.6\.1\.4\.1\.\d+(?:\.\d+)*", text):
        return True
    return text.count(".") == 6 and text not in answered


def placeholder_serial(serial: Any) -> bool:
    """ENTITY serial (and any ENTITY value): invented when it holds a run of consecutive digits or letters
    (``123456ABC``, ``12345``, ``ABC1234D56E``) or XXXX; a real serial (``CT24227201ZQ``) is kept."""
    return bool(_RUN.search(str(serial))) or bool(re.search(r"x{4,}", str(serial), re.I))


def placeholder_mac(value: Any) -> bool:
    """MAC: invented when its hex holds a run of consecutive digits (``0123456789AB``, ``00140D123456``: even with
    a real OUI the device part is made up) or six zeros."""
    hexed = value.hex() if isinstance(value, bytes) else str(value)
    return not hexed or bool(_RUN.search(hexed)) or "000000" in hexed


# --- items -> rows ----------------------------------------------------------------------------------------------

def _class_of(path: str) -> str:
    """``xt/lib/Test/SNMP/Info/Layer3/Huawei.pm`` -> ``Layer3::Huawei`` (the snmp-info class the test is for)."""
    return path[len(UNDER) + 1: -len(".pm")].replace("/", "::")


def _objects(item: dict[str, Any], answered: set[str], dropped: dict[str, int]) -> list[tuple[str, Any, str]]:
    """The item's values that pass their class's rule, as (OID, value, type) objects for ``recordings.facts``;
    ``dropped`` counts the values left out, per class."""
    from collectors.vendor import recordings

    def keep(kind: str, bad: bool) -> bool:
        dropped[kind] = dropped.get(kind, 0) + bad
        return not bad

    objects: list[tuple[str, Any, str]] = []
    if "_description" in item and keep("sysDescr", placeholder_descr(item["_description"])):
        objects.append((recordings.SYS_DESCR, item["_description"].strip(), "perl"))
    if "_id" in item and keep("sysObjectID", placeholder_oid(item["_id"], answered)):
        objects.append((recordings.SYS_OBJECT_ID, str(item["_id"]).lstrip("."), "perl"))
    store = item.get("store") if isinstance(item.get("store"), dict) else {}
    entity = [(key, str(index), value) for key, column in ENTITY_KEYS.items() if isinstance(store.get(key), dict)
              for index, value in store[key].items() if value not in (None, "")]
    kept = [(key, index, value) for key, index, value in entity
            if key == "e_class" or keep(f"ENTITY {key}", placeholder_serial(value))]
    named = {index for key, index, _ in kept if key != "e_class"}  # a class alone names nothing: not a row
    objects += [(f"{recordings.ENT}{ENTITY_KEYS[key]}.{index}", value, "perl") for key, index, value in kept
                if index in named]
    macs = [(recordings.BRIDGE_ADDRESS, item.get("_b_mac"))] if item.get("_b_mac") is not None else []
    i_mac = store.get("i_mac") if isinstance(store.get("i_mac"), dict) else {}
    macs += [(f"{recordings.IF_PHYS_ADDRESS}.{i}", v) for i, v in i_mac.items() if v]
    objects += [(oid, "0x" + v.hex() if isinstance(v, bytes) else v, "perl") for oid, v in macs
                if keep("MAC", placeholder_mac(v))]
    return objects


def items(reader: Reader) -> Iterator[tuple[int, str, dict[str, Any]]]:
    """(line, kind, cache) of one module: its hash literals that set an identity (``cache``), then each sysDescr a
    test assigns on its own (``descr``: no sysObjectID). A repeated sysDescr or hash is one item."""
    seen_pairs: set[tuple[str, str]] = set()
    seen_descr: set[str] = set()
    for line, item in reader.hashes:
        descr, oid = _words(item.get("_description")), str(item.get("_id"))
        if (descr, oid) not in seen_pairs:
            seen_pairs.add((descr, oid))
            seen_descr.add(descr)
            yield line, "cache", item
    for line, key, value in reader.assigned:
        if key == "_description" and _words(value) not in seen_descr:
            seen_descr.add(_words(value))
            yield line, "descr", {"_description": value}


def _words(text: Any) -> str:
    """A sysDescr compared by its words: the same text with other spacing or line ends is the same device's."""
    return " ".join(str(text).split())


def module_rows(gitdir: str, commit: str, repo: str, path: str, vendor_oids: set[str], answered: set[str],
                dropped: dict[str, int]) -> Iterator[dict[str, Any]]:
    from collectors.vendor import recordings

    for line, kind, item in items(read_module(W._show(gitdir, commit, path) or "")):
        rec = recordings.facts(_objects(item, answered, dropped), vendor_oids)
        if W._identity(rec):
            row = B._row(repo, commit, path, kind, _class_of(path), rec)
            yield {**row, "id": f"{row['id']}#L{line}", "line": line}


def _corpus_rows() -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for name in ("librenms.jsonl", "walks.jsonl", "blind.jsonl"):
        rows += B.load_rows(OUT / name)
    return rows


def not_new(row: dict[str, Any], others: list[dict[str, Any]]) -> bool:
    """Is the row's device in another corpus? Same sysDescr and sysObjectID; a sysDescr-only row: same sysDescr."""
    descr, oid = row.get("sys_descr"), row.get("sys_object_id")
    return any(o.get("sys_descr") == descr and (oid is None or o.get("sys_object_id") == oid)
               for o in others if descr is not None) or \
        (descr is None and any(o.get("sys_object_id") == oid and not o.get("sys_descr") for o in others))


def build(gitdir: str) -> None:
    from collectors.vendor.kb import load_kb

    oids = {v.oid for v in load_kb().vendor_oids}
    others = _corpus_rows()
    answered = {str(r.get("sys_object_id")) for r in others if r.get("sys_object_id")}
    commit = W._git(gitdir, "rev-parse", "HEAD").strip()
    repo = W._repo_of(gitdir)
    dropped: dict[str, int] = {}
    found = [r for path in W._git(gitdir, "ls-tree", "-r", "--name-only", commit, UNDER).split()
             if path.endswith(".pm") for r in module_rows(gitdir, commit, repo, path, oids, answered, dropped)]
    rows = [r for r in found if not not_new(r, others)]
    with ROWS.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")
    _sources(rows, len(found) - len(rows), dropped)
    print(f"{len(rows)} rows -> {ROWS} ({len(found) - len(rows)} left out: in another corpus; values left out as "
          f"invented: {json.dumps(dict(sorted(dropped.items())))})")


def _sources(rows: list[dict[str, Any]], known: int, dropped: dict[str, int]) -> None:
    commits = sorted({(r["source_repo"], r["commit"]) for r in rows})
    lines = [SOURCES_BEGIN,
             f"snmpinfo.jsonl: {len(rows)} devices' answers as netdisco/snmp-info's per-class tests mock them, the "
             "values copied from real devices only, trimmed to the objects netcomply reads "
             "(collectors.vendor.recordings), labelled by the maker the test class is for (snmpinfo_labels.yaml):"]
    lines += [f"  {len(rows):4d} from repository {repo}, commit {commit}, paths {UNDER}/**/<class>.pm (the test "
              "module's caches: '_description', '_id', ENTITY 'e_*', MACs; each row's 'path' and 'line')."
              for repo, commit in commits]
    lines += [f"  Left out: {known} devices also in librenms.jsonl, walks.jsonl or blind.jsonl; values invented for "
              "the test (tools/vendor_corpus_snmpinfo.py placeholder_* rules): "
              + ", ".join(f"{n} {k}" for k, n in sorted(dropped.items()) if n) + ".",
              "Re-build: .venv/bin/python tools/vendor_corpus_snmpinfo.py build <snmp-info git dir>",
              SOURCES_END]
    load_tool("vendor_corpus").set_delimited_block(SOURCES_BEGIN, SOURCES_END, "\n".join(lines) + "\n")


def load_rows(path: Path = ROWS) -> list[dict[str, Any]]:
    """The rows, each with the label spelling ``snmpinfo_labels.yaml`` gives it: its class, the row's own (and a
    second brand that counts), or none for a class of software that runs on anyone's hardware (``not_makers``)."""
    import yaml

    doc = yaml.safe_load(LABELS.read_text(encoding="utf-8"))
    own = {str(k): v for k, v in (doc.get("rows") or {}).items()}
    not_makers = set(doc.get("not_makers") or ())
    out = []
    for row in B.load_rows(path):
        mine = own.get(row["id"]) or {}
        label = None if row["label"] in not_makers else mine.get("label", row["label"])
        out.append({**row, "label": label, **({"label_brand": mine["brand"]} if mine.get("brand") else {})})
    return out


def load_labels() -> Any:
    return B.load_labels(LABELS)


def measures() -> dict[str, Any]:
    """Whole rows and partial answers (``tools/vendor_partial.partial``: no sysObjectID, no numbers)."""
    from collectors.vendor import corpus
    from collectors.vendor.kb import load_kb

    kb, rows, labels = load_kb(), load_rows(), load_labels()
    partial = load_tool("vendor_partial")
    return {"whole": corpus.measure_walks(kb, rows, labels),
            "partial": corpus.measure_walks(kb, [partial.partial(r) for r in rows], labels)}


def measure() -> dict[str, Any]:
    """Aggregate figures only: the blind measure printed these and nothing about which row missed."""
    partial = load_tool("vendor_partial")
    return {name: {**B.figures(m)["all"], **{k: v for k, v in partial.figures(m).items() if k.startswith("prc_")}}
            for name, m in measures().items()}


def main(argv: list[str]) -> None:
    if argv[:1] == ["build"] and len(argv) == 2:
        build(argv[1])
    elif argv[:1] == ["measure"]:
        print(json.dumps(measure(), indent=1))
    elif argv[:1] == ["report"]:
        print(load_tool("vendor_snmpinfo_report").write())
    else:
        print(__doc__)
        raise SystemExit(2)


if __name__ == "__main__":
    main(sys.argv[1:])
