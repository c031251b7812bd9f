#!/usr/bin/env bash
# Install the few Ansible collections netcomply's Ansible transport needs (network_cli and the Cisco IOS
# cliconf/terminal plugins), without the 476 MB `ansible` distribution and without Galaxy (not reachable here):
# the `ansible` wheel is fetched from PyPI once into a cache, and only these collections are copied out of it.
#
#   tools/ansible-collections.sh [PYTHON]      (default PYTHON: .venv/bin/python)
#
# Destination: <python's sys.prefix>/share/netcomply/ansible-collections/ansible_collections/<ns>/<name>, which is
# where netcomply looks (override with $NETCOMPLY_ANSIBLE_COLLECTIONS). Idempotent: does nothing when every
# collection is there already (a stamp file names the wheel they came from).
set -euo pipefail

PYTHON="${1:-.venv/bin/python}"
# The ansible 12 series is the collection set built and tested for ansible-core 2.19.
ANSIBLE_SPEC="${NETCOMPLY_ANSIBLE_SPEC:-ansible>=12,<13}"
COLLECTIONS=(ansible/netcommon ansible/utils cisco/ios)

prefix="$("$PYTHON" -c 'import sys; print(sys.prefix)')"
dest="${NETCOMPLY_ANSIBLE_COLLECTIONS:-$prefix/share/netcomply/ansible-collections}"
stamp="$dest/.netcomply-collections"

missing=0
for c in "${COLLECTIONS[@]}"; do
    [ -f "$dest/ansible_collections/$c/MANIFEST.json" ] || missing=1
done
if [ "$missing" = 0 ] && [ -f "$stamp" ]; then
    exit 0
fi

cache="${XDG_CACHE_HOME:-$HOME/.cache}/netcomply/ansible-wheel"
mkdir -p "$cache"
wheel="$(ls "$cache"/ansible-1[0-9]*.whl 2>/dev/null | sort -V | tail -n 1 || true)"
if [ -z "$wheel" ]; then
    echo "ansible-collections: downloading the ansible wheel (about 55 MB, once) to take ${COLLECTIONS[*]} out of it"
    "$PYTHON" -m pip download --quiet --no-deps --only-binary=:all: -d "$cache" "$ANSIBLE_SPEC"
    wheel="$(ls "$cache"/ansible-1[0-9]*.whl | sort -V | tail -n 1)"
fi

mkdir -p "$dest"
"$PYTHON" - "$wheel" "$dest" "${COLLECTIONS[@]}" <<'PY'
"""Copy only the named collections out of the wheel (a zip), replacing any partial copy."""
import shutil
import sys
import zipfile
from pathlib import Path

wheel, dest, *collections = sys.argv[1:]
root = Path(dest) / "ansible_collections"
with zipfile.ZipFile(wheel) as zf:
    names = zf.namelist()
    for coll in collections:
        prefix = f"ansible_collections/{coll}/"
        members = [n for n in names if n.startswith(prefix) and not n.endswith("/")]
        if not members:
            sys.exit(f"ansible-collections: {coll} is not in {wheel}")
        shutil.rmtree(root / coll, ignore_errors=True)
        for name in members:
            target = Path(dest) / name
            target.parent.mkdir(parents=True, exist_ok=True)
            with zf.open(name) as src, open(target, "wb") as out:
                shutil.copyfileobj(src, out)
        print(f"ansible-collections: {coll} ({len(members)} files) -> {root / coll}")
PY
basename "$wheel" > "$stamp"
