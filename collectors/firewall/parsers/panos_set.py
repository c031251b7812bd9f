"""PAN-OS ``set`` configuration (``set cli config-output-format set`` then ``show``, or a ``load config partial``
file) and the brace form (``show config running`` in the default format) -> the XML tree of the running
configuration, read by :mod:`collectors.firewall.parsers.panos_xml`.

Why one tree: the XML reader already resolves vsys and shared objects, groups, services, zones and routes;
the ``set`` form says the same thing one path per line. A path word that names a list (``address``,
``rules``, ``zone``...) takes the next word as the entry's name; inside a rule, an address group, a
service group or a zone's network, the last words are ``<member>`` values (``[ a b ]`` is a list).
Statements apply in order: ``delete PATH`` removes what earlier statements said under it, ``move ... rules
R top|bottom|before X|after X`` reorders the rulebase. Without ``vsys NAME`` a path is in ``vsys1``;
``shared`` is shared; Panorama ``device-group`` rulebases (pre, then post) are read like a vsys.
"""

from __future__ import annotations

from collectors.firewall.model import RuleSet
from collectors.firewall.parsers import junos_brace
from collectors.firewall.parsers.panos_xml import rule_sets
from collectors.firewall.parsers.words import split_words
from collectors.firewall.parsers.xmltree import Node

#: Path words whose next word names an entry of that list.
_ENTRY = {"address", "address-group", "service", "service-group", "rules", "zone", "application",
          "application-group", "tag", "ethernet", "aggregate-ethernet", "vlan", "loopback", "tunnel", "units",
          "virtual-router", "static-route", "vsys", "device-group", "profiles", "schedule"}
#: Inside these entries, these words hold member lists.
_MEMBERS = {
    "rules": {"from", "to", "source", "destination", "application", "service", "source-user", "category",
              "hip-profiles", "tag", "source-hip", "destination-hip"},
    "address-group": {"static", "tag"},
    "service-group": {"members", "tag"},
    "zone": {"layer3", "layer2", "virtual-wire", "tap", "external"},
    "address": {"tag"},
    "service": {"tag"},
}
_VSYS_LEVEL_SKIP = {"deviceconfig", "mgt-config", "template", "template-stack", "log-collector",
                    "log-collector-group", "readonly", "panorama"}


def looks_like_set(text: str) -> bool:
    head = text[:20000]
    return "set rulebase " in head or "set vsys " in head or "set device-group " in head or \
        "set rulebase security" in text or ("set address " in head and "set zone " in head)


def parse(text: str, source: str) -> list[RuleSet]:
    stmts = junos_brace.to_set(text, source) if junos_brace.looks_like_brace(text) else _lines(text)
    config = Node("config", 0, {})
    for line, statement in stmts:
        words = split_words(statement)
        if words[:1] == ["set"] and len(words) > 2:
            _set(config, words[1:], line)
        elif words[:1] == ["delete"] and len(words) > 1:
            _delete(config, words[1:])
        elif words[:1] == ["move"] and len(words) > 2:
            _move(config, words[1:])
    return rule_sets(config, source)


def _lines(text: str) -> list[tuple[int, str]]:
    return [(k, line.strip()) for k, line in enumerate(text.splitlines(), 1)
            if line.lstrip().startswith(("set ", "delete ", "move "))]


def _scope(config: Node, words: list[str], line: int) -> tuple[Node, list[str]] | None:
    """The node a path starts from (shared, a vsys, the device) and the words left."""
    if not words or words[0] in _VSYS_LEVEL_SKIP:
        return None
    if words[0] == "shared":
        return _child(config, "shared", line), words[1:]
    device = _entry(_child(config, "devices", line), "localhost.localdomain", line)
    if words[0] == "network":
        return _child(device, "network", line), words[1:]
    if words[0] in ("vsys", "device-group") and len(words) > 1:
        return _entry(_child(device, "vsys", line), words[1], line), [_rulebase(w) for w in words[2:]]
    return _entry(_child(device, "vsys", line), "vsys1", line), words


def _rulebase(word: str) -> str:
    """Panorama ``pre-rulebase``/``post-rulebase``: one rulebase, in statement order."""
    return "rulebase" if word in ("pre-rulebase", "post-rulebase") else word


def _child(node: Node, tag: str, line: int) -> Node:
    for c in node.children:
        if c.tag == tag:
            return c
    c = Node(tag, line, {})
    node.children.append(c)
    return c


def _entry(node: Node, name: str, line: int) -> Node:
    for c in node.children:
        if c.tag == "entry" and c.attrs.get("name") == name:
            return c
    c = Node("entry", line, {"name": name})
    node.children.append(c)
    return c


def _set(config: Node, words: list[str], line: int) -> None:
    scope = _scope(config, words, line)
    if scope is None:
        return
    node, words = scope
    kind: str | None = None
    i = 0
    while i < len(words):
        w, rest = words[i], words[i + 1:]
        if kind in _MEMBERS and w in _MEMBERS[kind]:
            holder = _child(node, w, line)
            known = {c.text for c in holder.children}
            for v in rest:
                if v not in ("[", "]") and v not in known:
                    holder.children.append(Node("member", line, {}, [], v))
            return
        if _is_entry(w, node, rest):
            node, kind, i = _entry(_child(node, w, line), rest[0], line), w, i + 2
            continue
        if len(rest) == 1 and rest[0] not in ("[", "]"):
            _child(node, w, line).text = rest[0]
            return
        if rest[:1] == ["["]:
            holder = _child(node, w, line)
            holder.children.extend(Node("member", line, {}, [], v) for v in rest if v not in ("[", "]"))
            return
        node, i = _child(node, w, line), i + 1


def _is_entry(word: str, parent: Node, rest: list[str]) -> bool:
    if not rest or rest[0] in ("[", "]"):
        return False
    if word == "ip":
        return parent.tag == "layer3"  # layer3 ip ADDR; routing-table ip static-route ... is a container
    if word == "address" and parent.tag == "ipv6":
        return True
    return word in _ENTRY


def _path(config: Node, words: list[str]) -> tuple[Node, Node] | None:
    """(parent, node) that a ``delete``/``move`` path names, or None."""
    scope = _scope(config, words, 0)
    if scope is None:
        return None
    node, words = scope
    parent = node
    i = 0
    while i < len(words):
        w, rest = words[i], words[i + 1:]
        nxt = next((c for c in node.children if c.tag == w), None)
        if nxt is None:
            member = next((c for c in node.children if c.tag == "member" and c.text == w), None)
            return (node, member) if member is not None else None
        if _is_entry(w, node, rest):
            ent = next((c for c in nxt.children if c.tag == "entry" and c.attrs.get("name") == rest[0]), None)
            if ent is None:
                return None
            parent, node, i = nxt, ent, i + 2
            continue
        parent, node, i = node, nxt, i + 1
    return parent, node


def _delete(config: Node, words: list[str]) -> None:
    found = _path(config, words)
    if found is not None:
        parent, node = found
        parent.children = [c for c in parent.children if c is not node]


def _move(config: Node, words: list[str]) -> None:
    """``rulebase security rules R top|bottom|before X|after X``."""
    where = next((i for i, w in enumerate(words) if w in ("top", "bottom", "before", "after")), None)
    if where is None:
        return
    found = _path(config, words[:where])
    if found is None:
        return
    parent, node = found
    others = [c for c in parent.children if c is not node]
    how = words[where]
    if how == "top":
        parent.children = [node, *others]
    elif how == "bottom":
        parent.children = [*others, node]
    elif where + 1 < len(words):
        at = next((i for i, c in enumerate(others) if c.attrs.get("name") == words[where + 1]), None)
        if at is not None:
            others.insert(at + (how == "after"), node)
            parent.children = others
