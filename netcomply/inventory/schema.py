"""The JSON Schema of the inventory file format, generated from :mod:`netcomply.inventory.spec`.

Editors (VS Code's YAML extension, JetBrains) use it for completion and red squiggles before netcomply ever
runs. The shipped copy ``inventory/schema.json`` is regenerated with::

    python -m netcomply.inventory.schema > inventory/schema.json

and a test fails when it is out of date. Cross-references (groups, agencies, netmiko platforms, secrets
written inline) cannot be expressed in JSON Schema; ``netcomply inventory validate`` checks those.
"""

from __future__ import annotations

import sys

from netcomply.inventory.schemagen import render

if __name__ == "__main__":
    sys.stdout.write(render())
