"""Standard MIBs' identity objects (UPS-MIB upsIdent, IEEE 802.11 dot11ResourceInfoTable) name the maker of devices
whose sysObjectID and sysDescr name nobody or only their network card's maker.

Real recordings (LibreNMS tests/snmpsim, Jellyfrog/librenms@4ab87302, tests/vendor/fixtures/recordings/SOURCES):
read offline (``netcomply identify``'s reduction) and served over real SNMP by snmpsim on loopback to the live
``vendor_signals`` and ``snmp_system`` collectors, judged by the same code; both must agree.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from collectors.base import CollectContext
from collectors.snmp_system import SnmpSystem
from collectors.vendor import recordings, standard_identity
from collectors.vendor.collector import VendorSignals
from collectors.vendor.judge import judge
from collectors.vendor.kb import load_kb
from collectors.vendor.standard_identity import MANUFACTURER_SIGNAL, UPS_MAKER_SIGNAL
from netcomply.app.lab.snmp.fixtures import free_udp_port
from netcomply.app.lab.snmp.process import Endpoint, start_snmpsim
from netcomply.models import Device, SnmpSettings
from netcomply.safety.redact import Redactor
from netcomply.safety.targets import TargetPolicy
from netcomply.secrets import SecretResolver

FIXTURES = Path(__file__).parent / "fixtures" / "recordings"

# recording -> (brand, manufacturer, prc_brand, model, the identity fields the device answers), written out from
# the recordings' own words: the UPS-MIB's manufacturer, the 802.11 MIB's manufacturer name
EXPECTED: dict[str, tuple[str, str, bool | None, str | None, set[str]]] = {
    # sysObjectID is UCD-SNMP's (2021), sysDescr a Linux banner: only the UPS-MIB names the maker
    "marathonups": ("Marathon Power", "Marathon Power", None, None, {"ups_manufacturer"}),
    # a Megatec NetAgent card ("NET Agent II", Phoenixtec's enterprise 935) managing an INVT UPS: the card is the
    # device on the network, so its words name the brand; the UPS's maker, a PRC brand, makes it "needs review"
    "netagent2": ("Megatec", "Phoenixtec Power", None, None, {"ups_manufacturer", "ups_agent_software"}),
    # "CPS" is the initials of the sysObjectID's registrant, Cyber Power System Inc.: the brand CyberPower
    # (Taipei; a knowledge-base brand since round 8)
    "cyberpower": ("CyberPower", "Cyber Power System", False, None, {"ups_manufacturer"}),
    # sysObjectID under Frogfoot Networks' 10002 (airOS's borrowed number), sysDescr a Linux banner
    "airos_2": ("Ubiquiti", "Ubiquiti", False, None, {"dot11_manufacturer"}),
    "huaweiups_ups2000": ("Huawei", "Huawei", True, "UPS2000 6kVA", {"ups_manufacturer", "ups_model", "ups_software"}),
}


def test_the_reduction_keeps_the_identity_objects_as_recorded() -> None:
    kb = load_kb()
    for name, (_, _, _, _, fields) in EXPECTED.items():
        row = recordings.read(FIXTURES / f"{name}.snmprec", [v.oid for v in kb.vendor_oids])
        assert set(row.get("standard_identity") or {}) == fields, name
    row = recordings.read(FIXTURES / "netagent2.snmprec")
    assert row["standard_identity"] == {"ups_manufacturer": "INVT CO., LTD", "ups_agent_software": "2.48.DP520.WEST"}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_recordings_name_the_maker_their_standard_objects_state(name: str) -> None:
    kb = load_kb()
    row = recordings.read(FIXTURES / f"{name}.snmprec", [v.oid for v in kb.vendor_oids])
    verdict = recordings.verdict_of(kb, row)
    brand, manufacturer, prc, model, _ = EXPECTED[name]
    assert (verdict.brand, verdict.manufacturer, verdict.prc_brand) == (brand, manufacturer, prc)
    if model:
        assert verdict.model == model
    claims = [e for e in verdict.evidence if e.signal in (MANUFACTURER_SIGNAL, UPS_MAKER_SIGNAL)]
    assert claims and (claims[0].brand == brand or name == "netagent2"), verdict.evidence


def test_without_the_identity_objects_these_devices_were_unknown() -> None:
    """The objects decide: the same recordings less their standard identity lines name no brand (marathonups,
    airos_2), so the test above fails if the reading is lost."""
    kb = load_kb()
    for name in ("marathonups", "airos_2"):
        row = recordings.read(FIXTURES / f"{name}.snmprec")
        row.pop("standard_identity")
        assert recordings.verdict_of(kb, row).brand is None, name


def test_the_ups_maker_names_the_brand_only_when_the_agent_names_nobody() -> None:
    """RFC 1628's upsIdentManufacturer is the UPS's maker, which a card of another maker reports. The INVT UPS
    behind recording netagent2's Megatec card: the card's words ("NET Agent II") name the brand, the UPS's PRC maker
    makes the PRC answer "needs review" and says why; the same card with no words of its own (sysDescr and
    sysObjectID gone) is named by the UPS's maker, as marathonups is."""
    kb = load_kb()
    row = recordings.read(FIXTURES / "netagent2.snmprec")
    verdict = recordings.verdict_of(kb, row)
    assert (verdict.brand, verdict.prc_brand) == ("Megatec", None)
    assert "the UPS it manages is INVT CO., LTD" in verdict.prc_detail
    bare = recordings.verdict_of(kb, {**row, "sys_descr": None, "sys_object_id": None})
    assert (bare.brand, bare.prc_brand) == ("INVT", True)


def test_snmpwalk_output_with_mib_names_is_read() -> None:
    text = ('SNMPv2-MIB::sysDescr.0 = STRING: "Power Manager"\n'
            "SNMPv2-MIB::sysObjectID.0 = OID: SNMPv2-SMI::enterprises.3808.1.1.3\n"
            'UPS-MIB::upsIdentManufacturer.0 = STRING: "CPS"\n'
            'UPS-MIB::upsIdentModel.0 = STRING: "PR2200RT2UC"\n'
            'IEEE802dot11-MIB::dot11ManufacturerName.7 = STRING: "Ubiquiti Networks, Inc."\n')
    row = recordings.facts(recordings.read_text(text).objects)
    assert row["standard_identity"] == {"ups_manufacturer": "CPS", "ups_model": "PR2200RT2UC",
                                        "dot11_manufacturer": "Ubiquiti Networks, Inc."}


def test_placeholders_name_nobody_and_the_lowest_radio_row_counts() -> None:
    values = {standard_identity.UPS_SCALARS["ups_manufacturer"]: "Unknown",
              standard_identity.UPS_SCALARS["ups_model"]: "  ",
              f"{standard_identity.DOT11_COLUMNS['dot11_manufacturer']}.12": "Second radio maker",
              f"{standard_identity.DOT11_COLUMNS['dot11_manufacturer']}.5": "",
              f"{standard_identity.DOT11_COLUMNS['dot11_manufacturer']}.9": "First answering radio",
              f"{standard_identity.DOT11_COLUMNS['dot11_product']}.9": "N/A"}
    assert standard_identity.from_values(values) == {"dot11_manufacturer": "First answering radio"}


@pytest.mark.parametrize("value", ["#", "--", "?", "N/A", "unknown", "0", " \x00 "])
def test_a_value_without_two_letters_or_digits_names_nobody(value: str) -> None:
    """Found by the property test below: a manufacturer "#" became a label claim with an empty brand."""
    assert standard_identity.from_values({standard_identity.UPS_SCALARS["ups_manufacturer"]: value}) == {}


def test_a_hex_encoded_manufacturer_is_decoded() -> None:
    """Tripp Lite's card sends its name as hex (LibreNMS recording poweralert_2: ``4x|5452495050204c495445``)."""
    oid = standard_identity.UPS_SCALARS["ups_manufacturer"]
    assert standard_identity.from_values({oid: "0x5452495050204c495445"}) == {"ups_manufacturer": "TRIPP LITE"}


def test_initials_name_the_registrant_only_when_they_match() -> None:
    kb = load_kb()
    cps = standard_identity.evidence(kb, {"ups_manufacturer": "CPS"}, "1.3.6.1.4.1.3808.1.1.3", "t")
    assert cps[0].brand == "CyberPower" and cps[0].weight == kb.weight("standard_mfg")
    other = standard_identity.evidence(kb, {"ups_manufacturer": "CPS"}, "1.3.6.1.4.1.9.1.1", "t")  # Cisco's
    assert other[0].brand == "CPS" and other[0].weight == kb.weight("registrant_text")


@given(st.dictionaries(st.sampled_from([*standard_identity.UPS_SCALARS.values(),
                                        *(f"{c}.{i}" for c in standard_identity.DOT11_COLUMNS.values()
                                          for i in (1, 2, 10))]),
                       st.one_of(st.none(), st.text(max_size=400), st.binary(max_size=40).map(lambda b: "0x" + b.hex()))))
def test_any_answers_give_known_fields_with_short_non_empty_values(values: dict[str, Any]) -> None:
    out = standard_identity.from_values(values)
    assert set(out) <= set(standard_identity.FIELDS)
    assert all(v and v == v.strip() and len(v) <= standard_identity.MAX_VALUE for v in out.values())
    ev = standard_identity.evidence(load_kb(), out, None, "t")
    assert all(e.brand for e in ev if e.kind == "label")


# ------------------------------------------------------------------------------------------ over real SNMP


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    """snmpsim on 127.0.0.1 serving the real recordings, each under its file name as community (lines in OID
    order, as snmpsim's index wants them)."""
    base = tmp_path_factory.mktemp("stdident")
    data = base / "data"
    data.mkdir()
    for name in EXPECTED:
        lines = [ln for ln in (FIXTURES / f"{name}.snmprec").read_text(encoding="utf-8").splitlines() if ln.strip()]
        lines.sort(key=lambda ln: [int(p) for p in ln.split("|", 1)[0].split(".")])
        (data / f"{name}.snmprec").write_text("\n".join(lines) + "\n", encoding="utf-8")
    port = free_udp_port()
    proc = start_snmpsim(data, [Endpoint("127.0.0.1", port)], cache_dir=base / "cache", log_file=base / "log",
                         probe_community="marathonups")
    try:
        yield port
    finally:
        proc.stop()


@pytest.mark.lab
def test_live_collection_gives_the_offline_verdicts(served: int, snmp_loop: asyncio.Runner) -> None:
    env = {f"C_{i}": name for i, name in enumerate(EXPECTED)}
    ctx = CollectContext(run_id="std-identity", secrets=SecretResolver(env, {}, Redactor()),
                         targets=TargetPolicy.loopback_only())

    async def collect_all() -> list[Any]:
        observations = []
        for i, name in enumerate(EXPECTED):
            device = Device(name=name, address="127.0.0.1",
                            snmp=SnmpSettings(port=served, community_env=f"C_{i}", timeout=2, retries=1))
            for collector in (SnmpSystem(), VendorSignals()):
                out = await collector.collect(device, ctx)
                observations += out.observations
                if isinstance(collector, VendorSignals):
                    assert "snmp:getnext dot11ResourceInfoTable" in {a.source for a in out.artifacts}
        return observations

    observations = snmp_loop.run(collect_all())
    kb = load_kb()
    signals = {o.device: o.data for o in observations if o.kind == "vendor.snmp_signals"}
    verdicts = {v.name: v for v in judge(kb, observations).devices}
    for name, (brand, manufacturer, prc, _, fields) in EXPECTED.items():
        assert set(signals[name]["standard_identity"]) == fields, name
        offline = recordings.verdict_of(kb, recordings.read(FIXTURES / f"{name}.snmprec"))
        live = verdicts[name]
        assert (live.brand, live.manufacturer, live.prc_brand) == (brand, manufacturer, prc), name
        assert (live.brand, live.manufacturer, live.prc_brand, live.model) == (
            offline.brand, offline.manufacturer, offline.prc_brand, offline.model), name


# ------------------------------------------------------------------------------------------ DOCSIS sysDescr

# Real sysDescr values (LibreNMS recordings arris-cm_dg1660a, arris-c3, thomson-cm; tests/vendor/corpus/librenms.jsonl)
DG1660A = ("ARRIS DOCSIS 3.0 Touchstone Residential Gateway <<HW_REV: 3; VENDOR: Arris Interactive, L.L.C.; "
           "BOOTR: 2.2.0.27; SW_REV: 8.1.102; MODEL: DG1660A>>")
C3 = "Cadant C3 CMTS <<HW_REV: 04; VENDOR: ARRIS; BOOTR: 4.2.0.2; SW_REV: 4.4.4.13; MODEL: C3>>"
TCM420 = "Thomson DOCSIS Cable Modem <<HW_REV: 4.0; VENDOR: Thomson; BOOTR: 2.1.6d; SW_REV: ST52.04.05; MODEL: TCM420>>"


@pytest.mark.parametrize(("descr", "fields"), [
    (DG1660A, {"docsis_vendor": "Arris Interactive, L.L.C.", "docsis_model": "DG1660A", "docsis_software": "8.1.102"}),
    (C3, {"docsis_vendor": "ARRIS", "docsis_model": "C3", "docsis_software": "4.4.4.13"}),
    (TCM420, {"docsis_vendor": "Thomson", "docsis_model": "TCM420", "docsis_software": "ST52.04.05"}),
    ("Cisco IOS Software, C2960 Software (C2960-LANBASEK9-M), Version 12.2(50)SE3", {}),
    ("<<HW_REV: 1; BOOTR: 2164>>", {}),  # a block with neither VENDOR nor MODEL is not read
])
def test_docsis_sysdescr_fields(descr: str, fields: dict[str, str]) -> None:
    assert standard_identity.from_docsis_descr(descr) == fields


@pytest.mark.parametrize(("row_id", "brand", "model", "version"), [
    ("arris-cm_dg1660a", "Arris", "DG1660A", "8.1.102"),
    ("arris-c3", "Arris", "C3", "4.4.4.13"),
    ("thomson-cm", "Technicolor", "TCM420", "ST52.04.05"),  # Thomson's networking line is Technicolor's
])
def test_docsis_devices_get_model_and_version_for_their_cpe(row_id: str, brand: str, model: str, version: str) -> None:
    """Before the DOCSIS fields were read these verdicts had no model or version (so no CPE for the VANS list)."""
    from collectors.vendor import corpus

    row = next(r for r in corpus.load_rows() if r["id"] == row_id)
    verdict = corpus.verdict_of(load_kb(), row)
    assert (verdict.brand, verdict.model, verdict.version) == (brand, model, version)


def test_a_binary_entity_revision_is_no_version() -> None:
    """LibreNMS recording arris-d5: its chassis entPhysicalSoftwareRev is NULs and line ends (hex in the
    recording); it became the verdict's version ("0x0000...") and so the CPE's. The DOCSIS SW_REV is the version."""
    from collectors.vendor import corpus

    row = next(r for r in corpus.load_rows() if r["id"] == "arris-d5")
    assert any(str(e.get("software_rev", "")).startswith("0x") for e in row["entity"])
    assert corpus.verdict_of(load_kb(), row).version == "3.0.2.117"


@given(st.text(max_size=300), st.text(alphabet=st.characters(blacklist_characters="<>;"), max_size=40))
def test_any_sysdescr_gives_at_most_the_docsis_fields(prefix: str, vendor: str) -> None:
    out = standard_identity.from_docsis_descr(prefix)
    assert set(out) <= {"docsis_vendor", "docsis_model", "docsis_software"}
    block = standard_identity.from_docsis_descr(f"{prefix.replace('<', '').replace('>', '')} <<VENDOR: {vendor}>>")
    assert block.get("docsis_vendor", "") == standard_identity.from_values(
        {standard_identity.UPS_SCALARS["ups_manufacturer"]: vendor}).get("ups_manufacturer", "")


def test_a_labelled_version_gives_the_version_alone() -> None:
    """snmpsim-data's Eaton 93E (tests/vendor/fixtures/walks) states upsIdentUPSSoftwareVersion "INV: 2.08.0011";
    its CPE version was ``inv\\:_2.08.0011``."""
    row = recordings.read(Path(__file__).parent / "fixtures" / "walks" / "snmpsim-data_eaton-93e-80.snmprec.bz2")
    assert row["standard_identity"]["ups_software"] == "INV: 2.08.0011"
    assert recordings.verdict_of(load_kb(), row).version == "2.08.0011"
    assert standard_identity.evidence(load_kb(), {"ups_software": "V100R001C00SPC602"}, None, "t")[0].version == (
        "V100R001C00SPC602")
