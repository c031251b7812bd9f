"""Observation contracts: the typed, versioned shape of each observation kind.

An observation crosses from a collector (which writes it) to the compliance checks (which read it) as a plain
JSON-able dict in the store. This package is the one place where that dict's shape is written down, so that
neither side re-implements the other's encoding.

Convention, one module per area (``vendor``, ``firewall``, ``ipv6``, ``hotspot``, ``drill``, ``device``):

* a ``TypedDict`` per observation kind, named after the kind (``VendorIdentity`` for ``vendor.identity``);
* a module constant ``CONTRACTS: dict[str, tuple[type, int]]`` mapping each kind to its TypedDict and version;
  a breaking change to a shape raises the version, and readers accept the versions they know;
* shared encodings (addresses, ports, ranges) defined once here and imported by both sides
  (:mod:`netcomply.contracts.addresses`: the firewall's one number line for both address families).

:mod:`netcomply.contracts.registry` merges every module's ``CONTRACTS`` and gives readers ``contract_of(obs,
Contract)``: the data typed as its contract, after checking the kind and that the contract's version is one the
reader knows. Writers build the TypedDict (``data: DeviceConfig = {...}``) so that mypy checks the keys.
``tests/contracts`` validates every observation of a lab audit and of the offline paths against its contract.

This is the base layer: it imports only the standard library and other base modules.
"""
