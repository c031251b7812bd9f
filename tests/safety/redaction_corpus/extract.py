"""How corpus.jsonl was made (kept for review and re-runs; not run by the tests).

Reads three public repositories from local git mirrors (``git --git-dir=... show COMMIT:PATH``) and writes one
JSON object per secret-bearing line: the line, the secret values in it (which must not survive redaction), the
platform family and the source (repository, commit, path, line number).

- intentionet/netconan ``tests/unit/test_sensitive_item_removal.py``: netconan's own (line template, secret)
  cases; the secret is the one netconan's test says must disappear.
- ytti/oxidized ``spec/model/data/*#simulation.yaml`` with ``*#secret.yaml``: real device output; the secrets
  are the ``fail:`` strings oxidized's own test says must not survive its secret removal.
- batfish/batfish grammar test configurations and parsing-test networks: lines picked by ``BATFISH`` below, the
  secret being the named group ``s`` (reviewed by hand; placeholders such as ``<SCRUBBED>`` are left out).

Usage: python extract.py NETCONAN_GIT OXIDIZED_GIT BATFISH_GIT > corpus.jsonl
"""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from typing import Any

import yaml


def git(gitdir: str, *args: str) -> str:
    out = subprocess.run(["git", "--git-dir", gitdir, *args], capture_output=True, check=True).stdout
    return out.decode("utf-8", "replace")


def head(gitdir: str) -> str:
    return git(gitdir, "rev-parse", "HEAD").strip()


def netconan(gitdir: str) -> list[dict[str, Any]]:
    path = "tests/unit/test_sensitive_item_removal.py"
    commit = head(gitdir)
    text = git(gitdir, "show", f"{commit}:{path}")
    tree = ast.parse(text)
    out = []
    families = {"arista": "ios", "cisco": "ios", "fortinet": "fortios", "juniper": "junos", "aws": "aws", "misc": "any"}
    for node in tree.body:
        if not (isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name)):
            continue
        name = node.targets[0].id
        if not name.endswith("_lines") or not isinstance(node.value, ast.List):
            continue
        family = families.get(name.split("_")[0], "any")
        for elt in node.value.elts:
            if not isinstance(elt, ast.Tuple):
                continue  # pytest.param(...): netconan's own skipped cases
            template, secret = ast.literal_eval(elt)
            secrets = list(secret) if isinstance(secret, tuple) else [secret]
            line = template.format(*secrets)
            if "\\n" in line or not line.strip():
                continue
            if name == "misc_password_lines" and "{" not in template:
                line = template + secrets[0]
            if "hostname" in template and "ppp" in template:
                continue  # a PPP hostname is no secret (netconan masks it; netcomply keeps it)
            out.append({"line": line, "secrets": sorted(set(secrets)), "platform": family,
                        "source": f"intentionet/netconan@{commit}:{path}:{elt.lineno}"})
    return out


def oxidized(gitdir: str) -> list[dict[str, Any]]:
    commit = head(gitdir)
    families = {"ios": "ios", "nxos": "nxos", "asa": "asa", "eos": "arista", "junos": "junos", "fortigate": "fortios",
                "fortios": "fortios", "vyos": "linux"}
    out = []
    for path in git(gitdir, "ls-tree", "-r", "--name-only", commit, "spec/model/data").split():
        if not path.endswith("#secret.yaml"):
            continue
        model = path.rsplit("/", 1)[1].split("#")[0]
        if model not in families:
            continue
        secret_doc = yaml.safe_load(git(gitdir, "show", f"{commit}:{path}")) or {}
        fails = [str(f) for f in secret_doc.get("fail") or []]
        sim_path = path.replace("#secret.yaml", "#simulation.yaml")
        sim_text = git(gitdir, "show", f"{commit}:{sim_path}")
        sim = yaml.safe_load(sim_text)
        seen = set()
        commands = sim.get("commands") or {}
        outputs = commands.values() if isinstance(commands, dict) else [
            v for item in commands for v in (item.values() if isinstance(item, dict) else [item])]
        for output in outputs:
            for raw_line in str(output).splitlines():
                # oxidized's simulations spell some characters as escapes its harness expands
                line = raw_line.replace("\\r", "").replace("\\x20", " ").replace('\\"', '"')
                if model == "vyos" and "://" not in line:
                    continue  # VyOS is no platform netcomply reads; its URL lines are plain Linux syntax
                if " " not in line.strip():
                    continue  # a bare continuation line of a multi-line key: a secret only in its block
                found = [f for f in fails if f in line]
                if found and line not in seen:
                    seen.add(line)
                    lineno = next((n for n, raw in enumerate(sim_text.splitlines(), 1) if line.strip() in raw), 0)
                    out.append({"line": line, "secrets": found, "platform": families[model],
                                "source": f"ytti/oxidized@{commit}:{sim_path}:{lineno}"})
    return out


#: Batfish lines: (platform family, regex with the secret as group ``s``).
BATFISH = [
    ("ios", r"^\s*password (?:7|encrypted) (?P<s>\S+)"),
    ("ios", r"^ntp authentication-key \d+ \S+ (?P<s>\S+)"),
    ("ios", r"^\s*authentication-key \d+ md5 encrypted (?P<s>\S+)"),
    ("ios", r"crypto isakmp key (?:6 )?(?P<s>\S+) (?:address|hostname)"),
    ("ios", r"pre-shared-key address \S+ key (?P<s>\S+)"),
    ("ios", r"^\s*pre-shared-key (?P<s>\S+)$"),
    ("ios", r'snmp-server community "?(?P<s>[^"\s]+)"? '),
    ("ios", r"tacacs-server host \S+ key (?:7 )?(?P<s>\S+)"),
    ("ios", r"neighbor \S+ password (?P<s>\S+)"),
    ("ios", r"message-digest-key \d+ md5 (?:encrypted |7 |0 )?(?P<s>\S+)"),
    ("ios", r"ip ospf authentication-key \d (?P<s>\S+)"),
    ("ios", r"key-string (?:7 )?(?P<s>\S+)$"),
    ("ios", r"^enable secret 5 (?P<s>\S+)"),
    ("ios", r"^enable password (?:level \d+ (?:5 )?)?(?P<s>(?!level)\S+)"),
    ("ios", r"^username \S+ (?:password|secret) (?:\d |sha512 )?(?P<s>\S+)"),
    ("junos", r'encrypted-password "(?P<s>[^"%]+)"'),
    ("junos", r'(?:tacplus|radius)-server \S+ secret "(?P<s>[^"%]+)"'),
    ("junos", r'server \S+ secret "(?P<s>[^"%]+)"'),
    ("junos", r'^\s*secret "(?P<s>[^"]+)"'),
    ("junos", r'authentication-key value "?(?P<s>[^"\s]+)"?'),
    ("junos", r'authentication-key \d+ value "?(?P<s>[^"\s]+)"?'),
    ("junos", r'pre-shared-key (?:ascii-text|hexadecimal) "(?P<s>[^"<]+)"'),
    ("junos", r'(?:hello-)?authentication-key "?(?P<s>[^"\s;]+)"?'),
    ("junos", r'snmp community "?(?P<s>[^"\s<]+)"?'),
    ("junos", r"key \d+ secret (?P<s>\S+)"),
    ("panos", r"phash (?P<s>\S+)"),
    ("panos", r"auth-profile \S+ password (?P<s>\S+)"),
]


def _family(path: str, default: str) -> str:
    """The platform family of a batfish test file, from its folder (or its name in parsing-tests)."""
    name = path.lower()
    for word, family in (("cisco_nxos", "nxos"), ("nxos", "nxos"), ("arista", "arista"), ("cisco_asa", "asa"),
                         ("asa", "asa"), ("cisco_xr", "xr"), ("ios_xr", "xr"), ("palo_alto", "panos"),
                         ("juniper", "junos"), ("junos", "junos"), ("fortios", "fortios"), ("f5_", "f5")):
        if word in name:
            return family
    return default


def batfish(gitdir: str) -> list[dict[str, Any]]:
    commit = head(gitdir)
    prefixes = ("projects/batfish/src/test/resources/org/batfish/grammar/",
                "projects/batfish/src/test/resources/org/batfish/vendor/", "tests/parsing-tests/networks/")
    out = []
    seen = set()
    for path in git(gitdir, "ls-tree", "-r", "--name-only", commit).split():
        if not path.startswith(prefixes) or path.endswith((".ref", ".json", ".java", ".yml", ".yaml")):
            continue
        if "testconfigs/" not in path and "/configs/" not in path:
            continue
        try:
            text = git(gitdir, "show", f"{commit}:{path}")
        except subprocess.CalledProcessError:
            continue
        for lineno, line in enumerate(text.splitlines(), 1):
            if line.lstrip().startswith(("no ", "#", "!")) or line in seen:
                continue
            for family, regex in BATFISH:
                m = re.search(regex, line)
                if m and len(m.group("s")) >= 3 and not m.group("s").startswith(("<", "%", "*")):
                    seen.add(line)
                    out.append({"line": line, "secrets": [m.group("s")], "platform": _family(path, family),
                                "source": f"batfish/batfish@{commit}:{path}:{lineno}"})
                    break
    return out


def unambiguous(rec: dict[str, Any]) -> bool:
    """Each secret appears only where it is the secret: not also as a user name or inside another word
    ("rad" in "radius"), so "the secret is gone" is a fair test. netconan's cases repeat one value on purpose."""
    if rec["source"].startswith("intentionet/netconan"):
        return True
    return all(rec["line"].count(s) == 1 for s in rec["secrets"])


def main() -> None:
    records = netconan(sys.argv[1]) + oxidized(sys.argv[2]) + batfish(sys.argv[3])
    for rec in filter(unambiguous, records):
        print(json.dumps(rec, ensure_ascii=False))


if __name__ == "__main__":
    main()
