"""What the run is made of: the shipped deploy files, the fixed names and addresses, the units' commands."""

import configparser
import shlex
import shutil
import socket
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
DEPLOY = ROOT / "deploy"
UNITS = DEPLOY / "systemd"
INSTALL_PREFIX = "/srv/kiyose"  # where the units expect the checkout; the run maps it onto ROOT
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
PG_URL = "postgres://postgres@127.0.0.1:5432"
DB_NAME = "kiyose_e2e_stack"
REDIS_URL = "redis://127.0.0.1:6379/12"
OFFICE_MAILBOXES = {app: f"{app}-office@portal.kiyose.test" for app in ("inspections", "certification", "talentbank")}
LOCK_FILE = Path(tempfile.gettempdir()) / "kiyose-e2e.lock"
STAFF_USER = "e2e-staff"
# A real-looking public name: with DEBUG off, start-up refuses a PORTAL_BASE_URL on loopback (or *.localhost).
PUBLIC_HOST = "portal.kiyose.test"
LOOPBACK = "127.0.0.1"
# The city's network, where the browser and the checks run (ADMIN_ALLOWED_NETWORKS).
CITY_NETWORK = "127.0.0.1/32"
# nginx's source address toward the nodes (proxy_bind in the run's nginx.conf), the one trusted proxy. Apart from
# the clients' address so that a forged X-Forwarded-For from 127.0.0.1 is seen for what it is, as in production,
# where nginx is 127.0.0.1 and no visitor is.
NGINX_UPSTREAM_ADDRESS = "127.0.0.2"
# A client outside ADMIN_ALLOWED_NETWORKS (Linux routes all of 127.0.0.0/8 to lo).
OUTSIDE_CLIENT = "127.0.0.3"
# Only what a service manager would pass on; everything else comes from the run's environment file.
INHERITED = ("PATH", "LANG", "LC_ALL", "HOME", "TMPDIR")


class StackError(RuntimeError):
    pass


def free_ports(n: int) -> list[int]:
    # All sockets stay bound until every port is chosen, so the n ports differ.
    sockets = []
    try:
        for _ in range(n):
            s = socket.socket()
            s.bind(("127.0.0.1", 0))
            sockets.append(s)
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


def unit_exec(name: str, instance: str = "") -> tuple[list[str], Path]:
    """ExecStart and WorkingDirectory of a shipped unit, mapped onto this checkout."""
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str
    parser.read(UNITS / name, encoding="utf-8")
    service = parser["Service"]
    command = service["ExecStart"].replace("%i", instance)
    workdir = service.get("WorkingDirectory", INSTALL_PREFIX)
    argv = [
        part.replace(INSTALL_PREFIX, str(ROOT), 1) if part.startswith(INSTALL_PREFIX) else part
        for part in shlex.split(command)
    ]
    return argv, Path(workdir.replace(INSTALL_PREFIX, str(ROOT), 1))


def timer_calendars() -> dict[str, str]:
    calendars = {}
    for timer in sorted(UNITS.glob("*.timer")):
        parser = configparser.ConfigParser(interpolation=None, strict=True)
        parser.optionxform = str
        parser.read(timer, encoding="utf-8")
        calendars[timer.name] = parser["Timer"]["OnCalendar"]
        service = UNITS / timer.name.replace(".timer", ".service")
        if not service.exists():
            raise StackError(f"{timer.name} has no {service.name}")
    return calendars


def tail(text: str, lines: int = 30) -> str:
    return "\n".join(text.rstrip().splitlines()[-lines:])
