"""A small SMTP server on a local port, for the tests: the mail server that is down, then back up.

Python's standard library only: it speaks the part of SMTP (RFC 5321) that Odoo's client uses, keeps the
messages it accepts, and answers each recipient as the test says (250, a 4xx to be tried again later, a 550
for a mailbox that does not exist).
"""

import socket
import socketserver
import threading
from email import message_from_bytes


def free_port():
    """A local TCP port nobody listens on (connecting to it is refused until a server starts there)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _Handler(socketserver.StreamRequestHandler):
    def reply(self, line):
        self.wfile.write(line.encode() + b"\r\n")
        self.wfile.flush()

    def handle(self):
        server = self.server
        self.reply("220 localhost ESMTP test server")
        sender, recipients = None, []
        while True:
            raw = self.rfile.readline()
            if not raw:
                return
            line = raw.decode("utf-8", "replace").rstrip("\r\n")
            verb = line[:4].upper()
            if verb in ("EHLO", "HELO"):
                self.wfile.write(b"250-localhost\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n250 SIZE 52428800\r\n")
                self.wfile.flush()
            elif verb == "MAIL":
                sender, recipients = line.split(":", 1)[1].split()[0].strip("<>"), []
                self.reply("250 2.1.0 OK")
            elif verb == "RCPT":
                address = line.split(":", 1)[1].split()[0].strip("<>")
                answer = server.recipient_replies.get(address.lower(), "250 2.1.5 OK")
                if answer.startswith("2"):
                    recipients.append(address)
                self.reply(answer)
            elif verb == "DATA":
                if not recipients:
                    self.reply("554 5.5.1 No valid recipients")
                    continue
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                data = []
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    data.append(chunk[1:] if chunk.startswith(b"..") else chunk)
                with server.lock:
                    server.messages.append((sender, recipients, message_from_bytes(b"".join(data))))
                self.reply("250 2.0.0 OK queued")
            elif verb in ("RSET", "NOOP"):
                self.reply("250 2.0.0 OK")
            elif verb == "QUIT":
                self.reply("221 2.0.0 Bye")
                return
            else:
                self.reply("502 5.5.2 Command not implemented")


class LocalSmtpServer(socketserver.ThreadingTCPServer):
    """``with LocalSmtpServer(port) as server:`` serves SMTP on 127.0.0.1:``port`` in a thread until the block
    ends. ``server.messages`` holds (sender, recipients, email.message.Message) of what it accepted;
    ``recipient_replies`` maps an address (lower case) to the reply its RCPT TO gets."""

    allow_reuse_address = True
    daemon_threads = True

    def __init__(self, port, recipient_replies=None):
        super().__init__(("127.0.0.1", port), _Handler)
        self.recipient_replies = {key.lower(): value for key, value in (recipient_replies or {}).items()}
        self.messages = []
        self.lock = threading.Lock()
        self._thread = threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self.shutdown()
        self.server_close()
        self._thread.join(timeout=5)
