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

import functools
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
            fmt = self.expr()
            self.expect(",")
            data = self.expr()
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
                value = self.expr()
                if self.at().text not in (",", "}"):  # more follows (arithmetic, a method call): not a value
                    raise Unreadable(self.at().text)
                out[string_value(key_tok, self.env) if key_tok.kind in ("sq", "dq") else key_tok.text] = value
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


class Kept:
    """Applies the rules to one value at a time and counts, per class of value, the values left out as invented."""

    def __init__(self, dropped: dict[str, int]) -> None:
        self.dropped = dropped

    def __call__(self, kind: str, invented: bool) -> bool:
        self.dropped[kind] = self.dropped.get(kind, 0) + invented
        return not invented


def _store(item: dict[str, Any], key: str) -> dict[Any, Any]:
    store = item.get("store")
    value = store.get(key) if isinstance(store, dict) else None
    return value if isinstance(value, dict) else {}


def _entity_objects(item: dict[str, Any], keep: Kept) -> list[tuple[str, Any, str]]:
    """ENTITY-MIB columns of the cache's store whose values pass :func:`placeholder_serial`; an index left with
    its class alone names nothing and is not a row."""
    from collectors.vendor import recordings

    entity = [(key, str(index), value) for key in ENTITY_KEYS for index, value in _store(item, key).items()
              if value not in (None, "")]
    kept = [(key, index, value) for key, index, value in entity
            if key == "e_class" or keep(f"ENTITY {key}", placeholder_serial(value))]
    named = {index for key, index, _ in kept if key != "e_class"}
    return [(f"{recordings.ENT}{ENTITY_KEYS[key]}.{index}", value, "perl") for key, index, value in kept
            if index in named]


def _mac_objects(item: dict[str, Any], keep: Kept) -> list[tuple[str, Any, str]]:
    """The bridge address and ifPhysAddress rows that pass :func:`placeholder_mac`."""
    from collectors.vendor import recordings

    macs = [(recordings.BRIDGE_ADDRESS, item.get("_b_mac"))] if item.get("_b_mac") is not None else []
    macs += [(f"{recordings.IF_PHYS_ADDRESS}.{i}", v) for i, v in _store(item, "i_mac").items() if v]
    return [(oid, "0x" + v.hex() if isinstance(v, bytes) else v, "perl") for oid, v in macs
            if keep("MAC", placeholder_mac(v))]


def _objects(item: dict[str, Any], answered: set[str], dropped: dict[str, int]) -> list[tuple[str, Any, str]]:
    """The item's values that pass their class's rule, as (OID, value, type) objects for ``recordings.facts``;
    ``dropped`` counts the values left out, per class."""
    from collectors.vendor import recordings

    keep = Kept(dropped)
    objects: list[tuple[str, Any, str]] = []
    if "_description" in item and keep("sysDescr", placeholder_descr(item["_description"])):
        objects.append((recordings.SYS_DESCR, item["_description"].strip(), "perl"))
    if "_id" in item and keep("sysObjectID", placeholder_oid(item["_id"], answered)):
        objects.append((recordings.SYS_OBJECT_ID, str(item["_id"]).lstrip("."), "perl"))
    return objects + _entity_objects(item, keep) + _mac_objects(item, keep)


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


def rows_of(gitdir: str) -> tuple[list[dict[str, Any]], int, dict[str, int]]:
    """The corpus rows of one snmp-info git directory (its HEAD), how many devices were left out as already in
    another corpus, and how many values of each class were left out as invented. Reads only the git directory and
    the other corpora: the same inputs give the same rows."""
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
    return rows, len(found) - len(rows), dropped


def jsonl(rows: list[dict[str, Any]]) -> str:
    return "".join(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n" for row in rows)


def build(gitdir: str) -> None:
    rows, known, dropped = rows_of(gitdir)
    ROWS.write_text(jsonl(rows), encoding="utf-8")
    _sources(rows, known, dropped)
    print(f"{len(rows)} rows -> {ROWS} ({known} left out: in another corpus; values left out as invented: "
          f"{json.dumps(dict(sorted(dropped.items())))})")


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


# --- the report (docs/vendor-snmpinfo-corpus.md) -------------------------------------------------------------

#: The blind measure: printed once by ``measure`` in a clean worktree of the commit that added the corpus, before
#: any verdict on a row was looked at. Kept here because it cannot be measured again (the misses have been read).
BLIND_COMMIT = "4ef56e829c325491398d755c46516ad4b7f4beb6"
BLIND = {"whole": {"labelled": 104, "brand_right": 97, "unknown": 3, "prc_wrong": 0, "prc_needs_review": 7,
                   "prc_labelled": 9, "prc_yes": 8, "prc_unknown": 1, "prc_no": 0},
         "partial": {"labelled": 104, "brand_right": 72, "unknown": 30, "prc_wrong": 0, "prc_needs_review": 2,
                     "prc_labelled": 9, "prc_yes": 8, "prc_unknown": 1, "prc_no": 0}}
#: A sysDescr that is an operating system's own line (kernel, distribution): it names the software, not the box.
_OS_LINE = re.compile(r"^\s*(?:Linux|FreeBSD|NetBSD|OpenBSD|SunOS)\s+\S+\s+\d", re.I)
CAUSES = {
    "nothing": "unknown, and the answer holds no words (its sysDescr was invented and left out)",
    "registrant": "named the registrant of the sysObjectID's enterprise number, not the brand it belongs to now",
    "other-maker": "named another maker from the words (a product word another maker's pattern matches)",
    "name-not-read": "the labelled maker's name is in the words but was not read",
    "os-line": "the words are an operating system's kernel line: the maker is absent from all text",
    "product-line": "the maker's name is absent; the words name a product line or model only",
}


def cause(o: Any) -> str:
    """A miss's general cause, from what the row held and what was said (never from the label beyond its names)."""
    from collectors.vendor.pen import name_key

    words = " ".join(str(v) for v in (o.row.get("sys_descr"), *[e.get("descr") or e.get("model_name") or ""
                                                               for e in o.row.get("entity") or []]) if v)
    if o.verdict.brand is not None:
        decided = {e.signal for e in o.verdict.evidence if e.brand or e.manufacturer}
        return "registrant" if decided == {"snmp.sysObjectID"} else "other-maker"
    if not words.strip():
        return "nothing"
    squeezed = name_key(words).replace(" ", "")
    if any(len(k) > 2 and k in squeezed for k in (name_key(n).replace(" ", "") for n in o.label.accept)):
        return "name-not-read"
    return "os-line" if _OS_LINE.search(words) else "product-line"


def held_out(vendor: str | None) -> bool:
    """Is the vendor in a held-out family (``corpus.holdout``)? Its own name, or the vendor LibreNMS's labels
    (``label_vendors.yaml``) file it under: an OS key naming it (``sixnet: Red Lion``) or a vendor listing it as an
    alias (``Cisco: [..., Linksys]``). Such rows stay blind here as in the LibreNMS corpus."""
    from collectors.vendor import corpus
    from collectors.vendor.pen import name_key

    if vendor is None:
        return False
    labels = _librenms_labels()
    key = name_key(vendor)
    under = {str(v) for k, v in labels.vendors.items() if v and name_key(str(k)) == key}
    under |= {str(k) for k, names in labels.aliases.items() if key in {name_key(str(n)) for n in names or ()}}
    return corpus.holdout(vendor) or any(corpus.holdout(v) for v in under)


@functools.cache
def _librenms_labels() -> Any:
    from collectors.vendor import corpus

    return corpus.load_labels()


def _parts(m: Any) -> dict[str, Any]:
    from collectors.vendor import corpus

    return {"all": m,
            "test caches (sysDescr + sysObjectID as the test pairs them)": corpus.Measure(
                [o for o in m.outcomes if o.row["kind"] == "cache"]),
            "sysDescr a test assigns alone": corpus.Measure([o for o in m.outcomes if o.row["kind"] == "descr"]),
            "held-out families (held_out)": corpus.Measure([o for o in m.outcomes if held_out(o.label.vendor)]),
            "tuned families": corpus.Measure([o for o in m.outcomes if not held_out(o.label.vendor)])}


def _figure_line(name: str, f: dict[str, Any]) -> str:
    lab = f["labelled"]
    return (f"| {name} | {lab} | {f['brand_right']} ({W._pct(f['brand_right'], lab)}) | {f['unknown']} | "
            f"{lab - f['brand_right'] - f['unknown']} | {f['prc_wrong']} | {f['prc_needs_review']} | "
            f"{f['prc_labelled']}: {f['prc_yes']} / {f['prc_unknown']} / {f['prc_no']} |")


_HEAD = ("| part | labelled | brand right | unknown | other brand | PRC wrong | PRC needs review | "
         "PRC-labelled: yes / unknown / no |\n|---|---|---|---|---|---|---|---|")


def _cause_table(ms: dict[str, Any]) -> list[str]:
    """Misses per cause, whole rows and partial answers; held-out families counted apart and never listed."""

    lines = ["| cause | whole: tuned | whole: held-out | partial: tuned | partial: held-out |", "|---|---|---|---|---|"]
    counts: dict[tuple[str, str, bool], int] = {}
    for name, m in ms.items():
        for o in m.labelled():
            if not o.right:
                key = (cause(o), name, held_out(o.label.vendor))
                counts[key] = counts.get(key, 0) + 1
    for c, text in CAUSES.items():
        cells = [counts.get((c, n, h), 0) for n in ("whole", "partial") for h in (False, True)]
        lines.append(f"| {text} | " + " | ".join(str(x) for x in cells) + " |")
    return lines


def _tuned_misses(ms: dict[str, Any]) -> list[str]:

    lines = ["| answer | row | label | netcomply | cause | sysDescr (head) | sysObjectID |",
             "|---|---|---|---|---|---|---|"]
    for name, m in ms.items():
        for o in sorted(m.labelled(), key=lambda o: o.row["id"]):
            if not o.right and not held_out(o.label.vendor):
                lines.append(f"| {name} | {o.row['id'].split('/Info/', 1)[-1]} | {o.label.vendor} | "
                             f"{o.verdict.brand or '(unknown)'} | {cause(o)} | {W._cell(o.row.get('sys_descr'), 60)} |"
                             f" {o.row.get('sys_object_id') or '-'} |")
    return lines


def _left_out() -> str:
    block = (OUT / "SOURCES").read_text(encoding="utf-8").split(SOURCES_BEGIN, 1)[-1].split(SOURCES_END, 1)[0]
    return next((ln.strip() for ln in block.splitlines() if ln.strip().startswith("Left out:")), "")


def write() -> str:
    """Measure now and write the report; the blind figures are :data:`BLIND`."""
    partial = load_tool("vendor_partial")
    ms = measures()
    rows = load_rows()
    now = {name: {n: partial.figures(part) | {"prc_needs_review": part.summary()["prc_needs_review"]}
                  for n, part in _parts(m).items()} for name, m in ms.items()}
    kinds = {k: sum(r["kind"] == k for r in rows) for k in ("cache", "descr")}
    text = "\n".join([
        "# Vendor identification on the snmp-info corpus (generated)",
        "",
        "Generated by `.venv/bin/python tools/vendor_corpus_snmpinfo.py report`; do not edit by hand.",
        "",
        "netdisco/snmp-info is netdisco's SNMP library: one device class per vendor family, and per class a test",
        "module (`xt/lib/Test/SNMP/Info/<class>.pm`) that fills a cache with what such a device answers. Nobody here",
        "wrote it or tuned identification on it. The corpus was built and labelled, then measured **once**, blind;",
        "only then were its misses read (it is now a development corpus, except its held-out families: their",
        "misses are counted, not listed; the first listing of misses, before this rule was applied here, did show",
        "them, and no proposal of round 8 rests on them).",
        "",
        f"- Rows: `tests/vendor/corpus/snmpinfo.jsonl`, {len(rows)} devices ({kinds['cache']} test caches, "
        f"{kinds['descr']} sysDescrs a test assigns alone, kept without sysObjectID), in the shape of "
        "`blind.jsonl` rows, each naming repository, path, line and commit (SOURCES, block `snmpinfo.jsonl`).",
        "- Values kept: only those evidently copied from a real device, one rule per class of value "
        "(`placeholder_descr`, `placeholder_oid`, `placeholder_serial`, `placeholder_mac` in the builder): a sysDescr "
        "is dropped when empty, a single word without a digit, the author's own (`My ...`) or saying bogus/dummy/"
        "test/XXXX (host names redacted inside a real string are kept); a sysObjectID when not under 1.3.6.1.4.1 or "
        "a bare enterprise number no recorded device of the other corpora answers; an ENTITY value when it holds a "
        "run of consecutive digits or letters (`12345`, `123456ABC`); a MAC likewise or with six zeros. A row "
        "with nothing left is dropped. " + _left_out(),
        "- The brief also named `xt/fixtures/*.json`: no commit of the repository holds such files.",
        "- Labels: `tests/vendor/corpus/snmpinfo_labels.yaml`: the class -> maker, PRC status and reason, written "
        "from class names, the vendor each test expects (`vendor()`), and company facts, before any verdict; four "
        "classes of software that runs on anyone's hardware are unlabelled (net-snmp, pfSense, VyOS, Broadcom EFOS).",
        "",
        "## Figures, measured once, blind",
        "",
        f"At netcomply `{BLIND_COMMIT}` (the commit adding the corpus, a clean worktree of it), `measure`. Partial",
        "answers: each row without its numbers (sysObjectID, enterprises, engine id; `tools/vendor_partial.py`).",
        "",
        _HEAD,
        *[_figure_line(name, f) for name, f in BLIND.items()],
        "",
        "## Figures now",
        "",
        _HEAD,
        *[_figure_line(f"{name}: {part}", f) for name, parts in now.items() for part, f in parts.items()],
        "",
        "## Misses by cause",
        "",
        "Counts per general cause (computed by `cause()` from what a row held and what was said). Held-out",
        "families (`held_out`: `corpus.holdout` of the label's vendor, or of the vendor LibreNMS's labels file",
        "it under) are counted, never listed.",
        "",
        *_cause_table(ms),
        "",
        "## Misses of the tuned families (development corpus)",
        "",
        *_tuned_misses(ms),
        "",
    ])
    DOC.write_text(text, encoding="utf-8")
    w = now["whole"]["all"]
    return (f"whole: {w['brand_right']}/{w['labelled']} right, {w['unknown']} unknown, PRC wrong {w['prc_wrong']} "
            f"-> {DOC}")


def main(argv: list[str]) -> None:
    if argv[:1] == ["build"] and len(argv) == 2:
        build(argv[1])
    elif argv[:1] == ["measure"]:
        print(json.dumps(measure(), indent=1))
    elif argv[:1] == ["report"]:
        print(write())
    else:
        print(__doc__)
        raise SystemExit(2)


if __name__ == "__main__":
    main(sys.argv[1:])
