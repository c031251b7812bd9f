"""What a new rule set permits that the old one did not, with example flows.

Both rule sets are compressed into one shared space, so the difference of their permitted regions is exact
box algebra. Only rules that surely match all they say take part; approximate rules are listed so the reader
knows the answer may be incomplete.
"""

from __future__ import annotations

from dataclasses import dataclass

from collectors.firewall.model import (
    ICMP,
    ICMP6,
    TCP,
    UDP,
    Action,
    ParseStatus,
    Provenance,
    Rule,
    RuleSet,
    format_interval,
)
from collectors.firewall.space import Box, Space, build_space, example, intersect, region_minus, universe


@dataclass
class Flow:
    """An example of newly permitted traffic and the new rule that permits it."""

    packet: dict[str, int | str]
    rule: Rule

    def describe(self) -> str:
        p = self.packet
        src, dst, proto = int(p["src"]), int(p["dst"]), int(p["proto"])
        name = {TCP: "tcp", UDP: "udp", ICMP: "icmp", ICMP6: "icmpv6"}.get(proto, f"proto {proto}")
        port = f"/{p['dport']}" if proto in (TCP, UDP) else ""
        zones = "" if p["src_zone"] == "<other>" and p["dst_zone"] == "<other>" else \
            f" ({p['src_zone']} -> {p['dst_zone']})"
        return f"{format_interval((src, src))} -> {format_interval((dst, dst))} {name}{port}{zones}"


def permitted(space: Space, rules: list[int], default: Action) -> list[tuple[Box, int | None]]:
    """The packets a rule list permits, as boxes tagged with the deciding rule (None: the default)."""
    remaining: list[Box] = [universe(space)]
    out: list[tuple[Box, int | None]] = []
    for k in rules:
        eff = [x for b in space.boxes[k] for r in remaining if (x := intersect(r, b)) is not None]
        if space.rules[k].action == Action.PERMIT:
            out.extend((b, k) for b in eff)
        remaining = region_minus(remaining, space.boxes[k])
    if default == Action.PERMIT:
        out.extend((b, None) for b in remaining)
    return out


def newly_permitted(old: RuleSet, new: RuleSet, limit: int = 20) -> tuple[list[Flow], list[Rule]]:
    """Example flows the new rule set permits and the old one does not; and the rules left out as inexact."""
    usable = [r for r in (*old.rules, *new.rules) if r.blocker]
    skipped = [r for r in (*old.rules, *new.rules) if r.enabled and r.status != ParseStatus.EXACT]
    space = build_space(usable)
    n_old = sum(1 for r in old.rules if r.blocker)
    old_idx = list(range(n_old))
    new_idx = list(range(n_old, len(usable)))
    old_boxes = [b for b, _ in permitted(space, old_idx, old.default_action)]
    flows: list[Flow] = []
    for box, k in permitted(space, new_idx, new.default_action):
        for piece in region_minus([box], old_boxes):
            rule = space.rules[k] if k is not None else Rule(
                -1, "(default action)", Action.PERMIT, Provenance(new.source, 0, f"{new.name}: default permit"))
            flows.append(Flow(example(space, piece), rule))
            if len(flows) >= limit:
                return flows, skipped
    return flows, skipped
