"""The run's TLS certificate and nginx: the shipped site file rendered for the run, and checked inside
Debian's own nginx.conf.
"""

import base64
import hashlib
import os
import re
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

from e2e.stack.config import DEPLOY, LOOPBACK, NGINX, NGINX_UPSTREAM_ADDRESS, PUBLIC_HOST, StackError

if TYPE_CHECKING:
    from e2e.stack.services import Stack


def make_certificate(stack: "Stack") -> None:
    stack.cert.parent.mkdir()
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
            str(stack.key),
            "-out",
            str(stack.cert),
        ],
        check=True,
        capture_output=True,
    )
    stack.key.chmod(0o600)
    # The base64 SHA-256 of the certificate's public key: Chromium accepts this certificate and no other
    # (--ignore-certificate-errors-spki-list), in place of the system trust store the run must not touch.
    public_key = subprocess.run(
        ["openssl", "x509", "-in", str(stack.cert), "-pubkey", "-noout"], check=True, capture_output=True
    ).stdout
    der = subprocess.run(
        ["openssl", "pkey", "-pubin", "-outform", "DER"], input=public_key, check=True, capture_output=True
    ).stdout
    stack.spki_sha256 = base64.b64encode(hashlib.sha256(der).digest()).decode()


def render_site(stack: "Stack", values: dict[str, str]) -> str:
    rendered = subprocess.run(
        [str(DEPLOY / "render-nginx"), str(DEPLOY / "nginx" / "kiyose.conf")],
        env={**stack.env, **values},
        capture_output=True,
        text=True,
    )
    if rendered.returncode:
        raise StackError(f"deploy/render-nginx failed: {rendered.stderr.strip()}")
    return rendered.stdout


def check_site_in_debian_nginx(stack: "Stack") -> str:
    """The site file rendered with production values passes `nginx -t` inside Debian's own nginx.conf (its
    http-level defaults, mime types, modules), as the recipe installs it in sites-enabled/."""
    debian = Path("/etc/nginx/nginx.conf")
    if not debian.exists():
        return "skipped: no /etc/nginx/nginx.conf"
    work = stack.run_dir / "nginx-t"
    work.mkdir()
    site = work / "kiyose.conf"
    site.write_text(
        render_site(
            stack,
            {
                "KIYOSE_SERVER_NAME": "portal.city.kiyose.lg.jp",
                "KIYOSE_PUBLIC_HOST": "portal.city.kiyose.lg.jp",
                "KIYOSE_HTTP_LISTEN": "80",
                "KIYOSE_HTTPS_LISTEN": "443",
                "KIYOSE_TLS_CERTIFICATE": str(stack.cert),
                "KIYOSE_TLS_CERTIFICATE_KEY": str(stack.key),
                "KIYOSE_APP_NODE_1": "127.0.0.1:8001",
                "KIYOSE_APP_NODE_2": "127.0.0.1:8002",
            },
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


def render_nginx(stack: "Stack") -> Path:
    conf_dir = stack.run_dir / "nginx"
    (conf_dir / "temp").mkdir(parents=True)
    site = conf_dir / "kiyose.conf"
    values = {
        "KIYOSE_SERVER_NAME": PUBLIC_HOST,
        "KIYOSE_PUBLIC_HOST": stack.public_host,
        "KIYOSE_HTTP_LISTEN": f"{LOOPBACK}:{stack.http_port}",
        "KIYOSE_HTTPS_LISTEN": f"{LOOPBACK}:{stack.https_port}",
        "KIYOSE_TLS_CERTIFICATE": str(stack.cert),
        "KIYOSE_TLS_CERTIFICATE_KEY": str(stack.key),
        "KIYOSE_APP_NODE_1": f"127.0.0.1:{stack.node_a_port}",
        "KIYOSE_APP_NODE_2": f"127.0.0.1:{stack.node_b_port}",
    }
    site.write_text(render_site(stack, values), encoding="utf-8")
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
error_log {stack.logs}/nginx-error.log warn;
events {{ worker_connections 256; }}
http {{
default_type application/octet-stream;
access_log {stack.logs}/nginx-access.log;
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
        stack.run_dir.chmod(0o755)
    return main
