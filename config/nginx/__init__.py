"""The nginx configuration in porchlight.conf, filled in, and a standalone nginx.conf
around it for a private nginx (tests and `BENCH_PROXY=nginx make bench` run one on
127.0.0.1 with its own prefix directory, stopped by its pid)."""

import getpass
import os
import subprocess
from pathlib import Path

HERE = Path(__file__).resolve().parent
TEMPLATE = HERE / "porchlight.conf"
ERRORS_DIR = HERE / "errors"
NGINX = "/usr/sbin/nginx"
MIME_TYPES = "/etc/nginx/mime.types"


def render(
    *,
    upstreams: list[str],
    http_listen: str,
    https_listen: str,
    server_name: str,
    certificate: Path,
    certificate_key: Path,
    static_root: Path,
    errors_dir: Path = ERRORS_DIR,
) -> str:
    """porchlight.conf with its placeholders replaced; every placeholder must be given."""
    values = {
        "UPSTREAM_SERVERS": " ".join(f"server {address};" for address in upstreams),
        "HTTP_LISTEN": http_listen,
        "HTTPS_LISTEN": https_listen,
        "SERVER_NAME": server_name,
        "TLS_CERTIFICATE": str(certificate),
        "TLS_CERTIFICATE_KEY": str(certificate_key),
        "STATIC_ROOT": str(static_root).rstrip("/"),
        "ERRORS_DIR": str(errors_dir).rstrip("/"),
    }
    text = TEMPLATE.read_text()
    for name, value in values.items():
        text = text.replace(f"@{name}@", value)
    if "@" in "".join(line.split("#")[0] for line in text.splitlines()):
        raise ValueError("porchlight.conf has a placeholder render() does not fill")
    return text


def self_signed_certificate(directory: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 made with openssl, for a private TLS endpoint."""
    cert, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(  # noqa: S603 - our own command line, no shell
        ["/usr/bin/openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert, key


def standalone_conf(prefix: Path, site: str, *, workers: int = 1) -> Path:
    """A complete nginx.conf in ``prefix`` around ``site`` (rendered porchlight.conf): its
    own pid file, logs and temporary directories, so it runs beside any other nginx."""
    (prefix / "logs").mkdir(parents=True, exist_ok=True)
    (prefix / "porchlight.conf").write_text(site)
    # As root, workers would run as nobody and could not read a private static directory.
    user = f"user {getpass.getuser()};" if os.geteuid() == 0 else ""
    conf = prefix / "nginx.conf"
    conf.write_text(
        f"""{user}
worker_processes {workers};
pid {prefix}/nginx.pid;
error_log {prefix}/logs/error.log warn;
events {{ worker_connections 1024; }}
http {{
    include {MIME_TYPES};
    default_type application/octet-stream;
    access_log off;
    sendfile on;
    client_body_temp_path {prefix}/client_body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    include {prefix}/porchlight.conf;
}}
"""
    )
    return conf


def command(prefix: Path, conf: Path) -> list[str]:
    """nginx in the foreground (stop it by its pid), checked with ``-t`` first by callers."""
    return [NGINX, "-p", str(prefix), "-c", str(conf), "-g", "daemon off;"]
