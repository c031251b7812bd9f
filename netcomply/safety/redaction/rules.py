"""netcomply's own secret-bearing syntax, per platform, each rule naming the kind of secret it masks.

netconan's detection (:mod:`netcomply.safety.redaction.netconan_rules`) covers the IOS and Junos lines RANCID
knew; these rules add what it lacks: the other platforms netcomply reads (FortiOS, PAN-OS, VRP, Comware, AireOS,
RGOS, Linux), the forms netconan only detects without locating the value (BGP neighbour passwords, key-strings,
Junos secrets), and kind names for every mask.

Every rule names the value it masks with the group ``q`` (inside quotes) or ``v`` (one bare token), built from
:data:`V`. A value is never a mask already, an encoding qualifier (``cipher``, ``ENC``, ``7`` ...) that is
followed by the real value, nor a row of asterisks (the device masked it itself): that keeps redaction
idempotent and lines without secrets byte for byte.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from netcomply.safety.redaction.masks import MASK_START, NO_MASK_AHEAD

QUALIFIERS = (
    r"(?:cipher|irreversible-cipher|simple|plain|hash|ENC|encrypted|pbkdf2|sha|sha256|sha512|md5|ascii|hex"
    r"|ascii-text|hexadecimal|version|informs|traps|clear|unencrypted)"
)
#: After a bare word at the start of a line ("password X", "secret X", "key X"), an English function word means
#: a sentence of a log or report ("password for sw1 refused", "secret variable NC_RO is not set"), not a value.
PROSE_WORD = (r"(?:for|is|of|the|to|and|not|was|were|will|be|in|on|at|by|with|from|variable|must|should|has"
              r"|have|may|can|cannot|could|would|missing|changed|expired|set|unset|required|refused|rejected)\b")
PROSE = rf"(?!{PROSE_WORD})"

#: A secret value: quoted (masked inside its quotes) or one bare token -- not a function word a sentence goes on
#: after ("the enable password is not set").
V = (
    rf'(?:"{NO_MASK_AHEAD}(?P<q>(?!{MASK_START}")(?!\*+")[^"\n]*)"'
    rf"|{NO_MASK_AHEAD}(?!{PROSE_WORD}[ \t]+\S)"
    rf"(?P<v>(?!{MASK_START})(?!{QUALIFIERS}[ \t])(?!\d{{1,2}}[ \t]+\S)(?!\*+(?:\s|$))[^\s\"]\S*?))"
    r"(?=[;,]?(?:\s|$))"
    # A token up to two tokens before an existing mask is its qualifier or type code ("aes 128 <secret:...>",
    # "read cipher <secret:...>"): keep it. Masks exist only in text redacted before, so this keeps the
    # second pass from finding a "value" the first pass had read as syntax.
    rf'(?![;,]?(?:[ \t]+[^\s<"]+){{0,2}}[ \t]+"?{MASK_START})'
)
#: A type code or encoding word in front of a value (Cisco 0/5/6/7/8/9, XR 10, Arista sha512, XR encrypted).
T = r"(?: (?:\d{1,2}|sha512|sha256|encrypted|clear))?"

IOS = frozenset({"ios", "nxos", "asa", "xr", "arista", "rgos"})


@dataclass(frozen=True)
class Rule:
    """One secret-bearing syntax: ``pattern`` locates the value, ``kind`` names it in the mask. ``platforms``
    (families, see :mod:`netcomply.safety.redaction.platforms`) limits a rule that would be too broad
    elsewhere; ``None`` applies everywhere."""

    kind: str
    pattern: re.Pattern[str]
    platforms: frozenset[str] | None = None
    #: Lower-case literal words of the pattern (value syntax aside): a match holds at least one, so a text with
    #: none of them is not scanned (empty: always scanned).
    anchors: tuple[str, ...] = ()


def _spaces(pattern: str) -> str:
    """Let each literal space of a rule match any run of blanks (aligned configurations, collapsed output),
    except inside character classes."""
    out: list[str] = []
    in_class = escaped = False
    for ch in pattern:
        if escaped:
            out.append(ch)
            escaped = False
        elif ch == "\\":
            out.append(ch)
            escaped = True
        elif ch == "[":
            in_class = True
            out.append(ch)
        elif ch == "]":
            in_class = False
            out.append(ch)
        elif ch == " " and not in_class:
            out.append("[ \t]+")
        else:
            out.append(ch)
    return "".join(out)


def _rule(kind: str, pattern: str, platforms: frozenset[str] | None = None) -> Rule:
    return Rule(kind, re.compile(_spaces(pattern), re.IGNORECASE | re.MULTILINE), platforms, _anchors(pattern))


def _anchors(pattern: str) -> tuple[str, ...]:
    """The words of a rule outside its value syntax (V, T, masks), character classes and escapes."""
    for shared in (V, T, NO_MASK_AHEAD, MASK_START, QUALIFIERS):
        pattern = pattern.replace(shared, " ")
    pattern = re.sub(r"\[.*?(?<!\\)\]", " ", pattern)  # character classes
    pattern = re.sub(r"\\.", " ", pattern)  # escapes (\b, \S, \d ...)
    return tuple(sorted(set(re.findall(r"[a-z][a-z_-]{2,}", pattern.lower()))))


_SNMP_AUTH_ALG = r"(?:md5|sha\S*|hmac\S*)"
_SNMP_PRIV_ALG = r"(?:des\S*|3des|aes(?: ?\d+)?|aes-\d+|aes\d+\S*)"
_FORTI_KEYS = (
    r"(?!session-key )(?:[\w-]+-)?(?:password|passwd|secret|psksecret|pksecret|passphrase|pwd|key|private-key|psk)"
    r"(?:-remote|-local|2|3)?"
)
_VRP_KEYWORDS = (
    r"(?:(?:super )?password(?: (?:level|role) \S+)?|local-user \S+ password|pre-shared-key|shared-key"
    r"|pass-phrase|psk|key(?: (?:authentication|accounting|authorization))?"
    r"|(?:authentication|privacy)-mode(?: \S+)?(?: \d+)?|authentication(?: (?:md5|hmac-sha256|simple))?"
    r"(?: \d+)?)"
)
_VRP_QUAL = r"(?: (?:cipher|irreversible-cipher|simple|hash|plain))+"
_JUNOS_KEYS = (
    r"(?:encrypted-password|authentication-key(?! \d+ \S)|hello-authentication-key|simple-password"
    r"|pre-shared-key (?:ascii-text|hexadecimal)|plain-text-password-value|authentication-password"
    r"|privacy-password|md5 \d+ key|key (?:ascii-text|hexadecimal)|shared-secret)"
)

RULES: tuple[Rule, ...] = (
    # --- Cisco IOS / IOS-XE / NX-OS / XR / ASA, Arista, Ruijie RGOS (one syntax family)
    _rule("enable-secret", rf"\benable (?:telnet )?(?:secret|password)(?: level \d+)?{T} (?!level\b){V}"),
    _rule("user-password", rf"\busername \S+(?: (?:privilege \d+|view \S+|algorithm-type \S+|role \S+))*"
                           rf" (?:secret|password){T} {V}"),
    # Bare words at the start of a line: as devices print them (lower case), so prose such as an ISO 27001
    # control title ("Password management system", "Key management") is left alone.
    _rule("line-password", rf"^[ \t]*(?-i:passwd) {PROSE}{V}"),
    _rule("line-password", rf"^[ \t]*(?-i:password){T} (?!encryption ){PROSE}{V}"),  # not ASA's "password encryption"
    _rule("secret", rf"^[ \t]*(?-i:secret){T} {PROSE}{V}"),
    _rule("snmp-community", rf"\bsnmp-server community{T} {V}"),
    _rule("snmp-community", rf"\bsnmp-server host \S+ \S+(?: (?:informs|traps|poll|vrf \S+))*"
                            rf"(?: version (?:1|2c))? community {V}"),  # ASA
    _rule("snmp-community", rf"\bsnmp-server host (?!\S+ \S+ (?:informs |traps |poll )?community )\S+"
                            rf"(?: (?:informs|traps|vrf \S+))*(?: version (?:1|2c|3 (?:auth|noauth|priv)))?"
                            rf" (?!(?:vrf|use-vrf|filter-vrf|informs|traps|version|source-interface)\b){V}"),
    _rule("snmp-community", r"\bsnmp-server mib community-map (?P<v>(?!" + MASK_START + r")[^\s:]+)"),
    _rule("snmp-community", rf"\bsnmp-community(?:-string)? {V}"),
    _rule("snmp-auth-key", rf"\bsnmp-server user \S+(?: \S+)*? auth {_SNMP_AUTH_ALG} {V}"),
    _rule("snmp-priv-key", rf"\bauth {_SNMP_AUTH_ALG} \S+ priv(?: {_SNMP_PRIV_ALG})? {V}"),
    _rule("radius-key", rf"\bradius-server (?:\S+ )*?key{T} {V}"),
    _rule("tacacs-key", rf"\btacacs-server (?:\S+ )*?key{T} {V}"),
    _rule("aaa-key", rf"\bserver-private \S+(?: \S+)*? key{T} {V}"),
    _rule("key", rf"^[ \t]*(?-i:key){T} (?!\d{{1,3}}[ \t]*$){PROSE}{V}[ \t]*$"),  # not a key chain's "key 1"
    _rule("key-string", rf"\bkey-string{T}(?: password)? {V}"),
    _rule("bgp-password", rf"\bneighbor \S+ password{T} {V}"),
    _rule("ike-psk", rf"\b(?:crypto )?isakmp key{T} {V}"),
    _rule("ike-psk", rf"\bpre-shared-key (?:address (?:ipv6 )?\S+(?: \S+)?|hostname \S+) key{T} {V}"),
    _rule("ike-psk", rf"\bpre-shared-key(?: (?:local|remote))?(?: (?:\d|hex|hexadecimal|ascii-text))?"
                     rf" (?!(?:address|hostname|key|cipher|simple)\b){V}"),
    _rule("ike-psk", rf"\bfailover key(?: (?:hex|ascii))? {V}"),
    _rule("ospf-key", rf"\b(?:ip )?ospf (?:authentication-key|message-digest-key \d+ md5){T} {V}"),
    _rule("ospf-key", rf"^[ \t]*message-digest-key \d+ md5{T} {V}"),
    _rule("isis-password", rf"\b(?:isis password|domain-password|area-password) {V}"),
    _rule("hsrp-key", rf"\bstandby(?: \d+)? authentication(?: text| md5 key-string{T})? (?!md5\b|text\b){V}"),
    _rule("vrrp-key", rf"\bvrrp \d+ authentication(?: text| md5 key-string{T})? (?!md5\b|text\b){V}"),
    _rule("auth-key", rf"^[ \t]*authentication text {V}"),
    _rule("ntp-key", rf"\bntp authentication-key \d+ (?!value\b|type\b)\S+(?: encrypted)?{T} {V}"),
    _rule("ppp-password", rf"\bppp (?:chap|pap|ms-chap)(?: \S+)*? password{T} {V}"),
    _rule("ftp-password", rf"\bip (?:ftp|http client|scp) password{T} {V}"),
    _rule("l2tp-password", rf"\bl2tp tunnel(?: \S+)? password{T} {V}"),
    _rule("vpdn-password", rf"\bvpdn username \S+ password{T} {V}"),
    _rule("wlccp-password", rf"\bwlccp \S+ username \S+(?: \S+)*? password{T} {V}"),
    _rule("digest-secret", rf"\bdigest secret{T} {V}"),
    _rule("ipsec-key", rf"\bset session-key (?:in|out)bound (?:ah|esp) \d+(?: cipher)? (?!authenticator\b){V}"),
    _rule("ipsec-key", rf"\bset session-key (?:in|out)bound esp \d+(?: cipher \S+)? authenticator {V}"),
    _rule("docsis-secret", rf"\bcable shared-secret{T} {V}"),
    _rule("ldap-password", rf"\bldap-login-password {V}"),
    _rule("syscon-password", rf"\bsyscon (?:password|address \S+) {V}"),
    _rule("wpa-psk", rf"\bwpa-psk(?: ascii| hex){T} {V}"),
    _rule("radius-key", rf"\bserver-key{T} {V}"),
    # IOS-XE wireless (C9800) AP join profiles and WLANs: the value is the rest of the line, spaces included.
    _rule("user-password", r"\b(?:mgmtuser|dot1x) username \S+ password(?: \d)? (?P<v>" + NO_MASK_AHEAD
                           + r"\S.*?)(?=[ \t]+secret[ \t]|[ \t]*$)"),
    _rule("user-password", r"\bmgmtuser username \S+ password .*?[ \t]secret(?: \d)? (?P<v>" + NO_MASK_AHEAD
                           + r"\S.*?)[ \t]*$"),
    _rule("wpa-psk", r"\bset-key (?:ascii|hex) \d (?P<v>" + NO_MASK_AHEAD + r"\S.*?)[ \t]*$"),
    # --- Cisco AireOS (WLC), also RGOS wlansec
    _rule("snmp-community", rf"\bconfig snmp community (?:create|delete|accessmode \S+|ipaddr \S+ \S+) {V}"),
    _rule("snmp-auth-key", rf"\bconfig snmp v3user create \S+ \S+ \S+ \S+ {V}"),
    _rule("snmp-priv-key", rf"\bconfig snmp v3user create \S+ \S+ \S+ \S+ \S+ {V}"),
    _rule("radius-key", rf"\bconfig radius (?:auth|acct) add \d+ \S+ \d+ (?:ascii|hex) {V}"),
    _rule("tacacs-key", rf"\bconfig tacacs (?:auth|acct|athr) add \d+ \S+ \d+ (?:ascii|hex) {V}"),
    _rule("user-password", rf"\bconfig (?:mgmtuser|netuser) add \S+ {V}"),
    _rule("user-password", rf"\bconfig (?:mgmtuser|netuser) password \S+ {V}"),
    _rule("wpa-psk", rf"\bset-key (?:ascii|hex){T} {V}"),
    # --- Huawei VRP, H3C/HPE Comware
    _rule("password", rf"\b{_VRP_KEYWORDS}{_VRP_QUAL} {V}"),
    _rule("snmp-community", rf"\bsnmp-agent community(?: (?:read|write))?(?: (?:cipher|simple))? {V}"),
    _rule("snmp-auth-key", rf"\busm-user .*?\bauthentication-mode {_SNMP_AUTH_ALG}(?: (?:cipher|simple))? {V}"),
    _rule("snmp-priv-key", rf"\busm-user .*?\bprivacy-mode {_SNMP_PRIV_ALG}(?: (?:cipher|simple))? {V}"),
    # --- FortiOS
    _rule("snmp-auth-key", rf"^[ \t]*set auth-pwd(?: ENC)? {V}"),
    _rule("snmp-priv-key", rf"^[ \t]*set priv-pwd(?: ENC)? {V}"),
    _rule("ike-psk", rf"^[ \t]*set (?:psksecret|pksecret|ppk-secret)(?:-remote)?(?: ENC)? {V}"),
    _rule("wpa-psk", rf"^[ \t]*set (?:passphrase|sae-password)(?: ENC)? {V}"),
    _rule("password", rf"^[ \t]*set {_FORTI_KEYS}(?: ENC)? {V}"),
    # --- Palo Alto PAN-OS (set syntax and XML)
    _rule("password-hash", rf"\b(?:phash|password-hash) {V}"),
    _rule("ike-psk", rf"\bpre-shared-key key {V}"),
    _rule("password", rf"^[ \t]*set (?:\S+ )+?(?:password|secret|authpwd|privpwd|passphrase|key) {V}",
          frozenset({"panos", "junos"})),
    _rule("secret", r"<(phash|password|password-hash|key|secret|authkey|privkey|authpwd|privpwd|psk|passphrase"
                    r"|auth-password|priv-password|snmp-community-string|pre_shared_key|private-key|api-key)>"
                    r"(?P<v>(?!" + MASK_START + r"<)[^<]+)</\1>"),
    # --- Juniper Junos (set and brace)
    _rule("password-hash", rf"\bencrypted-password {V}"),
    _rule("password", rf"\b{_JUNOS_KEYS} {V}"),
    _rule("ntp-key", rf"\bauthentication-key \d+(?: type \S+)? value {V}"),
    _rule("ntp-key", rf"^[ \t]*authentication-key \d+ md5(?: encrypted)?{T} {V}"),  # IOS-XR ntp block
    _rule("snmp-community", rf"\bsnmp community (?!(?:create|delete|accessmode|ipaddr|mode)\b){V}"),
    _rule("license-key", rf"\blicense keys key {V}"),
    _rule("snmp-community", rf"^[ \t]*community {V}(?=[ \t]*[{{;]|[ \t]*$)", frozenset({"junos"})),
    # --- Linux and text formats: URLs with credentials, key=value, net-snmp, .netrc, JSON
    _rule("url-password", r"\b[a-z][a-z0-9+.-]*://[^\s:/@\"'<>]*:(?P<v>(?!" + MASK_START
                          + r"@)[^\s@/\"'<>]+)@"),
    _rule("snmp-community", rf"^[ \t]*(?:ro|rw)community6? {V}"),
    _rule("snmp-community", rf"^[ \t]*com2sec6? (?:-Cn \S+ )?\S+ \S+ {V}"),
    _rule("snmp-auth-key", rf"^[ \t]*createUser \S+ (?:MD5|SHA\S*) {V}"),
    _rule("snmp-priv-key", rf"^[ \t]*createUser \S+ (?:MD5|SHA\S*) \S+ (?:DES|AES\S*) {V}"),
    _rule("password", rf"\bmachine \S+ login \S+ password {V}"),
    _rule("password", r'"(?:password|passwd|secret|psk|community|auth_key|priv_key|token|api_key|passphrase'
                      r'|client_secret|private_key)"\s*:\s*"(?P<q>(?!' + MASK_START + r'")[^"]*)"'),
    _rule("password", r"(?<!<)\b(?:community|password|passwd|secret|psk|wpa_passphrase|passphrase|api[_-]?key"
                      r"|auth[_-]?key|priv[_-]?key|client_secret|secret_key|access_key|token)"
                      r"[ \t]*[=:][ \t]*(?P<v>(?!" + MASK_START + r")[^\s,;\"']+)"),
    _rule("password", r"\b(?:psk|wpa_passphrase|password|passphrase)=\"(?P<q>(?!" + MASK_START
                      + r"\")[^\"\n]*)\""),
)

#: Every rule above (and every netconan regex, and TOKENS) needs one of these (lower case) on its line. Lines
#: without any are skipped before the rules run; on a real configuration that is most lines. A test checks
#: that every rule's matches contain one (tests/safety/test_redact_rules.py).
TRIGGER_WORDS: tuple[str, ...] = (
    "pass", "secret", "key", "communit", "psk", "phash", "cipher", "simple", "hash", "plain", "auth", "priv",
    "pwd", "token", "v3user", "mgmtuser", "netuser", "syscon", "createuser", "com2sec", "://", "$", "%^%#",
    "%$%$", "%@%@", "enc", "ppp", "isis", "standby", "snmp",
)

#: Context: inside a FortiGate ``config system snmp community`` block, ``set name`` is the community itself
#: (elsewhere ``set name`` is an ordinary object name).
FORTI_SNMP_BLOCK = re.compile(
    r"^(?P<indent>[ \t]*)config system snmp community[ \t]*$.*?^(?P=indent)end[ \t]*$", re.MULTILINE | re.DOTALL
)
FORTI_SET_NAME = re.compile(_spaces(rf"^[ \t]*set name {V}"), re.MULTILINE)

#: PEM private keys (OpenSSH, PKCS#1/#8, encrypted): the body is masked, the armour lines stay.
PEM = re.compile(
    r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----(?:\\n|\r?\n)?(?P<v>(?:(?!-----END).)+?)(?:\\n|\r?\n)?"
    r"-----END (?:[A-Z0-9]+ )*PRIVATE KEY-----",
    re.DOTALL,
)

#: Hashes and vendor ciphertexts that are secret material wherever they appear: crypt-style ($1$, $5$, $6$,
#: $y$, bcrypt, Cisco $8$/$9$, Huawei $1a$..$1d$, Junos $9$, Comware $c$/$h$) and Huawei's %^%#...%^%# /
#: %$%$...%$%$ / %@%@...%@%@ envelopes, FortiOS ``ENC`` blobs.
TOKENS = re.compile(
    r"(?P<v>(?<![\w$])\$(?:1|2[aby]|5|6|7|8|9|sha512|sha1|y|gy)\$[^\s\"'<>;,:]+"
    # Huawei's irreversible ciphers use every printable character, quotes and ';' included.
    r"|(?<![\w$])\$(?:1[a-d]|[ch]\$\d+)\$\S+"
    r"|%\^%#.*?%\^%#|%\$%\$.*?%\$%\$|%@%@.*?%@%@)"
    r"|\bENC (?P<w>(?!" + MASK_START + r")[A-Za-z0-9+/]{12,}={0,2})"
)
