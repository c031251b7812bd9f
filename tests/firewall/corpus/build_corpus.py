"""Rebuild the corpus from local snapshots of the public repositories (not run by the tests).

    .venv/bin/python tests/firewall/corpus/build_corpus.py /path/to/mirrors

Copies the chosen test-data files of batfish/batfish, aerleon/aerleon and networktocode/ntc-templates into
``files/``, with the platform their project files them under, and writes ``manifest.json``: source (repository,
path, commit), platform, the independent rule count (:mod:`count_rules`, never the parsers), and the parse
coverage measured when the corpus was built (a floor the test keeps). Files over 64 KB are left out.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from count_rules import COUNT  # noqa: E402

BF = "projects/batfish/src/test/resources/org/batfish/grammar"
#: (repository, folder, platform, file-name pattern, how many at most, local folder)
GROUPS = [
    ("batfish/batfish", "networks/example/live/configs", "cisco_ios", r"\.cfg$", 20, "example-live"),
    ("batfish/batfish", "networks/example/live/iptables", "iptables", r"", 5, "example-live"),
    ("batfish/batfish", "networks/example/candidate/configs", "cisco_ios", r"\.cfg$", 20, "example-candidate"),
    ("batfish/batfish", "networks/iptables-firewall/iptables", "iptables", r"", 5, "iptables-firewall"),
    ("batfish/batfish", f"{BF}/iptables/testconfigs", "iptables", r"", 5, "iptables"),
    ("batfish/batfish", f"{BF}/cisco/testconfigs", "cisco_ios", r"", 25, "cisco"),
    ("batfish/batfish", f"{BF}/cisco_asa/testconfigs", "cisco_asa", r"", 20, "cisco_asa"),
    ("batfish/batfish", f"{BF}/fortios/testconfigs", "fortinet", r"", 20, "fortios"),
    ("batfish/batfish", f"{BF}/juniper/testconfigs", "juniper_junos", r"", 25, "juniper"),
    ("batfish/batfish", f"{BF}/palo_alto/testconfigs", "paloalto_panos", r"", 25, "palo_alto"),
    ("aerleon/aerleon", "tests/regression/cisco", "cisco_ios", r"\.ref$", 8, "cisco"),
    ("aerleon/aerleon", "tests/regression/ciscoasa", "cisco_asa", r"\.ref$", 5, "ciscoasa"),
    ("aerleon/aerleon", "tests/regression/fortigate", "fortinet", r"\.ref$", 8, "fortigate"),
    ("aerleon/aerleon", "tests/regression/juniper", "juniper_junos", r"\.ref$", 8, "juniper"),
    ("aerleon/aerleon", "tests/regression/junipersrx", "juniper_junos", r"\.ref$", 10, "junipersrx"),
    ("aerleon/aerleon", "tests/regression/iptables", "iptables", r"\.ref$", 8, "iptables"),
    ("aerleon/aerleon", "tests/regression/paloaltofw", "paloalto_panos", r"\.ref$", 8, "paloaltofw"),
    ("aerleon/aerleon", "tests/regression/fortigate", "fortinet", r"LocalInPolicy", 2, "fortigate"),
    ("batfish/batfish", f"{BF}/palo_alto/testconfigs", "paloalto_panos",
     r"^(move-rulebase-security|delete-and-move-lines|rulebase|security-rules|vsys-rulebase)$", 5, "palo_alto"),
    ("batfish/batfish", f"{BF}/fortios/testconfigs", "fortinet", r"^policy_(delete|move|clone)$", 3, "fortios"),
    ("batfish/batfish", f"{BF}/juniper/testconfigs", "juniper_junos", r"^firewall-combined-policies$", 1, "juniper"),
    ("aerleon/aerleon", "tests/regression/nftables", "nft", r"\.ref$", 5, "nftables"),
    ("aerleon/aerleon", "tests/regression/demo", "nft", r"\.nft\.ref$", 5, "demo"),
    ("aerleon/aerleon", "tests/regression/demo", "cisco_ios", r"\.acl\.ref$", 5, "demo"),
    ("aerleon/aerleon", "tests/regression/demo", "cisco_asa", r"\.asa\.ref$", 5, "demo"),
    ("aerleon/aerleon", "tests/regression/demo", "iptables", r"\.ipt\.ref$", 5, "demo"),
    ("aerleon/aerleon", "tests/regression/demo", "juniper_junos", r"\.(jcl|srx)\.ref$", 8, "demo"),
    ("aerleon/aerleon", "tests/regression/demo", "paloalto_panos", r"\.xml\.ref$", 5, "demo"),
    ("networktocode/ntc-templates", "tests/cisco_ios/show_access-list", "cisco_ios", r"\.raw$", 5, "ios"),
    ("networktocode/ntc-templates", "tests/cisco_ios/show_ip_access-lists", "cisco_ios", r"\.raw$", 8, "ios"),
    ("networktocode/ntc-templates", "tests/cisco_ios/show_ipv6_access-lists", "cisco_ios", r"\.raw$", 3, "ios"),
    ("networktocode/ntc-templates", "tests/cisco_ios/show_running-config_partition_access-list", "cisco_ios",
     r"\.raw$", 3, "ios"),
    ("networktocode/ntc-templates", "tests/cisco_asa/show_access-list", "cisco_asa", r"\.raw$", 8, "asa"),
    ("networktocode/ntc-templates", "tests/paloalto_panos/show_running_security-policy", "paloalto_panos",
     r"\.raw$", 3, "panos"),
]


def git(mirror: Path, *args: str) -> str:
    return subprocess.run(["git", f"--git-dir={mirror}", *args], capture_output=True, check=True
                          ).stdout.decode("utf-8", "replace")


def main(mirrors: Path) -> None:
    sys.path.insert(0, str(HERE.parents[2]))
    from collectors.firewall.parsers import parse_text
    from collectors.firewall.parsers.accounting import covered_lines as rule_lines_of
    from netcomply.errors import InputError

    out_dir = HERE / "files"
    entries = []
    seen: set[str] = set()
    for repo, folder, platform, pattern, limit, label in GROUPS:
        mirror = mirrors / repo.replace("/", "+") / "repo"
        commit = git(mirror, "rev-parse", "HEAD").strip()
        names = [n for n in git(mirror, "ls-tree", "--name-only", f"HEAD:{folder}").split("\n")
                 if n and re.search(pattern, n) and not n.endswith((".bazel", ".py", ".md"))]
        taken = 0
        for name in sorted(names):
            if taken >= limit:
                break
            path = f"{folder}/{name}"
            try:
                text = git(mirror, "show", f"{commit}:{path}")
            except (subprocess.CalledProcessError, UnicodeDecodeError):
                continue
            digest = hashlib.sha256(text.encode()).hexdigest()
            if len(text) > 65536 or digest in seen:
                continue
            try:
                rules = COUNT[platform](text)
            except Exception:
                continue
            if rules == 0:
                continue
            seen.add(digest)
            local = f"{repo.split('/')[1]}/{label}/{name}"
            (out_dir / local).parent.mkdir(parents=True, exist_ok=True)
            (out_dir / local).write_text(text)
            try:
                sets = parse_text(text, platform, local)
                n = sum(len(rs.rules) for rs in sets)
                exact = sum(r.status == "exact" for rs in sets for r in rs.rules)
                coverage = math.floor(exact / n * 10000) / 10000 if n else 1.0
                read = sum(r.status != "unparsed" for rs in sets for r in rs.rules)
                analysed = math.floor(read / n * 10000) / 10000 if n else 1.0
                parsed, error = len(rule_lines_of(sets)), None
            except InputError as exc:
                parsed, coverage, analysed, error = 0, 0.0, 0.0, str(exc)
            entries.append({"file": local, "repo": repo, "path": path, "commit": commit, "platform": platform,
                            "rules": rules, "coverage_at_least": coverage, "analysed_at_least": analysed,
                            "parsed_when_built": parsed,
                            **({"error_when_built": error} if error else {})})
            taken += 1
    (HERE / "manifest.json").write_text(json.dumps({"files": entries}, indent=1) + "\n")
    print(len(entries), "files")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
