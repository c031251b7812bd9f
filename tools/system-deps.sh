#!/usr/bin/env bash
# Install the Debian packages netcomply needs, only those that are missing. Idempotent; quiet when nothing is to do.
#   nmap            ad-hoc inventory scans (python-nmap drives it)
#   snmp            net-snmp tools: the benchmarks compare against snmpbulkwalk/snmpget
#   snmpd           a real SNMP agent for comparison runs
#   openssh-server  the real tier's sshd inside network namespaces
#   nftables        real firewall rule sets inside network namespaces
#   iproute2        network namespaces and veth pairs
#   iputils-ping    reachability checks inside the lab
#   postgresql      the PostgreSQL store tests start a real server from this package
#   fonts-noto-cjk  Traditional Chinese glyphs for PDF reports
#   libpango-1.0-0, libpangoft2-1.0-0  text layout WeasyPrint needs to write PDF reports
#   chromium        the audit report's HTML is opened in headless Chromium by the tests (no browser download)
#   python3-venv    the virtual environment (a fresh Debian python3 lacks ensurepip)
set -euo pipefail
packages=(nmap snmp snmpd openssh-server nftables iproute2 iputils-ping postgresql fonts-noto-cjk
          libpango-1.0-0 libpangoft2-1.0-0 chromium)
if ! python3 -c 'import ensurepip, venv' >/dev/null 2>&1; then packages+=(python3-venv); fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing Debian packages: ${missing[*]}" >&2
if [ "$(id -u)" -eq 0 ]; then SUDO=""; elif command -v sudo >/dev/null; then SUDO="sudo"; else
  echo "error: need root (or sudo) to install: ${missing[*]}" >&2; exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
