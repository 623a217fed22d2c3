"""The production stack of the README's deployment recipe, started on loopback ports of its own.

The commands come from the shipped files, not from a copy: each service's ExecStart is read from
deploy/systemd/ (with /srv/kiyose replaced by this checkout and %i by the node's port), and nginx's site is
deploy/nginx/kiyose.conf rendered by deploy/render-nginx. What the recipe gets from the host (PostgreSQL, Redis,
an SMTP relay) is the running PostgreSQL and Redis, a database and a Redis db of the run's own, and an SMTP sink.
Every process runs in its own process group and is stopped (TERM, then KILL) however the run ends.

The portal is published under a host name, as in production (which refuses a loopback PORTAL_BASE_URL):
PUBLIC_HOST, resolved to loopback by the browser (--host-resolver-rules) and by `Stack.request` (which connects
to 127.0.0.1 and sends the name as Host and TLS SNI). Three loopback addresses stand for three parties:
127.0.0.1 the city's network (where the browser runs; ADMIN_ALLOWED_NETWORKS), 127.0.0.2 nginx's side toward the
nodes (proxy_bind; TRUSTED_PROXIES), 127.0.0.3 a client outside the city's networks.

config holds the names, addresses and unit readers; client the loopback HTTP; nginx the certificate and the
rendered site; services the Stack itself.
"""

from e2e.stack.client import Answer
from e2e.stack.config import (
    DB_NAME,
    LOOPBACK,
    OFFICE_MAILBOXES,
    OUTSIDE_CLIENT,
    PUBLIC_HOST,
    REDIS_URL,
    ROOT,
    STAFF_USER,
    StackError,
    tail,
)
from e2e.stack.services import Stack

__all__ = [
    "DB_NAME",
    "LOOPBACK",
    "OFFICE_MAILBOXES",
    "OUTSIDE_CLIENT",
    "PUBLIC_HOST",
    "REDIS_URL",
    "ROOT",
    "STAFF_USER",
    "Answer",
    "Stack",
    "StackError",
    "tail",
]
