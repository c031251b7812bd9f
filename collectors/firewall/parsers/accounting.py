"""Parse-coverage accounting: every rule-like line of a text input is either the origin of a parsed rule or
listed as not read, with why. A parser can then never drop a rule silently.

Why a second pass: the parsers are built for meaning (objects, groups, chains, edits) and a gap in one of them
used to vanish without trace (rules in chains created with ``-N``, ``access-list NAME extended`` lines in IOS
files, filter terms beside security policies). These rules only say which lines *are* rules, per format, in
a few lines each; a rule-like line that no parsed rule came from becomes an ``unparsed`` rule in a rule set
of its own, so it lowers the parse coverage and is listed with its line.

A line counts once: a rule's first line (Junos and PAN-OS ``set`` rules span many lines; the first one names
it), FortiOS ``edit`` lines in policy tables (a ``delete`` removes the entry, a re-``edit`` is the same entry),
iptables ``-A``/``--append``/``-I`` lines in every table, Cisco ACL entries (not remarks).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from collectors.firewall.model import Action, ParseStatus, Provenance, Rule, RuleSet

_IOS_ENTRY = re.compile(r"^\s+(?:\d+\s+)?(?:permit|deny)\b")
_IOS_HEAD = re.compile(r"^(?:(?:Standard|Extended|Reflexive) IP access list |IP access list |IPv6 access list |"
                       r"ipv6 access-list |ip access-list |access-list \S+ (?:extended|standard)\s*$)")
_IOS_LINE = re.compile(r"^access-list \S+ (?:(?:extended|standard) )?(?:permit|deny)\b")
_ASA_LINE = re.compile(r"^access-list \S+ (?:line \d+ )?(?:(?:extended|standard|webtype|ethertype|advanced) )?"
                       r"(?:permit|deny)\b")
_IPT_LINE = re.compile(r"^(?:\[\d+:\d+\]\s+)?(?:(?:sudo\s+)?\S*ip6?tables\s+(?:-t\s+\S+\s+)?)?"
                       r"(?:-A|--append|-I|--insert)\s+\S+")
_FORTI_TABLES = {"config firewall policy", "config firewall policy6", "config firewall local-in-policy",
                 "config firewall local-in-policy6"}
_JUNOS_RULE = re.compile(r"^set (?:security policies (?:from-zone \S+ to-zone \S+|global) policy (\S+)|"
                         r"firewall (?:family \S+ )?filter \S+ term (\S+))")
_PANOS_RULE = re.compile(r"^set (?:(?:vsys|device-group) (\S+) )?(?:pre-|post-)?rulebase security rules "
                         r"(\"[^\"]*\"|\S+)")
_PANOS_SHOW = re.compile(r'^"[^"]+" \{\s*$')


def _ios(lines: list[str]) -> list[int]:
    out, in_acl = [], False
    for k, line in enumerate(lines, 1):
        if _IOS_HEAD.match(line):
            in_acl = True
        elif _IOS_LINE.match(line) or (in_acl and _IOS_ENTRY.match(line)):
            out.append(k)
        elif line.strip() and not line[:1].isspace():
            in_acl = False
    return out


def _asa(lines: list[str]) -> list[int]:
    return [k for k, line in enumerate(lines, 1) if _ASA_LINE.match(line)]


def _iptables(lines: list[str]) -> list[int]:
    return [k for k, line in enumerate(lines, 1) if _IPT_LINE.match(line.strip())]


class _FortiTables:
    """The policy tables of a FortiOS file, entry name -> the line of the ``edit`` that made it."""

    def __init__(self) -> None:
        self.stack: list[str] = []
        self.tables: list[dict[str, int]] = []

    @property
    def table(self) -> dict[str, int] | None:
        """The table whose entries are being listed (inside ``config firewall policy``, not inside an entry)."""
        return self.tables[-1] if self.stack and self.stack[-1] in _FORTI_TABLES and self.tables else None

    def line(self, k: int, verb: str, arg: str, text: str) -> None:
        table = self.table
        if verb == "config":
            self.stack.append(text)
            if text in _FORTI_TABLES:
                self.tables.append({})
        elif verb == "edit":
            if table is not None:
                table.setdefault(arg, k)
            self.stack.append("edit")
        elif verb in ("next", "end"):
            if self.stack:
                self.stack.pop()
        elif table is not None:
            self.change(table, k, verb, arg)

    @staticmethod
    def change(table: dict[str, int], k: int, verb: str, arg: str) -> None:
        names = arg.split()
        if verb == "delete":
            table.pop(arg, None)
        elif verb == "purge":
            table.clear()
        elif verb == "clone" and len(names) == 3 and names[1] == "to" and names[0] in table \
                and names[2] not in table:
            table[names[2]] = k


def _fortinet(lines: list[str]) -> list[int]:
    """``edit`` lines right inside a policy table, net of ``delete``/``purge``, plus ``clone`` targets."""
    tables = _FortiTables()
    for k, raw in enumerate(lines, 1):
        text = raw.strip()
        if not text or text[:4] == "set " or text[0] == "#":
            continue  # the bulk of a configuration: fields, never entries
        words = text.split(None, 1)
        tables.line(k, words[0], words[1].replace('"', "").strip() if len(words) > 1 else "", text)
    return sorted(k for t in tables.tables for k in t.values())


def _junos(lines: list[str]) -> list[int]:
    first: dict[str, int] = {}
    for k, raw in enumerate(lines, 1):
        line = raw.strip()
        if line.startswith("delete "):
            path = "set " + line[7:]
            first = {key: v for key, v in first.items() if not (key + " ").startswith(path + " ")}
            continue
        m = _JUNOS_RULE.match(line)
        if m:
            key = line[: m.end()]
            first.setdefault(key, k)
    return sorted(first.values())


def _panos(lines: list[str]) -> list[int]:
    if any(_PANOS_SHOW.match(line) for line in lines[:2000]):
        return [k for k, line in enumerate(lines, 1) if _PANOS_SHOW.match(line)]
    first: dict[tuple[str, str], int] = {}
    for k, raw in enumerate(lines, 1):
        line = raw.strip()
        if line.startswith("delete "):
            m = _PANOS_RULE.match("set " + line[7:])
            if m and line.rstrip().endswith(m[2]):
                first.pop((m[1] or "vsys1", m[2].strip('"')), None)
            continue
        m = _PANOS_RULE.match(line)
        if m:
            first.setdefault((m[1] or "vsys1", m[2].strip('"')), k)
    return sorted(first.values())


#: Per platform, the lines that are rules. Formats whose lines are not statements (XML, JSON, brace) are
#: accounted by their converters, which keep each rule's line.
COUNTERS: dict[str, Callable[[list[str]], list[int]]] = {
    "cisco_ios": _ios, "cisco_xe": _ios, "cisco_asa": _asa, "iptables": _iptables, "fortinet": _fortinet,
    "juniper_junos": _junos, "paloalto_panos": _panos,
}


def rule_lines(platform: str, text: str) -> list[int]:
    """The 1-based lines of ``text`` that are rules of ``platform`` (empty for formats not counted by line)."""
    stripped = text.lstrip()
    if stripped.startswith(("<", "{")) or platform not in COUNTERS:
        return []
    lines = text.splitlines()
    if platform in ("juniper_junos", "paloalto_panos") and not any(
            line.startswith(("set ", '"')) for line in lines[:5000]):
        return []  # brace form: accounted by the converter
    return COUNTERS[platform](lines)


def covered_lines(sets: list[RuleSet]) -> set[int]:
    out: set[int] = set()
    for rs in sets:
        out.update(rs.extra.get("accounted_lines", ()))
        for r in rs.rules:
            out.add(r.provenance.line)
            out.update(r.extra.get("via", ()))
    return out


def account(sets: list[RuleSet], text: str, platform: str, source: str) -> list[RuleSet]:
    """``sets`` plus, when some rule-like lines made no rule, a rule set ``not read`` holding them unparsed."""
    missing = sorted(set(rule_lines(platform, text)) - covered_lines(sets))
    if not missing:
        return sets
    lines = text.splitlines()
    rs = RuleSet("not read", platform, source, default_action=Action.OTHER,
                 extra={"role": "unread rule lines"})
    for i, k in enumerate(missing):
        body = lines[k - 1].strip()
        action = Action.PERMIT if " permit " in f" {body} " or "ACCEPT" in body else \
            Action.DENY if " deny " in f" {body} " or "DROP" in body else Action.OTHER
        rs.rules.append(Rule(i, f"line {k}", action, Provenance(source, k, body[:500]), status=ParseStatus.UNPARSED,
                             reason=f"a {platform} rule line that the parser did not read"))
    return [*sets, rs]
