"""The Stack: the run's environment, database and Redis db, the one-off commands, and the services
(two app nodes, the db worker, nginx) in process groups of their own, stopped however the run ends.
"""

import contextlib
import fcntl
import http.client
import os
import secrets
import shutil
import signal
import ssl
import subprocess
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

from e2e.stack import nginx
from e2e.stack.client import Answer, _LoopbackHTTP, _LoopbackHTTPS
from e2e.stack.config import (
    CITY_NETWORK,
    DB_NAME,
    DEPLOY,
    INHERITED,
    LOCK_FILE,
    LOOPBACK,
    NGINX,
    NGINX_UPSTREAM_ADDRESS,
    OFFICE_MAILBOXES,
    PG_URL,
    PUBLIC_HOST,
    REDIS_URL,
    STAFF_USER,
    StackError,
    free_ports,
    tail,
    timer_calendars,
    unit_exec,
)


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
        nginx.make_certificate(self)

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

    def check_site_in_debian_nginx(self) -> str:
        return nginx.check_site_in_debian_nginx(self)

    def start(self) -> None:
        for node, port in (("A", self.node_a_port), ("B", self.node_b_port)):
            argv, cwd = unit_exec("kiyose-app@.service", str(port))
            self._spawn(f"app-node-{node}", argv, cwd)
        argv, cwd = unit_exec("kiyose-worker.service")
        self._spawn("db-worker", argv, cwd)
        main = nginx.render_nginx(self)
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
