"""Every observation kind's contract in one map, and the reader's helper :func:`contract_of`.

Why a registry: a kind written anywhere without a contract is a hidden shape again; the contract tests walk the
observations of a lab audit and of the offline paths and look each kind up here. Readers call
:func:`contract_of` instead of a bare ``cast``: it checks that the observation is of the kind the reader expects
and that the contract's version is one the reader knows, so raising a contract's version makes every reader that
was not updated fail loudly (in the tests), never misread silently.

Base layer: standard library and other contract modules only.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol, TypeVar, cast

from netcomply.contracts import device, drill, firewall, hotspot, ipv6, nmap, registers, vendor

#: kind -> (contract TypedDict, version), over every area.
CONTRACTS: dict[str, tuple[type, int]] = {
    **device.CONTRACTS, **ipv6.CONTRACTS, **hotspot.CONTRACTS, **firewall.CONTRACTS, **nmap.CONTRACTS,
    **drill.CONTRACTS, **vendor.CONTRACTS, **registers.CONTRACTS,
}

T = TypeVar("T")


class ContractError(TypeError):
    """An observation read as a contract it does not have (a wrong kind, or a version the reader does not know):
    a programming error, not bad input."""


class _Observed(Protocol):
    @property
    def kind(self) -> str: ...

    @property
    def data(self) -> dict[str, Any]: ...


def contract(kind: str) -> tuple[type, int]:
    """The (TypedDict, version) of ``kind``; ContractError for a kind without a contract."""
    try:
        return CONTRACTS[kind]
    except KeyError:
        raise ContractError(f"observation kind {kind!r} has no contract in netcomply.contracts") from None


def contract_of(obs: _Observed, expected: type[T], versions: Iterable[int] = (1,)) -> T:
    """``obs.data`` typed as ``expected`` (a contract TypedDict), after checking that ``obs.kind``'s contract is
    ``expected`` at one of the ``versions`` the reader knows. No copy, no validation of the values (the collector
    built the dict as its contract; the contract tests validate what a lab audit writes)."""
    typed, version = contract(obs.kind)
    if typed is not expected:
        raise ContractError(f"observation kind {obs.kind!r} is a {typed.__name__}, not a {expected.__name__}")
    known = tuple(versions)
    if version not in known:
        raise ContractError(f"{obs.kind!r} is at contract version {version}; this reader knows "
                            f"{', '.join(map(str, known))}")
    return cast(T, obs.data)
