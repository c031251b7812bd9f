"""Issue 16, round 3: identification from SSH CLI output that states a model but not its maker.

Real data only: the ntc-templates captures of tests/vendor/corpus/ntc_cli.jsonl (repository, commit and paths in
tests/vendor/corpus/SOURCES), the published SNMP recordings of the corpus (librenms.jsonl) as the check that no
part-number family names another maker's real device, and a lab run over real SSH for the observation contract.
Each capture named in ``FIXED`` came back unknown, or as the wrong brand, before the part-number families
(collectors/vendor/data/cli_models.yaml) and the inventory parsers of this round.
"""

from __future__ import annotations

import importlib.util
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from collectors.vendor import cli_models, corpus
from collectors.vendor import evidence as E
from collectors.vendor.cli_parsers import (
    MODEL_KEYS,
    cisco_inventory_facts,
    inventory_facts,
    junos_chassis_facts,
    model_fields,
    parse_cisco_inventory,
    parse_junos_chassis_hardware,
)
from collectors.vendor.identify import Verdict, identify
from collectors.vendor.kb import load_kb
from collectors.vendor.pen import name_key
from netcomply.errors import InputError


@lru_cache(maxsize=1)
def captures() -> dict[str, dict[str, Any]]:
    return {str(r["id"]): r for r in corpus.load_cli()}


def verdict_of(capture_id: str) -> Verdict:
    return corpus.cli_verdict(load_kb(), captures()[capture_id])


# (capture, brand, model, prc_brand): each one unknown (or VMware, for the PA-VM) before this round.
FIXED = [
    ("juniper_junos/show_chassis_hardware/juniper_junos_show_chassis_hardware", "Juniper", "MX10-T", False),
    ("juniper_junos/show_chassis_hardware/juniper_junos_show_chassis_hardware2", "Juniper", "MX104", False),
    ("juniper_junos/show_chassis_hardware/juniper_junos_show_chassis_hardware3", "Juniper", "JNP204", False),
    ("juniper_junos/show_chassis_hardware/juniper_junos_show_chassis_hardware4", "Juniper", "MX480", False),
    ("juniper_junos/show_chassis_hardware/juniper_junos_show_chassis_hardware_dac_no_revision", "Juniper",
     "JNP48Y8C-CHAS", False),  # a virtual chassis names no model: its first FPC does
    ("cisco_ios/show_inventory/cisco_ios_show_inventory", "Cisco", None, False),  # only NM-1FE-TX= modules
    ("allied_telesis_awplus/show_system/allied_telesis_awplus_show_system", "Allied Telesis", "AT-SH210-24GT", False),
    ("huawei_smartax/display_version/huawei_smartax_display_version", "Huawei", "MA5608T", True),
    ("paloalto_panos/show_system_info/paloalto_panos_show_system_info", "Palo Alto Networks", "PA-VM", False),
    ("huawei_ont/display_version/huawei_ont_display_version", "Huawei", None, True),  # V3R017C00S100 only
]


@pytest.mark.parametrize(("capture", "brand", "model", "prc"), FIXED, ids=[c.rsplit("/", 1)[1] for c, *_ in FIXED])
def test_a_model_without_its_makers_name_is_read_by_the_makers_numbering(capture: str, brand: str,
                                                                         model: str | None, prc: bool) -> None:
    v = verdict_of(capture)
    assert (v.brand, v.prc_brand) == (brand, prc), v.evidence
    if model is not None:
        assert v.model == model
    claims = [e for e in v.evidence if e.signal.endswith(".model") and e.brand == brand]
    assert claims and all("follows" in (e.note or "") for e in claims)  # the verdict says which scheme and where


def test_hpe_branded_comware_keeps_brand_and_manufacturer_apart() -> None:
    """HPE sells H3C-built Comware switches under its own brand and part numbers (JH324A): the brand is HPE, not a
    PRC brand; an H3C-branded one (S5500-52C-EI) is H3C and PRC."""
    v = verdict_of("hp_comware/display_device_manuinfo/hp_comware_display_device_manuinfo_failed-display-null-power")
    assert (v.brand, v.prc_brand) == ("HPE", False)
    assert any(e.signal.endswith(".model") and e.model == "JH324A" for e in v.evidence)
    v = verdict_of("hp_comware/display_device_manuinfo/hp_comware_display_device_manuinfo2")
    assert (v.brand, v.prc_brand, v.model) == ("H3C", True, "S5500-52C-EI")


def test_an_inventory_of_optics_alone_names_no_chassis() -> None:
    """An ASA's ``show inventory`` listing only its ports' optics: no row is the chassis, so no model (it was the
    optic's part number) and no brand guessed from a third-party optic."""
    v = verdict_of("cisco_asa/show_inventory/cisco_asa_show_inventory_pid_spaces")
    assert v.model is None and v.brand is None and v.prc_brand is None


def test_huawei_labels_under_other_commands_and_upper_case_keys_parse_the_same() -> None:
    """Huawei writes its electronic label for ``display device manuinfo`` too, and some releases spell the keys in
    capitals (``BOARDTYPE=``, ``VENDORNAME=``): the same board, the same verdict."""
    import re

    text = (Path(__file__).resolve().parent / "fixtures" / "cli" / "huawei_display_elabel_s5730-48c-si.txt").read_text(
        encoding="utf-8")
    upper = re.sub(r"^(\w+)=", lambda m: m.group(1).upper() + "=", text, flags=re.MULTILINE)
    kb = load_kb()
    for command, output in (("display device manuinfo", text), ("display elabel", upper)):
        facts = inventory_facts(command, output)
        assert (facts["model"], facts["vendor"], facts["boards"]) == ("S5730-48C-SI-AC", "Huawei", 2), command
        v = identify(kb, E.from_cli(kb, {command: output}, None, "ssh"))
        assert (v.brand, v.prc_brand, v.model) == ("Huawei", True, "S5730-48C-SI-AC"), command


def test_a_version_number_in_a_makers_scheme_is_a_version_not_a_model() -> None:
    v = verdict_of("huawei_ont/display_version/huawei_ont_display_version")
    assert v.version == "V3R017C00S100" and v.model is None


def test_stored_facts_without_the_raw_text_still_name_the_brand() -> None:
    """The judge reads a ``vendor.cli_inventory`` observation's parsed facts when the artifact is not at hand."""
    text = captures()["juniper_junos/show_chassis_hardware/juniper_junos_show_chassis_hardware4"]["text"]
    kb = load_kb()
    v = identify(kb, E.from_inventory(kb, "show chassis hardware", junos_chassis_facts(text), "ssh (stored)"))
    assert (v.brand, v.model, v.serial) == ("Juniper", "MX480", "JN1111111")


def test_cli_captures_floors() -> None:
    """Round 3's figures on the 128 captures (86.2 % / 13.0 % unknown before): a regression guard."""
    s = corpus.measure_cli(load_kb(), corpus.load_cli(), corpus.load_labels()).summary()
    assert s["prc_wrong"] == 0, s["prc_wrong_ids"]
    assert float(s["brand_accuracy"]) >= 0.95
    assert float(s["unknown_rate"]) <= 0.05


# ------------------------------------------------------------------------------------ the families, as data


def _texts(row: dict[str, Any]) -> list[str]:
    return [str(row.get("sys_descr") or "")] + [str(e.get(k) or "") for e in row.get("entity") or []
                                                for k in ("model_name", "descr")]


def test_no_family_names_another_makers_real_device() -> None:
    """Every family, read as loosely as it is ever read (anywhere, any case), over the sysDescr, model names and
    descriptions of 1,900 published recordings: it may match its own maker's devices, never another vendor's. A
    PRC family matching a non-PRC device (Atheros AR9220 radios against Huawei's AR routers) would make
    ``prc_brand`` wrong."""
    kb, labels, families = load_kb(), corpus.load_labels(), cli_models.load().families
    own, other = 0, []
    for row in corpus.load_rows():
        label = labels.of(str(row["os"]), str(row["id"]))
        if label.vendor is None:
            continue
        accept = {kb.family(kb.canonical(a) or a) for a in label.accept} | {name_key(a) for a in label.accept}
        texts = _texts(row)
        for fam in families:
            hit = next((m.group(0) for t in texts if (m := fam.field_pattern.search(t))), None)
            if hit is None:
                continue
            if kb.family(fam.brand) in accept or name_key(fam.brand) in accept:
                own += 1
            else:
                other.append((row["id"], label.vendor, fam.brand, hit))
    assert not other, other
    assert own >= 100  # the check is not vacuous: the families do read real devices of their own makers


def test_every_family_names_a_known_brand_and_a_source() -> None:
    kb = load_kb()
    models = cli_models.load()
    assert len(models.families) >= 25
    for fam in models.families:
        assert kb.canonical(fam.brand) == fam.brand, fam.family
        assert len(fam.source) > 20, fam.family
    prc = {b for b in cli_models.brands(models) if kb.prc(b)}
    assert {"Huawei", "H3C"} <= prc


def test_a_bad_family_file_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "models.yaml"
    bad.write_text("families:\n  - {brand: Cisco, family: x, pattern: 'WS-(', scope: text, source: s}\n"
                   "  - {brand: Cisco, family: y, pattern: 'N9K-', scope: anywhere, source: s}\n"
                   "  - {brand: Cisco, family: z, scope: text}\n"
                   "  - {brand: Cisco, family: w, pattern: 'N9K-', scope: text, source: s, states: serial}\n",
                   encoding="utf-8")
    with pytest.raises(InputError) as err:
        cli_models.load(str(bad))
    text = str(err.value)
    assert "families[0].pattern" in text and "families[1].scope" in text and "families[2].pattern" in text
    assert "families[3].states" in text
    assert str(bad) in text
    (tmp_path / "list.yaml").write_text("- a\n", encoding="utf-8")
    with pytest.raises(InputError, match="expected a mapping"):
        cli_models.load(str(tmp_path / "list.yaml"))


def test_field_families_are_read_only_in_labelled_values() -> None:
    """``AR6280`` is a Huawei router only where the output labels it as the model; in free text it stays unread,
    and a host name (NX-OS ``Device name``) is never read as a model."""
    models = cli_models.load()
    assert [c.brand for c in models.claims("display version", "3. Board    Type     : AR6280\n")] == ["Huawei"]
    assert models.claims("show version", "uplink to AR6280 in the branch\n") == []
    for named_host in ("  Device name: S5720-core\n", "Hostname: CE6850-lab\n", "S5720-core uptime is 2 weeks\n",
                       "<S5720-core>display version\n", "S5720-core#show version\n"):
        assert models.claims("show version", named_host) == [], named_host
    assert [c.model for c in models.claims("display version", "HUAWEI S5720-28X-SI-AC uptime is 2 weeks\n")] == [
        "S5720-28X-SI-AC"]  # VRP names the product there, not the host


# ------------------------------------------------------------------------------------ properties of the parsers

_TOKEN = st.text(alphabet=st.sampled_from("ABCDEFGHJKLMNPRSTUVWXYZ0123456789-"), min_size=1, max_size=16).filter(
    lambda s: s.strip("-") == s)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=400))
def test_any_text_parses_without_an_exception(text: str) -> None:
    for command in ("show inventory", "show chassis hardware", "display version", "show version"):
        inventory_facts(command, text)
        cli_models.load().claims(command, text, inventory_facts(command, text))
    model_fields(text)
    parse_cisco_inventory(text)
    parse_junos_chassis_hardware(text)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["Chassis", "Slot 1", "Power Supply 1", "module 0"]),
                          st.text(alphabet="abcdefgh XYZ0123456789/", max_size=30), _TOKEN, _TOKEN),
                min_size=1, max_size=6))
def test_udi_rows_round_trip(rows: list[tuple[str, str, str, str]]) -> None:
    text = "\n\n".join(f'NAME: "{n}", DESCR: "{d}"\nPID: {p:<18}, VID: V01 , SN: {s}' for n, d, p, s in rows)
    parsed = parse_cisco_inventory(text)
    assert [(r["name"], r["descr"], r["pid"], r["sn"]) for r in parsed] == [(n, d.strip(), p, s) for n, d, p, s in rows]
    chassis = next((r for r in rows if "chassis" in f"{r[0]} {r[1]}".lower()), rows[0])
    assert cisco_inventory_facts(text)["model"] == chassis[2]


@settings(max_examples=80, deadline=None)
@given(_TOKEN, _TOKEN, st.lists(st.tuples(st.sampled_from(["PEM 0", "FPC 0", "Midplane", "  PIC 0"]), _TOKEN),
                                max_size=4))
def test_junos_chassis_rows_round_trip(serial: str, model: str, rows: list[tuple[str, str]]) -> None:
    fmt = "{:<17}{:<9}{:<13}{:<18}{}"
    lines = ["Hardware inventory:", fmt.format("Item", "Version", "Part number", "Serial number", "Description"),
             fmt.format("Chassis", "", "", serial, model)]
    lines += [fmt.format(item, "REV 01", "750-000000", "X1", descr) for item, descr in rows]
    facts = junos_chassis_facts("\n".join(lines))
    assert (facts["model"], facts["serial"], facts["boards"]) == (model, serial, 1 + len(rows))


@settings(max_examples=80, deadline=None)
@given(st.sampled_from(sorted(MODEL_KEYS)), st.sampled_from([":", " :", "....", " ="]), _TOKEN)
def test_a_labelled_model_line_is_found_and_an_unlabelled_one_is_not(key: str, sep: str, value: str) -> None:
    assert model_fields(f"{key.title()}{sep} {value}\n") == [(key, value)]
    assert model_fields(f"Hostname{sep} {value}\nDevice name{sep} {value}\n") == []


# ------------------------------------------------------------------------------------ the contract, on the lab


def _contract_problems() -> Any:
    """The contract tests' validator (pydantic, strict, no undocumented keys): one checker for every kind."""
    path = Path(__file__).resolve().parents[1] / "contracts" / "test_observation_contracts.py"
    spec = importlib.util.spec_from_file_location("_observation_contracts", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.problems


def test_the_collector_writes_the_contract_from_real_nx_os_output() -> None:
    """``vendor_cli`` on an NX-OS switch, its session answering with published captures (ntc-templates): the
    observation validates against ``VendorCliInventory``, states the chassis PID and serial, and the judge names
    Cisco from the stored observation and its artifacts alone."""
    from collectors.base import CollectorOutput
    from collectors.vendor.cli_inventory import VendorCli
    from collectors.vendor.judge import evidence_for
    from netcomply.models import Device

    texts = {"show version": captures()["cisco_nxos/show_version/cisco_nxos_show_version5"]["text"],
             "show inventory": captures()["cisco_nxos/show_inventory/cisco_nxos_show_inventory2"]["text"]}

    class Session:
        def send(self, command: str) -> str:
            return texts[command]

    out = CollectorOutput()
    device = Device(name="nx1", address="192.0.2.10", platform="cisco_nxos")
    VendorCli().collect_cli(device, Session(), out)  # type: ignore[arg-type]
    (obs,) = out.observations
    assert not _contract_problems()(obs), _contract_problems()(obs)
    assert (obs.data["model"], obs.data["serial"]) == ("N9K-C93180YC-EX", "FDO223607FK")
    assert obs.data["parsed"]["show inventory"]["component_pids"][:3] == [  # slot 1, then the power supplies
        "N9K-C93180YC-EX", "NXA-PAC-650W-PE", "NXA-PAC-650W-PE"]
    stored = {a.sha256: a.content.decode("utf-8") for a in out.artifacts}
    kb = load_kb()
    v = identify(kb, evidence_for(kb, [obs], lambda sha: stored.get(sha)))
    assert (v.brand, v.prc_brand, v.model) == ("Cisco", False, "N9K-C93180YC-EX")
    v = identify(kb, evidence_for(kb, [obs], None))  # no artifact at hand: the parsed chassis row alone
    assert (v.brand, v.model) == ("Cisco", "N9K-C93180YC-EX")


@pytest.mark.lab
def test_vendor_cli_inventory_of_a_lab_run_validates_against_its_contract(city_lab: Any, tmp_path: Path) -> None:
    """``vendor_cli`` over the lab's Huawei devices (real SSH): each observation, read back from the store,
    validates against ``VendorCliInventory`` and is read through ``contract_of``; a wrong shape is caught."""
    from netcomply.app.audit import AuditOptions, run_audit
    from netcomply.contracts.registry import contract_of
    from netcomply.contracts.vendor import VendorCliInventory
    from netcomply.inventory import load_inventory
    from netcomply.models import Observation
    from netcomply.store import Store

    problems = _contract_problems()
    inventory = load_inventory(city_lab.inventory)
    truth = {d.name: d.vars.get("lab", {}) for d in inventory.devices}
    with Store.open(tmp_path / "cli.db") as store:
        run, _ = run_audit(inventory, store, AuditOptions(operator="pytest", collectors=["vendor_cli"]))
        observations = [o for o in store.observations(run.id) if o.kind == "vendor.cli_inventory"]
    assert len(observations) >= 2  # ed-core1 and dt-ac1 run Huawei VRP
    for obs in observations:
        assert not problems(obs), problems(obs)
        data = contract_of(obs, VendorCliInventory)
        assert data["model"] == truth[obs.device]["model"] == data["parsed"]["display elabel"]["model"]
    obs = observations[0]
    broken = {**obs.data, "parsed": {"display elabel": {**obs.data["parsed"]["display elabel"], "boards": "2"}}}
    assert problems(Observation(obs.device, obs.collector, obs.kind, broken, obs.source))
