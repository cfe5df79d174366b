"""Linli's production stack as ``deploy/`` describes it, started in one folder as the current user.

The README's production steps, without root: the settings of ``deploy/linli.env.example`` (with a database, a
secret, this machine's host names and the folder's paths), ``migrate`` and ``collectstatic``, gunicorn started
with the arguments of ``deploy/linli-web.service``, workers with those of ``deploy/linli-worker@.service``,
and Debian's nginx with ``deploy/nginx-linli.conf`` rendered onto free local ports (a self-signed certificate
for its TLS server), its own pid, log and temporary paths. Used by the stack test (``deploy/tests``), the
fault tests (``make soak``) and the stack benchmark (``bench/intake_http.py``).

Every process is started by this object and stopped by it (by its own process id); ``kill(name)`` sends
SIGKILL to one of them for the fault tests.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import secrets
import shlex
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
VENV_BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def nginx_binary() -> str | None:
    return shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/sbin/nginx") if Path(p).exists()), None
    )


def env_file(path: Path = DEPLOY / "linli.env.example") -> dict[str, str]:
    """The settings a line of the environment file sets (commented lines keep their defaults)."""
    values = {}
    for line in path.read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, _, value = line.partition("=")
            values[key.strip()] = value.strip()
    return values


def exec_start(unit: str) -> list[str]:
    """The command line of a systemd unit's ExecStart (continuation lines joined)."""
    text = (DEPLOY / unit).read_text().replace("\\\n", " ")
    match = re.search(r"^ExecStart=(.+)$", text, flags=re.MULTILINE)
    if match is None:
        raise ValueError(f"{unit} has no ExecStart")
    return shlex.split(match.group(1))


def _replace_option(command: list[str], option: str, value: str) -> list[str]:
    if option not in command:
        raise ValueError(f"{option} is not in {command}")
    i = command.index(option)
    return [*command[: i + 1], value, *command[i + 2 :]]


# ---- the database ----------------------------------------------------------------------------------------------
def _maintenance(url: str):
    import psycopg

    parsed = urlparse(url)
    for name in ("postgres", "template1"):
        try:
            return psycopg.connect(
                urlunparse(parsed._replace(path=f"/{name}")), autocommit=True, connect_timeout=5
            )
        except psycopg.OperationalError:
            continue
    raise ConnectionError(f"PostgreSQL unreachable at {parsed.hostname}:{parsed.port}")


def create_database(url: str) -> None:
    """Drop (if left over) and create the database that ``url`` names."""
    from psycopg import sql

    name = urlparse(url).path.lstrip("/")
    with _maintenance(url) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def drop_database(url: str) -> None:
    from psycopg import sql

    name = urlparse(url).path.lstrip("/")
    with _maintenance(url) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def database_url_named(base_url: str, name: str) -> str:
    """``base_url`` (the server the tests use) pointing at the database ``name`` instead."""
    return urlunparse(urlparse(base_url)._replace(path=f"/{name}"))


# ---- the stack -----------------------------------------------------------------------------------------------
@dataclass
class Stack:
    root: Path
    database_url: str
    web_instances: int = 1  # gunicorn masters, each on its own socket, all behind the one nginx upstream
    web_workers: int = 2
    web_threads: int = 4
    extra_env: dict[str, str] = field(default_factory=dict)
    http_port: int = field(default_factory=free_port)
    https_port: int = field(default_factory=free_port)
    procs: dict[str, subprocess.Popen] = field(default_factory=dict)
    secret_key: str = field(default_factory=lambda: secrets.token_urlsafe(50))
    data_key: str = field(default_factory=lambda: secrets.token_urlsafe(40))
    seeded: dict = field(default_factory=dict)  # what ``prepare(seed=True)`` returned: its people and places

    def __post_init__(self) -> None:
        self.root = Path(self.root)
        for folder in ("var/media", "run", "log", "nginx/tmp", "tls"):
            (self.root / folder).mkdir(parents=True, exist_ok=True)
        os.chmod(self.root, 0o755)

    # ---- settings: the environment file, filled in for this machine ----
    @property
    def site(self) -> str:
        return f"https://127.0.0.1:{self.https_port}"

    def environment(self) -> dict[str, str]:
        env = {k: os.environ[k] for k in ("PATH", "HOME", "LANG", "TZ") if k in os.environ}
        env.update(env_file())
        env.update(
            SECRET_KEY=self.secret_key,
            LINLI_DATA_KEY=self.data_key,  # residents' phones are encrypted with a key of their own
            DATABASE_URL=self.database_url,
            ALLOWED_HOSTS="127.0.0.1,localhost",
            LINLI_SITE_URL=self.site,
            CSRF_TRUSTED_ORIGINS=self.site,
            LINLI_VAR_DIR=str(self.root / "var"),
            MEDIA_ROOT=str(self.root / "var" / "media"),
            DB_POOL_MAX=str(self.web_threads),
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",  # no mail server here
            PYTHONUNBUFFERED="1",
        )
        env.update(self.extra_env)
        return env

    def manage(self, *args: str, timeout: float = 600, **kwargs) -> subprocess.CompletedProcess:
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env={**self.environment(), **kwargs.pop("env", {})},
            capture_output=True,
            text=True,
            timeout=timeout,
            **kwargs,
        )
        if result.returncode != 0:
            raise RuntimeError(
                f"manage.py {' '.join(args)} failed:\n{result.stdout[-2000:]}\n{result.stderr[-4000:]}"
            )
        return result

    def python(self, code: str, timeout: float = 600) -> str:
        """Run ``code`` in a fresh Django process with the stack's settings; returns what it printed."""
        prelude = "import django; django.setup()\n"
        result = subprocess.run(
            [sys.executable, "-c", prelude + code],
            cwd=ROOT,
            env={**self.environment(), "DJANGO_SETTINGS_MODULE": "linli.settings"},
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if result.returncode != 0:
            raise RuntimeError(f"python failed:\n{result.stderr[-4000:]}")
        return result.stdout

    def prepare(self, *, seed: bool = False) -> dict | None:
        """The README's one-time steps: ``migrate``, ``collectstatic``, ``schedule_jobs`` (one process runs the three
        commands: each start of Django costs seconds); with ``seed``, also the people and places of
        ``deploy.tests.seed`` (returned)."""
        code = (
            "import json\nfrom django.core.management import call_command\n"
            "call_command('migrate', interactive=False, verbosity=0)\n"
            "call_command('collectstatic', interactive=False, verbosity=0)\n"
            "call_command('schedule_jobs', verbosity=0)\n"
        )
        if seed:
            code += "from deploy.tests.seed import seed\nprint('SEED ' + json.dumps(seed()))\n"
        out = self.python(code)
        line = next((x for x in out.splitlines() if x.startswith("SEED ")), None)
        return json.loads(line[5:]) if line else None

    # ---- processes ----
    def _spawn(self, name: str, command: list[str]) -> subprocess.Popen:
        log = (self.root / "log" / f"{name}.log").open("ab")
        proc = subprocess.Popen(
            command,
            cwd=ROOT,
            env=self.environment(),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.procs[name] = proc
        return proc

    def socket_path(self, n: int) -> Path:
        return self.root / "run" / f"web{n}.sock"

    def start_web(self, n: int = 1) -> subprocess.Popen:
        command = exec_start("linli-web.service")
        command[0] = str(VENV_BIN / Path(command[0]).name)
        command = _replace_option(command, "--bind", f"unix:{self.socket_path(n)}")
        command = _replace_option(command, "--workers", str(self.web_workers))
        command = _replace_option(command, "--threads", str(self.web_threads))
        command += ["--pid", str(self.root / "run" / f"web{n}.pid"), "--keep-alive", "30"]
        return self._spawn(f"web{n}", command)

    def start_worker(self, n: int = 1) -> subprocess.Popen:
        command = exec_start("linli-worker@.service")
        if Path(command[0]).name.startswith("python"):
            command[0] = sys.executable
        return self._spawn(
            f"worker{n}", [*command, "--worker-id", f"stack-worker-{n}-{secrets.token_hex(3)}"]
        )

    # ---- nginx ----
    def render_nginx(self) -> Path:
        site = (DEPLOY / "nginx-linli.conf").read_text()
        key, cert = self.root / "tls" / "privkey.pem", self.root / "tls" / "fullchain.pem"
        if not cert.exists():
            subprocess.run(
                ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
                 "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
                 "-keyout", str(key), "-out", str(cert)],
                check=True, capture_output=True,
            )  # fmt: skip
        servers = "\n".join(
            f"    server unix:{self.socket_path(n)} fail_timeout=0;" for n in range(1, self.web_instances + 1)
        )
        replacements = [
            (r"^    server unix:/run/linli/web\.sock fail_timeout=0;$", servers),
            (r"^    listen 80;$", f"    listen 127.0.0.1:{self.http_port};"),
            (r"^    listen 443 ssl http2;", f"    listen 127.0.0.1:{self.https_port} ssl http2;"),
            (r"/etc/ssl/linli/fullchain\.pem", str(cert)),
            (r"/etc/ssl/linli/privkey\.pem", str(key)),
            (r"/var/lib/linli/", f"{self.root}/var/"),
        ]
        for pattern, value in replacements:
            site, count = re.subn(pattern, value, site, flags=re.MULTILINE)
            if not count:  # the site file changed: say so rather than test something else
                raise ValueError(f"deploy/nginx-linli.conf no longer has {pattern!r}")
        folder = self.root / "nginx"
        (folder / "linli.conf").write_text(site)
        temp = "\n".join(
            f"    {kind}_temp_path {folder / 'tmp' / kind};"
            for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        user = "user root root;\n" if os.getuid() == 0 else ""  # as root, nginx's workers would become nobody
        (folder / "nginx.conf").write_text(
            f"{user}worker_processes 2;\npid {folder / 'nginx.pid'};\nerror_log {self.root / 'log' / 'nginx-error.log'} warn;\n"
            "events { worker_connections 1024; }\n"
            "http {\n    include /etc/nginx/mime.types;\n    default_type application/octet-stream;\n"
            f"    access_log {self.root / 'log' / 'nginx-access.log'};\n{temp}\n"
            "    sendfile on;\n    keepalive_timeout 65;\n    keepalive_requests 100000;\n"
            f"    include {folder / 'linli.conf'};\n}}\n"
        )
        return folder / "nginx.conf"

    def start_nginx(self) -> subprocess.Popen:
        binary = nginx_binary()
        if binary is None:
            raise RuntimeError("nginx is not installed (make install installs it)")
        conf = self.render_nginx()
        prefix = str(self.root / "nginx")
        checked = subprocess.run(
            [binary, "-t", "-p", prefix, "-c", str(conf)], capture_output=True, text=True
        )
        if checked.returncode != 0:
            raise RuntimeError(f"nginx -t refused the rendered site:\n{checked.stderr}")
        return self._spawn("nginx", [binary, "-p", prefix, "-c", str(conf), "-g", "daemon off;"])

    # ---- talking to it ----
    def ssl_context(self) -> ssl.SSLContext:
        context = ssl.create_default_context(cafile=str(self.root / "tls" / "fullchain.pem"))
        context.check_hostname = False
        return context

    def healthz(self, timeout: float = 10) -> tuple[int, dict]:
        """``GET /healthz`` on nginx's plain-HTTP server, as the local monitor asks."""
        conn = http.client.HTTPConnection("127.0.0.1", self.http_port, timeout=timeout)
        try:
            conn.request("GET", "/healthz")
            response = conn.getresponse()
            body = response.read()
        finally:
            conn.close()
        try:
            return response.status, json.loads(body)
        except ValueError:
            return response.status, {"raw": body[:300].decode(errors="replace")}

    def wait_healthy(self, timeout: float = 180) -> dict:
        deadline = time.monotonic() + timeout
        last: tuple[int, dict] | str = "no answer"
        while time.monotonic() < deadline:
            for name, proc in self.procs.items():
                if proc.poll() is not None:
                    raise RuntimeError(f"{name} exited ({proc.returncode}):\n{self.log_tail(name)}")
            try:
                last = self.healthz()
                if last[0] == 200:
                    return last[1]
            except OSError as exc:
                last = repr(exc)
            time.sleep(0.5)
        raise RuntimeError(f"/healthz not 200 within {timeout} s: {last}\n{self.log_tail('web1')}")

    def log_tail(self, name: str, chars: int = 3000) -> str:
        path = self.root / "log" / f"{name}.log"
        return path.read_text(errors="replace")[-chars:] if path.exists() else ""

    # ---- starting and stopping ----
    def start(self, *, workers: int = 1) -> None:
        for n in range(1, self.web_instances + 1):
            self.start_web(n)
        for n in range(1, workers + 1):
            self.start_worker(n)
        self.start_nginx()

    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        """Send ``sig`` to the process this stack started under ``name`` (its own id only)."""
        proc = self.procs[name]
        if proc.poll() is None:
            proc.send_signal(sig)
            proc.wait(30)

    def gunicorn_children(self, n: int = 1) -> list[int]:
        """The process ids of web instance ``n``'s gunicorn workers (children of the master this stack started)."""
        master = self.procs[f"web{n}"].pid
        found = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == master:
                found.append(int(stat.parent.name))
        return found

    @contextmanager
    def serving(self, *, workers: int = 1, timeout: float = 180) -> Iterator[Stack]:
        """The README's sequence for tests: the one-time steps with the seed people and places (``seeded``), web,
        ``workers`` background workers and nginx started, ``/healthz`` 200 within ``timeout`` s; stopped on leaving."""
        try:
            self.seeded = self.prepare(seed=True) or {}
            self.start(workers=workers)
            self.wait_healthy(timeout=timeout)
            yield self
        finally:
            self.stop()

    def stop(self) -> None:
        """TERM every process this stack started (nginx and gunicorn finish their requests), KILL what stays."""
        for name in sorted(self.procs, key=lambda n: n != "nginx"):  # nginx first: no new requests
            proc = self.procs[name]
            if proc.poll() is None:
                proc.send_signal(signal.SIGQUIT if name == "nginx" else signal.SIGTERM)
        deadline = time.monotonic() + 40
        for proc in self.procs.values():
            try:
                proc.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(10)
