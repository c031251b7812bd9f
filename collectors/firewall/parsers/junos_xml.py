"""Junos XML configuration (``show configuration | display xml``) -> the ``set`` statements it stands for.

Why translate: Junos itself defines ``display set`` as a flat rendering of the same hierarchy, so turning the
XML into those statements and reading them with :mod:`collectors.firewall.parsers.junos_set` gives one model of
security policies, address books, applications, zones, interfaces and static routes for both forms.

The rendering follows the Junos rules: an element with a ``<name>`` child is an identifier (``policy P``), a
leaf with text is ``keyword value``, an empty leaf is a keyword, ``inactive="inactive"`` becomes a
``deactivate`` statement. Where ``display set`` differs from the hierarchy: a zone pair's ``<from-zone-name>``/
``<to-zone-name>`` become ``from-zone A to-zone B``; ``<interfaces><interface>`` loses its keyword; an address's
``<ip-prefix>`` and a range's ``<range-high>`` are written without theirs. Each statement keeps the XML line it
came from, so a rule's provenance is the XML line of its policy and the equivalent ``set`` statement.
"""

from __future__ import annotations

import re
import shlex

from collectors.firewall.model import Provenance, RuleSet
from collectors.firewall.parsers import junos_set
from collectors.firewall.parsers.xmltree import Node, parse_xml
from netcomply.errors import InputError, InputProblem

#: Leaves ``display set`` writes without their keyword (``address A 192.0.2.0/24``, ``range-address X to Y``).
_IMPLICIT = {"ip-prefix", "range-high"}


def _word(value: str) -> str:
    value = value.strip()
    return shlex.quote(value) if not value or re.search(r"[\s\"'#;]", value) else value


def statements(node: Node, path: list[str], out: list[tuple[int, str, bool]]) -> None:
    """Append ``(xml line, statement words after set/deactivate, inactive)`` for ``node``'s subtree."""
    for child in node.children:
        if ":" in child.tag:  # junos:comment and other annotations
            continue
        inactive = child.attrs.get("inactive") == "inactive"
        kids = [c for c in child.children if ":" not in c.tag]
        name = next((c for c in kids if c.tag == "name"), None)
        rest = [c for c in kids if c.tag != "name"]
        if child.tag == "policy" and any(c.tag == "from-zone-name" for c in kids):
            zones = {c.tag: c.text.strip() for c in kids if c.tag in ("from-zone-name", "to-zone-name")}
            here = [*path, "from-zone", _word(zones.get("from-zone-name", "")), "to-zone",
                    _word(zones.get("to-zone-name", ""))]
            inner = Node(child.tag, child.line, child.attrs,
                          [c for c in kids if c.tag not in ("from-zone-name", "to-zone-name")])
            statements(inner, here, out)
            continue
        if name is not None and child.tag == "interface" and path == ["interfaces"]:
            here = [*path, _word(name.text)]  # set interfaces ge-0/0/0 ... (no "interface" keyword)
        elif name is not None:
            here = [*path, child.tag, _word(name.text)]
        elif child.tag in _IMPLICIT:
            here = list(path)
        else:
            here = [*path, child.tag]
        if inactive:
            out.append((child.line, " ".join(here), True))
        if rest:
            statements(Node(child.tag, child.line, child.attrs, rest), here, out)
        elif child.text.strip() and name is None:
            out.append((child.line, " ".join([*here, _word(child.text)]), False))
        else:
            out.append((child.line, " ".join(here), False))


def to_set(text: str, source: str) -> list[tuple[int, str]]:
    """The configuration as ``(xml line, "set ..." / "deactivate ...")`` pairs, in document order."""
    config = parse_xml(text, source, "Junos XML").find("configuration")
    if config is None:
        raise InputError(InputProblem(source, None, "no <configuration> element: expected the output of "
                                      "'show configuration | display xml'"))
    raw: list[tuple[int, str, bool]] = []
    statements(config, [], raw)
    return [(line, ("deactivate " if inactive else "set ") + words) for line, words, inactive in raw]


def parse(text: str, source: str) -> list[RuleSet]:
    return remap(to_set(text, source), source, "xml")


def remap(pairs: list[tuple[int, str]], source: str, form: str) -> list[RuleSet]:
    """Read ``(line, statement)`` pairs as a ``display set`` text; each rule keeps its line in the original."""
    flat = "\n".join(statement for _, statement in pairs)
    sets = junos_set.parse(flat, source)
    for rs in sets:
        rs.extra["format"] = form
        for rule in rs.rules:
            k = rule.provenance.line - 1
            if 0 <= k < len(pairs):
                rule.provenance = Provenance(source, pairs[k][0], rule.provenance.text)
    return sets
