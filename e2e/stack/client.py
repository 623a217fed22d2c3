"""HTTP to PUBLIC_HOST as the run resolves it: 127.0.0.1, with the name as Host and TLS SNI."""

import http.client
import socket
from dataclasses import dataclass
from email.message import Message

from e2e.stack.config import LOOPBACK


@dataclass
class Answer:
    status: int
    headers: Message
    body: bytes


class _LoopbackHTTP(http.client.HTTPConnection):
    """Talks to PUBLIC_HOST (the Host header) on 127.0.0.1: what the name resolves to in the run."""

    def connect(self):
        self.sock = socket.create_connection((LOOPBACK, self.port), self.timeout, self.source_address)


class _LoopbackHTTPS(http.client.HTTPSConnection):
    """As _LoopbackHTTP over TLS: SNI and certificate check for PUBLIC_HOST."""

    def connect(self):
        sock = socket.create_connection((LOOPBACK, self.port), self.timeout, self.source_address)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)
