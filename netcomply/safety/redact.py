"""Redaction: secrets never leave the process.

Two layers, both applied to every artifact, log line, report and evidence pack:

1. **Known secrets.** Every secret netcomply resolves (passwords, enable secrets, SNMP communities, v3 keys)
   is registered with :data:`REDACTOR` the moment it is read. Any later occurrence of that exact string, in any
   output, is masked. This catches what no pattern could know (a community echoed in an SNMP trap config).
2. **Patterns per platform syntax.** Configuration lines that carry secrets (``enable secret 5 ...``,
   ``password cipher ...``, ``set psksecret ENC ...``, ``encrypted-password "$6$..."``, PEM private keys ...)
   keep their keyword and lose their value, so an auditor still sees *that* a secret is set.

The mask is the fixed string ``<redacted>``; applying redaction twice changes nothing (idempotent), which
keeps artifact hashes stable.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from netcomply.models import Artifact, utcnow

MASK = "<redacted>"

#: A secret value: quoted (masked inside its quotes) or one bare token. A bare token is never the mask itself,
#: an encoding qualifier (``cipher``, ``ENC`` ...) or a one-digit type code followed by the real value.
_QUALIFIERS = (
    r"(?:cipher|irreversible-cipher|simple|hash|ENC|encrypted|pbkdf2|sha|md5|ascii|hex|ascii-text|hexadecimal"
    r"|version|informs|traps)"
)
V = (
    r'(?:"(?P<q>(?!<redacted>")[^"\n]*)"'
    rf"|(?P<v>(?!<redacted>)(?!{_QUALIFIERS}\s)(?![0-9] \S)[^\s\"]+?))(?=;?(?:\s|$))"
    # A token right before an existing mask is its qualifier or type code ("aes 128 <redacted>"): keep it.
    r'(?!;?\s+"?<redacted>)'
)
T = r"(?: [0-9])?"  # Cisco's type code (0, 5, 7, 8, 9) in front of a value

# Every pattern names the value it masks with the group ``q`` or ``v`` (see ``V``). Case-insensitive, one line.
_PATTERNS: list[str] = [
    # --- Cisco IOS / IOS-XE / NX-OS / ASA
    rf"\benable (?:secret|password)(?: level \d+)?{T} {V}",
    rf"\busername \S+(?: privilege \d+)?(?: algorithm-type \S+)? (?:secret|password){T} {V}",
    rf"\bpasswd {V}",
    rf"\bsnmp-server community {V}",
    rf"\bsnmp-server host \S+ \S+(?: (?:informs|traps|poll|vrf \S+))*(?: version (?:1|2c))? community {V}",  # ASA
    rf"\bsnmp-server host (?!\S+ \S+ (?:informs |traps |poll )?community )\S+(?: (?:informs|traps|vrf \S+))*"
    rf"(?: version (?:1|2c))? {V}",
    rf"\bsnmp-server user \S+ \S+(?: remote \S+)? v3(?: encrypted)? auth \S+ {V}",
    rf"\bpriv (?:des|3des|aes(?: \d+)?) {V}",
    rf"\b(?:tacacs-server|radius-server|tacacs|radius)(?: host \S+)? key{T} {V}",
    rf"^\s*key{T} {V}\s*$",
    rf"\bkey-string{T} {V}",
    rf"\bcrypto isakmp key{T} {V}",
    rf"\bpre-shared-key(?: (?:local|remote))?{T} {V}",
    rf"\bip ospf (?:authentication-key|message-digest-key \d+ md5){T} {V}",
    rf"\bntp authentication-key \d+ md5 {V}",
    rf"\b(?:wpa-psk|psk)(?: ascii| hex)?{T} {V}",
    # Bare "password X" / "secret X" only where they start a line (line vty, Junos), never inside prose.
    rf"^\s*password{T} {V}",
    rf"^\s*secret{T} {V}",
    # --- Cisco AireOS (WLC)
    rf"\bconfig snmp community (?:create|delete|accessmode \S+|ipaddr \S+ \S+) {V}",
    rf"\bpsk set-key (?:ascii|hex) {V}",
    # --- Huawei VRP / H3C and HPE Comware
    rf"\b(?:password|super password(?: level \d+)?|authentication-mode \S+|privacy-mode \S+)"
    rf"(?: (?:cipher|irreversible-cipher|simple|hash))+ {V}",
    rf"\bsnmp-agent community (?:read|write)(?: (?:cipher|simple))? {V}",
    rf"\b(?:cipher|simple) {V}",
    # --- FortiGate
    rf"\bset (?:password|passwd|psksecret|secret|key|passphrase|auth-pwd|priv-pwd|sae-password|"
    rf"private-key-password|ppk-secret|radius-secret|ldap-password|server-secret|password2|pwd)\s+(?:ENC\s+)?{V}",
    # --- Palo Alto (set syntax and XML)
    rf"\b(?:phash|password-hash|authentication-key)\s+{V}",
    rf"\bpre-shared-key key\s+{V}",
    r"<(phash|password|password-hash|key|secret|authkey|privkey|community|psk)>(?P<v>[^<]+)</\1>",
    # --- Juniper Junos
    rf"\b(?:encrypted-password|authentication-key|pre-shared-key (?:ascii-text|hexadecimal)|"
    rf"plain-text-password-value)\s+{V}",
    rf"\bsnmp community {V}",
    rf"^\s*community {V}(?=\s*[{{;]|\s*$)",  # Junos hierarchical: "community X {" under "snmp {"
    rf"\bsnmp-community-string {V}",  # PAN-OS
    # --- JSON and key=value (Linux tools, our own JSON)
    r'"(?:password|passwd|secret|psk|community|auth_key|priv_key|token|api_key)"\s*:\s*"(?P<q>(?!<redacted>")[^"]*)"',
    r"\b(?:community|password|passwd|secret|psk)\s*[=:]\s*(?P<v>(?!<redacted>)[^\s,;\"]+)",
]

_COMPILED = [re.compile(p, re.IGNORECASE | re.MULTILINE) for p in _PATTERNS]

#: Context-dependent secrets: inside a FortiGate ``config system snmp community`` block, ``set name`` is the
#: community itself (elsewhere ``set name`` is an ordinary object name).
_FORTI_SNMP_BLOCK = re.compile(r"^(?P<indent>[ \t]*)config system snmp community[ \t]*$.*?^(?P=indent)end[ \t]*$",
                               re.MULTILINE | re.DOTALL)
_FORTI_SET_NAME = re.compile(rf"^\s*set name {V}", re.MULTILINE)
_PEM = re.compile(
    r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----\n?(?P<v>(?:(?!-----END).)+?)\n?"
    r"-----END (?:[A-Z0-9]+ )*PRIVATE KEY-----",
    re.DOTALL,
)
#: Hashes and vendor ciphertexts that are secret material wherever they appear: crypt-style ($1$, $6$, Cisco
#: $8$/$9$, Huawei $1a$..$1d$, Junos $9$) and Huawei's %^%#...%^%# / %$%$...%$%$ / %@%@...%@%@ envelopes.
_TOKENS = re.compile(
    r"(?P<v>(?<![\w$])\$(?:1|1[a-d]|2[aby]|5|6|8|9|sha512|y)\$[^\s\"'<>;]+"
    r"|%\^%#.*?%\^%#|%\$%\$.*?%\$%\$|%@%@.*?%@%@)"
)

_MIN_LITERAL = 4  # shorter strings would mask ordinary words; they are caught by patterns instead

#: Factory defaults published in every vendor manual ("public"/"private" SNMP communities, "cisco", "admin").
#: They are no secret, and masking them as words would mangle ordinary text ("public-wifi", "administrative
#: SSID", control titles). Where they sit in a configuration line the patterns still mask the value; that a
#: device still uses one is a weakness the checks report, which a mask would hide.
WELL_KNOWN_DEFAULTS = frozenset({"public", "private", "cisco", "admin", "password", "secret", "default", "manager",
                                 "community", "changeme"})


class Redactor:
    """Masks known secret values and secret-bearing configuration syntax. Thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._literals: set[str] = set()
        self._literal_re: re.Pattern[str] | None = None
        self._dirty = False

    def add_secret(self, value: str | None) -> None:
        """Register a secret value so that it is masked everywhere from now on."""
        if not value or len(value) < _MIN_LITERAL or value == MASK or value.lower() in WELL_KNOWN_DEFAULTS:
            return
        with self._lock:
            if value not in self._literals:
                self._literals.add(value)
                self._dirty = True  # compiled on next use: adding 1,000 secrets compiles once, not 1,000 times

    def add_secrets(self, values: Iterable[str | None]) -> None:
        for value in values:
            self.add_secret(value)

    def _literal_pattern(self) -> re.Pattern[str] | None:
        if self._dirty:
            with self._lock:
                if self._dirty:
                    self._literal_re = re.compile(_trie_regex(self._literals)) if self._literals else None
                    self._dirty = False
        return self._literal_re

    def redact(self, text: str) -> str:
        """Mask every secret in ``text``. All patterns look at the original text and the union of what they
        find is masked in one pass, so no pattern can be confused by another's mask."""
        if not text:
            return text
        spans: list[tuple[int, int]] = []
        literal_re = self._literal_pattern()
        if literal_re is not None:
            spans.extend(m.span() for m in literal_re.finditer(text))
        for pattern in (_PEM, *_COMPILED, _TOKENS):
            spans.extend(_value_spans(pattern, text))
        for block in _FORTI_SNMP_BLOCK.finditer(text):
            base = block.start()
            spans.extend((base + a, base + b) for a, b in _value_spans(_FORTI_SET_NAME, block.group(0)))
        if not spans:
            return text
        return _mask_spans(text, spans)

    def redact_bytes(self, data: bytes) -> bytes:
        return self.redact(data.decode("utf-8", errors="surrogateescape")).encode("utf-8", "surrogateescape")

    def redact_obj(self, value: object) -> object:
        """Redact every string inside a JSON-like structure (dicts, lists, tuples)."""
        if isinstance(value, str):
            return self.redact(value)
        if isinstance(value, dict):
            return {k: self.redact_obj(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [self.redact_obj(v) for v in value]
        return value


def _trie_regex(words: Iterable[str]) -> str:
    """One regex matching any of ``words``, longest first, shaped as a prefix tree. A flat alternation of
    a thousand literals makes the regex engine try every one at every position; a trie tries each character
    once per branch."""
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}  # end of a word

    def build(node: dict[str, Any]) -> str:
        ends = "" in node
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        # Greedy: prefer the longer secret; fall back to the shorter one that ends here.
        return f"(?:{body})?" if ends else body

    return build(trie)


def _value_spans(pattern: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    spans = []
    for m in pattern.finditer(text):
        group = "q" if m.groupdict().get("q") is not None else "v"
        if m.group(group):
            spans.append(m.span(group))
    return spans


def _mask_spans(text: str, spans: list[tuple[int, int]]) -> str:
    """Replace the union of ``spans`` with the mask; text already masked stays as it is."""
    spans.sort()
    out: list[str] = []
    pos = 0
    cur_start, cur_end = spans[0]
    for start, end in spans[1:]:
        if start <= cur_end:
            cur_end = max(cur_end, end)
            continue
        out.extend((text[pos:cur_start], _mask_of(text[cur_start:cur_end])))
        pos = cur_end
        cur_start, cur_end = start, end
    out.extend((text[pos:cur_start], _mask_of(text[cur_start:cur_end]), text[cur_end:]))
    return "".join(out)


def _mask_of(secret: str) -> str:
    # Keep the mask idempotent: a span that is exactly the mask (or masks) stays; anything else is masked once.
    return secret if secret.replace(MASK, "").strip() == "" else MASK


#: The process-wide redactor. Secret resolution registers values here; every writer redacts through it.
REDACTOR = Redactor()


def redact(text: str) -> str:
    return REDACTOR.redact(text)


def capture_artifact(
    device: str,
    collector: str,
    source: str,
    content: str | bytes,
    *,
    collected_at: datetime | None = None,
    media_type: str = "text/plain",
    redactor: Redactor | None = None,
) -> Artifact:
    """Make an :class:`Artifact`: redact first, then hash, so the stored bytes and the hash hold no secret."""
    r = redactor or REDACTOR
    raw = content if isinstance(content, bytes) else content.encode("utf-8", "surrogateescape")
    return Artifact(
        device=device,
        collector=collector,
        source=r.redact(source),
        content=r.redact_bytes(raw),
        collected_at=collected_at or utcnow(),
        media_type=media_type,
    )


class RedactingFilter(logging.Filter):
    """A logging filter that masks secrets in every record, message and arguments alike."""

    def __init__(self, redactor: Redactor | None = None) -> None:
        super().__init__()
        self._redactor = redactor or REDACTOR

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a badly formatted record still must not leak
            message = str(record.msg)
        record.msg = self._redactor.redact(message)
        record.args = ()
        if record.exc_text:
            record.exc_text = self._redactor.redact(record.exc_text)
        return True


def install_log_redaction(redactor: Redactor | None = None) -> None:
    """Attach the redacting filter to every handler of the root logger (and future ones via the root)."""
    flt = RedactingFilter(redactor)
    root = logging.getLogger()
    for handler in root.handlers:
        if not any(isinstance(f, RedactingFilter) for f in handler.filters):
            handler.addFilter(flt)
    if not any(isinstance(f, RedactingFilter) for f in root.filters):
        root.addFilter(flt)
