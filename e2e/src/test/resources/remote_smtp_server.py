"""A remote SMTP server for the end-to-end tests: Debian's aiosmtpd on loopback, with or without STARTTLS.

It accepts every message and writes one JSON line per SMTP event to the events file, each with "tls": whether
the session was encrypted at that moment:
  {"event": "EHLO", "tls": false, "peer": "127.0.0.1"}
  {"event": "MAIL", "tls": true, "address": "alice@example.test"}
  {"event": "RCPT", "tls": true, "address": "bob@remote.test"}
  {"event": "DATA", "tls": true, "mail_from": "...", "rcpt_tos": ["..."], "content": "..."}
It prints "ready" once it listens, and runs until it is terminated.

usage: remote_smtp_server.py PORT EVENTS_FILE [CERT_PEM KEY_PEM]   (with a certificate it offers STARTTLS)
"""
import json
import signal
import ssl
import sys
import threading

from aiosmtpd.controller import Controller


class Recorder:
    def __init__(self, events_file):
        self.events_file = events_file
        self.lock = threading.Lock()

    def record(self, session, event, **fields):
        line = dict(event=event, tls=session.ssl is not None, **fields)
        with self.lock, open(self.events_file, "a", encoding="utf-8") as out:
            out.write(json.dumps(line) + "\n")

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        session.host_name = hostname
        self.record(session, "EHLO", hostname=hostname, peer=session.peer[0])
        return responses

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        self.record(session, "MAIL", address=address)
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        self.record(session, "RCPT", address=address)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        content = envelope.original_content.decode("utf-8", errors="replace")
        self.record(session, "DATA", mail_from=envelope.mail_from, rcpt_tos=envelope.rcpt_tos, content=content)
        return "250 Message accepted for delivery"


def main():
    port, events_file = int(sys.argv[1]), sys.argv[2]
    tls_context = None
    if len(sys.argv) > 4:
        tls_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        tls_context.load_cert_chain(sys.argv[3], sys.argv[4])
    controller = Controller(Recorder(events_file), hostname="127.0.0.1", port=port, tls_context=tls_context,
                            server_hostname="mx.remote.test")
    controller.start()
    print("ready", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    main()
