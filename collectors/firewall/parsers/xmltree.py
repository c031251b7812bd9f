"""A small XML tree with the line number of every element (expat), for configurations in XML (Junos
``display xml``, PAN-OS running configuration): a rule's provenance needs the line it came from, which
:mod:`xml.etree.ElementTree` does not keep."""

from __future__ import annotations

from dataclasses import dataclass, field
from xml.parsers import expat

from netcomply.errors import InputError, InputProblem


@dataclass
class Node:
    tag: str
    line: int
    attrs: dict[str, str]
    children: list[Node] = field(default_factory=list)
    text: str = ""

    def child(self, *path: str) -> Node | None:
        """The first descendant along ``path`` (each step one child tag), or None."""
        node: Node | None = self
        for tag in path:
            node = next((c for c in node.children if c.tag == tag), None) if node else None
        return node

    def entries(self, *path: str) -> list[Node]:
        """``<entry name="...">`` children at ``path`` (PAN-OS lists)."""
        node = self.child(*path)
        return [c for c in node.children if c.tag == "entry"] if node else []

    def members(self, *path: str) -> list[str]:
        """``<member>`` texts at ``path`` (PAN-OS lists of names)."""
        node = self.child(*path)
        return [c.text.strip() for c in node.children if c.tag == "member"] if node else []

    def value(self, *path: str) -> str | None:
        node = self.child(*path)
        return node.text.strip() if node is not None else None

    def find(self, tag: str) -> Node | None:
        """The first element named ``tag`` in document order (depth first)."""
        if self.tag == tag:
            return self
        for c in self.children:
            hit = c.find(tag)
            if hit is not None:
                return hit
        return None


#: No configuration nests deeper; the walkers below recurse, so deeper input is refused, not overflowed.
MAX_DEPTH = 200


class _TooDeep(Exception):
    pass


def parse_xml(text: str, source: str, what: str) -> Node:
    """The document as a :class:`Node` tree; malformed or absurdly nested XML is an :class:`InputError`
    naming file and line."""
    root = Node("#root", 0, {})
    stack = [root]
    p = expat.ParserCreate()

    def start(tag: str, attrs: dict[str, str]) -> None:
        if len(stack) > MAX_DEPTH:
            raise _TooDeep(p.CurrentLineNumber)
        node = Node(tag, p.CurrentLineNumber, attrs)
        stack[-1].children.append(node)
        stack.append(node)

    def end(tag: str) -> None:
        stack.pop()

    def chars(data: str) -> None:
        stack[-1].text += data

    p.StartElementHandler = start
    p.EndElementHandler = end
    p.CharacterDataHandler = chars
    try:
        p.Parse(text, True)
    except expat.ExpatError as exc:
        raise InputError(InputProblem(source, exc.lineno, f"not well-formed {what}: {exc}")) from None
    except _TooDeep as exc:
        raise InputError(InputProblem(source, int(exc.args[0]), f"{what} nested deeper than {MAX_DEPTH} "
                                      "elements: not a configuration")) from None
    return root
