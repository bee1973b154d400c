#!/usr/bin/env python3
"""End-to-end benchmark: what the shield costs, against plain James 3.8.1, on this machine.

    bench/e2e_bench.py [--configs dns-off,dns-300,dns-0,noise] [--redis] [--forks 1] [--rounds 15] [--messages 15000]
                       [--sessions 10] [--max-warmup 20] [--only throughput|attack|dns-stall|screening]
                       [--storage memory|durable]

Builds the distribution if needed, then:

1. Throughput (the shield's cost). Every server is started at once, each a copy of the packaged distribution on
   free loopback ports: PLAIN James (the same distribution with the shield's handlers taken out of the port-25
   chain) and one SHIELDED server per configuration (every limit on, set high enough that nothing is refused; the
   load comes from 127.0.0.1, which the bench policy does not exempt):
     dns-off   DNS checks off
     dns-300   DNS checks on, a loopback DNS server answering with TTL 300 (every answer from the shield's cache)
     dns-0     DNS checks on, answers with TTL 0 (every MAIL FROM a lookup, every connection a PTR lookup)
     redis     (--redis) DNS checks off, the Redis store (a throw-away redis-server): compared with dns-off
     noise     a second plain server: plain / plain again, what the machine's noise alone gives
   Each configuration is measured beside its reference, both servers at once: a round runs one PAIR per
   configuration (the order rotating from round to round), and in a pair Postfix's smtp-source (Debian package
   "postfix") sends MESSAGES messages of SIZE bytes over SESSIONS parallel sessions to each of the two servers at the
   same time, so that what the machine does meanwhile (other tenants, its clock, its caches) hits both alike. Each
   server's CPU time (utime + stime of its process and children, /proc/<pid>/stat) is read before the pair and when
   its own smtp-source ends; from then until the other one's ends, a filler smtp-source (not measured) keeps it
   loaded, so that neither finishes on a machine the other has left to it. CPU per message is the measure,
   throughput (messages per second beside the other server) is printed beside it. Then both servers settle (until
   quiet: at most SETTLE seconds, "+N s"); the last one's work left after its run is printed ("tail", µs per
   message: not charged, as the other's went on under its filler). Warm-up rounds run until every server's CPU per
   message has stopped falling (the rule is printed, and the curve), then ROUNDS rounds are measured; with --forks N
   all of it N times, every server started anew (two JVMs of one build do not compile alike), the rounds pooled.
   It prints every pair; then each server's CPU per message, split by kind of thread (SMTP I/O, JIT, GC, the
   shield's DNS threads ...: /proc/<pid>/task); per configuration the median ratio with its quartiles and range, the
   extra CPU per message, the cost of an uncached lookup; and a table to paste into the README. Bounded: at most
   (MAX_WARMUP + ROUNDS) x FORKS rounds.
2. Attack. On a shielded server, a client whose address is blocked (it harvested) hammers the server with
   connections (ATTACK_RATE per second, from one asyncio loop in a process of its own) while a normal client sends;
   it prints connection refusals per second and the normal client's session time against its time with no attack.
3. DNS stall. The shielded server with its DNS checks on asks a DNS server of this script's, on loopback, that never
   answers two zones: 4 connections from one address repeat MAIL FROM:<a@r<random>.slow.test>, and 80 addresses
   whose reverse zone never answers connect and send MAIL FROM, while an unrelated client times its connect, EHLO,
   MAIL FROM and QUIT; it prints that client's session times without and under the attack.
4. Screening. The shielded server with DNSBL screening on (three zones of that DNS server), then without: the
   greeting's and MAIL FROM's latency for a client whose pass is cached, and sessions per second from distinct
   addresses, each screened.

Every server runs James's memory flavour (SMTP_SHIELD_STORAGE=memory) unless --storage durable: what is measured is
the shield's CPU per message, and the durable server's disk writes (Derby, KahaDB, one fsync per message or more) are
the same with or without the shield but add their own noise, larger than the shield's cost, on a shared machine.
The durable flavour against the memory one is bench/storage_bench.py's measure. For the same reason every server
drops its mail at the end of the root processor, after the shield's mailets: delivery into a mailbox costs several
ms of CPU per message, with or without the shield, and runs tens of seconds behind the session.

Everything runs on 127.0.0.0/8, bounded in count and time, and stops by itself.
"""
import argparse
import asyncio
import concurrent.futures
import json
import multiprocessing
import os
import random
import shutil
import signal
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DIST = os.path.join(ROOT, "distribution", "target", "smtp-shield")
# The servers' James flavour (--storage): the memory one unless asked (see the top of this file).
STORAGE = "memory"
DOMAIN = "bench.test"
USER = "user@" + DOMAIN
SENDER_DOMAIN = "client.test"
ATTACKER = "127.0.0.66"
NORMAL_CLIENT = "127.0.0.1"
ATTACK_WARM_UP = 5  # seconds
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")

SHIELD_POLICY = """<smtpshield>
  <exempt>
    <networks>::1/128</networks>
    <authenticatedUsers>true</authenticatedUsers>
  </exempt>
  <perIp>
    <maxMessagesPerHour>100000000</maxMessagesPerHour>
    <maxConcurrentConnections>1000</maxConcurrentConnections>
    <maxUnknownRecipients window="1h" blockFor="1h">3</maxUnknownRecipients>
  </perIp>
  <session>
    <maxFailedCommands>1000</maxFailedCommands>
    <maxRecipientsPerMessage>1000</maxRecipientsPerMessage>
    <maxMessageSize>25M</maxMessageSize>
  </session>
  %(dns)s
  %(store)s
</smtpshield>
"""

DNS_CHECKS = """<dns timeout="5s">
    <servers>127.0.0.1:%d</servers>
    <rejectUnknownSenderDomain>true</rejectUnknownSenderDomain>
    <rejectClientWithoutPtr>true</rejectClientWithoutPtr>
  </dns>"""

MEMORY_STORE = '<store type="memory"/>'


DNS_POLICY = """<smtpshield>
  <exempt>
    <networks>::1/128</networks>
  </exempt>
  <dns timeout="%(timeout)s">
    <servers>127.0.0.1:%(port)d</servers>
    <rejectUnknownSenderDomain>true</rejectUnknownSenderDomain>
    <rejectClientWithoutPtr>true</rejectClientWithoutPtr>
  </dns>
  <store type="memory"/>
</smtpshield>
"""
SCREENING_POLICY = """<smtpshield>
  <exempt>
    <networks>::1/128</networks>
  </exempt>
  <dns timeout="5s">
    <servers>127.0.0.1:%(port)d</servers>
  </dns>
  %(screening)s
  <store type="memory"/>
</smtpshield>
"""
SCREENING = """<screening>
    <dnsbl threshold="3">
      <zone weight="3">zen.test</zone>
      <zone weight="1" codes="127.0.0.2,127.0.0.4-127.0.0.7">bl.test</zone>
      <zone weight="-5">wl.test</zone>
    </dnsbl>
    <passCache ttl="1h"/>
  </screening>"""
DNS_CLIENT = "127.0.0.2"
SLOW_SENDER = "127.0.0.3"
SLOW_SENDER_CONNECTIONS = 4
NO_REVERSE_CLIENTS = 80  # 127.0.1.1 ... 127.0.1.80


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A copy of the packaged distribution, started with bin/smtp-shield on free ports."""

    def __init__(self, name, shielded, store=MEMORY_STORE, dns="", policy=None):
        self.name = name
        self.shielded = shielded
        self.store = store
        self.dns = dns
        self.policy = policy
        self.home = tempfile.mkdtemp(prefix="smtp-shield-bench-")
        for part in ("bin", "conf", "extensions-jars"):
            shutil.copytree(os.path.join(DIST, part), os.path.join(self.home, part))
        os.symlink(os.path.join(DIST, "lib"), os.path.join(self.home, "lib"))
        os.makedirs(os.path.join(self.home, "logs"))
        self.ports = {name: free_port() for name in
                      ("SMTP_PORT", "SMTPS_PORT", "SUBMISSION_PORT", "IMAP_PORT", "IMAPS_PORT", "WEBADMIN_PORT", "JMX_PORT")}
        self._configure()
        self.process = None
        self.output = None

    def _configure(self):
        smtpserver = os.path.join(self.home, "conf", "smtpserver.xml")
        with open(smtpserver) as f:
            xml = f.read()
        # Only 127.0.0.1 relays without AUTH; the load comes from 127.0.0.1, which the shield counts (not exempt).
        xml = xml.replace("<authorizedAddresses>127.0.0.0/8</authorizedAddresses>",
                          "<authorizedAddresses>127.0.0.1/32</authorizedAddresses>", 1)
        if not self.shielded:
            xml = xml.replace('<handlerchain coreHandlersPackage="io.github.smtpshield.smtp.ShieldCoreHandlers">',
                              "<handlerchain>\n            "
                              '<handler class="org.apache.james.smtpserver.CoreCmdHandlerLoader"/>', 1)
            assert "ShieldCoreHandlers" not in xml
        with open(smtpserver, "w") as f:
            f.write(xml)
        with open(os.path.join(self.home, "conf", "smtpshield.xml"), "w") as f:
            f.write(self.policy or SHIELD_POLICY % {"store": self.store, "dns": self.dns})
        # Mail is dropped at the end of the root processor, after the shield's mailets: delivery into James's memory
        # mailbox costs several ms of CPU per message, the same with the shield or without, and lags tens of seconds
        # behind the SMTP session, so it would drown the shield's cost and spill into the next server's run.
        mailets = os.path.join(self.home, "conf", "mailetcontainer.xml")
        with open(mailets) as f:
            xml = f.read()
        to_transport = '<mailet match="All" class="ToProcessor">\n                <processor>transport</processor>\n            </mailet>'
        assert xml.count(to_transport) == 1, "the root processor's hand-over to transport is not where it was"
        with open(mailets, "w") as f:
            f.write(xml.replace(to_transport, '<mailet match="All" class="Null"/>'))

    @property
    def smtp_port(self):
        return self.ports["SMTP_PORT"]

    def launch(self, java_opts):
        """Starts the server; "{server}" in JAVA_OPTS becomes the server's name (a JFR file of its own)."""
        env = dict(os.environ, JAVA_OPTS=java_opts.replace("{server}", self.name), SMTP_SHIELD_STORAGE=STORAGE,
                   **{k: str(v) for k, v in self.ports.items()})
        self.output = open(os.path.join(self.home, "output.log"), "w")
        self.process = subprocess.Popen([os.path.join(self.home, "bin", "smtp-shield")], cwd=self.home, env=env,
                                        stdout=self.output, stderr=subprocess.STDOUT)

    def await_started(self, deadline):
        while time.time() < deadline:
            if self.process.poll() is not None:
                with open(self.output.name) as f:
                    last = f.read().splitlines()[-15:]
                raise RuntimeError("server %s exited; the end of its output:\n%s" % (self.name, "\n".join(last)))
            with open(self.output.name) as f:
                if "JAMES server started" in f.read():
                    break
            time.sleep(0.5)
        else:
            raise RuntimeError("server %s did not start in time: see %s" % (self.name, self.output.name))
        self.webadmin("PUT", "/domains/" + DOMAIN)
        self.webadmin("PUT", "/users/" + USER, {"password": "secret"})

    def start(self, java_opts="-Xms1g -Xmx2g"):
        self.launch(java_opts)
        self.await_started(time.time() + 180)

    def webadmin(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request("http://127.0.0.1:%d%s" % (self.ports["WEBADMIN_PORT"], path), data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status

    def cpu_seconds(self):
        return process_tree_cpu_seconds(self.process.pid)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(90)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(30)
        if self.output:
            self.output.close()
        shutil.rmtree(self.home, ignore_errors=True)


def _stat(pid):
    """(ppid, utime + stime in clock ticks) of a process, from /proc/<pid>/stat; None if it is gone."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return None
    # After "pid (comm)": state ppid ... utime is field 14 of the line, stime 15 (proc(5)); here 11 and 12.
    return int(fields[1]), int(fields[11]) + int(fields[12])


def process_tree_cpu_seconds(root):
    """CPU time (user + system) of a process and every live descendant, plus what its reaped children used."""
    children = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            stat = _stat(int(entry))
            if stat:
                children.setdefault(stat[0], []).append(int(entry))
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        stat = _stat(pid)
        if stat:
            total += stat[1]
        todo.extend(children.get(pid, []))
    try:
        with open("/proc/%d/stat" % root) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        total += int(fields[13]) + int(fields[14])  # cutime + cstime: children already waited for
    except FileNotFoundError:
        pass
    return total / CLOCK_TICKS


def thread_cpu_seconds(pid):
    """CPU time of each kind of thread of a process (JIT compiler, GC, ... by name, numbers dropped)."""
    kinds = {}
    try:
        tasks = os.listdir("/proc/%d/task" % pid)
    except FileNotFoundError:
        return kinds
    for task in tasks:
        try:
            with open("/proc/%d/task/%s/stat" % (pid, task)) as f:
                text = f.read()
        except FileNotFoundError:
            continue
        name = text[text.index("(") + 1:text.rindex(")")]
        fields = text.rsplit(")", 1)[1].split()
        kind = thread_kind(name)
        kinds[kind] = kinds.get(kind, 0) + (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
    return kinds


def thread_kind(name):
    """JVM threads by what they do; the others by their name without its numbers."""
    for prefix, kind in (("C1 Compiler", "JIT"), ("C2 Compiler", "JIT"), ("GC Thread", "GC"), ("G1 ", "GC"),
                         ("VM Thread", "VM"), ("VM Periodic", "VM")):
        if name.startswith(prefix):
            return kind
    return "".join(c for c in name if not c.isdigit()).rstrip("-#_ ") or name


def settle(server, quiet, longest):
    """Seconds until the server is quiet after a run (its spool delivered, its CPU over the last half second below
    `quiet` cores), at most `longest`: so that a run is charged for all the work of its messages, and the next server's
    run does not share the CPUs with this one's backlog."""
    start = time.monotonic()
    last, last_at = server.cpu_seconds(), start
    while True:
        time.sleep(0.5)
        now, now_at = server.cpu_seconds(), time.monotonic()
        if (now - last) / (now_at - last_at) < quiet or now_at - start > longest:
            return now_at - start
        last, last_at = now, now_at


SMTP_SOURCE_TIMEOUT = 1800  # seconds


def smtp_source_process(port, sessions, messages, size):
    """smtp-source, started: `messages` messages over `sessions` parallel sessions (one connection each)."""
    return subprocess.Popen(["smtp-source", "-s", str(sessions), "-m", str(messages), "-l", str(size), "-d",
                             "-f", "sender@" + SENDER_DOMAIN, "-t", USER, "127.0.0.1:%d" % port],
                            stdout=subprocess.DEVNULL)


def smtp_source(port, sessions, messages, size):
    """Seconds smtp-source took to send `messages` messages over `sessions` parallel sessions (one connection each)."""
    start = time.monotonic()
    process = smtp_source_process(port, sessions, messages, size)
    try:
        if process.wait(SMTP_SOURCE_TIMEOUT) != 0:
            raise RuntimeError("smtp-source exited with %d" % process.returncode)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(30)
    return time.monotonic() - start


class LoopbackDns:
    """An authoritative DNS server on a free UDP port of 127.0.0.1, answering with one TTL, in a thread of its own:
    the sender's domain has an MX, 127.0.0.1 has a PTR; anything else is NXDOMAIN. Standard library only."""

    MX, PTR, A = 15, 12, 1

    def __init__(self, ttl):
        self.ttl = ttl
        self.queries = 0
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.socket.bind(("127.0.0.1", 0))
        self.port = self.socket.getsockname()[1]
        self.records = {
            (SENDER_DOMAIN, self.MX): struct.pack("!H", 10) + self._name("mail." + SENDER_DOMAIN),
            ("mail." + SENDER_DOMAIN, self.A): socket.inet_aton("127.0.0.1"),
            ("1.0.0.127.in-addr.arpa", self.PTR): self._name("localhost." + SENDER_DOMAIN),
        }
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    @staticmethod
    def _name(name):
        return b"".join(bytes([len(label)]) + label.encode() for label in name.split(".")) + b"\0"

    def _serve(self):
        while True:
            try:
                query, client = self.socket.recvfrom(4096)
            except OSError:
                return  # closed
            try:
                self.socket.sendto(self._answer(query), client)
                self.queries += 1
            except (OSError, ValueError, IndexError, struct.error):
                pass

    def _answer(self, query):
        ident, flags = struct.unpack("!HH", query[:4])
        labels, offset = [], 12
        while query[offset]:
            length = query[offset]
            labels.append(query[offset + 1:offset + 1 + length].decode("ascii").lower())
            offset += 1 + length
        qtype = struct.unpack("!H", query[offset + 1:offset + 3])[0]
        question = query[12:offset + 5]
        name = ".".join(labels)
        rdata = self.records.get((name, qtype))
        known = rdata is not None or any(key[0] == name for key in self.records)
        rcode = 0 if known else 3
        header = struct.pack("!HHHHHH", ident, 0x8400 | (flags & 0x0100) | rcode, 1, 1 if rdata else 0, 0, 0)
        answer = b""
        if rdata:
            answer = struct.pack("!HHHIH", 0xC00C, qtype, 1, self.ttl, len(rdata)) + rdata
        return header + question + answer

    def stop(self):
        self.socket.close()


class RedisServer:
    """A throw-away redis-server on a free loopback port (Debian's package)."""

    def __init__(self):
        self.port = free_port()
        self.process = subprocess.Popen(["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                                         "--appendonly", "no"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                if time.time() > deadline:
                    raise RuntimeError("redis-server did not start")
                time.sleep(0.1)

    def cpu_seconds(self):
        return process_tree_cpu_seconds(self.process.pid)

    def stop(self):
        self.process.terminate()
        self.process.wait(30)


# --- throughput -----------------------------------------------------------------------------------------------------

# Each configuration: the server measured, the server it is compared with, and what the comparison is called.
COMPARISONS = {
    "dns-off": ("plain", "DNS checks off"),
    "dns-300": ("plain", "DNS checks on, cached answers (TTL 300)"),
    "dns-0": ("plain", "DNS checks on, TTL 0 (a lookup per MAIL FROM)"),
    "redis": ("dns-off", "Redis store against the memory store (DNS off)"),
    "noise": ("plain", "plain against plain (noise alone)"),
}


def quartiles(values):
    """(first quartile, median, third quartile) of the values."""
    if len(values) == 1:
        return values[0], values[0], values[0]
    q1, q2, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return q1, q2, q3


def median_interval(values, resamples=2000):
    """A 95% bootstrap interval of the median: how far the median of this many rounds can be trusted (seeded, so
    that one set of rounds always prints the same interval)."""
    rng = random.Random(len(values))
    medians = sorted(statistics.median(rng.choices(values, k=len(values))) for _ in range(resamples))
    return medians[int(0.025 * resamples)], medians[int(0.975 * resamples) - 1]


class Pair:
    """One run of a configuration's server beside its reference: each one's CPU µs per message, messages per second and
    CPU µs per message by kind of thread."""

    def __init__(self, reference, config):
        self.reference = reference
        self.config = config
        self.cpu = {}
        self.rate = {}
        self.threads = {}
        self.extra_cpu = {}
        self.settled = 0.0
        self.tail = 0.0

    def ratio(self):
        """(CPU per message of the reference / of the configuration, throughput configuration / reference)."""
        return (self.cpu[self.reference] / self.cpu[self.config],
                self.rate[self.config] / self.rate[self.reference])


class Round:
    """One pair per configuration; per server, the mean of its pairs' figures (the reference takes part in several)."""

    def __init__(self, pairs):
        self.pairs = {pair.config: pair for pair in pairs}
        self.cpu, self.rate, self.threads = {}, {}, {}
        for name in dict.fromkeys(n for pair in pairs for n in (pair.reference, pair.config)):
            mine = [pair for pair in pairs if name in pair.cpu]
            self.cpu[name] = statistics.fmean(pair.cpu[name] for pair in mine)
            self.rate[name] = statistics.fmean(pair.rate[name] for pair in mine)
            kinds = dict.fromkeys(kind for pair in mine for kind in pair.threads[name])
            self.threads[name] = {kind: statistics.fmean(pair.threads[name].get(kind, 0.0) for pair in mine)
                                  for kind in kinds}

    def ratio(self, config):
        return self.pairs[config].ratio()

    def extra(self, config):
        """CPU µs per message the configuration's server spent more than its reference, side by side."""
        pair = self.pairs[config]
        return pair.cpu[config] - pair.cpu[pair.reference]


def run_pair(reference, measured, args, redis):
    """The two servers take the same load at the same time, each from an smtp-source of its own, so that whatever the
    machine does meanwhile (other tenants, its clock, its caches) hits both alike. Each server's CPU is read when its
    own smtp-source ends; from then until the other one's ends a filler smtp-source (not measured) keeps it loaded, so
    that neither finishes its run on a machine the other has left to it."""
    servers = {server.name: server for server in (reference, measured)}
    pair = Pair(reference.name, measured.name)
    redis_before = redis.cpu_seconds() if redis and measured.name == "redis" else None
    before = {name: server.cpu_seconds() for name, server in servers.items()}
    threads_before = {name: thread_cpu_seconds(server.process.pid) for name, server in servers.items()}
    start = time.monotonic()
    running = {name: smtp_source_process(server.smtp_port, args.sessions, args.messages, args.size)
               for name, server in servers.items()}
    fillers, read = {}, {}
    try:
        while running:
            for name, process in list(running.items()):
                if process.poll() is None:
                    continue
                if process.returncode != 0:
                    raise RuntimeError("smtp-source against %s exited with %d" % (name, process.returncode))
                server = servers[name]
                seconds = time.monotonic() - start
                read[name] = server.cpu_seconds()
                pair.cpu[name] = (read[name] - before[name]) / args.messages * 1e6
                pair.rate[name] = args.messages / seconds
                pair.threads[name] = {kind: (total - threads_before[name].get(kind, 0.0)) / args.messages * 1e6
                                      for kind, total in thread_cpu_seconds(server.process.pid).items()}
                del running[name]
            for name, server in servers.items():
                if running and name not in running and (name not in fillers or fillers[name].poll() is not None):
                    fillers[name] = smtp_source_process(server.smtp_port, args.sessions, args.messages, args.size)
            if time.monotonic() - start > SMTP_SOURCE_TIMEOUT:
                raise RuntimeError("smtp-source did not end in %d s" % SMTP_SOURCE_TIMEOUT)
            time.sleep(0.01)
    finally:
        for process in list(running.values()) + list(fillers.values()):
            process.terminate()
            process.wait(30)
    if redis_before is not None:
        pair.extra_cpu["redis-server"] = (redis.cpu_seconds() - redis_before) / args.messages * 1e6
    last = list(read)[-1]
    if args.settle:
        pair.settled = sum(settle(server, args.quiet, args.settle) for server in servers.values())
    # Not charged to either server: the work of the last messages left after its run (the other's went on under its
    # filler); printed, to show it is small.
    pair.tail = (servers[last].cpu_seconds() - read[last]) / args.messages * 1e6
    return pair


def run_round(number, servers, configs, args, redis):
    """A pair per configuration, side by side with its reference; the order of the pairs rotates from round to round."""
    shift = number % len(configs)
    return Round([run_pair(servers[COMPARISONS[config][0]], servers[config], args, redis)
                          for config in configs[shift:] + configs[:shift]])


def print_round(label, result, configs):
    figures = "  ".join(
        "[%s %4.0f µs %4.0f/s, %s %4.0f µs %4.0f/s: %.3f%s; +%.1fs, tail %.1f µs]"
        % (pair.reference, pair.cpu[pair.reference], pair.rate[pair.reference], pair.config, pair.cpu[pair.config],
           pair.rate[pair.config], pair.ratio()[0],
           "".join(" (%s %.0f µs)" % item for item in pair.extra_cpu.items()), pair.settled, pair.tail)
        for pair in result.pairs.values())
    print("%-9s %s" % (label, figures), flush=True)


def stable(rounds, args):
    """The warm-up rule: every server's CPU per message has stopped falling, its median over the last WINDOW rounds
    no more than TREND below its median over the WINDOW rounds before. The per-pair ratio is not the test: what
    warm-up changes is each server's own cost, as the JIT compiles it; the ratio's spread is what the measured rounds'
    median and quartiles are for."""
    if len(rounds) < 2 * args.window:
        return False
    last, before = rounds[-args.window:], rounds[-2 * args.window:-args.window]
    return all(statistics.median(r.cpu[name] for r in last)
               >= (1 - args.trend) * statistics.median(r.cpu[name] for r in before) for name in last[0].cpu)


def throughput(args):
    configs = [c for c in args.configs.split(",") if c] + (["redis"] if args.redis and "redis" not in args.configs else [])
    unknown = [c for c in configs if c not in COMPARISONS]
    if unknown:
        sys.exit("unknown configuration(s) %s: choose among %s" % (", ".join(unknown), ", ".join(COMPARISONS)))
    if "redis" in configs and "dns-off" not in configs:
        configs.insert(0, "dns-off")
    print("== Throughput: %d sessions, %d messages of %d bytes per server per pair, both at once (dropped at the spool); configurations: %s"
          % (args.sessions, args.messages, args.size, ", ".join(configs)))
    dns = {ttl: LoopbackDns(ttl) for ttl in (300, 0)}
    redis = RedisServer() if "redis" in configs else None
    rounds, started = [], time.monotonic()
    try:
        for fork in range(args.forks):
            if args.forks > 1:
                print("-- fork %d of %d: every server started anew" % (fork + 1, args.forks), flush=True)
            rounds += one_fork(configs, args, dns, redis)
        if dns[0].queries or dns[300].queries:
            print("DNS queries answered: TTL 300 %d, TTL 0 %d" % (dns[300].queries, dns[0].queries))
    finally:
        for server in dns.values():
            server.stop()
        if redis:
            redis.stop()
    summarize(rounds, configs, args, time.monotonic() - started)


def one_fork(configs, args, dns, redis):
    """Starts every server, warms them up until stable, and returns the measured rounds."""
    servers = {"plain": Server("plain", shielded=False)}
    for config in configs:
        if config == "noise":
            servers[config] = Server(config, shielded=False)
        elif config == "redis":
            servers[config] = Server(config, shielded=True, store='<store type="redis" uri="redis://127.0.0.1:%d"/>' % redis.port)
        else:
            ttl = {"dns-off": None, "dns-300": 300, "dns-0": 0}[config]
            servers[config] = Server(config, shielded=True, dns="" if ttl is None else DNS_CHECKS % dns[ttl].port)
    try:
        started = time.monotonic()
        for server in servers.values():
            server.launch(args.java_opts)
        for server in servers.values():
            server.await_started(time.time() + 300)
        print("%d servers up in %.0f s (JAVA_OPTS %s)" % (len(servers), time.monotonic() - started, args.java_opts), flush=True)
        print("-- warm-up until stable: every server's median CPU per message over the last %d rounds at most %.0f%% below "
              "its median over the %d before (at most %d rounds)" % (args.window, args.trend * 100, args.window, args.max_warmup),
              flush=True)
        warmup = []
        while True:
            warmup.append(run_round(len(warmup), servers, configs, args, redis))
            print_round("warm-up %d" % len(warmup), warmup[-1], configs)
            if stable(warmup, args):
                print("stable after %d warm-up rounds (%d messages per pair)" % (len(warmup), len(warmup) * args.messages))
                break
            if len(warmup) >= args.max_warmup:
                print("NOT stable after %d warm-up rounds: the figures below are noisier than the rule asks" % len(warmup))
                break
        print("-- measured rounds", flush=True)
        rounds = []
        for number in range(args.rounds):
            rounds.append(run_round(len(warmup) + number, servers, configs, args, redis))
            print_round("round %d" % (number + 1), rounds[-1], configs)
        return rounds
    finally:
        for server in servers.values():
            server.stop()


def summarize(rounds, configs, args, elapsed):
    print("== Summary: %d measured rounds (%d forks), a pair per configuration, %d messages per server per pair, %d "
          "sessions, %d bytes; %.0f min in all; load average now %s"
          % (len(rounds), args.forks, args.messages, args.sessions, args.size, elapsed / 60,
             " ".join("%.1f" % x for x in os.getloadavg())))
    for name in rounds[0].cpu:
        q1, q2, q3 = quartiles([r.cpu[name] for r in rounds])
        print("%-8s CPU per message median %.0f µs (quartiles %.0f-%.0f), %.0f msg/s beside another server"
              % (name, q2, q1, q3, statistics.median([r.rate[name] for r in rounds])))
    kinds = {}
    for r in rounds:
        for name, threads in r.threads.items():
            for kind, micros in threads.items():
                kinds.setdefault(kind, {}).setdefault(name, []).append(micros)
    names = list(rounds[0].cpu)
    print("CPU per message by kind of thread (median µs over the rounds; the kinds above 1% of a server's):")
    print("  %-28s %s" % ("thread", " ".join("%9s" % name for name in names)))
    for kind, per_server in sorted(kinds.items(), key=lambda item: -max(statistics.median(v) for v in item[1].values())):
        medians = [statistics.median(per_server.get(name, [0])) for name in names]
        if any(m > 0.01 * statistics.median([r.cpu[name] for r in rounds]) for m, name in zip(medians, names)):
            print("  %-28s %s" % (kind[:28], " ".join("%9.0f" % m for m in medians)))
    if "redis" in configs:
        print("redis-server CPU per message median %.0f µs"
              % statistics.median([r.pairs["redis"].extra_cpu["redis-server"] for r in rounds]))
    rows = []
    for config in configs:
        reference, title = COMPARISONS[config]
        cpu = [r.ratio(config)[0] for r in rounds]
        rate = [r.ratio(config)[1] for r in rounds]
        c1, c2, c3 = quartiles(cpu)
        t1, t2, t3 = quartiles(rate)
        e1, e2, e3 = quartiles([r.extra(config) for r in rounds])
        low, high = median_interval(cpu)
        print("%-8s %s: CPU per message %s / %s median %.3f (95%% interval of the median %.3f-%.3f; quartiles %.3f-%.3f, "
              "range %.3f-%.3f); throughput %s / %s median %.3f (quartiles %.3f-%.3f); %+.1f µs CPU per message "
              "(quartiles %+.1f to %+.1f)" % (config, title, reference, config, c2, low, high, c1, c3, min(cpu), max(cpu),
                                            config, reference, t2, t1, t3, e2, e1, e3))
        rows.append("| %s | %.3f (%.3f–%.3f) | %.3f–%.3f | %.3f (%.3f–%.3f) | %+.1f µs |"
                    % (title, c2, c1, c3, low, high, t2, t1, t3, e2))
    if "dns-0" in configs and "dns-300" in configs:
        q1, q2, q3 = quartiles([r.extra("dns-0") - r.extra("dns-300") for r in rounds])
        print("uncached lookup: %+.0f µs CPU per MAIL FROM (extra of dns-0 less extra of dns-300, quartiles %+.0f to %+.0f)"
              % (q2, q1, q3))
    print()
    print("For the README (median of %d rounds over %d fork(s), quartiles in brackets; each pair side by side, %d sessions "
          "and %d messages of %d bytes per server):" % (len(rounds), args.forks, args.sessions, args.messages, args.size))
    print()
    print("| configuration | CPU per message, reference / shielded | 95% interval of that median | throughput, shielded / "
          "reference | extra CPU per message |")
    print("|---|---|---|---|---|")
    for row in rows:
        print(row)


def smtp_lines(sock, *commands):
    reader = sock.makefile("rb")
    reader.readline()
    for command in commands:
        sock.sendall(command.encode() + b"\r\n")
        line = reader.readline()
        while line[3:4] == b"-":
            line = reader.readline()
    return reader


def harvest(port):
    """Makes ATTACKER blocked: unknown recipients over the limit."""
    with socket.create_connection(("127.0.0.1", port), source_address=(ATTACKER, 0), timeout=30) as sock:
        smtp_lines(sock, "EHLO attacker.test", "MAIL FROM:<a@attacker.test>",
                   *["RCPT TO:<nobody%d@%s>" % (i, DOMAIN) for i in range(4)])


def hammer(port, stop, refused, other, connections, rate):
    """Opens connections from ATTACKER at RATE per second (at most CONNECTIONS open at once) until STOP is set: each
    reads the server's reply and waits for the server to close (so the server holds the TIME_WAIT, not this
    client's ports). Runs in its own process, so that it does not share a Python interpreter with the bench."""
    async def one(slots):
        writer = None
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", port, local_addr=(ATTACKER, 0))
            reply = await asyncio.wait_for(reader.read(), 10)
            counter = refused if reply.startswith(b"421") else other
        except (OSError, asyncio.TimeoutError):
            counter = other
        finally:
            if writer is not None:
                writer.close()
            slots.release()
        with counter.get_lock():
            counter.value += 1

    async def paced():
        slots, running = asyncio.Semaphore(connections), set()
        started, opened = time.monotonic(), 0
        while not stop.is_set():
            opened += 1
            await asyncio.sleep(max(0, started + opened / rate - time.monotonic()))
            await slots.acquire()
            task = asyncio.create_task(one(slots))
            running.add(task)
            task.add_done_callback(running.discard)
        await asyncio.gather(*running, return_exceptions=True)

    asyncio.run(paced())


def attack(args):
    print("== Attack: %d connections per second (at most %d at a time) from blocked %s while %s sends %d messages in 1 session"
          % (args.attack_rate, args.attackers, ATTACKER, NORMAL_CLIENT, args.normal_messages))
    server = Server("shielded", shielded=True)
    try:
        server.start()
        for _ in range(3):
            smtp_source(server.smtp_port, 1, args.normal_messages, args.size)  # warm-up
        quiet = [smtp_source(server.smtp_port, 1, args.normal_messages, args.size) for _ in range(3)]
        harvest(server.smtp_port)
        stop, refused, other = multiprocessing.Event(), multiprocessing.Value("l", 0), multiprocessing.Value("l", 0)
        attacker = multiprocessing.Process(target=hammer, args=(server.smtp_port, stop, refused, other, args.attackers, args.attack_rate),
                                           daemon=True)
        attacker.start()
        try:
            time.sleep(ATTACK_WARM_UP)  # the server's refusal path gets compiled before it is measured
            started, refused_before = time.monotonic(), refused.value
            loud = [smtp_source(server.smtp_port, 1, args.normal_messages, args.size) for _ in range(3)]
            elapsed, refusals = time.monotonic() - started, refused.value - refused_before
        finally:
            stop.set()
            attacker.join(30)
            if attacker.is_alive():
                attacker.terminate()
    finally:
        server.stop()
    print("refused connections: %d in %.1f s = %.0f per second (%d other outcomes)" % (refusals, elapsed, refusals / elapsed, other.value))
    print("normal client session: %.2f s without attack, %.2f s under attack (medians of 3): x%.2f"
          % (statistics.median(quiet), statistics.median(loud), statistics.median(loud) / statistics.median(quiet)))


class ScenarioDns(threading.Thread):
    """An authoritative DNS server on a free loopback UDP port: the records it is given, NXDOMAIN for any other name,
    and never an answer for a name in one of its silent zones."""

    TYPES = {"A": 1, "PTR": 12, "MX": 15}

    def __init__(self, records, silent_zones):
        super().__init__(daemon=True)
        self.records = {(name.lower(), self.TYPES[kind]): rdata for name, kind, rdata in records}
        self.names = {name for name, _ in self.records}
        self.silent_zones = [zone.lower() for zone in silent_zones]
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.socket.bind(("127.0.0.1", 0))
        self.port = self.socket.getsockname()[1]
        self.queries = 0

    @staticmethod
    def encode(name):
        return b"".join(bytes([len(label)]) + label.encode() for label in name.split(".") if label) + b"\0"

    @classmethod
    def rdata(cls, kind, value):
        if kind == "A":
            return socket.inet_aton(value)
        if kind == "MX":
            return (10).to_bytes(2, "big") + cls.encode(value)
        return cls.encode(value)

    def run(self):
        while True:
            try:
                query, client = self.socket.recvfrom(4096)
            except OSError:
                return
            self.queries += 1
            labels, at = [], 12
            while query[at]:
                labels.append(query[at + 1:at + 1 + query[at]].decode("ascii", "replace"))
                at += 1 + query[at]
            name, qtype, end = ".".join(labels).lower(), int.from_bytes(query[at + 1:at + 3], "big"), at + 5
            if any(name == zone or name.endswith("." + zone) for zone in self.silent_zones):
                continue
            rdata = self.records.get((name, qtype))
            rcode = 0 if name in self.names else 3
            flags = 0x8400 | (int.from_bytes(query[2:4], "big") & 0x0100) | rcode
            answer = b""
            if rdata is not None:
                answer = b"\xc0\x0c" + qtype.to_bytes(2, "big") + b"\x00\x01" + (300).to_bytes(4, "big") \
                    + len(rdata).to_bytes(2, "big") + rdata
            header = query[0:2] + flags.to_bytes(2, "big") + b"\x00\x01" + (1 if rdata else 0).to_bytes(2, "big") + b"\x00\x00\x00\x00"
            self.socket.sendto(header + query[12:end] + answer, client)

    def close(self):
        self.socket.close()


def timed_session(port):
    """The unrelated client's connect, EHLO, MAIL FROM and QUIT, in seconds; every reply must be a success."""
    start = time.monotonic()
    with socket.create_connection(("127.0.0.1", port), source_address=(DNS_CLIENT, 0), timeout=60) as sock:
        reader = sock.makefile("rb")
        replies = [reader.readline()]
        for command in ("EHLO mail.client.test", "MAIL FROM:<bob@client.test>", "QUIT"):
            sock.sendall(command.encode() + b"\r\n")
            line = reader.readline()
            while line[3:4] == b"-":
                line = reader.readline()
            replies.append(line)
    if [line[:1] for line in replies] != [b"2"] * 4:
        raise RuntimeError("the unrelated client was refused: %r" % replies)
    return time.monotonic() - start


def stall_attacker(port, source, stop, replies, slow_sender):
    """A slow sender repeats MAIL FROM a new name of the silent zone (at most 10 a second); an address without
    reverse DNS opens a session and sends MAIL FROM (at most one a second). Both reconnect whenever closed."""
    period = 0.1 if slow_sender else 1.0
    while not stop.is_set():
        started = time.monotonic()
        try:
            with socket.create_connection(("127.0.0.1", port), source_address=(source, 0), timeout=60) as sock:
                reader = sock.makefile("rb")
                reader.readline()
                sock.sendall(b"EHLO attacker.test\r\n")
                line = reader.readline()
                while line[3:4] == b"-":
                    line = reader.readline()
                while not stop.is_set():
                    started = time.monotonic()
                    sender = "a@r%d.slow.test" % random.getrandbits(40) if slow_sender else "a@client.test"
                    sock.sendall(("MAIL FROM:<%s>\r\nRSET\r\n" % sender).encode())
                    mail, rset = reader.readline(), reader.readline()
                    if not mail or not rset:
                        break
                    replies.append(mail[:9].decode())
                    if not slow_sender:
                        break
                    time.sleep(max(0, started + period - time.monotonic()))
        except OSError:
            pass
        time.sleep(max(0, started + period - time.monotonic()))


def dns_stall(args):
    print("== DNS stall: %d connections MAIL FROM a zone that never answers, %d addresses whose reverse zone never answers"
          % (SLOW_SENDER_CONNECTIONS, NO_REVERSE_CLIENTS))
    dns = ScenarioDns([("client.test", "MX", ScenarioDns.rdata("MX", "mail.client.test")),
                       ("mail.client.test", "A", ScenarioDns.rdata("A", "127.0.0.1")),
                       ("2.0.0.127.in-addr.arpa", "PTR", ScenarioDns.rdata("PTR", "mail.client.test")),
                       ("3.0.0.127.in-addr.arpa", "PTR", ScenarioDns.rdata("PTR", "slow-sender.client.test"))],
                      ["slow.test", "1.0.127.in-addr.arpa"])
    dns.start()
    server = Server("shielded", shielded=True, policy=DNS_POLICY % {"timeout": args.dns_timeout, "port": dns.port})
    stop, replies, attackers = threading.Event(), [], []
    try:
        server.start()
        for _ in range(20):
            timed_session(server.smtp_port)  # warm-up: the client's PTR and domain cached, the code compiled
        quiet = [timed_session(server.smtp_port) for _ in range(args.dns_sessions)]
        sources = [(SLOW_SENDER, True)] * SLOW_SENDER_CONNECTIONS + [("127.0.1.%d" % i, False) for i in range(1, NO_REVERSE_CLIENTS + 1)]
        for source, slow in sources:
            attacker = threading.Thread(target=stall_attacker, args=(server.smtp_port, source, stop, replies, slow), daemon=True)
            attacker.start()
            attackers.append(attacker)
        time.sleep(ATTACK_WARM_UP)  # every attacker connected, waiting on its DNS or told of it
        loud = [timed_session(server.smtp_port) for _ in range(args.dns_sessions)]
    finally:
        stop.set()
        for attacker in attackers:
            attacker.join(90)
        server.stop()
        dns.close()
    refused = sum(1 for reply in replies if reply.startswith("450"))
    print("attackers: %d MAIL FROM answered, %d of them 450; %d DNS queries in all" % (len(replies), refused, dns.queries))
    print("unrelated client's session: median %.1f ms (max %.1f ms) without attack, median %.1f ms (max %.1f ms) under attack: x%.2f; target: median <= %.1f ms"
          % (1000 * statistics.median(quiet), 1000 * max(quiet), 1000 * statistics.median(loud), 1000 * max(loud),
             statistics.median(loud) / statistics.median(quiet), 2000 * statistics.median(quiet) + 100))


def screening_session(port, source):
    """Connect, EHLO, MAIL FROM, QUIT: the seconds to the greeting and those of MAIL FROM's reply."""
    with socket.create_connection(("127.0.0.1", port), source_address=(source, 0), timeout=60) as sock:
        reader = sock.makefile("rb")
        start = time.monotonic()
        reader.readline()
        greeting = time.monotonic() - start
        sock.sendall(b"EHLO client.test\r\n")
        line = reader.readline()
        while line[3:4] == b"-":
            line = reader.readline()
        start = time.monotonic()
        sock.sendall(b"MAIL FROM:<>\r\n")
        reply = reader.readline()
        mail = time.monotonic() - start
        sock.sendall(b"QUIT\r\n")
        reader.readline()
    if not reply.startswith(b"250"):
        raise RuntimeError("refused: %r" % reply)
    return greeting, mail


def screening(args):
    print("== Screening: 3 DNS lists; the latency of a client whose pass is cached, and sessions from distinct addresses")
    dns = ScenarioDns([], [])  # no address is listed: every lookup is an NXDOMAIN, as for most clients
    dns.start()
    results = {}
    try:
        for kind in ("screened", "not screened"):
            server = Server("shielded", shielded=True, policy=SCREENING_POLICY % {
                "port": dns.port, "screening": SCREENING if kind == "screened" else ""})
            try:
                server.start()
                for _ in range(300):
                    screening_session(server.smtp_port, DNS_CLIENT)  # warm-up; the client's pass is cached from the first
                timed = [screening_session(server.smtp_port, DNS_CLIENT) for _ in range(args.dns_sessions)]
                sources = ["127.0.%d.%d" % (2 + i // 250, 1 + i % 250) for i in range(args.screened)]
                queries_before, start = dns.queries, time.monotonic()
                with concurrent.futures.ThreadPoolExecutor(8) as pool:
                    list(pool.map(lambda source: screening_session(server.smtp_port, source), sources))
                elapsed = time.monotonic() - start
                results[kind] = (statistics.median(t[0] for t in timed), statistics.median(t[1] for t in timed),
                                 len(sources) / elapsed, dns.queries - queries_before)
            finally:
                server.stop()
    finally:
        dns.close()
    for kind, (greeting, mail, rate, queries) in results.items():
        print("%-12s greeting %.2f ms, MAIL FROM %.2f ms (medians, cached pass); %d distinct clients at %.0f sessions/s (%d DNS queries)"
              % (kind, 1000 * greeting, 1000 * mail, args.screened, rate, queries))
    print("added by the screening: greeting %+.2f ms, MAIL FROM %+.2f ms"
          % (1000 * (results["screened"][0] - results["not screened"][0]), 1000 * (results["screened"][1] - results["not screened"][1])))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--configs", default="dns-off,dns-300,dns-0,noise",
                        help="comma-separated, among " + ", ".join(COMPARISONS))
    parser.add_argument("--redis", action="store_true", help="adds the redis configuration")
    parser.add_argument("--rounds", type=int, default=15, help="measured rounds after the warm-up, per fork")
    parser.add_argument("--forks", type=int, default=1,
                        help="times every server is started anew (JIT differs from one JVM to the next); rounds pooled")
    parser.add_argument("--messages", type=int, default=15000,
                        help="messages per server per pair (CPU is read in 10 ms ticks: 15,000 gives ~0.7 µs per message)")
    parser.add_argument("--sessions", type=int, default=10)
    parser.add_argument("--size", type=int, default=2048)
    parser.add_argument("--window", type=int, default=3, help="warm-up rounds the stability rule looks at")
    parser.add_argument("--trend", type=float, default=0.05, help="warm-up rule: largest fall of a server's median CPU per message")
    parser.add_argument("--max-warmup", type=int, default=20, help="warm-up rounds at most")
    parser.add_argument("--settle", type=float, default=30,
                        help="after each pair, wait at most this many seconds for each server to be quiet (0: do not)")
    parser.add_argument("--quiet", type=float, default=0.05, help="quiet: CPU over half a second below this many cores")
    parser.add_argument("--java-opts", default="-Xms1g -Xmx1g",
                        help='JAVA_OPTS of every server; "{server}" becomes the server\'s name')
    parser.add_argument("--attackers", type=int, default=64, help="connections the attacker may have open at once")
    parser.add_argument("--attack-rate", type=int, default=1000, help="connections per second the attacker opens")
    parser.add_argument("--normal-messages", type=int, default=200)
    parser.add_argument("--dns-timeout", default="5s", help="the <dns timeout> of the DNS stall scenario")
    parser.add_argument("--dns-sessions", type=int, default=30, help="the unrelated client's sessions, each way")
    parser.add_argument("--screened", type=int, default=2000, help="distinct addresses of the screening scenario")
    parser.add_argument("--only", choices=("throughput", "attack", "dns-stall", "screening"))
    parser.add_argument("--storage", choices=("memory", "durable"), default="memory",
                        help="the James flavour of every server (SMTP_SHIELD_STORAGE)")
    args = parser.parse_args()
    global STORAGE
    STORAGE = args.storage
    if shutil.which("smtp-source") is None and args.only not in ("dns-stall", "screening"):
        sys.exit("smtp-source is missing: install Debian's postfix package (apt-get install postfix; it need not run)")
    if not os.path.isdir(os.path.join(DIST, "lib")):
        subprocess.run([os.path.join(ROOT, "mvnw"), "-B", "-q", "package", "-DskipTests"], cwd=ROOT, check=True)
    print("machine: %d cores, load average %s, %s" % (os.cpu_count(), " ".join("%.1f" % x for x in os.getloadavg()),
          subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()[0]))
    if args.only in (None, "throughput"):
        throughput(args)
    if args.only in (None, "attack"):
        attack(args)
    if args.only in (None, "dns-stall"):
        dns_stall(args)
    if args.only in (None, "screening"):
        screening(args)


if __name__ == "__main__":
    main()
