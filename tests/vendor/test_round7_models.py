"""Issue 16, round 7 (helper MODELS): a device that writes only its model number (sysDescr, ENTITY-MIB descriptions
and model names, no maker name, sometimes no sysObjectID) is named from that number alone. The knowledge base
(``collectors/vendor/data/knowledge.yaml``, each brand's ``models:``) now knows the current numbering of the makers
whose gear Taiwan's agencies run (switches, routers, firewalls, Wi-Fi, UPS/PDU, NAS, cameras and recorders,
servers), each brand's note naming the maker's product pages it comes from.

Why these guards: a model claim weighs less than a name (weight ``model_pattern``), but a pattern that fired on
another maker's device would still name the wrong brand, and a PRC pattern firing on a non-PRC device would be a
wrong ``prc_brand`` "yes". So (a) every model of the evaluation table below (the makers' own spellings, each with its
source) names its maker written alone; (b) no added pattern fires on a device of another vendor in any corpus
(LibreNMS, history, walks, blind, both CLI corpora); (c) other makers' neighbouring numbers (near misses) name none
of the added brands, and a number two makers share (PLANET's and Lantech's IGS-) names nobody.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import pytest
import yaml

from collectors.vendor import corpus
from collectors.vendor.kb import SHIPPED, KnowledgeBase, load_kb
from tests.vendor.test_round5_lines import _compiled
from tests.vendor.test_round6_history import pattern_hits

#: The evaluation table: (the model as the device writes it, alone; its brand; where the maker names it).
MODELS: tuple[tuple[str, str, str], ...] = (
    ('GS724T', 'Netgear', 'netgear.com product pages: ProSAFE smart switches GS7xxT'),
    ('GS728TPv2', 'Netgear', 'netgear.com product pages: GS728TP smart switch'),
    ('GS110TP', 'Netgear', 'netgear.com product pages: GS110TP'),
    ('GS308E', 'Netgear', 'netgear.com product pages: Plus switches GS3xxE'),
    ('M4300-28G', 'Netgear', 'netgear.com product pages: M4300 managed switches'),
    ('M4250-10G2F-PoE+', 'Netgear', 'netgear.com product pages: M4250 AV Line'),
    ('M4350-24X4V', 'Netgear', 'netgear.com product pages: M4350'),
    ('XS728T', 'Netgear', 'netgear.com product pages: XS7xxT 10G smart switches'),
    ('MS510TXM', 'Netgear', 'netgear.com product pages: MS510TXM multi-gig switch'),
    ('Vigor2926', 'DrayTek', 'draytek.com product pages: Vigor2926 router'),
    ('Vigor3910', 'DrayTek', 'draytek.com product pages: Vigor3910'),
    ('Vigor2865ac', 'DrayTek', 'draytek.com product pages: Vigor2865ac'),
    ('VigorSwitch G1282', 'DrayTek', 'draytek.com product pages: VigorSwitch G1282'),
    ('VigorAP 903', 'DrayTek', 'draytek.com product pages: VigorAP 903'),
    ('NPort 5110', 'Moxa', 'moxa.com product pages: NPort 5100 serial device servers'),
    ('NPort 6650-16', 'Moxa', 'moxa.com product pages: NPort 6600'),
    ('MGate MB3180', 'Moxa', 'moxa.com product pages: MGate Modbus gateways'),
    ('ioLogik E1212', 'Moxa', 'moxa.com product pages: ioLogik E1200'),
    ('AWK-1137C', 'Moxa', 'moxa.com product pages: AWK wireless'),
    ('EDR-810-2GSFP', 'Moxa', 'moxa.com product pages: EDR secure routers'),
    ('TN-5510A-2GLSX-ODC', 'Moxa', 'moxa.com product pages: ToughNet TN-5500A'),
    ('DS918+', 'Synology', 'synology.com product pages: DiskStation DS918+'),
    ('RS1221+', 'Synology', 'synology.com product pages: RackStation RS1221+'),
    ('DS220j', 'Synology', 'synology.com product pages: DS220j'),
    ('DS3622xs+', 'Synology', 'synology.com product pages: DS3622xs+'),
    ('RS3621RPxs', 'Synology', 'synology.com product pages: RS3621RPxs'),
    ('DS418play', 'Synology', 'synology.com product pages: DS418play'),
    ('TS-h973AX', 'QNAP', 'qnap.com product pages: TS-h973AX (QuTS hero)'),
    ('TVS-872XT', 'QNAP', 'qnap.com product pages: TVS-872XT'),
    ('QSW-M408-4C', 'QNAP', 'qnap.com product pages: QSW-M408 managed switches'),
    ('SMT1500RMI2U', 'APC', 'apc.com product pages: Smart-UPS SMT'),
    ('SMX3000RMHV2U', 'APC', 'apc.com product pages: Smart-UPS X'),
    ('SRT6KXLI', 'APC', 'apc.com product pages: Smart-UPS SRT'),
    ('SURT6000XLI', 'APC', 'apc.com product pages: Smart-UPS RT'),
    ('AP9631', 'APC', 'apc.com product pages: UPS Network Management Card 2'),
    ('AP9641', 'APC', 'apc.com product pages: Network Management Card 3'),
    ('AP7921B', 'APC', 'apc.com product pages: Rack PDU Switched AP79xx'),
    ('AP8853', 'APC', 'apc.com product pages: Rack PDU 2G AP88xx'),
    ('x230-10GP', 'Allied Telesis', 'alliedtelesis.com product pages: x230 series'),
    ('x510-28GTX', 'Allied Telesis', 'alliedtelesis.com product pages: x510 series'),
    ('x930-28GTX', 'Allied Telesis', 'alliedtelesis.com product pages: x930 series'),
    ('GS980M/52', 'Allied Telesis', 'alliedtelesis.com product pages: GS980M series'),
    ('AR4050S', 'Allied Telesis', 'alliedtelesis.com product pages: AR4050S firewall'),
    ('X440-G2-48p-10GE4', 'Extreme', 'extremenetworks.com product pages: ExtremeSwitching X440-G2'),
    ('X460-G2-24t-10GE4', 'Extreme', 'extremenetworks.com product pages: X460-G2'),
    ('X690-48x-2q-4c', 'Extreme', 'extremenetworks.com product pages: X690'),
    ('X465-48P', 'Extreme', 'extremenetworks.com product pages: X465'),
    ('AS7712-32X', 'Edgecore', 'edge-core.com product pages: AS7712-32X'),
    ('AS5812-54X', 'Edgecore', 'edge-core.com product pages: AS5812-54X'),
    ('AS4610-54P', 'Edgecore', 'edge-core.com product pages: AS4610-54P'),
    ('GS-4210-24P2S', 'PLANET', 'planet.com.tw product pages: GS-4210 managed switches'),
    ('GS-5220-24T4X', 'PLANET', 'planet.com.tw product pages: GS-5220'),
    ('XGS-6350-24X4C', 'PLANET', 'planet.com.tw product pages: XGS-6350'),
    ('WGS-804HPT', 'PLANET', 'planet.com.tw product pages: WGS-804HPT industrial wall-mount'),
    ('MGSD-10080F', 'PLANET', 'planet.com.tw product pages: MGSD-10080F'),
    ('ICX7150-48P', 'Ruckus', 'ruckusnetworks.com product pages: ICX 7150'),
    ('ICX7850-48FS', 'Ruckus', 'ruckusnetworks.com product pages: ICX 7850'),
    ('ICX8200-24P', 'Ruckus', 'ruckusnetworks.com product pages: ICX 8200'),
    ('ICX6450-48P', 'Brocade', 'Brocade ICX 6450 data sheet'),
    ('ICX6610-24', 'Brocade', 'Brocade ICX 6610 data sheet'),
    ('ZoneDirector 1200', 'Ruckus', 'ruckusnetworks.com product pages: ZoneDirector 1200'),
    ('S4048-ON', 'Dell', 'dell.com product pages: Networking S4048-ON'),
    ('S5248F-ON', 'Dell', 'dell.com product pages: PowerSwitch S5248F-ON'),
    ('Z9100-ON', 'Dell', 'dell.com product pages: Z9100-ON'),
    ('N3048P', 'Dell', 'dell.com product pages: Networking N3048P'),
    ('N1548P', 'Dell', 'dell.com product pages: Networking N1548P'),
    ('N3248TE-ON', 'Dell', 'dell.com product pages: PowerSwitch N3248TE-ON'),
    ('ProLiant DL380 Gen10', 'HPE', 'hpe.com product pages: ProLiant DL380 Gen10'),
    ('5130-48G-PoE+-4SFP+ EI', 'HPE', 'hpe.com product pages: FlexNetwork 5130 EI (JG937A)'),
    ('1950-24G-2SFP+-2XGT', 'HPE', 'hpe.com product pages: OfficeConnect 1950'),
    ('2930F-48G', 'Aruba', 'arubanetworks.com product pages: Aruba 2930F'),
    ('2930F-48G-PoE+-4SFP+', 'Aruba', 'arubanetworks.com product pages: Aruba 2930F (JL256A)'),
    ('2530-24G-PoE+', 'Aruba', 'arubanetworks.com product pages: Aruba 2530'),
    ('6300M-48G-4SFP56', 'Aruba', 'arubanetworks.com product pages: CX 6300M'),
    ('IAP-305', 'Aruba', 'arubanetworks.com product pages: Instant AP 305'),
    ('CBS350-24P-4G', 'Cisco', 'cisco.com product pages: Business 350 switches'),
    ('SG350-28P', 'Cisco', 'cisco.com product pages: 350 Series managed switches'),
    ('C1000-24T-4G-L', 'Cisco', 'cisco.com product pages: Catalyst 1000'),
    ('IE-3300-8T2S', 'Cisco', 'cisco.com product pages: Catalyst IE3300 rugged'),
    ('MS120-8FP', 'Cisco', 'meraki.cisco.com product pages: MS120'),
    ('MS225-48LP', 'Cisco', 'meraki.cisco.com product pages: MS225'),
    ('XGS 2100', 'Sophos', 'sophos.com product pages: XGS firewalls'),
    ('XGS 136w', 'Sophos', 'sophos.com product pages: XGS 136w'),
    ('XG 125', 'Sophos', 'sophos.com product pages: XG firewalls'),
    ('NSa 2700', 'SonicWall', 'sonicwall.com product pages: NSa 2700'),
    ('TZ370', 'SonicWall', 'sonicwall.com product pages: TZ370'),
    ('TZ 670', 'SonicWall', 'sonicwall.com product pages: TZ670'),
    ('NSsp 13700', 'SonicWall', 'sonicwall.com product pages: NSsp 13700'),
    ('USG FLEX 200', 'ZyXEL', 'zyxel.com product pages: USG FLEX 200'),
    ('USG FLEX 100W', 'ZyXEL', 'zyxel.com product pages: USG FLEX 100W'),
    ('ATP200', 'ZyXEL', 'zyxel.com product pages: ZyWALL ATP200'),
    ('GS1350-26HP', 'ZyXEL', 'zyxel.com product pages: GS1350 series'),
    ('XMG1930-30HP', 'ZyXEL', 'zyxel.com product pages: XMG1930'),
    ('FAP-231F', 'Fortinet', 'fortinet.com product pages: FortiAP 231F'),
    ('X11DPi-NT', 'Supermicro', 'supermicro.com product pages: X11DPi-NT motherboard'),
    ('SYS-1029P-WTR', 'Supermicro', 'supermicro.com product pages: SuperServer 1029P-WTR'),
    ('RT-AX86U', 'ASUS', 'asus.com product pages: RT-AX86U'),
    ('RT-AC68U', 'ASUS', 'asus.com product pages: RT-AC68U'),
    ('RS720-E10-RS12', 'ASUS', 'asus.com product pages: RS720-E10 servers'),
    ('GV-EBD4700', 'GeoVision', 'geovision.com.tw product pages: GV-EBD4700'),
    ('GV-SNVR0811', 'GeoVision', 'geovision.com.tw product pages: GV-SNVR0811'),
    ('IB9389-EHT-v2', 'Vivotek', 'vivotek.com product pages: IB9389-EHT-v2 bullet'),
    ('FD9387-HTV-A', 'Vivotek', 'vivotek.com product pages: FD9387-HTV-A dome'),
    ('ND9541P', 'Vivotek', 'vivotek.com product pages: ND9541P NVR'),
    ('XNV-8080R', 'Hanwha Vision', 'hanwhavision.com product pages: Wisenet X XNV-8080R'),
    ('QNV-6012R', 'Hanwha Vision', 'hanwhavision.com product pages: Wisenet Q QNV-6012R'),
    ('XRN-1620SB1', 'Hanwha Vision', 'hanwhavision.com product pages: Wisenet XRN-1620SB1'),
    ('EKI-7712G-4F', 'Advantech', 'advantech.com product pages: EKI-7712G-4F'),
    ('GXT5-3000IRT2UXL', 'Vertiv', 'vertiv.com product pages: Liebert GXT5'),
    ('Ultron DPS 3kVA', 'Delta Electronics', 'deltapowersolutions.com product pages: Ultron DPS series'),
    ('Amplon RT-3K', 'Delta Electronics', 'deltapowersolutions.com product pages: Amplon RT series'),
    ('Modulon DPH 200kW', 'Delta Electronics', 'deltapowersolutions.com product pages: Modulon DPH'),
    ('S5130-28S-EI', 'H3C', 'h3c.com product pages: S5130-EI switches'),
    ('S6520X-30QC-EI', 'H3C', 'h3c.com product pages: S6520X-EI'),
    ('S5560X-30C-EI', 'H3C', 'h3c.com product pages: S5560X-EI'),
    ('MSR3620', 'H3C', 'h3c.com product pages: MSR3600 routers'),
    ('MSR 36-20', 'H3C', 'h3c.com product pages: MSR 36-20'),
    ('UniServer R4900 G5', 'H3C', 'h3c.com product pages: UniServer R4900 G5'),
    ('AR2220', 'Huawei', 'huawei.com product pages: AR2200 enterprise routers'),
    ('AR6140-16G4XG', 'Huawei', 'huawei.com product pages: AR6140'),
    ('NE40E-X8A', 'Huawei', 'huawei.com product pages: NetEngine NE40E'),
    ('AP4050DN-E', 'Huawei', 'huawei.com product pages: AP4050DN-E'),
    ('HiSecEngine USG6525E', 'Huawei', 'huawei.com product pages: HiSecEngine USG6500E'),
    ('DS-7608NI-K2', 'Hikvision', 'hikvision.com product pages: DS-7608NI-K2 NVR'),
    ('DS-7616NI-I2/16P', 'Hikvision', 'hikvision.com product pages: DS-7616NI-I2/16P'),
    ('DS-9664NI-I8', 'Hikvision', 'hikvision.com product pages: DS-9664NI-I8'),
    ('NVR4108HS-4KS2', 'Dahua', 'dahuasecurity.com product pages: NVR4108HS-4KS2'),
    ('NVR4108HS', 'Dahua', 'dahuasecurity.com product pages: NVR41-HS series'),
    ('NVR5216-16P-4KS2E', 'Dahua', 'dahuasecurity.com product pages: NVR5216-16P-4KS2E'),
    ('XVR5108HS-I3', 'Dahua', 'dahuasecurity.com product pages: XVR5108HS-I3'),
    ('NVR301-08S3-P8', 'Uniview', 'uniview.com product pages: NVR301-08S3-P8'),
    ('IPC2124LE-ADF28KM-G', 'Uniview', 'uniview.com product pages: IPC2124LE-ADF28KM-G'),
    ('NGAF-1000', 'Sangfor', 'sangfor.com product pages: NGAF next-generation firewall'),
    ('NGAF-M5100', 'Sangfor', 'sangfor.com product pages: NGAF M5100'),
    ('U6-Pro', 'Ubiquiti', 'ui.com product pages: UniFi U6 Pro'),
    ('UDM-Pro', 'Ubiquiti', 'ui.com product pages: Dream Machine Pro'),
    ('USG-Pro-4', 'Ubiquiti', 'ui.com product pages: UniFi Security Gateway Pro'),
    ('ER605', 'TP-Link', 'tp-link.com product pages: Omada ER605'),
    ('ER7206', 'TP-Link', 'tp-link.com product pages: Omada ER7206'),
    ('NWA110AX', 'ZyXEL', 'zyxel.com product pages: NWA110AX'),
    ('XGS2220-30', 'ZyXEL', 'zyxel.com product pages: XGS2220 series'),
    ('RT6600ax', 'Synology', 'synology.com product pages: RT6600ax router'),
    ('DIR-878', 'D-Link', 'dlink.com product pages: DIR-878'),
    ('DAP-2610', 'D-Link', 'dlink.com product pages: DAP-2610'),
    ('DSR-1000AC', 'D-Link', 'dlink.com product pages: DSR-1000AC'),
    ('Smart-UPS 1500', 'APC', 'apc.com product pages: Smart-UPS'),
    ('iDRAC9', 'Dell', 'dell.com product pages: iDRAC9'),
    ('iLO 5', 'HPE', 'hpe.com product pages: iLO 5'),)

#: Patterns added by this round, as written in the YAML: each brand's model numbers as one alternation (one search
#: per brand and text: the offline benchmark's budget), and the product-line aliases HPE's ProLiant, Ruckus's
#: ZoneDirector and APC's Smart-UPS / Back-UPS / Symmetra.
ADDED: dict[str, tuple[str, ...]] = {
    "Netgear": (
        (r"GS[1-9]\d{2}[TE][A-Z]{0,3}(?:v\d)?|"
         r"M(?:4[1-5]|5[3]|6[01])[05]0-\d{1,2}[A-Z0-9]*(?:-[A-Za-z0-9+]+)*|"
         r"XS[57]\d{2}[TM]\w*|"
         r"MS[135]\d{2}(?:TXM|TXUP|TX|EUP|UP)"),
    ),
    "DrayTek": (
        r"Vigor ?(?:\d{3,4}|AP ?\d{3,4}|Switch ?[A-Z]{0,2}\d{3,4})[A-Za-z]*",
    ),
    "Moxa": (
        (r"NPort ?(?:IA|W|S|P|DE-)?\d{3,4}[A-Z]?(?:-\w+)*|"
         r"MGate ?(?:MB|W)?\d{3,4}\w*(?:-\w+)*|"
         r"ioLogik ?[ERWM]\d{3,4}\w*(?:-\w+)*|"
         r"AWK-[1-6]\d{3}[A-Z]?(?:-\w+)*|"
         r"EDR-(?:G9\d{2}|8\d{2})(?:-\w+)*|"
         r"TN-[45]\d{3}[A-Z]?(?:-\w+)*"),
    ),
    "Synology": (
        (r"DS\d{3,4}(?:\+|xs\+?|j|play|slim)|"
         r"RS\d{3,4}(?:\+|xs\+?|RPxs|RP\+)|"
         r"RT(?:1900|2600)ac|"
         r"RT6600ax|"
         r"WRX560|"
         r"MR2200ac"),
    ),
    "QNAP": (
        (r"TS-h\d{3,4}[A-Z]*|"
         r"TVS-h?\d{3,4}[A-Z]*|"
         r"QSW-(?:M|IM)\d{3,4}[A-Z]?-\d{1,2}[A-Z]\w*(?:-\w+)*"),
    ),
    "APC": (
        (r"SM[TX](?:750|1000|1500|2200|2400|3000)[A-Z0-9]*|"
         r"SRT(?:\d{4}|\d{1,2}K)(?:RM)?XL[A-Z]\w*|"
         r"SU(?:A|RT)(?:\d{3,5}|\d{1,2}K)[A-Z]{1,6}\d?U?|"
         r"AP(?:79\d{2}|8[689]\d{2}|96[0-4]\d)[A-Z]?(?:-\w+)?"),
        r"Smart-UPS",
        r"Back-UPS",
        r"Symmetra",
    ),
    "Allied Telesis": (
        (r"x(?:2[123]0|3[12]0|5[135]0|9[035]0)L?-\d{2}[A-Z]\w*|"
         r"GS9\d{2}M[XPS]?/\d{2}\w*|"
         r"AR[2-4]0[15]0[SV]|"
         r"SBx(?:908|81\d{2})"),
    ),
    "Extreme": (
        r"X(?:4[3-7]\d|5[29]0|6[2-9]\d|8[67]0)-(?:G2-)?\d{2}[a-zA-Z]\w*(?:-\w+)*",
    ),
    "Edgecore": (
        r"AS(?:4[56]|5[5-9]|7[3-9]|9[5-7])\d{2}-\d{2}[A-Z]\w*",
    ),
    "PLANET": (
        (r"(?:X|M)?GSD?-[2-6]\d{3}-\d{1,2}[A-Z]\w*(?:-\w+)*|"
         r"WGS-\d{3,4}[A-Z]{2,}\w*|"
         r"[MW]GSD-\d{4,5}[A-Z]\w*"),
    ),
    "Ruckus": (
        r"ICX(?:7[1-8]50|8200)-\w+(?:-\w+)*",
        r"ZoneDirector",
    ),
    "Brocade": (
        r"ICX6[4-6][1-5]0-\w+(?:-\w+)*",
    ),
    "Dell": (
        (r"[SZ]\d{4}[A-Z]{0,2}-ON|"
         r"N(?:1[15]|2[02]|3[012]|40)\d{2}(?:E?[PTFX]|PX|TE|ET|EF)?-ON|"
         r"N(?:1[15]|2[02]|3[012]|40)\d{2}(?:E?[PTFX]|PX|TE|ET|EF)|"
         r"iDRAC ?(?:[6-9]|1\d)"),
    ),
    "HPE": (
        (r"(?:19[25]0|51[34]0|55[12]0)-\d{2}G(?:-PoE\+)?(?:-\d(?:SFP\+?|XGT))+(?: \(\d+W\))?(?: [EH]I)?|"
         r"iLO ?[2-7]"),
        r"ProLiant",
    ),
    "Aruba": (
        (r"(?:25[34]0|29[23]0[FM]?|38[14]0M|54[01]2R|6[1-4]00[FM]?)-\d{2}G\w*(?:-[\w+]+)*|"
         r"IAP-\d{3}\w*"),
    ),
    "Cisco": (
        (r"CBS[23][25]0-\d{1,2}[A-Z]+\w*(?:-\w+)*|"
         r"SG(?:[235][05]0X?|350XG|550XG)-\d{1,2}\w*(?:-\w+)*|"
         r"C1[02]00-\d{1,2}[A-Z]+\w*(?:-\w+)+|"
         r"IE-[1-5]\d{3}-\d{1,2}[A-Z]\w*(?:-\w+)*"),
    ),
    "Meraki": (
        r"MS(?:1[23]0|125|2[0-5][05]|3[5-9][05]|4[1-5][05])-\d{1,2}\w*",
    ),
    "Sophos": (
        (r"XGS ?(?:87|88|107|108|116|118|126|128|136|138|2100|2300|3100|3300|4300|4500|5500|6500|7500|8500)w?(?!-)|"
         r"XG ?(?:8[56]|10[56]|11[05]|12[05]|13[05]|2[1-3][05]|3[1-3][05]|4[35]0|550|650|750)w?(?!-)"),
    ),
    "SonicWall": (
        (r"NS[Aa] ?(?:2[67]00|3[67]00|4[67]00|5[67]00|6[67]00|9[2-6]50)(?!-)|"
         r"NSsp ?(?:1[0-5]700|12[48]00)|"
         r"NSv ?(?:10|25|50|100|200|270|300|400|470|800|870|1600)|"
         r"TZ ?(?:270|370|470|570|670|300|350|400|500|600|105|205|215)[WP]?(?!-)"),
    ),
    "ZyXEL": (
        (r"USG ?FLEX ?(?:50|100|200|500|700)(?:AX|HP|W|H)?|"
         r"ATP(?:100|200|500|700|800)W?|"
         r"(?:X?GS|XMG)(?:1350|1915|1930)-\d+\w*|"
         r"NWA\d{2,3}AX(?:E|-PRO)?|"
         r"XGS22[12]0-\d{2}\w*"),
    ),
    "Fortinet": (
        r"FAP-[2-4]\d{2}[CDEFGK]",
    ),
    "Supermicro": (
        (r"[XH]1[0-3][DS][A-Za-z]{1,5}\d?-[A-Za-z0-9+]+|"
         r"SYS-\d{3,4}[A-Z]{1,4}-[A-Z0-9]+(?:-\w+)*"),
    ),
    "ASUS": (
        (r"RT-A[XC]\d{2,5}[A-Z]{0,3}|"
         r"GT-A[XC]\d{4,5}\w*|"
         r"RS[57]\d0A?-E\d{1,2}(?:-\w+)*"),
    ),
    "GeoVision": (
        r"GV-(?:A?BL|EBL|EBD|E?FD|TBL|TDR|ADR|VD|SNVR|BX|PTZ|POE|MFD|TVD|EFER|FER)\d{3,5}\w*(?:-\w+)*",
    ),
    "Vivotek": (
        (r"(?:IB|FD|FE|IT|SD|TB|MA)[89]\d{3}-[A-Z]{1,5}\w*(?:-\w+)*|"
         r"ND9[3-5]\d{2}P"),
    ),
    "Hanwha Vision": (
        r"(?:[XQPAT]N[BDFOPVZM]|[XQP]RN)-L?\d{4}\w*",
    ),
    "Advantech": (
        r"EKI-\d{4}[A-Z]{0,3}(?:-\w+)*",
    ),
    "Vertiv": (
        r"GXT[345]-\d{3,5}[A-Z]\w*",
    ),
    "Delta Electronics": (
        (r"Ultron (?:DPS|DPH|HPH|NH|NT|EH|FH)(?: ?\d+ ?k(?:VA|W))?|"
         r"Amplon (?:RT|R|N|MX|M)(?:-?\d+K)?|"
         r"Modulon (?:DPH|NH|DPS)(?: ?\d+ ?k(?:VA|W))?"),
    ),
    "H3C": (
        (r"S(?:5[01][23]0|55[06]0|5600|6520)[A-Z]{0,2}-\d{2}[A-Z]{1,3}\w*-(?:PWR-|UPWR-|HPWR-)?[EHSL]I|"
         r"MSR ?(?:26|36|56)-?[1-8]0(?:-\w+)*|"
         r"MSR8[0-4]0(?:-\w+)*|"
         r"UniServer [RBE]\d{4}(?: G\d)?"),
    ),
    "Huawei": (
        (r"AR(?:12[0-4]0|22[0-4]0|32[0-6]0|6[12][0-8]0)[A-Z]{0,2}(?:-[A-Z0-9]+)*|"
         r"NE(?:05|08|20|40|80)E(?:-[A-Z0-9]+)*|"
         r"AP[4-8]0[3-8]0[DS]N(?:-[A-Z]+)*"),
    ),
    "Hikvision": (
        r"DS-(?:7[1-9]|9[0-6])\d{2}(?:NX?I|NB|N|H[GQUTVW]HI|HWI)(?:-[A-Z0-9/]+)+",
    ),
    "Dahua": (
        (r"NVR[245][1-8](?:04|08|16|32|64)[A-Z]{0,4}(?:-[A-Z0-9]+)*|"
         r"XVR[1-7][12](?:04|08|16|32)[A-Z]{0,4}(?:-[A-Z0-9]+)*"),
    ),
    "Uniview": (
        (r"NVR30[1-8]-\d{2}[A-Z]\w*(?:-[A-Z0-9]+)*|"
         r"IPC[2368][1-8]\d{2}[A-Z]{1,4}\d?-[A-Z0-9]+(?:-[A-Z0-9]+)*"),
    ),
    "Sangfor": (
        r"NGAF-[MKXZ]?\d{3,5}[A-Z]?",
    ),
    "Ubiquiti": (
        (r"U6-(?:Lite|LR|Pro|Mesh|Enterprise|IW|Extender|Plus)\w*|"
         r"U7-(?:Pro|Outdoor)(?:-Max)?|"
         r"(?:UDM|UXG|UCG|UDR)-(?:Pro|SE|Max|Lite|Ultra)(?:-Max)?|"
         r"USG-(?:Pro-4|3P|XG-8)"),
    ),
    "TP-Link": (
        r"ER(?:605|7206|7212PC|8411|706W(?:-4G)?|707-M2)(?: v\d)?",
    ),
    "D-Link": (
        (r"D(?:IR|AP|WL)-\d{3,4}[A-Z]{0,3}\w*|"
         r"DSR-(?:150|250|500|1000)(?:N|AC)?"),
    ),
}

#: Pattern taken out this round: PLANET's IGS- numbers, which Lantech's industrial switches share.
REMOVED = ("PLANET", r"IGS-\d{4,5}\w*(?:-\w+)*")


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_kb()


def _added(kb: KnowledgeBase) -> list[tuple[str, str, re.Pattern[str]]]:
    return [(brand, src, _compiled(brand, src, kb)) for brand, sources in ADDED.items() for src in sources]


def test_every_addition_is_shipped_with_a_sourced_note(kb: KnowledgeBase) -> None:
    doc = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))
    for brand, sources in ADDED.items():
        raw = doc["brands"][brand]
        assert set(sources) <= {*raw.get("aliases", ()), *raw.get("models", ())}, brand
        assert re.search(r"product pages|data sheets?", raw.get("note", "")), brand
        assert "round 7" in raw["note"], brand
    assert REMOVED[1] not in doc["brands"][REMOVED[0]]["models"]
    # every table row names its source, and every table brand is a brand this round added numbers to
    assert all(re.search(r"product pages|data sheet", src) for _, _, src in MODELS)
    assert {brand for _, brand, _ in MODELS} <= {*ADDED, "Huawei"}


# ------------------------------------------------------------------------------------- (a) the table


@pytest.mark.parametrize(("model", "brand", "source"), MODELS, ids=[m for m, _, _ in MODELS])
def test_a_model_written_alone_names_its_maker(kb: KnowledgeBase, model: str, brand: str, source: str) -> None:
    """The model alone (sysDescr only, no sysObjectID) names its maker, and the maker's home decides prc_brand."""
    verdict = corpus.verdict_of(kb, {"id": "t", "sys_descr": model})
    assert verdict.brand is not None and kb.family(verdict.brand) == kb.family(brand), (verdict.brand, source)
    assert verdict.prc_brand is kb.prc(brand)


def test_the_same_model_in_an_entity_model_name_names_its_maker(kb: KnowledgeBase) -> None:
    """ENTITY-MIB's chassis model name is read the same way (a device whose sysDescr is empty)."""
    missed = []
    for model, brand, _ in MODELS:
        row = {"id": "t", "sys_descr": "", "entity": [{"class": 3, "descr": "", "model_name": model, "index": "1"}]}
        verdict = corpus.verdict_of(kb, row)
        if verdict.brand is None or kb.family(verdict.brand) != kb.family(brand):
            missed.append((model, brand, verdict.brand))
    assert missed == []


def test_a_model_claim_weighs_less_than_a_name(kb: KnowledgeBase) -> None:
    """The model's claim is the weaker kind: a maker's name in the same text wins over it."""
    assert kb.weights["model_pattern"] == 0.6
    verdict = corpus.verdict_of(kb, {"id": "t", "sys_descr": "Cisco Catalyst (reads AP9631 card)"})
    assert verdict.brand == "Cisco"


# ------------------------------------------------------------------------------------------ (b) precision


def _own_part(kb: KnowledgeBase, brand: str, ent: Mapping[str, Any], text: str) -> bool:
    """An ENTITY row whose own manufacturer names the pattern's brand is that maker's part (an ESXi host's
    ProLiant chassis), whatever the recording's label."""
    mfg = str(ent.get("mfg_name") or "")
    named = kb.brand_named(mfg) if mfg else None
    return text in (ent.get("descr"), ent.get("model_name")) and named is not None and (
        kb.family(named) == kb.family(brand))


def test_no_added_pattern_fires_on_another_vendors_device(kb: KnowledgeBase) -> None:
    fired, caught = pattern_hits(kb, _added(kb), lambda _name, row, _label, brand, text: any(
        _own_part(kb, brand, e, text) for e in row.get("entity") or [] if isinstance(e, Mapping)))
    assert fired == []
    assert caught.total() >= 80  # the patterns do read real devices of their own brand


@pytest.mark.parametrize(("text", "brands"), [
    # APC's PDUs and cards, not Extreme's (Motorola's) WiNG access points AP75xx-AP85xx
    ("AP7532", set()), ("AP8533", set()), ("AP8163", set()), ("AP-7532", set()),
    # PLANET's and Lantech's shared IGS- numbers name nobody by themselves
    ("IGS-6325-8T4X", set()), ("IGS-10020MT", set()), ("IPGS-5416XT", set()),
    # chipset boards, not Extreme's X-series; Gigabyte's graphics cards, not GeoVision
    ("X470-F", set()), ("ROG STRIX X570-E GAMING", set()), ("GV-N3060GAMING OC-12GD", set()),
    # QTech's QSW switches, not QNAP's
    ("QSW-3400-28T-AC", set()), ("QSW-3450-28T-AC", set()),
    # other makers' GS / SG / MS numbers
    ("GS1920-24HP", set()), ("GS-108B", set()), ("TL-SG108E", set()), ("DGS-1210-28", set()), ("SG3428X", set()),
    ("SG-6000-E3965", set()), ("MS9321-EHV", set()), ("WAX630", set()), ("WAX630S", set()), ("SMC8024L2", set()),
    # Huawei's and DCN's and FS's S-numbers are not H3C's; HP's and HPE's MSR numbers are not H3C's
    ("S5720-28X-SI-AC", set()), ("S5750E-28X-SI", set()), ("S5860-20SQ", set()), ("RG-S5750", set()),
    ("MSR30-20", set()), ("MSR3012", set()), ("MSR954", set()),
    # the two AR lines and the two 5130s stay apart
    ("AR2050V", {"Allied Telesis"}), ("AR3050S", {"Allied Telesis"}), ("AR2220", {"Huawei"}),
    ("S5130-28S-EI", {"H3C"}), ("5130-48G-PoE+-4SFP+ EI", {"HPE"}), ("5130", set()),
    # Lenovo's NE switches are not Huawei's NetEngine; Hikvision's cameras and numbers without a suffix
    ("NE1032T", set()), ("NE2572", set()), ("DS-7608", set()), ("DS-2CD2143G2-I", set()),
    # a Synology number needs its suffix; serial ports are not RackStations
    ("DS918", set()), ("RS232", set()), ("RS-485", set()), ("RS1221", set()),
    # Dell's N-series needs its suffix; firewall numbers need their line
    ("N2048", set()), ("XGS4600-32", set()), ("XGS-6350-24X4C", {"PLANET"}), ("XG 100", set()),
    ("TZ 100", set()), ("TZ 370-X", set()), ("ATP 200", set()), ("FAP-1000", set()), ("TN-3270", set()),
    ("Vigorous", set()), ("VigorX", set()), ("NPort Networks", set()), ("NPort", set()), ("MGate", set()),
    ("Ultron", set()), ("Amplon", set()), ("UniServer Zero XV", set()), ("UniServer", set()),
    ("IPC-HFW2431S", set()), ("IPC-610", set()), ("NVR3010", set()), ("NVR", set()), ("M4300", set()),
    ("GS724", set()), ("AS400", set()), ("AS/400", set()), ("SYS-1", set()), ("RT-N66U", set()), ("EKI", set()),
    ("NGAF", set()), ("ICX", set()), ("ICX7450", set()), ("2930", set()), ("S4048", set()),
    # Ubiquiti's EdgeRouters are not TP-Link's ER numbers; Avocent's DSR KVM switches are not D-Link's DSR routers
    ("ER-X", set()), ("ER-4", set()), ("ER-6P", set()), ("ER6050", set()), ("DSR1021", set()), ("DSR 1024", set()),
    ("U6", set()), ("iLO", set()), ("iLOVE 5", set()), ("iDRAC", set()), ("DIR-", set()), ("Smart UPS", set()),
])
def test_near_words_name_none_of_the_added_brands(kb: KnowledgeBase, text: str, brands: set[str]) -> None:
    """Other makers' (or no maker's) neighbouring numbers and words fire only the brand named, or none."""
    assert {b for b, _, p in _added(kb) if p.search(text)} == brands


def test_a_shared_igs_number_names_no_brand_but_planet_named_still_is(kb: KnowledgeBase) -> None:
    """Model-only IGS- is left to the agency (no brand rather than a wrong one); with PLANET's name it is PLANET."""
    assert corpus.verdict_of(kb, {"id": "t", "sys_descr": "IGS-6325-8T4X"}).brand is None
    named = corpus.verdict_of(kb, {"id": "t", "sys_descr": "PLANET IGS-10020MT Managed Switch"})
    assert named.brand == "PLANET" and named.prc_brand is False


def test_an_nport_is_moxa_not_the_registrant_of_the_same_word(kb: KnowledgeBase) -> None:
    """'NPort 5110' used to name "NPort" (an unrelated IANA registrant, NPort Networks); the number names Moxa."""
    verdict = corpus.verdict_of(kb, {"id": "t", "sys_descr": "NPort 5110"})
    assert (verdict.brand, verdict.prc_brand) == ("Moxa", False)
