"""A reproducible synthetic drill, written exactly as GoPhish 0.12 exports it (results CSV, raw-events CSV)
plus the HR roster, with the ground truth of who really did what. Tests check the report against the truth;
the benchmark uses it at scale. Same seed, same bytes.

Behaviour planted per person: delivery error (~1 %), open, click (with or without a loaded image), data
submission (with a fake password in the form payload, which must never reach a report), report; and link
scanner clicks (seconds after delivery, scanner user agent, one gateway address) on people who did nothing.
"""

from __future__ import annotations

import io
import json
import random
import string
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from collectors.drill.gophish import EVENT_COLUMNS, RESULT_COLUMNS
from netcomply.safety.cells import CsvWriter

GO_ZERO = "0001-01-01T00:00:00Z"
HUMAN_UA = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36"
SCANNER_UA = "Mozilla/4.0 (compatible; MSIE 6.0; Windows NT 5.1)"
SCANNER_IP = "203.0.113.25"
PLANTED_PASSWORD = "Hunter2-must-never-appear"
SURNAMES = "陳林黃張李王吳劉蔡楊許鄭謝郭洪曾邱廖賴周"
GIVEN = ["怡君", "志明", "淑芬", "家豪", "雅婷", "俊傑", "美玲", "建宏", "宜蓁", "冠宇"]


def papa(value: str) -> str:
    """PapaParse ``escapeFormulae``: prefix ``'`` to text starting with = + - @ tab or CR. This models what
    GoPhish writes (the importer undoes exactly this); the files themselves go through the spreadsheet-safe
    writer like every CSV netcomply writes."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def go_time(dt: datetime) -> str:
    """Go's RFC 3339 with nanoseconds, as GoPhish's JSON writes it."""
    return dt.strftime("%Y-%m-%dT%H:%M:%S.") + f"{dt.microsecond:06d}" + "123Z"


@dataclass
class Truth:
    department: str
    delivered: bool
    opened: bool = False
    clicked: bool = False
    submitted: bool = False
    reported: bool = False
    bot_clicked: bool = False


@dataclass
class SynthDrill:
    results_csv: str
    events_csv: str
    roster_csv: str
    truth: dict[str, Truth] = field(default_factory=dict)
    departments: list[str] = field(default_factory=list)
    events: int = 0


def _sizes(rng: random.Random, people: int, departments: int) -> list[int]:
    """Department sizes summing to ``people``: a few tiny units, most 10-60 people."""
    sizes = [rng.randint(2, 4) if i < max(1, departments // 15) else rng.randint(10, 60) for i in range(departments)]
    scale = (people - sum(sizes[: max(1, departments // 15)])) / max(1, sum(sizes[max(1, departments // 15):]))
    for i in range(max(1, departments // 15), departments):
        sizes[i] = max(5, round(sizes[i] * scale))
    sizes[-1] += people - sum(sizes)
    return sizes


def generate(seed: int = 20261122, people: int = 1629, departments: int = 53, *,
             start: datetime = datetime(2026, 10, 5, 1, 0, tzinfo=UTC), campaign_id: int = 7,
             p_open: float = 0.08, p_click: float = 0.06, p_submit: float = 0.4, p_report: float = 0.05,
             p_error: float = 0.01, p_bot: float = 0.03, p_no_image: float = 0.3,
             domain: str = "city.gov.tw", email_prefix: str = "u") -> SynthDrill:
    rng = random.Random(seed)
    dept_names = [f"D{i + 1:02d} " + rng.choice(["民政", "財政", "教育", "工務", "社會", "衛生", "環保", "地政",
                                                  "交通", "文化", "資訊", "人事", "主計", "秘書"]) + "科"
                  for i in range(departments)]
    sizes = _sizes(rng, people, departments)
    out = SynthDrill("", "", "", departments=dept_names)
    res = io.StringIO()
    evs = io.StringIO()
    ros = io.StringIO()
    rw, ew, qw = CsvWriter(res), CsvWriter(evs), CsvWriter(ros)
    rw.writerow(RESULT_COLUMNS)
    ew.writerow(EVENT_COLUMNS)
    qw.writerow(["email", "department", "title", "name"])
    ew.writerow([campaign_id, "", go_time(start - timedelta(minutes=5)), "Campaign Created", ""])
    n_events = 1
    k = 0
    for dept, size in zip(dept_names, sizes, strict=True):
        for _ in range(size):
            k += 1
            email = f"{email_prefix}{k:06d}@{domain}"
            first, last = rng.choice(GIVEN), rng.choice(SURNAMES)
            position = rng.choice(["科員", "專員", "科長", "-", "+約聘"])
            qw.writerow([email, dept, position.lstrip("-+") or "科員", last + first])
            rid = "".join(rng.choices(string.ascii_letters + string.digits, k=7))
            sent = start + timedelta(seconds=rng.randint(0, 3600))
            ip = f"10.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
            t = Truth(dept, delivered=rng.random() >= p_error)
            out.truth[email] = t
            rows: list[tuple[datetime, str, str]] = []

            def browser(addr: str, ua: str, payload: dict[str, list[str]] | None = None, *, r: str = rid) -> str:
                return json.dumps({"payload": {"rid": [r], **(payload or {})},
                                   "browser": {"address": addr, "user-agent": ua}}, separators=(",", ":"))

            status = "Email Sent"
            modified = sent
            if not t.delivered:
                rows.append((sent, "Error Sending Email", json.dumps({"error": "550 5.1.1 <" + email +
                                                                      ">: Recipient address rejected"})))
                status = "Error"
            else:
                rows.append((sent, "Email Sent", ""))
                t.clicked = rng.random() < p_click
                t.opened = t.clicked or rng.random() < (p_open - p_click) / (1 - p_click)
                if t.opened:
                    when = sent + timedelta(minutes=rng.randint(2, 600))
                    if not (t.clicked and rng.random() < p_no_image):
                        rows.append((when, "Email Opened", browser(ip, HUMAN_UA)))
                    status, modified = "Email Opened", when
                    if t.clicked:
                        when += timedelta(seconds=rng.randint(8, 300))
                        rows.append((when, "Clicked Link", browser(ip, HUMAN_UA)))
                        status, modified = "Clicked Link", when
                        t.submitted = rng.random() < p_submit
                        if t.submitted:
                            when += timedelta(seconds=rng.randint(10, 120))
                            rows.append((when, "Submitted Data", browser(
                                ip, HUMAN_UA, {"username": [email], "password": [PLANTED_PASSWORD]})))
                            status, modified = "Submitted Data", when
                elif rng.random() < p_bot:
                    t.bot_clicked = True
                    when = sent + timedelta(seconds=rng.randint(1, 5))
                    rows.append((when, "Clicked Link", browser(SCANNER_IP, SCANNER_UA)))
                    status, modified = "Clicked Link", when
                t.reported = rng.random() < (p_report if not t.clicked else p_report / 3)
                if t.reported:
                    when = max(modified, sent) + timedelta(minutes=rng.randint(1, 90))
                    rows.append((when, "Email Reported", browser(ip, HUMAN_UA)))
                    modified = when
            rows.sort(key=lambda r: r[0])
            for when, msg, det in rows:
                ew.writerow([campaign_id, papa(email), go_time(when), msg, det])
            n_events += len(rows)
            rw.writerow([rid, status, "" if status in ("Email Sent", "Error") else ip, "0", "0",
                         go_time(sent) if t.delivered else GO_ZERO, "true" if t.reported else "false",
                         go_time(modified), papa(email), papa(first), papa(last), papa(position)])
    out.results_csv, out.events_csv, out.roster_csv = res.getvalue(), evs.getvalue(), ros.getvalue()
    out.events = n_events
    return out
