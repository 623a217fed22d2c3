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
"""

import base64
import configparser
import contextlib
import fcntl
import hashlib
import http.client
import os
import re
import secrets
import shlex
import shutil
import signal
import socket
import ssl
import subprocess
import tempfile
import time
from dataclasses import dataclass
from email.message import Message
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
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


class Stack:
    def __init__(self):
        self.run_dir = Path(tempfile.mkdtemp(prefix="kiyose-e2e-"))
        self.logs = self.run_dir / "logs"
        self.logs.mkdir()
        (self.https_port, self.http_port, self.node_a_port, self.node_b_port, self.smtp_port) = free_ports(5)
        self.public_host = f"{PUBLIC_HOST}:{self.https_port}"
        self.base_url = f"https://{self.public_host}"
        self.nodes = {"A": f"http://127.0.0.1:{self.node_a_port}", "B": f"http://127.0.0.1:{self.node_b_port}"}
        self.staff_password = secrets.token_urlsafe(18)
        self.processes: list[tuple[str, subprocess.Popen]] = []
        self.cert = self.run_dir / "tls" / "cert.pem"
        self.key = self.run_dir / "tls" / "key.pem"
        self.spki_sha256 = ""
        self.env = self._environment()
        self._lock = None
        self._database_created = False

    # --- set-up -------------------------------------------------------------------------------------------
    def _environment(self) -> dict[str, str]:
        settings = {
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),
            # The public name only, as in production: the direct node checks send it as nginx does.
            "ALLOWED_HOSTS": PUBLIC_HOST,
            "CSRF_TRUSTED_ORIGINS": self.base_url,
            "DATABASE_URL": f"{PG_URL}/{DB_NAME}",
            "CACHE_URL": REDIS_URL,
            # Where the offices' notices go (no default: a city sets its own addresses).
            "INSPECTIONS_OFFICE_EMAIL": OFFICE_MAILBOXES["inspections"],
            "CERTIFICATION_OFFICE_EMAIL": OFFICE_MAILBOXES["certification"],
            "TALENTBANK_OFFICE_EMAIL": OFFICE_MAILBOXES["talentbank"],
            "EMAIL_URL": f"smtp://127.0.0.1:{self.smtp_port}",
            "TASKS_BACKEND": "database",
            "STATIC_ROOT": str(self.run_dir / "static"),
            "PORTAL_BASE_URL": self.base_url,
            "USE_X_FORWARDED_PROTO": "true",
            "TRUSTED_PROXIES": NGINX_UPSTREAM_ADDRESS,
            "ADMIN_ALLOWED_NETWORKS": CITY_NETWORK,
            "INSPECTIONS_ICAL_TOKEN": secrets.token_urlsafe(32),
            "LOG_LEVEL": "INFO",
        }
        # The run's /etc/kiyose/kiyose.env: deploy/manage reads it; the services get the same values directly.
        self.env_file = self.run_dir / "kiyose.env"
        self.env_file.write_text("".join(f"{key}={value}\n" for key, value in settings.items()), encoding="utf-8")
        self.env_file.chmod(0o600)
        env = {key: os.environ[key] for key in INHERITED if key in os.environ}
        env.update(settings, PYTHONUNBUFFERED="1")
        return env

    def lock(self) -> None:
        """One run at a time on a machine: the database name and the Redis db are fixed."""
        self._lock = open(LOCK_FILE, "w")  # noqa: SIM115 - held for the whole run
        try:
            fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"another make e2e holds {LOCK_FILE}; waiting for it to finish", flush=True)
            fcntl.flock(self._lock, fcntl.LOCK_EX)

    def check_deploy_files(self) -> None:
        for name in ("kiyose-app@.service", "kiyose-worker.service"):
            argv, _cwd = unit_exec(name, "8000")
            if not Path(argv[0]).exists():
                raise StackError(f"{name}: {argv[0]} does not exist (run make .venv/.installed-test)")
        calendars = timer_calendars()
        analyze = shutil.which("systemd-analyze")
        if analyze:
            for timer, spec in calendars.items():
                result = subprocess.run([analyze, "calendar", spec], capture_output=True, text=True)
                if result.returncode:
                    raise StackError(f"{timer}: OnCalendar={spec} is not valid: {result.stderr.strip()}")

    def make_certificate(self) -> None:
        self.cert.parent.mkdir()
        subprocess.run(
            [
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:prime256v1",
                "-nodes",
                "-days",
                "2",
                "-subj",
                f"/CN={PUBLIC_HOST}",
                "-addext",
                f"subjectAltName=DNS:{PUBLIC_HOST}",
                "-keyout",
                str(self.key),
                "-out",
                str(self.cert),
            ],
            check=True,
            capture_output=True,
        )
        self.key.chmod(0o600)
        # The base64 SHA-256 of the certificate's public key: Chromium accepts this certificate and no other
        # (--ignore-certificate-errors-spki-list), in place of the system trust store the run must not touch.
        public_key = subprocess.run(
            ["openssl", "x509", "-in", str(self.cert), "-pubkey", "-noout"], check=True, capture_output=True
        ).stdout
        der = subprocess.run(
            ["openssl", "pkey", "-pubin", "-outform", "DER"], input=public_key, check=True, capture_output=True
        ).stdout
        self.spki_sha256 = base64.b64encode(hashlib.sha256(der).digest()).decode()

    def ssl_context(self) -> ssl.SSLContext:
        """Verifies nginx against the run's own certificate, host name included."""
        return ssl.create_default_context(cafile=str(self.cert))

    def request(
        self,
        url: str,
        *,
        headers: dict | None = None,
        source: str | None = None,
        timeout: float = 10,
        method: str = "GET",
        body: bytes | None = None,
    ) -> Answer:
        """One request (GET unless told), redirects not followed. https://PUBLIC_HOST:port/ and
        http://PUBLIC_HOST:port/ go to nginx on 127.0.0.1 (TLS verified against the run's certificate for PUBLIC_HOST); http://127.0.0.1:port/
        goes straight to a node, with the Host nginx passes on unless `headers` names one. `source` is the
        client's own loopback address (e.g. OUTSIDE_CLIENT)."""
        parts = urlsplit(url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        headers = dict(headers or {})
        source_address = (source, 0) if source else None
        if parts.hostname == PUBLIC_HOST and parts.scheme == "https":
            conn = _LoopbackHTTPS(
                PUBLIC_HOST, parts.port, timeout=timeout, source_address=source_address, context=self.ssl_context()
            )
        elif parts.hostname == PUBLIC_HOST and parts.scheme == "http":
            conn = _LoopbackHTTP(PUBLIC_HOST, parts.port, timeout=timeout, source_address=source_address)
        elif parts.hostname == LOOPBACK and parts.scheme == "http":
            conn = http.client.HTTPConnection(LOOPBACK, parts.port, timeout=timeout, source_address=source_address)
            if not any(name.lower() == "host" for name in headers):
                headers["Host"] = self.public_host
        else:
            raise StackError(f"not an address of the run: {url}")
        try:
            conn.request(method, target, body=body, headers=headers)
            response = conn.getresponse()
            return Answer(response.status, response.headers, response.read())
        finally:
            conn.close()

    def create_database(self) -> None:
        import psycopg

        with psycopg.connect(f"{PG_URL}/postgres", autocommit=True, connect_timeout=5) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{DB_NAME}"')
        self._database_created = True
        self._flush_redis()

    def _flush_redis(self) -> None:
        import redis

        redis.Redis.from_url(REDIS_URL, socket_timeout=5).flushdb()

    def manage(self, *args: str, log: str, extra_env: dict | None = None, timeout: int = 300) -> str:
        """A one-off manage.py command as the recipe runs it: deploy/manage with the run's environment file."""
        result = subprocess.run(
            [str(DEPLOY / "manage"), *args],
            env=self._manage_env(extra_env),
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        (self.logs / f"{log}.log").write_text(result.stdout + result.stderr, encoding="utf-8")
        if result.returncode:
            output = tail(result.stdout + result.stderr)
            raise StackError(f"deploy/manage {' '.join(args)} failed ({result.returncode}):\n{output}")
        return result.stdout

    def _manage_env(self, extra_env: dict | None = None) -> dict:
        env = {key: os.environ[key] for key in INHERITED if key in os.environ}
        return {**env, **(extra_env or {}), "KIYOSE_ENV_FILE": str(self.env_file), "PYTHONUNBUFFERED": "1"}

    def run_unit(self, name: str, *extra: str, log: str) -> str:
        """A oneshot unit's ExecStart (what its timer starts), with optional extra arguments."""
        argv, cwd = unit_exec(name)
        result = subprocess.run([*argv, *extra], cwd=cwd, env=self.env, capture_output=True, text=True, timeout=120)
        (self.logs / f"{log}.log").write_text(result.stdout + result.stderr, encoding="utf-8")
        if result.returncode:
            raise StackError(f"{name} failed ({result.returncode}):\n{tail(result.stdout + result.stderr)}")
        return result.stdout

    def prepare(self) -> str:
        """Recipe step 4: migrate, seed, collectstatic, a staff superuser. collectstatic needs no database, so
        it runs beside the database steps."""
        took = {}
        began = time.monotonic()
        static_log = open(self.logs / "collectstatic.log", "w")  # noqa: SIM115 - closed below
        static = subprocess.Popen(
            [str(DEPLOY / "manage"), "collectstatic", "--noinput"],
            env=self._manage_env(),
            stdout=static_log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            for args, extra_env in (
                (("migrate", "--noinput"), None),
                (("seed",), None),
                (
                    ("createsuperuser", "--noinput"),
                    {
                        "DJANGO_SUPERUSER_USERNAME": STAFF_USER,
                        "DJANGO_SUPERUSER_EMAIL": "e2e-staff@city.kiyose.lg.jp",
                        "DJANGO_SUPERUSER_PASSWORD": self.staff_password,
                    },
                ),
            ):
                start = time.monotonic()
                self.manage(*args, log=args[0], extra_env=extra_env)
                took[args[0]] = time.monotonic() - start
            if static.wait(timeout=300):
                raise StackError("collectstatic failed:\n" + tail((self.logs / "collectstatic.log").read_text()))
            took["collectstatic (alongside)"] = time.monotonic() - began
        finally:
            if static.poll() is None:
                _stop(static)
            static_log.close()
        return ", ".join(f"{name} {seconds:.1f} s" for name, seconds in took.items())

    # --- services -----------------------------------------------------------------------------------------
    def _spawn(self, name: str, argv: list[str], cwd: Path) -> subprocess.Popen:
        log = open(self.logs / f"{name}.log", "w")  # noqa: SIM115 - the child holds it
        proc = subprocess.Popen(
            argv, cwd=cwd, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        log.close()
        self.processes.append((name, proc))
        return proc

    def _render_site(self, values: dict[str, str]) -> str:
        rendered = subprocess.run(
            [str(DEPLOY / "render-nginx"), str(DEPLOY / "nginx" / "kiyose.conf")],
            env={**self.env, **values},
            capture_output=True,
            text=True,
        )
        if rendered.returncode:
            raise StackError(f"deploy/render-nginx failed: {rendered.stderr.strip()}")
        return rendered.stdout

    def check_site_in_debian_nginx(self) -> str:
        """The site file rendered with production values passes `nginx -t` inside Debian's own nginx.conf (its
        http-level defaults, mime types, modules), as the recipe installs it in sites-enabled/."""
        debian = Path("/etc/nginx/nginx.conf")
        if not debian.exists():
            return "skipped: no /etc/nginx/nginx.conf"
        work = self.run_dir / "nginx-t"
        work.mkdir()
        site = work / "kiyose.conf"
        site.write_text(
            self._render_site(
                {
                    "KIYOSE_SERVER_NAME": "portal.city.kiyose.lg.jp",
                    "KIYOSE_PUBLIC_HOST": "portal.city.kiyose.lg.jp",
                    "KIYOSE_HTTP_LISTEN": "80",
                    "KIYOSE_HTTPS_LISTEN": "443",
                    "KIYOSE_TLS_CERTIFICATE": str(self.cert),
                    "KIYOSE_TLS_CERTIFICATE_KEY": str(self.key),
                    "KIYOSE_APP_NODE_1": "127.0.0.1:8001",
                    "KIYOSE_APP_NODE_2": "127.0.0.1:8002",
                }
            ),
            encoding="utf-8",
        )
        text, included = re.subn(r"include\s+/etc/nginx/sites-enabled/\*;", f"include {site};", debian.read_text())
        if not included:
            return "skipped: /etc/nginx/nginx.conf includes no sites-enabled/"
        # Nothing of the test may touch the host's nginx: its pid file and logs move into the run's directory.
        text = re.sub(r"^\s*pid\s+[^;]+;", f"pid {work}/nginx.pid;", text, flags=re.M)
        text = re.sub(r"\b(access_log|error_log)\s+[^;]+;", lambda m: f"{m.group(1)} {work}/{m.group(1)}.log;", text)
        main = work / "nginx.conf"
        main.write_text(text, encoding="utf-8")
        result = subprocess.run(
            [NGINX, "-t", "-q", "-c", str(main), "-e", str(work / "error_log.log")], capture_output=True, text=True
        )
        if result.returncode:
            raise StackError(f"deploy/nginx/kiyose.conf fails nginx -t in Debian's nginx.conf:\n{result.stderr}")
        return "nginx -t passes with production values inside /etc/nginx/nginx.conf"

    def render_nginx(self) -> Path:
        conf_dir = self.run_dir / "nginx"
        (conf_dir / "temp").mkdir(parents=True)
        site = conf_dir / "kiyose.conf"
        values = {
            "KIYOSE_SERVER_NAME": PUBLIC_HOST,
            "KIYOSE_PUBLIC_HOST": self.public_host,
            "KIYOSE_HTTP_LISTEN": f"{LOOPBACK}:{self.http_port}",
            "KIYOSE_HTTPS_LISTEN": f"{LOOPBACK}:{self.https_port}",
            "KIYOSE_TLS_CERTIFICATE": str(self.cert),
            "KIYOSE_TLS_CERTIFICATE_KEY": str(self.key),
            "KIYOSE_APP_NODE_1": f"127.0.0.1:{self.node_a_port}",
            "KIYOSE_APP_NODE_2": f"127.0.0.1:{self.node_b_port}",
        }
        site.write_text(self._render_site(values), encoding="utf-8")
        # The main file stands in for Debian's /etc/nginx/nginx.conf: everything the run writes stays in the
        # run's directory. Two lines are the run's only, the site file is the shipped one: the X-Kiyose-Upstream
        # header (which node answered), and proxy_bind, which gives nginx an address of its own toward the nodes
        # (NGINX_UPSTREAM_ADDRESS) as a separate host would have.
        temp = conf_dir / "temp"
        main = conf_dir / "nginx.conf"
        main.write_text(
            f"""daemon off;
worker_processes 1;
pid {conf_dir}/nginx.pid;
error_log {self.logs}/nginx-error.log warn;
events {{ worker_connections 256; }}
http {{
    default_type application/octet-stream;
    access_log {self.logs}/nginx-access.log;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    add_header X-Kiyose-Upstream $upstream_addr always;
    proxy_bind {NGINX_UPSTREAM_ADDRESS};
    include {site};
}}
""",
            encoding="utf-8",
        )
        if os.geteuid() == 0:
            # nginx's workers drop to nobody: they must reach their temp directories.
            self.run_dir.chmod(0o755)
        return main

    def start(self) -> None:
        for node, port in (("A", self.node_a_port), ("B", self.node_b_port)):
            argv, cwd = unit_exec("kiyose-app@.service", str(port))
            self._spawn(f"app-node-{node}", argv, cwd)
        argv, cwd = unit_exec("kiyose-worker.service")
        self._spawn("db-worker", argv, cwd)
        main = self.render_nginx()
        self._spawn(
            "nginx",
            [NGINX, "-p", str(main.parent), "-c", str(main), "-e", str(self.logs / "nginx-error.log")],
            main.parent,
        )

    def wait_healthy(self, timeout: float = 90) -> None:
        """Until /healthz answers 200 on each node directly, then through nginx over verified TLS. The nodes
        come first: nginx takes a node that refused a connection out of rotation for fail_timeout (10 s)."""
        targets = [url + "/healthz" for url in self.nodes.values()]
        targets.append(self.base_url + "/healthz")
        deadline = time.monotonic() + timeout
        for url in targets:
            while True:
                self.check_alive()
                try:
                    if self.request(url, timeout=5).status == 200:
                        break
                except (http.client.HTTPException, OSError):
                    pass
                if time.monotonic() > deadline:
                    raise StackError(f"{url} did not answer 200 within {timeout:.0f} s")
                time.sleep(0.1)

    def check_alive(self) -> None:
        for name, proc in self.processes:
            if proc.poll() is not None:
                raise StackError(f"{name} exited with {proc.returncode}:\n" + tail(self.log_text(name)))

    def log_text(self, name: str) -> str:
        path = self.logs / f"{name}.log"
        return path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""

    # --- tear-down ----------------------------------------------------------------------------------------
    def stop(self) -> None:
        for _name, proc in reversed(self.processes):
            _stop(proc)
        self.processes.clear()

    def drop(self) -> None:
        if self._database_created:
            import psycopg

            with psycopg.connect(f"{PG_URL}/postgres", autocommit=True, connect_timeout=5) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
            self._database_created = False
            self._flush_redis()

    def close(self, *, keep_files: bool) -> None:
        errors = []
        for step in (self.stop, self.drop):
            try:
                step()
            except Exception as exc:  # every step runs, whatever failed before
                errors.append(f"{step.__name__}: {exc}")
        if not keep_files:
            shutil.rmtree(self.run_dir, ignore_errors=True)
        if self._lock is not None:
            self._lock.close()
        if errors:
            raise StackError("; ".join(errors))


def _stop(proc: subprocess.Popen) -> None:
    """TERM the process group, KILL it if it has not gone in 10 s."""
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=5)


def tail(text: str, lines: int = 30) -> str:
    return "\n".join(text.rstrip().splitlines()[-lines:])
