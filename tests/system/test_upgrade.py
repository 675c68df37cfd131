"""Upgrades: a store written by each earlier schema version, opened by
today's programs.

Each store is made here from recorded SQL: the schema as that version
created it (frozen text, never today's migrations) and the rows a daemon of
that version would have left: a plan, tasks, their ledger, a sent message,
a queued one and a failed one already told to the admin. Today's
deadlinectl and deadlined must keep every row, send the queued message
once, send nothing the ledger holds, and not tell the admin again.

When the schema gets a version N+1, add SCHEMA[N+1] (N's schema as it is
now, plus the statements of migration N+1) and ROWS[N+1]."""
import email.utils
import os
import sqlite3
from datetime import datetime, timedelta, timezone

from harness import Daemon, SMTPServer, Workdir, check, ctl, run_tests

VN = timezone(timedelta(hours=7))


def t(*args):
    return int(datetime(*args, tzinfo=VN).timestamp())


# ---- the schemas, as each version wrote them --------------------------------------------

SCHEMA_1 = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE plans (
 id TEXT PRIMARY KEY, title TEXT, issued TEXT, first_year INTEGER, last_year INTEGER,
 monitor TEXT, source TEXT, origin TEXT NOT NULL,
 created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);
CREATE TABLE tasks (
 id INTEGER PRIMARY KEY, plan_id TEXT NOT NULL REFERENCES plans(id),
 key TEXT NOT NULL, idx TEXT, category TEXT, title TEXT NOT NULL,
 timeframe TEXT NOT NULL, kind TEXT NOT NULL, due INTEGER, window_start INTEGER,
 condition TEXT, flags INTEGER NOT NULL DEFAULT 0,
 status TEXT NOT NULL DEFAULT 'open', status_note TEXT,
 extended_due INTEGER, ext INTEGER NOT NULL DEFAULT 0,
 source_file TEXT, source_line INTEGER, raw TEXT, origin TEXT NOT NULL, policy TEXT,
 content_hash TEXT NOT NULL, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
 UNIQUE (plan_id, key));
CREATE TABLE assignments (
 task_id INTEGER NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
 role TEXT NOT NULL CHECK (role IN ('lead', 'coord')),
 agency TEXT NOT NULL, written TEXT, via_group TEXT, resolved INTEGER NOT NULL,
 PRIMARY KEY (task_id, role, agency));
CREATE TABLE occurrences (
 id INTEGER PRIMARY KEY, task_id INTEGER NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
 due INTEGER NOT NULL, window_start INTEGER, status TEXT NOT NULL DEFAULT 'open',
 next_at INTEGER, UNIQUE (task_id, due));
CREATE INDEX occurrences_next ON occurrences(next_at) WHERE next_at IS NOT NULL;
CREATE TABLE messages (
 id INTEGER PRIMARY KEY, message_id TEXT NOT NULL UNIQUE, recipient TEXT NOT NULL,
 rcpt TEXT NOT NULL, subject TEXT NOT NULL, body BLOB NOT NULL, kind TEXT NOT NULL,
 state TEXT NOT NULL CHECK (state IN ('queued', 'sent', 'failed', 'partial')),
 attempts INTEGER NOT NULL DEFAULT 0, next_attempt INTEGER, last_error TEXT,
 created_at INTEGER NOT NULL, sent_at INTEGER, last_attempt INTEGER);
CREATE INDEX messages_queue ON messages(next_attempt) WHERE state = 'queued';
CREATE TABLE notifications (
 occurrence_id INTEGER NOT NULL REFERENCES occurrences(id) ON DELETE CASCADE,
 agency TEXT NOT NULL, step TEXT NOT NULL, kind TEXT NOT NULL,
 planned_at INTEGER NOT NULL, message INTEGER REFERENCES messages(id),
 state TEXT NOT NULL CHECK (state IN ('queued', 'sent', 'failed', 'skipped')),
 created_at INTEGER NOT NULL,
 PRIMARY KEY (occurrence_id, agency, step)) WITHOUT ROWID;
CREATE INDEX notifications_message ON notifications(message);
CREATE TABLE rcpt_failures (
 message INTEGER NOT NULL REFERENCES messages(id), address TEXT NOT NULL,
 code INTEGER, text TEXT, at INTEGER NOT NULL);
CREATE TABLE history (
 id INTEGER PRIMARY KEY, task_id INTEGER NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
 at INTEGER NOT NULL, what TEXT NOT NULL, detail TEXT);
"""

SCHEMA_2 = SCHEMA_1 + """
ALTER TABLE messages ADD COLUMN delivered_to TEXT;
ALTER TABLE messages ADD COLUMN reported INTEGER NOT NULL DEFAULT 0;
CREATE INDEX rcpt_failures_message ON rcpt_failures(message);
"""

SCHEMA_3 = SCHEMA_2 + """
ALTER TABLE messages ADD COLUMN resend_of INTEGER REFERENCES messages(id);
CREATE INDEX messages_recipient ON messages(recipient, id);
"""

SCHEMA_4 = SCHEMA_3 + """
CREATE TABLE inbound ( id INTEGER PRIMARY KEY, received_at INTEGER NOT NULL, source TEXT NOT NULL, message_id TEXT NOT NULL, hash TEXT NOT NULL, from_addr TEXT, from_name TEXT, subject TEXT, agency TEXT, message INTEGER REFERENCES messages(id), matched_by TEXT, kind TEXT NOT NULL, state TEXT NOT NULL CHECK (state IN ('applied', 'held', 'ignored', 'refused', 'accepted', 'rejected')), reason TEXT, text TEXT, answer INTEGER REFERENCES messages(id), answer_kind TEXT, decided_by TEXT, decided_at INTEGER, UNIQUE (message_id, hash));
CREATE INDEX inbound_from ON inbound(from_addr, received_at);
CREATE TABLE inbound_tasks ( inbound INTEGER NOT NULL REFERENCES inbound(id), task_id INTEGER NOT NULL REFERENCES tasks(id) ON DELETE CASCADE, occurrence_id INTEGER, PRIMARY KEY (inbound, task_id)) WITHOUT ROWID;
CREATE INDEX inbound_tasks_task ON inbound_tasks(task_id);
CREATE TABLE reply_commands ( id INTEGER PRIMARY KEY, inbound INTEGER NOT NULL REFERENCES inbound(id), line INTEGER NOT NULL, line_text TEXT NOT NULL, item TEXT, task_id INTEGER REFERENCES tasks(id) ON DELETE SET NULL, occurrence_id INTEGER, command TEXT NOT NULL, note TEXT, reason TEXT, new_due INTEGER, state TEXT NOT NULL, detail TEXT);
CREATE INDEX reply_commands_inbound ON reply_commands(inbound);
CREATE TABLE attachments ( id INTEGER PRIMARY KEY, inbound INTEGER NOT NULL REFERENCES inbound(id), filename TEXT NOT NULL, path TEXT, content_type TEXT, size INTEGER NOT NULL, sha256 TEXT, refused TEXT);
CREATE INDEX attachments_inbound ON attachments(inbound);
CREATE TABLE extension_requests ( id INTEGER PRIMARY KEY, task_id INTEGER NOT NULL REFERENCES tasks(id) ON DELETE CASCADE, occurrence_id INTEGER, inbound INTEGER REFERENCES inbound(id), agency TEXT NOT NULL, requested_due INTEGER NOT NULL, reason TEXT, created_at INTEGER NOT NULL, state TEXT NOT NULL CHECK (state IN ('pending', 'approved', 'refused')), decided_by TEXT, decided_at INTEGER, note TEXT);
CREATE INDEX extension_requests_task ON extension_requests(task_id, state);
CREATE TABLE bad_addresses ( address TEXT PRIMARY KEY, agency TEXT, status TEXT, diagnostic TEXT, inbound INTEGER, first_at INTEGER NOT NULL, last_at INTEGER NOT NULL, reported INTEGER NOT NULL DEFAULT 0);
CREATE INDEX messages_ref ON messages(substr(message_id, instr(message_id, '@') - 16, 16));
"""

SCHEMA_5 = SCHEMA_4 + """
CREATE TABLE notifications_v3 ( occurrence_id INTEGER NOT NULL REFERENCES occurrences(id) ON DELETE CASCADE, agency TEXT NOT NULL, step TEXT NOT NULL, kind TEXT NOT NULL, planned_at INTEGER NOT NULL, message INTEGER REFERENCES messages(id), state TEXT NOT NULL CHECK (state IN ('pending', 'queued', 'sent', 'failed', 'skipped')), created_at INTEGER NOT NULL, role TEXT, PRIMARY KEY (occurrence_id, agency, step)) WITHOUT ROWID;
INSERT INTO notifications_v3 (occurrence_id, agency, step, kind, planned_at, message, state, created_at) SELECT occurrence_id, agency, step, kind, planned_at, message, state, created_at FROM notifications;
DROP TABLE notifications;
ALTER TABLE notifications_v3 RENAME TO notifications;
CREATE INDEX notifications_message ON notifications(message);
CREATE INDEX notifications_pending ON notifications(agency) WHERE state = 'pending';
CREATE INDEX messages_recipient_at ON messages(recipient, created_at);
CREATE INDEX messages_unreported ON messages(id) WHERE state IN ('failed', 'partial') AND reported = 0;
CREATE INDEX notifications_failed ON notifications(created_at) WHERE state = 'failed';
CREATE TABLE msg_counts (state TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;
INSERT INTO msg_counts SELECT state, COUNT(*) FROM messages GROUP BY state;
CREATE TRIGGER msg_counts_insert AFTER INSERT ON messages BEGIN INSERT INTO msg_counts VALUES (new.state, 1) ON CONFLICT (state) DO UPDATE SET n = n + 1;
 END;
CREATE TRIGGER msg_counts_update AFTER UPDATE OF state ON messages WHEN old.state IS NOT new.state BEGIN UPDATE msg_counts SET n = n - 1 WHERE state = old.state;
 INSERT INTO msg_counts VALUES (new.state, 1) ON CONFLICT (state) DO UPDATE SET n = n + 1;
 END;
CREATE TRIGGER msg_counts_delete AFTER DELETE ON messages BEGIN UPDATE msg_counts SET n = n - 1 WHERE state = old.state;
 END;
"""

SCHEMA_6 = SCHEMA_5 + """
ALTER TABLE tasks ADD COLUMN status_before_removal TEXT;
ALTER TABLE occurrences ADD COLUMN status_before_removal TEXT;
"""

SCHEMA_7 = SCHEMA_6 + """
CREATE TABLE notifications_v7 ( occurrence_id INTEGER NOT NULL REFERENCES occurrences(id) ON DELETE CASCADE, agency TEXT NOT NULL, step TEXT NOT NULL, kind TEXT NOT NULL, planned_at INTEGER NOT NULL, message INTEGER REFERENCES messages(id), state TEXT NOT NULL CHECK (state = 'pending' OR state = 'queued' OR state = 'sent' OR state = 'failed' OR state = 'skipped'), created_at INTEGER NOT NULL, role TEXT, PRIMARY KEY (occurrence_id, agency, step)) WITHOUT ROWID;
INSERT INTO notifications_v7 (occurrence_id, agency, step, kind, planned_at, message, state, created_at, role) SELECT occurrence_id, agency, step, kind, planned_at, message, state, created_at, role FROM notifications;
DROP TABLE notifications;
ALTER TABLE notifications_v7 RENAME TO notifications;
CREATE INDEX notifications_message ON notifications(message) WHERE message IS NOT NULL;
CREATE INDEX notifications_pending ON notifications(agency) WHERE state = 'pending';
CREATE INDEX notifications_failed ON notifications(created_at) WHERE state = 'failed';
"""

SCHEMA = {1: SCHEMA_1, 2: SCHEMA_2, 3: SCHEMA_3, 4: SCHEMA_4, 5: SCHEMA_5, 6: SCHEMA_6,
          7: SCHEMA_7}

# ---- the rows a daemon of that version left -----------------------------------------------

DUE = t(2025, 6, 30)  # "trước ngày 30/6/2025": the start of the day
MAY = t(2025, 5, 31, 8)
JUNE_16 = t(2025, 6, 16, 8)
SUMMARY_AT = t(2025, 6, 17, 8)  # the admin was told of failures until then


def body(message_id, to, subject):
    return (f"From: nhacviec@quangngai.example\r\nTo: {to}\r\nSubject: {subject}\r\n"
            f"Message-ID: <{message_id}>\r\nDate: {email.utils.formatdate()}\r\n\r\n"
            f"Kính gửi: {to}\r\n").encode()


def ledger_row(version, occurrence, agency, step, message, state, at):
    """A notification row; schema 5 added the recipient's role (NULL for older rows)."""
    role = ", NULL" if version >= 5 else ""
    return (f"INSERT INTO notifications VALUES (?, ?, ?, 'reminder', ?, ?, ?, ?{role})",
            (occurrence, agency, step, at, message, state, at))


def rows_common(version):
    """Statements and parameters valid in every version's schema."""
    hist = "INSERT INTO history (task_id, at, what, detail) VALUES (?, ?, ?, ?)"
    # Schema 6 added the status an occurrence had before its removal (none here).
    before = ", NULL" if version >= 6 else ""
    return [
        ("INSERT INTO meta VALUES ('admin_summary_at', ?)", (str(SUMMARY_AT),)),
        ("INSERT INTO plans VALUES ('KH-CU', 'Kế hoạch của phiên bản cũ', '2025-04-15', 2025, "
         "2025, NULL, 'ke-hoach.csv', 'import', ?, ?)", (MAY - 86400, MAY - 86400)),
        ("INSERT INTO tasks (id, plan_id, key, idx, title, timeframe, kind, due, status, "
         "source_file, source_line, raw, origin, content_hash, created_at, updated_at) VALUES "
         "(1, 'KH-CU', '1', '1', 'Khảo sát chuyển đổi số doanh nghiệp', 'trước ngày 30/6/2025', "
         "'once', ?, 'open', 'ke-hoach.csv', 2, '1,Khảo sát…', 'import', 'h1', ?, ?)",
         (DUE, MAY - 86400, MAY - 86400)),
        ("INSERT INTO tasks (id, plan_id, key, idx, title, timeframe, kind, due, status, "
         "status_note, source_file, source_line, raw, origin, content_hash, created_at, "
         "updated_at) VALUES (2, 'KH-CU', '2', '2', 'Báo cáo chuyển đổi số ngành y tế', "
         "'trước ngày 30/6/2025', 'once', ?, 'waiting', 'Chờ số liệu quý II', 'ke-hoach.csv', "
         "3, '2,Báo cáo…', 'import', 'h2', ?, ?)", (DUE, MAY - 86400, MAY - 86400)),
        ("INSERT INTO assignments VALUES (1, 'lead', 'sct', 'Sở Công Thương', NULL, 1)", ()),
        ("INSERT INTO assignments VALUES (2, 'lead', 'syt', 'Sở Y tế', NULL, 1)", ()),
        (f"INSERT INTO occurrences VALUES (1, 1, ?, NULL, 'open', ?{before})",
         (DUE, JUNE_16)),
        (f"INSERT INTO occurrences VALUES (2, 2, ?, NULL, 'open', ?{before})",
         (DUE, JUNE_16)),
        (hist, (2, JUNE_16 - 3600, "status", "waiting: Chờ số liệu quý II")),
        ledger_row(version, 1, "sct", "r30", None, "skipped", MAY),
        ledger_row(version, 2, "syt", "r30", None, "skipped", MAY),
        ledger_row(version, 1, "sct", "r14", 1, "sent", JUNE_16),
        ledger_row(version, 2, "syt", "r14", 2, "queued", JUNE_16),
        ("INSERT INTO rcpt_failures VALUES (3, 'bhxh@quangngai.example', 550, 'no such user', ?)",
         (JUNE_16,)),
    ]


MESSAGES = [  # id, message_id, recipient, rcpt, state, attempts, next, error, sent, last
    (1, "cu-1@quangngai.example", "sct", "sct@quangngai.example", "sent", 1, None, None,
     JUNE_16, JUNE_16),
    (2, "cu-2@quangngai.example", "syt", "syt@quangngai.example", "queued", 1, JUNE_16 + 60,
     "451 try again", None, JUNE_16),
    (3, "cu-3@quangngai.example", "bhxh", "bhxh@quangngai.example", "failed", 1, None,
     "550 no such user", None, JUNE_16),
]


def message_rows(version):
    out = []
    for mid, message_id, recipient, rcpt, state, attempts, nxt, err, sent, last in MESSAGES:
        values = [mid, message_id, recipient, rcpt, f"[Nhắc việc] thư {mid}",
                  body(message_id, rcpt, f"thư {mid}"), "reminder", state, attempts, nxt, err,
                  JUNE_16, sent, last]
        columns = "?, " * 13 + "?"
        if version >= 2:  # delivered_to, reported: the failure was told at SUMMARY_AT
            values += [None, 1 if state == "failed" else 0]
            columns += ", ?, ?"
        if version >= 3:  # resend_of: none of them is a resend
            values.append(None)
            columns += ", ?"
        out.append((f"INSERT INTO messages VALUES ({columns})", tuple(values)))
    return out


def make_store(path, version):
    db = sqlite3.connect(path)
    db.executescript(SCHEMA[version])
    # Messages first: notifications and failures refer to them.
    for query, params in message_rows(version) + rows_common(version):
        db.execute(query, params)
    db.execute(f"PRAGMA user_version = {version}")
    db.commit()
    db.close()


def current_version(w):
    """The schema version today's programs write, read from a store they make."""
    fresh = os.path.join(w.path, "fresh.db")
    ctl(w.config, "--db", fresh, "tasks", check_rc=0)
    db = sqlite3.connect(fresh)
    try:
        return db.execute("PRAGMA user_version").fetchone()[0]
    finally:
        db.close()


# What must survive the upgrade unchanged, row for row.
KEPT = {
    "plans": "SELECT id, title, issued, first_year, last_year, origin FROM plans",
    "tasks": "SELECT id, plan_id, key, title, timeframe, kind, due, status, status_note, "
             "source_file, source_line FROM tasks ORDER BY id",
    "assignments": "SELECT * FROM assignments ORDER BY 1, 2, 3",
    "occurrences": "SELECT id, task_id, due, status FROM occurrences ORDER BY id",
    "history": "SELECT task_id, at, what, detail FROM history ORDER BY id",
    "messages": "SELECT id, message_id, recipient, rcpt, subject, body, state, attempts "
                "FROM messages ORDER BY id",
    "notifications": "SELECT occurrence_id, agency, step, message, state FROM notifications "
                     "ORDER BY 1, 2, 3",
    "rcpt_failures": "SELECT message, address, code FROM rcpt_failures",
}


def snapshot(w):
    db = sqlite3.connect(w.db)
    try:
        return {name: db.execute(q).fetchall() for name, q in KEPT.items()}
    finally:
        db.close()


def check_upgrade(version):
    w = Workdir()
    smtp = SMTPServer().start()
    d = None
    try:
        w.write_config(port=smtp.port)
        latest = current_version(w)
        check(latest >= version, f"today's schema {latest} is older than {version}")
        make_store(w.db, version)
        before = snapshot(w)

        # deadlinectl opens it first: it migrates, and reads every task.
        tasks = [line for line in ctl(w.config, "tasks", "--json", check_rc=0).stdout.splitlines()]
        check(len(tasks) == 2 and '"status":"waiting"' in tasks[1], f"tasks: {tasks}")
        check(w.sql("PRAGMA user_version") == [(latest,)], "migrated to today's version")
        check(snapshot(w) == before, f"schema {version}: the upgrade changed rows")
        check(w.sql("SELECT id, reported FROM messages ORDER BY id") == [(1, 0), (2, 0), (3, 1)],
              "the failure told to the admin before stays told")

        # Two days later: only the queued message goes, once.
        d = Daemon(w.config, now="2025-06-18T09:00:00+07:00").start()
        got = smtp.wait_for(1)
        d.wait_idle()
        check(len(smtp.messages) == 1 and got[0]["Message-ID"] == "<cu-2@quangngai.example>" and
              got[0].envelope_to == ["syt@quangngai.example"],
              f"sent: {[(m['Message-ID'], m.envelope_to) for m in smtp.messages]}\n{d.log()}")
        check(d.stop() == 0, "stop")

        # The 7-day reminders come at their slot (Sunday 22/6 moves to Friday 20/6),
        # for both tasks, and nothing else.
        d = Daemon(w.config, now="2025-06-20T09:00:00+07:00").start()
        smtp.wait_for(3)
        d.wait_idle()
        check(d.stop() == 0, "stop")
        to = sorted(m.envelope_to[0] for m in smtp.messages)
        check(to == ["sct@quangngai.example", "syt@quangngai.example", "syt@quangngai.example"],
              f"recipients over both days: {to}")
        ids = [m["Message-ID"] for m in smtp.messages]
        check(len(set(ids)) == len(ids) and "<cu-1@quangngai.example>" not in ids,
              f"a message went twice: {ids}")
        ledger = w.sql("SELECT occurrence_id, agency, step, state FROM notifications "
                       "ORDER BY 1, 3")
        check(ledger == [(1, "sct", "r14", "sent"), (1, "sct", "r30", "skipped"),
                         (1, "sct", "r7", "sent"), (2, "syt", "r14", "sent"),
                         (2, "syt", "r30", "skipped"), (2, "syt", "r7", "sent")],
              f"ledger: {ledger}")
        after = snapshot(w)
        for name in ("plans", "tasks", "assignments", "occurrences", "history",
                     "rcpt_failures"):
            check(after[name] == before[name], f"{name} changed: {after[name]}")
    finally:
        if d and d.proc.poll() is None:
            d.stop()
        smtp.stop()
        w.cleanup()


def test_a_store_of_schema_1():
    check_upgrade(1)


def test_a_store_of_schema_2():
    check_upgrade(2)


def test_a_store_of_schema_3():
    check_upgrade(3)


def test_a_store_of_schema_4():
    check_upgrade(4)


def test_a_store_of_schema_5():
    check_upgrade(5)


def test_a_store_of_schema_6():
    check_upgrade(6)


def test_a_store_of_schema_7():
    check_upgrade(7)


def test_every_earlier_schema_has_a_store_here():
    w = Workdir()
    try:
        w.write_config()
        latest = current_version(w)
        check(set(SCHEMA) == set(range(1, latest + 1)) or set(SCHEMA) == set(range(1, latest)),
              f"schemas recorded here: {sorted(SCHEMA)}; today's version is {latest}: "
              "record the newest one in test_upgrade.py")
    finally:
        w.cleanup()


if __name__ == "__main__":
    run_tests([test_a_store_of_schema_1, test_a_store_of_schema_2, test_a_store_of_schema_3,
               test_a_store_of_schema_4,
               test_a_store_of_schema_5, test_a_store_of_schema_6, test_a_store_of_schema_7,
               test_every_earlier_schema_has_a_store_here])
