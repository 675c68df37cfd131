"""What agencies read, read as they would: the seed plans imported into the
example config, the real daemon writing into a Maildir on two mornings, and
every message parsed with Python's email package. Checked: the words each
role is asked (nobody reports to itself), every item naming its plan by
number, date and title (never a file name), subjects with the kind and date
first and at most 90 characters, threading only to messages that recipient
was sent, and no recurring duty older than the agency that holds it."""
import datetime
import os
import re
import sqlite3

from harness import (DIRECTORY, Daemon, Workdir, check, example_config, import_seeds,
                     parse_message, plain_body, run_tests)

FIRST = "2025-12-01T09:00:00+07:00"   # a Monday: the 01/12 and 15/12 yearly reports
SECOND = "2025-12-16T09:00:00+07:00"  # after 15/12: escalations of the same occurrences
TZ = datetime.timezone(datetime.timedelta(hours=7))
SUBJECT = re.compile(r"^\[(Sắp đến hạn|Quá hạn) \d\d/\d\d/\d{4}\] \S")
PLAN_LINE = re.compile(r"^   Mã nhiệm vụ: #(\d+)(?: – (.*?))?(?:, mục (.*))?$", re.M)
ROLE_LINE = re.compile(r"^   Vai trò: ([^;.]+)", re.M)


def successors():
    """{agency: (successor, since date)} from config/directory.ini, read independently."""
    out, cur, succ, since = {}, None, None, None
    with open(DIRECTORY, encoding="utf-8") as f:
        for line in list(f) + ["[end]"]:
            s = line.strip()
            if s.startswith("["):
                if cur and succ and since:
                    out[cur] = (succ, since)
                m = re.match(r"\[agency ([a-z0-9-]+)\]$", s)
                cur, succ, since = (m.group(1) if m else None), None, None
            elif "=" in s and not s.startswith((";", "#")):
                key, _, value = (x.strip() for x in s.partition("="))
                if key == "successor":
                    succ = value
                elif key == "since":
                    since = datetime.date.fromisoformat(value)
    return out


def run_daemon(config, now):
    d = Daemon(config, now=now).start()
    try:
        d.wait_log(r"ready: planned", timeout=60)
        d.wait_idle(timeout=60)
    finally:
        check(d.stop() == 0, "clean stop\n" + d.log())


def mails(maildir):
    new = os.path.join(maildir, "new")
    out = {}
    for name in sorted(os.listdir(new)) if os.path.isdir(new) else []:
        with open(os.path.join(new, name), "rb") as f:
            out[name] = parse_message(f.read())
    return out


def check_items(msg, recipient_name):
    """Each item: its plan named, its role's words; nobody asked to report to itself."""
    body = plain_body(msg)
    blocks = re.split(r"\n(?=\d+\. )", body)
    items = [b for b in blocks if PLAN_LINE.search(b)]
    check(items, f"no item in:\n{body}")
    for b in items:
        m = PLAN_LINE.search(b)
        plan = m.group(2) or ""
        check(re.match(r"(Kế hoạch|Quyết định) (số \d+/\S+ ngày \d\d/\d\d/\d{4} \S|\S)", plan),
              f"the plan by kind, number, date and title: {plan!r}")
        check(not re.search(r"\.txt|_|KH-2025\b", plan), f"a file name as the plan: {plan!r}")
        role = ROLE_LINE.search(b)
        check(role, f"no role in:\n{b}")
        role = role.group(1)
        lead = re.search(r"đơn vị chủ trì: (.+?)\.\n", b)
        if role == "chủ trì":
            check("Đề nghị Quý cơ quan" in b, f"the lead is asked to act:\n{b}")
        elif role == "phối hợp":
            check(lead and f"phối hợp với {lead.group(1)} để thực hiện" in b,
                  f"the coordinating agency is told to work with the lead, named:\n{b}")
        elif role == "theo dõi, đôn đốc":
            check(lead and f"để biết, theo dõi, đôn đốc {lead.group(1)}" in b,
                  f"the monitor is informed and shown whom to chase:\n{b}")
        elif role == "chỉ đạo":
            check(lead and f"để biết, theo dõi, chỉ đạo {lead.group(1)}" in b,
                  f"a supervisor is informed and shown whom to direct:\n{b}")
        else:
            check(False, f"unknown role {role!r}")
        check(f"báo cáo kết quả về {recipient_name}." not in b,
              f"{recipient_name} is asked to report to itself:\n{b}")
        check("quá hạn" not in b or "đã quá hạn từ ngày" in b,
              f"overdue without its date:\n{b}")
        check(not re.search(r"quá hạn \d+ ngày", b), f"a count of days overdue:\n{b}")


def test_what_agencies_read():
    w = Workdir()
    try:
        config = example_config(w)
        import_seeds(config)
        maildir = os.path.join(w.path, "var", "mail")
        db = os.path.join(w.path, "var", "deadlined.db")
        run_daemon(config, FIRST)
        first = mails(maildir)
        check(first, "nothing sent on 01/12/2025")
        ids_to = {}
        for name, m in first.items():
            subject = str(m["subject"])
            check(SUBJECT.match(subject), f"kind and date first: {subject!r}")
            check(len(subject) <= 90, f"a subject of {len(subject)} characters: {subject!r}")
            check("((" not in subject and "))" not in subject, subject)
            check(m["Cc"] is None, f"Cc on {subject}: {m['Cc']}")
            check(m["In-Reply-To"] is None and m["References"] is None,
                  f"the first messages follow no thread: {m['In-Reply-To']}")
            to = m["To"].addresses
            check(len(set(a.display_name for a in to)) == 1, f"one agency: {m['To']}")
            ids_to[m["Message-ID"].strip("<>")] = str(m["To"])
            check_items(m, to[0].display_name)
            body = plain_body(m)
            check("Trân trọng." in body and "Đầu mối liên hệ: " in body and "điện thoại" in body,
                  f"the footer names a contact with a phone:\n{body[-900:]}")
            check("Quý cơ quan nhận được thư này vì là đơn vị" in body, "why it came")
        recipients = [str(m["To"]) for m in first.values()]
        check(len(recipients) == len(set(recipients)), "two messages to one agency")

        # No recurring occurrence older than the agency holding it.
        succ = successors()
        con = sqlite3.connect(db)
        rows = con.execute(
            "SELECT m.recipient, n.agency, o.due, t.kind, t.plan_id, t.key FROM notifications n"
            " JOIN messages m ON m.id = n.message JOIN occurrences o ON o.id = n.occurrence_id"
            " JOIN tasks t ON t.id = o.task_id WHERE n.agency <> m.recipient").fetchall()
        con.close()
        recurring = ("weekly", "monthly", "quarterly", "half-yearly", "yearly")
        for recipient, agency, due, kind, plan, key in rows:
            if kind not in recurring or agency not in succ:
                continue
            since = succ[agency][1]
            last = (datetime.datetime.fromtimestamp(due - 1, TZ)).date()
            check(last >= since, f"{recipient} is reminded of {plan}:{key} due {last}, "
                  f"before it took over from {agency} on {since}")

        # Later: replies only to what that recipient was sent.
        run_daemon(config, SECOND)
        second = {k: v for k, v in mails(maildir).items() if k not in first}
        check(second, "nothing sent on 16/12/2025")
        threaded = 0
        for m in second.values():
            refs = re.findall(r"<([^>]+)>", str(m["References"] or ""))
            reply = re.findall(r"<([^>]+)>", str(m["In-Reply-To"] or ""))
            for r in refs + reply:
                check(ids_to.get(r) == str(m["To"]),
                      f"{m['To']} replies to {r}, sent to {ids_to.get(r)}")
            threaded += bool(reply)
            check(reply == [] or reply[0] in refs, "In-Reply-To among the References")
        check(threaded, "no message of the second morning follows a thread")
    finally:
        w.cleanup()


if __name__ == "__main__":
    run_tests([test_what_agencies_read])
