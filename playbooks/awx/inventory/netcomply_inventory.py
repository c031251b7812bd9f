#!/usr/bin/env python3
"""AWX / Ansible script inventory: the devices of a netcomply inventory as Ansible hosts and groups.

    NETCOMPLY_INVENTORY=/etc/netcomply/inventory.yaml ./netcomply_inventory.py --list
    ./netcomply_inventory.py --host cg-core1

Needs netcomply installed in the execution environment. Bad input (a wrong inventory) prints
``FILE:LINE: problem`` on stderr and exits 2, like every netcomply command.
"""

from __future__ import annotations

import argparse
import json
import os
import sys


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--list", action="store_true")
    parser.add_argument("--host")
    parser.add_argument("--inventory", default=os.environ.get("NETCOMPLY_INVENTORY"),
                        help="netcomply inventory YAML (default: $NETCOMPLY_INVENTORY)")
    args = parser.parse_args()
    if not args.inventory:
        print("netcomply_inventory: set NETCOMPLY_INVENTORY (or --inventory) to the netcomply inventory file",
              file=sys.stderr)
        return 2

    from collectors.ansible.inventory import to_ansible
    from netcomply.app.cli.errors import print_input_error
    from netcomply.errors import InputError
    from netcomply.inventory import load_inventory

    try:
        doc = to_ansible(load_inventory(args.inventory))
    except InputError as exc:
        print_input_error(exc)
        return 2
    if args.host:
        json.dump(doc["_meta"]["hostvars"].get(args.host, {}), sys.stdout)
    else:
        json.dump(doc, sys.stdout, indent=1)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
