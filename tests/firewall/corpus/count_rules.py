"""An independent count of the rules in each corpus file, by a simple per-format rule, written without the
parsers (no object resolution, no chains, no semantics): what a person would count by eye.

* Cisco IOS/ASA: ACL entries (``permit``/``deny`` lines of an ACL, one-line ``access-list`` entries), not
  remarks; the indented expansions of ASA ``show access-list`` are not entries.
* FortiOS: ``edit`` entries directly inside ``config firewall policy|policy6|local-in-policy|local-in-policy6``,
  less those a later ``delete`` removes.
* Junos: distinct security policies (zone pair or global, name) and filter terms (family, filter, name), in
  ``set`` form, brace form (XML: ``<policy>`` and ``<term>`` elements), less those ``delete``/``replace:`` drop.
* PAN-OS: distinct security rules per vsys (``set``), ``<entry>`` elements under ``rulebase/security/rules``
  (XML), rule headers of ``show running security-policy``.
* iptables: ``-A``/``--append``/``-I`` lines of every table.
* nftables (native text): statements inside chain blocks, less the chain's type/policy lines.

Used once to write ``manifest.json`` (and re-run by the test to check the manifest still says what the files
say); the parsers must then produce exactly this many rules from each file.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

_ACL_HEAD = re.compile(r"^(?:(?:Standard|Extended|Reflexive) IP access list |IP access list |IPv6 access list |"
                       r"ipv6 access-list |ip access-list |access-list \S+ (?:extended|standard)\s*$)")


def cisco(text: str) -> int:
    n, in_acl = 0, False
    for line in text.splitlines():
        if _ACL_HEAD.match(line):
            in_acl = True
            continue
        if re.match(r"^access-list \S+ (?:line \d+ )?(?:(?:extended|standard|webtype|ethertype) )?(?:permit|deny)\b",
                    line):
            n += 1
            continue
        if line[:1].isspace():
            if in_acl and re.match(r"^\s+(?:\d+\s+)?(?:permit|deny)\b", line):
                n += 1
        elif line.strip():
            in_acl = False
    return n


def fortinet(text: str) -> int:
    tables = ("config firewall policy", "config firewall policy6", "config firewall local-in-policy",
              "config firewall local-in-policy6")
    depth: list[str] = []
    found: list[set[str]] = []
    for raw in text.splitlines():
        line = raw.strip()
        word, _, arg = line.partition(" ")
        if word == "config":
            depth.append(line)
            if line in tables:
                found.append(set())
        elif word == "edit":
            if depth and depth[-1] in tables:
                found[-1].add(arg.strip('"'))
            depth.append("edit")
        elif word in ("next", "end") and depth:
            depth.pop()
        elif word == "delete" and depth and depth[-1] in tables:
            found[-1].discard(arg.strip('"'))
        elif word == "clone" and depth and depth[-1] in tables:
            a = arg.replace('"', "").split()  # clone A to B: a new entry, when A exists and B does not
            if len(a) == 3 and a[0] in found[-1] and a[2] not in found[-1]:
                found[-1].add(a[2])
    return sum(len(s) for s in found)


def _brace_paths(text: str) -> list[tuple[str, ...]]:
    """The path of every block opened in a brace file (``replace:`` drops what the path held before)."""
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.DOTALL)
    paths: list[tuple[str, ...]] = []
    stack: list[str] = []
    for raw in text.splitlines():
        line = re.sub(r"(^|\s)#.*$", "", raw).strip()
        replace = line.startswith("replace:")
        line = re.sub(r"^(?:replace|inactive|protect):\s*", "", line)
        for part in re.findall(r"[^{};]+\{|\}|[^{};]+;", line):
            if part == "}":
                if stack:
                    stack.pop()
            elif part.endswith("{"):
                stack.append(part[:-1].strip())
                here = tuple(stack)
                if replace:
                    paths = [p for p in paths if p[: len(here)] != here]
                paths.append(here)
    return paths


def junos(text: str) -> int:
    body = text.lstrip()
    if body.startswith("<"):
        root = ET.fromstring(body)
        pol = sum(1 for p in root.iter("policies") for q in p.iter("policy") if q.find("name") is not None)
        terms = sum(1 for f in root.iter("filter") for t in f.findall("term"))
        return pol + terms
    if re.search(r"^set ", text, re.MULTILINE):
        keys: set[str] = set()
        for line in text.splitlines():
            line = line.strip()
            if line.startswith("delete "):
                keys = {k for k in keys if not k.startswith("set " + line[7:])}
            m = re.match(r"set (security policies (?:from-zone \S+ to-zone \S+|global) policy \S+|"
                         r"firewall (?:family \S+ )?filter \S+ term \S+)", line)
            if m:
                keys.add(m.group(0))
        return len(keys)
    seen = set()
    for p in _brace_paths(text):
        if (len(p) >= 2 and p[-1].startswith("policy ") and (p[-2].startswith("from-zone") or p[-2] == "global")) or (len(p) >= 2 and p[-1].startswith("term ") and p[-2].startswith("filter ")):
            seen.add(p)
    return len(seen)


def panos(text: str) -> int:
    body = text.lstrip()
    if body.startswith("<"):
        root = ET.fromstring(body)
        return sum(len(r.findall("entry")) for s in root.iter("security") for r in s.findall("rules"))
    if re.search(r'^"[^"]+" \{\s*$', text, re.MULTILINE):
        return len(re.findall(r'^"[^"]+" \{\s*$', text, re.MULTILINE))
    keys: set[tuple[str, str]] = set()
    for line in text.splitlines():
        m = re.match(r"(set|delete) (?:(?:vsys|device-group) (\S+) )?(?:pre-|post-)?rulebase security rules "
                     r"(\"[^\"]*\"|\S+)(.*)$", line.strip())
        if not m:
            continue
        key = (m[2] or "vsys1", m[3].strip('"'))
        if m[1] == "set":
            keys.add(key)
        elif not m[4].strip():
            keys.discard(key)
    return len(keys)


def iptables(text: str) -> int:
    return len(re.findall(r"^(?:\[\d+:\d+\]\s*)?(?:\S*ip6?tables\s+(?:-t\s+\S+\s+)?)?(?:-A|--append|-I|--insert)\s",
                          text, re.MULTILINE))


def nft(text: str) -> int:
    """Statements inside ``chain X { ... }`` blocks of ``nft list ruleset`` text, less the chain's own
    ``type``/``policy``/``comment``/``devices`` lines and anything inside set or map blocks."""
    n, depth, in_chain = 0, 0, False
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if depth == 1 and re.match(r"chain\s+\S+\s*\{", line):
            in_chain = True
        elif in_chain and depth == 2 and line != "}" and not re.match(r"(type|policy|comment|devices)\b", line):
            n += 1
        depth += line.count("{") - line.count("}")
        if depth <= 1:
            in_chain = False
    return n


COUNT = {"cisco_ios": cisco, "cisco_asa": cisco, "fortinet": fortinet, "juniper_junos": junos,
         "paloalto_panos": panos, "iptables": iptables, "nft": nft}
