"""The ``netcomply`` command line: wires inventory, collectors, store, compliance and reports together."""
