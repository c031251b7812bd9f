"""AP state follows the schedule: pure truth-function tests, and the agents against it over SNMP."""

from __future__ import annotations

import time

import pytest

from collectors.transports.snmp import SnmpClient, SnmpTarget
from netcomply.app.lab.snmp.fixtures import SnmpLab
from netcomply.app.lab.snmp.generate import BSN_AP
from netcomply.app.lab.snmp.schedule import ApSchedule, Schedule, default_schedule


def test_truth_function() -> None:
    s = Schedule(epoch=1000.0, aps={"a": ApSchedule("a", down=((10, 20),), reboots=(30,), clients=((0, 5), (25, 9)),
                                                     uptime_at_epoch=100)})
    assert s.state("a", 1005).up and s.state("a", 1005).uptime == 105 and s.state("a", 1005).clients == 5
    assert not s.state("a", 1010).up and s.state("a", 1010).clients == 0
    assert s.state("a", 1022).uptime == 2  # booted at the end of the outage
    assert s.state("a", 1027).clients == 9
    assert s.state("a", 1031).uptime == 1  # reboot
    assert s.availability("a", 1000, 1040) == pytest.approx(0.75)


def test_periodic_schedule_repeats_and_roundtrips(tmp_path) -> None:  # type: ignore[no-untyped-def]
    s = default_schedule(["X1", "X2", "X3", "X4", "X5"], epoch=0.0, period=3600.0)
    for ap in s.aps:
        for t in (5.0, 1234.5, 3599.0):
            assert s.state(ap, t) == s.state(ap, t + 3600.0) or s.state(ap, t).uptime != s.state(ap, t + 3600).uptime
            assert s.state(ap, t).up == s.state(ap, t + 7200.0).up
    assert Schedule.load(s.save(tmp_path / "s.json")) == s


@pytest.mark.lab
def test_ap_oper_status_and_controller_follow_the_schedule(snmpsim_lab: SnmpLab, snmp_loop, lab_snmp_client: SnmpClient) -> None:
    now = time.time()
    sched = Schedule(epoch=now, aps={
        "ed-ap1": ApSchedule("ed-ap1", down=((1.0, 2.0),), clients=((0, 4),)),
        "PARK-N-01": ApSchedule("PARK-N-01", down=((1.0, 2.0),), clients=((0, 12),)),
    })
    snmpsim_lab.install_schedule(sched)
    ap = SnmpTarget(snmpsim_lab.devices["ed-ap1"].address, snmpsim_lab.port, community="ed-ap1")
    wlc = SnmpTarget(snmpsim_lab.devices["cg-wlc1"].address, snmpsim_lab.port, community="cg-wlc1")
    seen = []
    for offset in (0.5, 1.5, 2.5):
        time.sleep(max(0.0, now + offset - time.time()))
        t = time.time()
        oper = snmp_loop.run(lab_snmp_client.walk(ap, "1.3.6.1.2.1.2.2.1.8"))
        names = dict(snmp_loop.run(lab_snmp_client.walk(wlc, f"{BSN_AP}.3")))
        status = dict(snmp_loop.run(lab_snmp_client.walk(wlc, f"{BSN_AP}.6")))
        park = next(oid.removeprefix(f"{BSN_AP}.3.") for oid, v in names.items() if v.value == "PARK-N-01")
        want = sched.state("ed-ap1", t).up
        assert {v.value for _, v in oper} == {1 if want else 2}
        assert status[f"{BSN_AP}.6.{park}"].value == (1 if sched.state("PARK-N-01", t).up else 2)
        seen.append(want)
    assert seen == [True, False, True]
