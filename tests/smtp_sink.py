"""A real SMTP server on the loopback that keeps what it receives, and that a test can
stop and start again on the same port: an email provider that goes down and comes back."""

import email
import socket
import socketserver
import threading
import time
from email import policy


class SmtpSink:
    """Speaks enough SMTP for Django's backend (EHLO, MAIL, RCPT, DATA, RSET, QUIT);
    `received` holds the parsed messages. `delay` slows each message down, as a distant
    provider is."""

    def __init__(self, delay=0.0):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.delay = delay
        self.received = []
        self.lock = threading.Lock()
        self.server = None

    def start(self):
        sink = self

        class Handler(socketserver.StreamRequestHandler):
            def reply(self, line):
                self.wfile.write(line.encode() + b"\r\n")

            def handle(self):
                self.reply("220 sink ready")
                while line := self.rfile.readline():
                    verb = line[:4].upper()
                    if verb in (b"EHLO", b"HELO", b"MAIL", b"RCPT", b"RSET", b"NOOP"):
                        self.reply("250 OK")
                    elif verb == b"DATA":
                        self.reply("354 go on")
                        data = bytearray()
                        while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                            data += chunk[1:] if chunk.startswith(b"..") else chunk
                        time.sleep(sink.delay)
                        with sink.lock:
                            sink.received.append(
                                email.message_from_bytes(bytes(data), policy=policy.default)
                            )
                        self.reply("250 queued")
                    elif verb == b"QUIT":
                        self.reply("221 bye")
                        return
                    else:
                        self.reply("502 not here")

        socketserver.ThreadingTCPServer.allow_reuse_address = True
        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", self.port), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    def mailer(self):
        """The MAILERS entry of Django's SMTP backend pointed at this sink."""
        return {
            "default": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {"host": "127.0.0.1", "port": self.port, "timeout": 5},
            }
        }

    def keys(self):
        """(recipient, subject) of every message received, in order."""
        with self.lock:
            return [(message["To"], message["Subject"]) for message in self.received]
