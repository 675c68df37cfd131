"""Servers that never answer, answer slowly, or cannot even be connected to,
and a daemon out of file descriptors.

Whatever the mail server does, SIGTERM stops the daemon within 10 s
(measured here: the time from the signal to the exit), `deadlinectl status`
answers meanwhile, the reason logged names the timeout ("no greeting", "no
connection") rather than a dropped connection, and the message that was in
flight stays queued: nothing is lost."""
import os
import re
import resource
import signal
import socket
import time

from harness import (MANY_NOW, Daemon, FullBacklogServer, SilentServer, TarpitServer, Workdir,
                     check, eventually, many_agencies, run_tests)

STOP_LIMIT = 10.0  # seconds: TimeoutStopSec is 30 s, and a stop must never be a SIGKILL


def start(server, timeout, agencies=3):
    w = Workdir()
    w.write_config(many_agencies(agencies), port=server.port, smtp_extra="connections = 1")
    with open(w.config, encoding="utf-8") as f:
        text = f.read()
    check("\ntimeout = 10\n" in text, "the harness config changed")
    with open(w.config, "w", encoding="utf-8") as f:
        f.write(text.replace("\ntimeout = 10\n", f"\ntimeout = {timeout}\n"))
    return w, Daemon(w.config, now=MANY_NOW).start()


def stop_and_time(name, w, d):
    """SIGTERM; the seconds until the process has exited."""
    s = d.status()
    check(s and s["state"] == "running" and int(s["in_flight"]) > 0,
          f"{name}: status while stuck: {s}\n{d.log()}")
    began = time.monotonic()
    d.proc.send_signal(signal.SIGTERM)
    rc = d.proc.wait(60)
    took = time.monotonic() - began
    print(f"# {name}: stopped {took:.2f} s after SIGTERM", flush=True)
    check(rc == 0, f"{name}: exit status {rc}\n{d.log()}")
    check(took < STOP_LIMIT, f"{name}: the stop took {took:.1f} s\n{d.log()}")
    left = w.sql("SELECT state, COUNT(*) FROM messages WHERE state != 'sent' GROUP BY state")
    check(all(state == "queued" for state, _ in left), f"{name}: outbox {left}")
    return took


def test_a_server_that_never_greets_is_a_timeout_and_stop_is_prompt():
    server = SilentServer().start()
    w, d = start(server, timeout=5)
    try:
        d.wait_log(r"not delivered \(127\.0\.0\.1:\d+: no greeting from the server within 5 s\)",
                   30)
        check("dropped connection" not in d.log(), "called a dropped connection\n" + d.log())
        eventually(lambda: server.connections() >= 2, 30, "the retry's connection")
        stop_and_time("no greeting", w, d)
    finally:
        if d.proc.poll() is None:
            d.proc.kill()
        server.stop()
        w.cleanup()


def test_a_full_accept_queue_is_a_connect_timeout_and_stop_is_prompt():
    server = FullBacklogServer().start()
    w, d = start(server, timeout=5)
    try:
        d.wait_log(r"not delivered \(127\.0\.0\.1:\d+: no connection within 5 s\)", 30)
        # Recorded, so in flight again means the retry is connecting.
        eventually(lambda: (d.status() or {}).get("in_flight", "0") != "0", 30, "the retry")
        stop_and_time("full accept queue", w, d)
    finally:
        if d.proc.poll() is None:
            d.proc.kill()
        server.stop()
        w.cleanup()


def test_a_tarpit_with_the_shipped_timeout_is_cut_at_stop():
    """Every reply 4 s late and timeout = 60 (the example config's): a session
    for three messages would take about a minute. The stop comes in the middle
    of the envelope and does not wait for it."""
    server = TarpitServer(delay=4).start()
    w, d = start(server, timeout=60)
    try:
        eventually(lambda: server.connections() >= 1, 30, "a connection")
        stop_and_time("tarpit, stopped in the envelope", w, d)
        check(server.messages == 0, f"{server.messages} messages went out")
    finally:
        if d.proc.poll() is None:
            d.proc.kill()
        server.stop()
        w.cleanup()


def test_a_tarpit_answering_the_message_in_flight_is_waited_for():
    """The stop comes when a message's data is with the server: its answer (4 s
    late) is waited for and recorded, and nothing else is sent."""
    server = TarpitServer(delay=4).start()
    w, d = start(server, timeout=60)
    try:
        check(server.data_sent.wait(60), "a message's data reached the server\n" + d.log())
        stop_and_time("tarpit, stopped awaiting the answer to the data", w, d)
        rows = w.sql("SELECT state, COUNT(*) FROM messages GROUP BY state")
        check(rows == [("queued", 2), ("sent", 1)], f"the answered one is recorded: {rows}")
    finally:
        if d.proc.poll() is None:
            d.proc.kill()
        server.stop()
        w.cleanup()


def main_thread_cpu(pid):
    """Seconds of CPU the process's main thread (the loop) has used."""
    with open(f"/proc/{pid}/task/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def test_out_of_descriptors_the_control_socket_pauses_instead_of_spinning():
    """With its descriptors used up by clients that say nothing, the daemon
    cannot accept: it pauses accepting instead of spinning on a socket that
    stays readable, logs the error once, and answers again once they are gone."""
    w = Workdir()
    w.write_config(many_agencies(1), transport="maildir")
    d = Daemon(w.config, now="2025-05-02T09:00:00+07:00").start()
    clients = []
    try:
        d.wait_idle()
        pid = d.proc.pid
        used = len(os.listdir(f"/proc/{pid}/fd"))
        resource.prlimit(pid, resource.RLIMIT_NOFILE, (used + 4, used + 4))
        path = os.path.join(w.path, "deadlined.sock")
        for _ in range(12):  # 4 accepted and held, the rest left in the backlog
            c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            c.connect(path)
            clients.append(c)
        d.wait_log(r"control socket: accept: Too many open files")
        before = main_thread_cpu(pid)
        time.sleep(2.0)  # the window the CPU is measured over
        spent = main_thread_cpu(pid) - before
        lines = len(re.findall(r"control socket: accept", d.log()))
        print(f"# out of descriptors: {spent:.2f} s of CPU in 2 s, {lines} log line(s)",
              flush=True)
        check(spent < 0.3, f"the loop spins: {spent:.2f} s of CPU in 2 s")
        check(lines <= 2, f"{lines} lines of the same error\n{d.log()[-2000:]}")
        for c in clients:
            c.close()
        clients = []
        eventually(lambda: d.status(), 30, "status after the clients left")
        check(d.stop() == 0, "clean stop\n" + d.log()[-3000:])
    finally:
        for c in clients:
            c.close()
        if d.proc.poll() is None:
            d.proc.kill()
        w.cleanup()


if __name__ == "__main__":
    run_tests([test_a_server_that_never_greets_is_a_timeout_and_stop_is_prompt,
               test_a_full_accept_queue_is_a_connect_timeout_and_stop_is_prompt,
               test_a_tarpit_with_the_shipped_timeout_is_cut_at_stop,
               test_a_tarpit_answering_the_message_in_flight_is_waited_for,
               test_out_of_descriptors_the_control_socket_pauses_instead_of_spinning])
