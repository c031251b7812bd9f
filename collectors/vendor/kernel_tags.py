"""A maker's name in the release string of a Linux kernel it built: the words of a uname-style sysDescr that only
the firmware's builder chose.

Appliance makers build their own kernels and tag the release with their name: ``2.6.32-431.56.1.el6.f5.x86_64``
(F5 BIG-IP), ``3.10.72-72EXINDAsmp`` (Exinda), ``3.10.0-1160.76.1.el7.nutanix.20220817.cvm.x86_64`` (Nutanix's
controller VM). Such a device often answers net-snmp's sysObjectID or none at all, and its host name is whatever
its owner typed, so the tag is the one word that names the maker. The host name is never read here (a device
called "unitrends" or "huawei-backup" says nothing of its maker).

A tag names a maker only when it is a whole word of the release that the knowledge base knows as a brand, or a
registered name distinctive enough to find in free text (:func:`collectors.vendor.pen.text_index`) that no other
registration shares: a kernel's words are also boards' and projects' code names ("sonoma", "target",
"lighthouse"), which some registrant among 62,000 happens to bear. Distribution, build-flavour and chip or board
words (``el7``, ``generic``, ``amzn``, ``rockchip``, ``sunxi``) never name one: they say whose
sources or whose silicon, not whose product.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from collectors.vendor import pen
from collectors.vendor.kb import KnowledgeBase

#: ``Linux <host> <release> ...`` (uname -a order), ``Linux version <release> ...`` (/proc/version) and
#: ``Linux <release> ...`` (no host name).
_BANNER = re.compile(r"^\s*Linux\s+(?:version\s+(?P<v>\d\S*)|(?P<bare>\d\S*)|\S+\s+(?P<r>\d\S*))")
#: A word of letters and digits that starts with a letter; capitals followed by lower case split there
#: ("72EXINDAsmp" -> "EXINDA", "smp"; "el6.f5" -> "el6", "f5").
_WORD = re.compile(r"[A-Z]{2,}(?=[a-z])|[A-Za-z][a-z0-9]*|[A-Z][A-Z0-9]*")
_LETTERS_HEAD = re.compile(r"^[a-z]+")
#: Release words that say whose sources, which build flavour, or which chip or board: never a product's maker.
NOT_MAKERS = frozenset({
    # distributions and their markers
    "el", "fc", "amzn", "uek", "centos", "rhel", "redhat", "fedora", "debian", "deb", "bpo", "ubuntu", "generic",
    "suse", "sles", "opensuse", "arch", "gentoo", "alpine", "yocto", "poky", "openwrt", "lede", "buildroot",
    "android", "coreos", "raspi", "rpi", "azure", "aws", "gcp", "kvm", "xen", "vmware", "hyperv", "mint", "pve",
    "oracle", "linaro", "elrepo", "grsec", "hardened", "lts", "mainline", "stable", "custom", "release", "build", "cvm",
    # build flavours
    "smp", "preempt", "rt", "pae", "default", "desktop", "server", "lowlatency", "virtual", "cloud", "dbg",
    "debug", "trunk", "dirty", "rc", "pre", "git", "svn", "nohz", "tiny", "std", "prod",
    # architectures, chips, boards
    "x", "amd", "arm", "armv", "aarch", "mips", "mipsel", "ppc", "powerpc", "sparc", "sun", "sunxi", "mvebu",
    "rockchip", "tegra", "imx", "omap", "exynos", "meson", "qcom", "msm", "bcm", "brcm", "mtk", "ralink", "ath",
    "octeon", "ipq", "lsdk", "fsl", "ti", "intel", "marvell", "realtek", "mediatek", "broadcom", "qualcomm",
    "allwinner", "amlogic", "cavium", "xilinx", "altera", "zynq", "ls", "armada", "kirkwood", "bsp",
})


#: Build-flavour endings a maker's tag may carry without a separator (F5's ``...el5.1.0.f5app``).
_FLAVOUR_ENDINGS = ("app", "smp", "pae", "preempt", "debug", "dbg")


@dataclass(frozen=True)
class KernelTag:
    """A release word that names a maker: the knowledge base's brand, or the registrant it names."""

    word: str
    brand: str
    registrant: str | None


def release_of(text: str) -> str | None:
    """The kernel release a Linux banner states (``2.6.32-431.56.1.el6.f5.x86_64``), or None."""
    m = _BANNER.match(text) if "Linux" in text[:40] else None
    if not m:
        return None
    return m.group("v") or m.group("bare") or m.group("r")


def release_words(release: str) -> list[str]:
    """The words of a release, split at case changes, lower case, in order, each once: none of one character, none
    whose letters are a word of :data:`NOT_MAKERS` (``el6``, ``x86``, ``smp``)."""
    words = (w.lower() for w in _WORD.findall(release))
    return [w for w in dict.fromkeys(words)
            if len(w) >= 2 and (m := _LETTERS_HEAD.match(w)) is not None and m.group(0) not in NOT_MAKERS]


def makers_tagged(kb: KnowledgeBase, text: str) -> list[KernelTag]:
    """The makers a Linux banner's kernel release names (see the module's docstring)."""
    release = release_of(text)
    if release is None:
        return []
    out: list[KernelTag] = []
    index = pen.text_index()
    for word in release_words(release):
        brand = kb.canonical(word) or _brand_before_flavour(kb, word)
        registrant = None if brand or pen.registrations_naming(word) != 1 else (
            index.get(word) or pen.brand_words().get(word))
        if registrant is not None and not kb.is_chip_maker(registrant):
            brand = kb.brand_named(registrant) or pen.registrant_brand(registrant)
        if brand and not kb.is_chip_maker(brand):
            out.append(KernelTag(word, brand, registrant))
    return out


def _brand_before_flavour(kb: KnowledgeBase, word: str) -> str | None:
    """The brand a word names once a build-flavour ending is taken off (``f5app`` -> F5): a knowledge-base brand
    only, never a registrant, since a shorter word matches more names."""
    for ending in _FLAVOUR_ENDINGS:
        head = word[:-len(ending)]
        if word.endswith(ending) and len(head) >= 2 and (brand := kb.canonical(head)):
            return brand
    return None
