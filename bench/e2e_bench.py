#!/usr/bin/env python3
"""End-to-end benchmark: what the shield costs, against plain James 3.8.1, on this machine.

    bench/e2e_bench.py [--pairs 3] [--messages 10000] [--sessions 20] [--size 2048] [--redis] [--attack-rate 1000] [--only throughput|attack|dns-stall|screening]

Builds the distribution if needed, then runs, one server at a time on free loopback ports:

1. Throughput. Plain James (the same distribution with the shield's handlers taken out of the port-25 chain)
   and the shielded server (every limit on, set high enough that nothing is refused, so both do the same work)
   are driven by Postfix's smtp-source (Debian package "postfix"): SESSIONS parallel sessions send MESSAGES
   messages of SIZE bytes to a local user. A warm-up run first, then A/B pairs; it prints messages per second
   of each run, the medians, and the ratio shielded / plain pair by pair.
2. Store. With --redis, the shielded server runs once more per pair with the Redis store (a throw-away
   redis-server on loopback), and the ratio Redis / memory is printed pair by pair (cluster mode's cost).
3. Attack. On the shielded server, a client whose address is blocked (it harvested) hammers the server with
   connections (ATTACK_RATE per second, from one asyncio loop in a process of its own) while a normal client sends; it prints connection refusals per second and the normal client's
   session time against its time with no attack.
4. DNS stall. The shielded server with its DNS checks on asks a DNS server of this script's, on loopback, that never
   answers two zones: 4 connections from one address repeat MAIL FROM:<a@r<random>.slow.test>, and 80 addresses
   whose reverse zone never answers connect and send MAIL FROM, while an unrelated client times its connect, EHLO,
   MAIL FROM and QUIT; it prints that client's session times without and under the attack.
5. Screening. The shielded server with DNSBL screening on (three zones of that DNS server), then without: the
   greeting's and MAIL FROM's latency for a client whose pass is cached, and sessions per second from distinct
   addresses, each screened.

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
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DIST = os.path.join(ROOT, "distribution", "target", "smtp-shield")
DOMAIN = "bench.test"
USER = "user@" + DOMAIN
ATTACKER = "127.0.0.66"
NORMAL_CLIENT = "127.0.0.1"
ATTACK_WARM_UP = 5  # seconds

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
  %(store)s
</smtpshield>
"""


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

    def __init__(self, shielded, store='<store type="memory"/>', policy=None):
        self.shielded = shielded
        self.store = store
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
            f.write(self.policy or SHIELD_POLICY % {"store": self.store})

    @property
    def smtp_port(self):
        return self.ports["SMTP_PORT"]

    def start(self):
        env = dict(os.environ, JAVA_OPTS="-Xms1g -Xmx2g", **{k: str(v) for k, v in self.ports.items()})
        self.output = open(os.path.join(self.home, "output.log"), "w")
        self.process = subprocess.Popen([os.path.join(self.home, "bin", "smtp-shield")], cwd=self.home, env=env,
                                        stdout=self.output, stderr=subprocess.STDOUT)
        deadline = time.time() + 180
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("server exited: see " + self.output.name)
            with open(self.output.name) as f:
                if "JAMES server started" in f.read():
                    break
            time.sleep(0.5)
        else:
            raise RuntimeError("server did not start in 180 s")
        self.webadmin("PUT", "/domains/" + DOMAIN)
        self.webadmin("PUT", "/users/" + USER, {"password": "secret"})

    def webadmin(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request("http://127.0.0.1:%d%s" % (self.ports["WEBADMIN_PORT"], path), data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(90)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(30)
        self.output.close()
        shutil.rmtree(self.home, ignore_errors=True)


def smtp_source(port, sessions, messages, size):
    """Seconds smtp-source took to send `messages` messages over `sessions` parallel sessions."""
    start = time.monotonic()
    subprocess.run(["smtp-source", "-s", str(sessions), "-m", str(messages), "-l", str(size), "-d",
                    "-f", "sender@client.test", "-t", USER, "127.0.0.1:%d" % port],
                   check=True, timeout=1800, stdout=subprocess.DEVNULL)
    return time.monotonic() - start


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

    def stop(self):
        self.process.terminate()
        self.process.wait(30)


def one_run(kind, args, redis):
    store = '<store type="redis" uri="redis://127.0.0.1:%d"/>' % redis.port if kind == "redis" else '<store type="memory"/>'
    server = Server(shielded=(kind != "plain"), store=store)
    try:
        server.start()
        return args.messages / smtp_source(server.smtp_port, args.sessions, args.messages, args.size)
    finally:
        server.stop()


def throughput(args):
    print("== Throughput: %d sessions, %d messages of %d bytes to a local user" % (args.sessions, args.messages, args.size))
    kinds = ["plain", "shielded"] + (["redis"] if args.redis else [])
    redis = RedisServer() if args.redis else None
    rates = {kind: [] for kind in kinds}
    ratios = {"shielded / plain": [], "redis / memory": []}
    try:
        for pair in range(args.pairs + 1):
            label = "warm-up" if pair == 0 else "pair %d" % pair
            pair_rates = {}
            for kind in kinds:
                pair_rates[kind] = one_run(kind, args, redis)
                print("%-8s %-9s %8.0f msg/s" % (label, kind, pair_rates[kind]), flush=True)
            if pair == 0:
                continue
            for kind in kinds:
                rates[kind].append(pair_rates[kind])
            ratios["shielded / plain"].append(pair_rates["shielded"] / pair_rates["plain"])
            print("%-8s shielded / plain = %.3f" % (label, ratios["shielded / plain"][-1]), flush=True)
            if redis:
                ratios["redis / memory"].append(pair_rates["redis"] / pair_rates["shielded"])
                print("%-8s redis / memory = %.3f" % (label, ratios["redis / memory"][-1]), flush=True)
    finally:
        if redis:
            redis.stop()
    print("median   " + ", ".join("%s %.0f msg/s" % (kind, statistics.median(rates[kind])) for kind in kinds))
    for name, values in ratios.items():
        if values:
            print("median of pair ratios, %s: %.3f" % (name, statistics.median(values)))


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
    server = Server(shielded=True)
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


class LoopbackDns(threading.Thread):
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
    dns = LoopbackDns([("client.test", "MX", LoopbackDns.rdata("MX", "mail.client.test")),
                       ("mail.client.test", "A", LoopbackDns.rdata("A", "127.0.0.1")),
                       ("2.0.0.127.in-addr.arpa", "PTR", LoopbackDns.rdata("PTR", "mail.client.test")),
                       ("3.0.0.127.in-addr.arpa", "PTR", LoopbackDns.rdata("PTR", "slow-sender.client.test"))],
                      ["slow.test", "1.0.127.in-addr.arpa"])
    dns.start()
    server = Server(shielded=True, policy=DNS_POLICY % {"timeout": args.dns_timeout, "port": dns.port})
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
    dns = LoopbackDns([], [])  # no address is listed: every lookup is an NXDOMAIN, as for most clients
    dns.start()
    results = {}
    try:
        for kind in ("screened", "not screened"):
            server = Server(shielded=True, policy=SCREENING_POLICY % {
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
    parser.add_argument("--pairs", type=int, default=3)
    parser.add_argument("--messages", type=int, default=10000)
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--size", type=int, default=2048)
    parser.add_argument("--attackers", type=int, default=64, help="connections the attacker may have open at once")
    parser.add_argument("--attack-rate", type=int, default=1000, help="connections per second the attacker opens")
    parser.add_argument("--normal-messages", type=int, default=200)
    parser.add_argument("--redis", action="store_true", help="also run the shielded server on the Redis store")
    parser.add_argument("--dns-timeout", default="5s", help="the <dns timeout> of the DNS stall scenario")
    parser.add_argument("--dns-sessions", type=int, default=30, help="the unrelated client's sessions, each way")
    parser.add_argument("--screened", type=int, default=2000, help="distinct addresses of the screening scenario")
    parser.add_argument("--only", choices=("throughput", "attack", "dns-stall", "screening"))
    args = parser.parse_args()
    if shutil.which("smtp-source") is None and args.only not in ("dns-stall", "screening"):
        sys.exit("smtp-source is missing: install Debian's postfix package (apt-get install postfix; it need not run)")
    if not os.path.isdir(os.path.join(DIST, "lib")):
        subprocess.run([os.path.join(ROOT, "mvnw"), "-B", "-q", "package", "-DskipTests"], cwd=ROOT, check=True)
    print("machine: %d cores, %s" % (os.cpu_count(), subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()[0]))
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
