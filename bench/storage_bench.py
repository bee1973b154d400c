#!/usr/bin/env python3
"""The durable server against the memory one: start-up time, memory, throughput (README, "Storage").

    bench/storage_bench.py [--starts 3] [--messages 500] [--sessions 4] [--java-opts "-Xms256m -Xmx1g"]

For each flavour (SMTP_SHIELD_STORAGE=memory, then durable), STARTS times: a fresh copy of the packaged distribution
(e2e_bench.py's Server: the shield on, its limits high) is started and timed until James says it started and SMTP
answers; its resident memory (VmRSS) is read then, and again after the load. The last start of each flavour takes
the load: MESSAGES messages of about 2 kB to one local user over SESSIONS parallel SMTP sessions from 127.0.0.1;
it prints the messages accepted per second (250 after DATA) and delivered per second (until the INBOX, read over
IMAPS, holds them all). Prints the medians, and a table for the README. Bounded in count and time.
"""
import argparse
import concurrent.futures
import imaplib
import os
import smtplib
import socket
import ssl
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import e2e_bench  # noqa: E402  (the packaged server, started the way the other benchmark does)

BODY = "Subject: storage bench %d\r\n\r\n" + ("x" * 76 + "\r\n") * 26


def rss_mb(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def java_pid(server):
    """The launcher execs the JVM: the process it started is James's."""
    return server.process.pid


def smtp_answers(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2) as s:
            return s.recv(3) == b"220"
    except OSError:
        return False


def start(flavour, java_opts):
    e2e_bench.STORAGE = flavour
    server = e2e_bench.Server(flavour, shielded=True)
    began = time.monotonic()
    server.start(java_opts)
    while not smtp_answers(server.smtp_port):
        time.sleep(0.1)
    return server, time.monotonic() - began


def send(port, numbers):
    with smtplib.SMTP("127.0.0.1", port, timeout=60) as smtp:
        smtp.ehlo("bench.example.net")
        for n in numbers:
            smtp.sendmail("sender@example.net", [e2e_bench.USER], BODY % n)
    return len(numbers)


def inbox_size(port):
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    imap = imaplib.IMAP4_SSL("127.0.0.1", port, ssl_context=context)
    try:
        imap.login(e2e_bench.USER, "secret")
        return int(imap.select("INBOX", readonly=True)[1][0])
    finally:
        try:
            imap.logout()
        except imaplib.IMAP4.abort:
            pass  # James may close the TLS connection before its LOGOUT reply has been read


def load(server, messages, sessions):
    began = time.monotonic()
    chunks = [list(range(i, messages, sessions)) for i in range(sessions)]
    with concurrent.futures.ThreadPoolExecutor(sessions) as pool:
        sent = sum(pool.map(lambda chunk: send(server.smtp_port, chunk), chunks))
    accepted = time.monotonic() - began
    deadline = time.monotonic() + 600
    while inbox_size(server.ports["IMAPS_PORT"]) < sent:
        if time.monotonic() > deadline:
            raise RuntimeError("the messages were not all delivered within 10 minutes")
        time.sleep(0.2)
    return sent / accepted, sent / (time.monotonic() - began)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--starts", type=int, default=3)
    parser.add_argument("--messages", type=int, default=500)
    parser.add_argument("--sessions", type=int, default=4)
    parser.add_argument("--java-opts", default="-Xms256m -Xmx1g")
    args = parser.parse_args()
    print("machine: %d cores, load average %s" % (os.cpu_count(), " ".join("%.1f" % x for x in os.getloadavg())))
    rows = []
    for flavour in ("memory", "durable"):
        startups, idle = [], []
        for attempt in range(args.starts):
            server, seconds = start(flavour, args.java_opts)
            startups.append(seconds)
            idle.append(rss_mb(java_pid(server)))
            print("%s: start %d in %.1f s, %.0f MB resident" % (flavour, attempt + 1, seconds, idle[-1]), flush=True)
            if attempt < args.starts - 1:
                server.stop()
        try:
            accepted, delivered = load(server, args.messages, args.sessions)
            loaded = rss_mb(java_pid(server))
        finally:
            server.stop()
        print("%s: %d messages, %.0f/s accepted, %.0f/s delivered, %.0f MB resident after"
              % (flavour, args.messages, accepted, delivered, loaded), flush=True)
        rows.append((flavour, statistics.median(startups), statistics.median(idle), loaded, accepted, delivered))
    print("\n| flavour | start-up (median of %d) | resident after start | after %d messages | accepted/s | delivered/s |"
          % (args.starts, args.messages))
    print("|---|---|---|---|---|---|")
    for flavour, startup, idle_mb, loaded, accepted, delivered in rows:
        print("| %s | %.1f s | %.0f MB | %.0f MB | %.0f | %.0f |" % (flavour, startup, idle_mb, loaded, accepted, delivered))
    print("load average now: %s" % " ".join("%.1f" % x for x in os.getloadavg()))


if __name__ == "__main__":
    main()
