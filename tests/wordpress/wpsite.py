"""A real, seeded WordPress on 127.0.0.1 for tests and offline demos.

MariaDB runs as a private instance (own datadir, socket and port under the state dir) and
WordPress (Debian's package in /usr/share/wordpress) is served by PHP's built-in server, one
process per theme, all reading the same seeded database. Nothing listens on anything but 127.0.0.1.

Library::

    from tests.wordpress.wpsite import WordPressStack
    stack = WordPressStack()  # state dir: $WPA_STATE_DIR or /tmp/wparchive-wordpress
    site = stack.start_site("twentytwentytwo")  # provisions + seeds on first use
    truth = stack.truth(site)  # dict exported from WordPress's own database
    stack.down()  # stops every server recorded in the state dir

CLI::

    python -m tests.wordpress.wpsite up [--theme T ...|all] [--disable rest,sitemap,feed] [--port N]
    python -m tests.wordpress.wpsite truth [--theme T] [--disable ...] [--port N] [-o FILE]
    python -m tests.wordpress.wpsite status | stop --port N | down [--purge]

System packages come from tests/wordpress/install.sh.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import fcntl
import hashlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
PHP_DIR = HERE / "php"
WP_ROOT = Path("/usr/share/wordpress")
THEMES_DIR = WP_ROOT / "wp-content" / "themes"
DEBIAN_CONFIG = Path("/etc/wordpress/config-wparchive.php")
INSTALL_SH = HERE / "install.sh"

HOST = "127.0.0.1"
THEMES: tuple[str, ...] = ("twentytwentyone", "twentytwentytwo", "twentytwentythree")
DEFAULT_THEME = "twentytwentyone"
FEATURES: tuple[str, ...] = ("rest", "sitemap", "feed")

DEFAULT_STATE_DIR = Path("/tmp/wparchive-wordpress")
DEFAULT_DB_PORT = 18306
# Site ports: PORT_BASE + theme number (1..3) + 10 * bitmask of disabled features (rest=1,
# sitemap=2, feed=4), e.g. twentytwentyone=18401, twentytwentytwo without REST=18412.
DEFAULT_PORT_BASE = 18400
# Origin the seed runs under. Fixed (whatever the ports) so seeded content is identical everywhere;
# the mu-plugin rewrites it in rendered bodies to the origin being served.
SEED_HOME = "http://127.0.0.1:18401"

DB_NAME = "wparchive"
DB_USER = "wparchive"
DB_PASSWORD = "wparchive"

# Files whose content determines the seeded database (their hash is the seed version).
SEED_INPUTS = (PHP_DIR / "seed.php", PHP_DIR / "seed_data.php")

PHP_INI = {
    "memory_limit": "512M",
    "display_errors": "0",
    "log_errors": "1",
    # E_ALL & ~E_DEPRECATED & ~E_STRICT: WordPress 6.1 on PHP 8.2 emits deprecations.
    "error_reporting": "22527",
    "opcache.enable": "1",
}


class WordPressError(RuntimeError):
    """Provisioning failed (missing packages, a server that did not start, a failed seed...)."""


@dataclass(frozen=True)
class WordPressSite:
    """One running PHP server rendering the seeded blog with one theme."""

    theme: str
    port: int
    disable: frozenset[str] = frozenset()
    state_dir: Path = DEFAULT_STATE_DIR

    @property
    def base_url(self) -> str:
        """Origin without trailing slash, e.g. ``http://127.0.0.1:18401``."""
        return f"http://{HOST}:{self.port}"

    @property
    def home_url(self) -> str:
        """WordPress's home URL (with trailing slash), as in the truth's ``blog.home``."""
        return self.base_url + "/"

    def url(self, path: str = "/") -> str:
        """Absolute URL of ``path`` (``"/feed/"``) on this site."""
        return self.base_url + "/" + path.lstrip("/")


@dataclass
class ProvisionReport:
    """What ``provision()`` had to do, with timings in seconds."""

    initialized_db: bool = False
    started_db: bool = False
    seeded: bool = False
    seed_summary: dict[str, Any] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def _which(name: str) -> str | None:
    # mariadbd lives in /usr/sbin, which is not on a non-root PATH.
    return shutil.which(name) or shutil.which(name, path="/usr/sbin:/usr/bin:/sbin:/bin")


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie (exited child not reaped yet) is not alive for our purposes.
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[-1].split()[0] != "Z"


def _cmdline(pid: int) -> str:
    try:
        return (
            Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        )
    except OSError:
        return ""


def _process_group(pgid: int) -> list[int]:
    """Live processes whose process group is ``pgid``."""
    members = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":  # fields: state, ppid, pgrp, ...
            members.append(int(entry.name))
    return members


def _parent(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return 0


def _become_subreaper() -> None:
    """Orphaned descendants (the PHP server's workers, once the master exits) are re-parented to
    this process instead of PID 1, so _stop_pid can reap them. Some container inits never reap,
    which would leave zombies behind. Linux only; harmless elsewhere."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER


def _port_open(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.2)
        return sock.connect_ex((HOST, port)) == 0


def _tail(path: Path, lines: int = 25) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def normalize_disable(disable: str | Iterable[str] | None) -> frozenset[str]:
    """``"rest,feed"`` / ``["rest"]`` / None -> validated frozenset."""
    if disable is None:
        return frozenset()
    items = disable.split(",") if isinstance(disable, str) else list(disable)
    result = frozenset(item.strip().lower() for item in items if item.strip())
    unknown = result - set(FEATURES)
    if unknown:
        raise ValueError(f"unknown feature(s) {sorted(unknown)}; choose from {FEATURES}")
    return result


def seed_version() -> str:
    """Hash of the seed inputs and the WordPress version: a change means the DB is reseeded."""
    digest = hashlib.sha256()
    for path in SEED_INPUTS:
        digest.update(path.read_bytes())
    version_php = WP_ROOT / "wp-includes" / "version.php"
    if version_php.exists():
        digest.update(version_php.read_bytes())
    return digest.hexdigest()[:16]


class WordPressStack:
    """The MariaDB instance plus the PHP servers recorded in one state dir.

    Every public method is safe to call repeatedly and from several processes (a file lock
    serialises them); servers already running are reused, never restarted.
    """

    def __init__(
        self,
        state_dir: Path | str | None = None,
        db_port: int | None = None,
        port_base: int | None = None,
        workers: int | None = None,
    ) -> None:
        self.state_dir = Path(state_dir or os.environ.get("WPA_STATE_DIR") or DEFAULT_STATE_DIR)
        self.db_port = db_port or _env_int("WPA_DB_PORT", DEFAULT_DB_PORT)
        self.port_base = port_base or _env_int("WPA_PORT_BASE", DEFAULT_PORT_BASE)
        # PHP's built-in server is single-threaded unless forked into workers; crawlers are not.
        self.workers = workers or _env_int("WPA_PHP_WORKERS", 4)
        self.datadir = self.state_dir / "mysql" / "data"
        self.socket_path = self.state_dir / "mysql" / "mysqld.sock"
        self.content_dir = self.state_dir / "wp-content"
        self.run_dir = self.state_dir / "run"
        self.log_dir = self.state_dir / "logs"
        self.truth_dir = self.state_dir / "truth"
        # What this object started (so a pytest session stops only its own processes).
        self.started_ports: set[int] = set()
        self.started_db = False
        self._lock_depth = 0
        self._lock_file: Any = None

    # ------------------------------------------------------------------ locking

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        """Re-entrant inter-process lock on the state dir."""
        if self._lock_depth == 0:
            self.state_dir.mkdir(parents=True, exist_ok=True)
            self._lock_file = open(self.state_dir / "lock", "w")  # noqa: SIM115 - held across calls
            fcntl.flock(self._lock_file, fcntl.LOCK_EX)
        self._lock_depth += 1
        try:
            yield
        finally:
            self._lock_depth -= 1
            if self._lock_depth == 0:
                fcntl.flock(self._lock_file, fcntl.LOCK_UN)
                self._lock_file.close()
                self._lock_file = None

    # ------------------------------------------------------------------ ports / env

    def default_port(self, theme: str, disable: Iterable[str] = ()) -> int:
        """Deterministic port of a (theme, disabled features) combination."""
        features = normalize_disable(disable)
        mask = sum(1 << i for i, name in enumerate(FEATURES) if name in features)
        return self.port_base + THEMES.index(theme) + 1 + 10 * mask

    def php_env(
        self, home: str, theme: str | None = None, disable: Iterable[str] = ()
    ) -> dict[str, str]:
        """Environment read by php/wp-config.php, the router and the mu-plugin."""
        env = {k: v for k, v in os.environ.items() if not k.startswith(("WPA_", "PHP_CLI_SERVER"))}
        env.update(
            WPA_WP_CONFIG=str(PHP_DIR / "wp-config.php"),
            WPA_DB_NAME=DB_NAME,
            WPA_DB_USER=DB_USER,
            WPA_DB_PASSWORD=DB_PASSWORD,
            WPA_DB_SOCKET=str(self.socket_path),
            WPA_HOME=home.rstrip("/"),
            WPA_SEED_HOME=SEED_HOME,
            WPA_CONTENT_DIR=str(self.content_dir),
            WPA_DISABLE=",".join(sorted(normalize_disable(disable))),
        )
        if theme:
            env["WPA_THEME"] = theme
        return env

    def _php_cmd(self, *args: str, error_log: Path) -> list[str]:
        php = _which("php")
        if not php:
            raise WordPressError(f"php not found; run {INSTALL_SH}")
        cmd = [php]
        for key, value in {**PHP_INI, "error_log": str(error_log)}.items():
            cmd += ["-d", f"{key}={value}"]
        return [*cmd, *args]

    # ------------------------------------------------------------------ system checks

    def check_system(self) -> None:
        """Fail early with one clear message if install.sh has not been run."""
        missing = [
            name
            for name in ("php", "mariadbd", "mariadb-install-db", "mariadb")
            if not _which(name)
        ]
        if not (WP_ROOT / "wp-load.php").exists():
            missing.append("wordpress (/usr/share/wordpress)")
        missing += [f"theme {t}" for t in THEMES if not (THEMES_DIR / t / "style.css").exists()]
        if missing:
            raise WordPressError(f"missing {', '.join(missing)}: run `sudo {INSTALL_SH}`")
        stub = (PHP_DIR / "debian-config-stub.php").read_text()
        if not DEBIAN_CONFIG.exists() or DEBIAN_CONFIG.read_text() != stub:
            try:
                DEBIAN_CONFIG.write_text(stub)
            except OSError as exc:
                raise WordPressError(
                    f"cannot write {DEBIAN_CONFIG} ({exc}): run `sudo {INSTALL_SH}`"
                ) from exc

    # ------------------------------------------------------------------ MariaDB

    def db_pid(self) -> int | None:
        pid_file = self.run_dir / "mysqld.pid"
        try:
            pid = int(pid_file.read_text())
        except (OSError, ValueError):
            return None
        if _pid_alive(pid) and str(self.datadir) in _cmdline(pid):
            return pid
        return None

    def _db_ready(self) -> bool:
        """MariaDB accepts connections on its socket and sends its handshake."""
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(1)
            try:
                sock.connect(str(self.socket_path))
                return len(sock.recv(4)) == 4
            except OSError:
                return False

    def _mariadbd_args(self) -> list[str]:
        args = [
            "--no-defaults",  # ignore /etc/mysql: this instance is fully described here
            f"--datadir={self.datadir}",
            f"--socket={self.socket_path}",
            f"--port={self.db_port}",
            f"--bind-address={HOST}",
            "--skip-name-resolve",
            "--character-set-server=utf8mb4",
            "--collation-server=utf8mb4_unicode_ci",
            "--innodb-buffer-pool-size=64M",
            "--innodb-log-file-size=16M",
            # Disposable data: trade durability for seeding speed.
            "--innodb-flush-log-at-trx-commit=0",
            "--innodb-doublewrite=0",
            "--innodb-flush-method=nosync",
            "--sync-binlog=0",
            "--performance-schema=OFF",
            "--max-connections=64",
        ]
        if os.geteuid() == 0:
            args.append("--user=root")  # mariadbd refuses to run as root otherwise
        return args

    def _init_db(self) -> None:
        self.datadir.mkdir(parents=True, exist_ok=True)
        log = self.log_dir / "mariadb-install-db.log"
        install_db = _which("mariadb-install-db")
        assert install_db
        with log.open("w") as out:
            proc = subprocess.run(
                [
                    install_db,
                    *self._mariadbd_args(),
                    "--auth-root-authentication-method=normal",  # root@localhost, no password
                    "--skip-test-db",
                ],
                stdout=out,
                stderr=subprocess.STDOUT,
                timeout=120,
                check=False,
            )
        if proc.returncode != 0:
            shutil.rmtree(self.datadir, ignore_errors=True)
            raise WordPressError(f"mariadb-install-db failed:\n{_tail(log)}")
        (self.datadir / ".wpa-initialized").touch()

    def _start_db(self) -> None:
        mariadbd = _which("mariadbd")
        assert mariadbd
        log = self.log_dir / "mariadb.log"
        with log.open("a") as out:
            proc = subprocess.Popen(
                [mariadbd, *self._mariadbd_args(), f"--log-error={log}"],
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # own process group: not killed with the caller's ^C
            )
        (self.run_dir / "mysqld.pid").write_text(str(proc.pid))
        deadline = time.monotonic() + 60
        while not self._db_ready():
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise WordPressError(f"MariaDB did not start on {self.socket_path}:\n{_tail(log)}")
            time.sleep(0.05)

    def sql(self, query: str, database: str | None = DB_NAME) -> list[tuple[str, ...]]:
        """Runs SQL as root on the private MariaDB; rows as tuples of strings (NULL -> "NULL")."""
        client = _which("mariadb")
        assert client
        cmd = [
            client,
            "--no-defaults",
            f"--socket={self.socket_path}",
            "-uroot",
            "--batch",
            "--raw",
            "--skip-column-names",
        ]
        if database:
            cmd.append(database)
        proc = subprocess.run(
            cmd, input=query, capture_output=True, text=True, timeout=60, check=False
        )
        if proc.returncode != 0:
            raise WordPressError(f"SQL failed: {proc.stderr.strip()}\n{query}")
        return [tuple(line.split("\t")) for line in proc.stdout.splitlines()]

    def _stored_seed_version(self) -> str | None:
        marker = self.content_dir / "uploads" / ".wpa-seed-version"
        try:
            rows = self.sql(
                "SELECT option_value FROM wp_options WHERE option_name = 'wpa_seed_version'"
            )
            on_disk = marker.read_text().strip()
        except (WordPressError, OSError):
            return None
        in_db = rows[0][0] if rows else None
        return in_db if in_db == on_disk else None

    def _seed(self) -> dict[str, Any]:
        """Recreates the database and the uploads, then runs php/seed.php."""
        self.sql(
            f"DROP DATABASE IF EXISTS {DB_NAME};"
            f" CREATE DATABASE {DB_NAME} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;"
            f" CREATE USER IF NOT EXISTS '{DB_USER}'@'localhost' IDENTIFIED BY '{DB_PASSWORD}';"
            f" CREATE USER IF NOT EXISTS '{DB_USER}'@'127.0.0.1' IDENTIFIED BY '{DB_PASSWORD}';"
            f" GRANT ALL ON {DB_NAME}.* TO '{DB_USER}'@'localhost', '{DB_USER}'@'127.0.0.1';",
            database=None,
        )
        shutil.rmtree(self.content_dir, ignore_errors=True)
        shutil.rmtree(self.truth_dir, ignore_errors=True)
        (self.content_dir / "uploads").mkdir(parents=True)
        (self.content_dir / "plugins").mkdir()
        # Themes come straight from the Debian packages.
        (self.content_dir / "themes").symlink_to(THEMES_DIR)
        version = seed_version()
        env = self.php_env(SEED_HOME) | {"WPA_SEED_VERSION": version}
        error_log = self.log_dir / "seed-php-errors.log"
        error_log.unlink(missing_ok=True)
        proc = subprocess.run(
            self._php_cmd(str(PHP_DIR / "seed.php"), error_log=error_log),
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        if proc.returncode != 0:
            raise WordPressError(
                f"seed.php failed ({proc.returncode}):\n{proc.stderr[-3000:]}\n{_tail(error_log)}"
            )
        (self.content_dir / "uploads" / ".wpa-seed-version").write_text(version)
        summary: dict[str, Any] = json.loads(proc.stdout)
        return summary

    def provision(self, reseed: bool = False) -> ProvisionReport:
        """Initialises, starts and seeds the database as needed (idempotent)."""
        report = ProvisionReport()
        with self._locked():
            self.check_system()
            for directory in (self.run_dir, self.log_dir):
                directory.mkdir(parents=True, exist_ok=True)
            if self.db_pid() is None:
                if not (self.datadir / ".wpa-initialized").exists():
                    started = time.monotonic()
                    shutil.rmtree(self.datadir, ignore_errors=True)
                    self._init_db()
                    report.initialized_db = True
                    report.timings["init_db"] = time.monotonic() - started
                started = time.monotonic()
                self._start_db()
                self.started_db = report.started_db = True
                report.timings["start_db"] = time.monotonic() - started
            if reseed or self._stored_seed_version() != seed_version():
                started = time.monotonic()
                report.seed_summary = self._seed()
                report.seeded = True
                report.timings["seed"] = time.monotonic() - started
        return report

    # ------------------------------------------------------------------ PHP servers

    def _server_record(self, port: int) -> dict[str, Any] | None:
        """The record of a live PHP server of ours on ``port`` (stale records are removed)."""
        path = self.run_dir / f"php-{port}.json"
        try:
            record: dict[str, Any] = json.loads(path.read_text())
        except (OSError, ValueError):
            return None
        pid = int(record["pid"])
        if _pid_alive(pid) and f"{HOST}:{port}" in _cmdline(pid):
            return record
        path.unlink(missing_ok=True)
        return None

    def _wait_http(self, site: WordPressSite, proc: subprocess.Popen[bytes], log: Path) -> None:
        deadline = time.monotonic() + 60
        last_error = ""
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise WordPressError(
                    f"php -S on port {site.port} exited ({proc.returncode}):\n{_tail(log)}"
                )
            if _port_open(site.port):
                try:
                    # The home page needs PHP, WordPress, the theme and the database.
                    with urllib.request.urlopen(site.home_url, timeout=30) as response:
                        if response.status == 200:
                            return
                except (urllib.error.URLError, OSError) as exc:
                    last_error = str(exc)
            time.sleep(0.05)
        raise WordPressError(f"{site.home_url} did not answer 200 ({last_error}):\n{_tail(log)}")

    def start_site(
        self,
        theme: str = DEFAULT_THEME,
        disable: str | Iterable[str] | None = None,
        port: int | None = None,
    ) -> WordPressSite:
        """Provisions if needed; returns a running server for ``theme`` (reused if already up)."""
        if theme not in THEMES:
            raise ValueError(f"unknown theme {theme!r}; choose from {THEMES}")
        features = normalize_disable(disable)
        port = port or self.default_port(theme, features)
        site = WordPressSite(theme=theme, port=port, disable=features, state_dir=self.state_dir)
        with self._locked():
            self.provision()
            record = self._server_record(port)
            if record is not None:
                if record["theme"] != theme or frozenset(record["disable"]) != features:
                    raise WordPressError(
                        f"port {port} already serves {record['theme']}"
                        f" (disable={record['disable']}); stop it first:"
                        f" python -m tests.wordpress.wpsite stop --port {port}"
                    )
                return site
            if _port_open(port):
                raise WordPressError(f"port {HOST}:{port} is taken by another process")
            log = self.log_dir / f"php-{port}.log"
            env = self.php_env(site.base_url, theme, features) | {
                "PHP_CLI_SERVER_WORKERS": str(self.workers)
            }
            cmd = self._php_cmd(
                "-S",
                f"{HOST}:{port}",
                "-t",
                str(WP_ROOT),
                str(PHP_DIR / "router.php"),
                error_log=self.log_dir / f"php-{port}-errors.log",
            )
            _become_subreaper()
            with log.open("a") as out:
                proc = subprocess.Popen(
                    cmd,
                    env=env,
                    stdin=subprocess.DEVNULL,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,  # the workers share its process group; see _stop_pid
                )
            try:
                self._wait_http(site, proc, log)
            except BaseException:
                self._stop_pid(proc.pid)
                raise
            (self.run_dir / f"php-{port}.json").write_text(
                json.dumps(
                    {"pid": proc.pid, "theme": theme, "disable": sorted(features), "port": port}
                )
            )
            self.started_ports.add(port)
        return site

    def running_sites(self) -> list[WordPressSite]:
        """Servers of this state dir that are alive."""
        sites = []
        for path in sorted(self.run_dir.glob("php-*.json")):
            record = self._server_record(int(path.stem.split("-", 1)[1]))
            if record:
                sites.append(
                    WordPressSite(
                        record["theme"],
                        record["port"],
                        frozenset(record["disable"]),
                        self.state_dir,
                    )
                )
        return sites

    # ------------------------------------------------------------------ stopping

    @staticmethod
    def _stop_pid(pid: int, timeout: float = 15) -> None:
        """Stops the process group led by ``pid`` (each of our servers leads its own group).

        PHP's built-in server forks workers: they are stopped first so that the master reaps them
        (killing the whole group at once orphans them), then the leader; SIGKILL as last resort.
        """

        def reap(pids: list[int]) -> None:
            for p in pids:
                with contextlib.suppress(ChildProcessError):
                    os.waitpid(p, os.WNOHANG)

        def wait_gone(pids: list[int]) -> bool:
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                reap([pid])  # the leader, if it is our child
                if not any(_pid_alive(p) for p in pids):
                    return True
                time.sleep(0.05)
            return False

        workers = [p for p in _process_group(pid) if p != pid]
        for worker in workers:
            with contextlib.suppress(ProcessLookupError):
                os.kill(worker, signal.SIGTERM)
        wait_gone(workers)
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
        if not wait_gone([pid, *workers]):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, signal.SIGKILL)
            wait_gone([pid, *workers])
        # The master does not reap its workers; once it is gone they are re-parented to us if we
        # are their subreaper (see _become_subreaper), so collect them instead of leaving zombies.
        deadline = time.monotonic() + 1
        while workers and time.monotonic() < deadline:
            reap(workers)
            workers = [
                w for w in workers if Path(f"/proc/{w}").exists() and _parent(w) == os.getpid()
            ]
            time.sleep(0.02)

    def stop_site(self, port: int) -> bool:
        """Stops the server on ``port`` if it is ours; True if one was stopped."""
        with self._locked():
            record = self._server_record(port)
            if record is None:
                return False
            self._stop_pid(int(record["pid"]))
            (self.run_dir / f"php-{port}.json").unlink(missing_ok=True)
            self.started_ports.discard(port)
            return True

    def stop_db(self) -> bool:
        with self._locked():
            pid = self.db_pid()
            if pid is None:
                return False
            self._stop_pid(pid, timeout=30)
            (self.run_dir / "mysqld.pid").unlink(missing_ok=True)
            self.started_db = False
            return True

    def down(self, purge: bool = False) -> list[str]:
        """Stops every server recorded in the state dir and MariaDB; ``purge`` deletes the state."""
        stopped = []
        with self._locked():
            for site in self.running_sites():
                if self.stop_site(site.port):
                    stopped.append(f"php {site.theme} :{site.port}")
            if self.stop_db():
                stopped.append(f"mariadb :{self.db_port}")
            if purge:
                for child in self.state_dir.iterdir():
                    if child.name != "lock":
                        if child.is_dir() and not child.is_symlink():
                            shutil.rmtree(child)
                        else:
                            child.unlink()
        return stopped

    def stop_started(self) -> None:
        """Stops only what this object started (servers first, then MariaDB)."""
        for port in sorted(self.started_ports):
            self.stop_site(port)
        if self.started_db and not self.running_sites():
            self.stop_db()

    # ------------------------------------------------------------------ ground truth

    def truth(self, site: WordPressSite) -> dict[str, Any]:
        """Ground truth for ``site`` from WordPress's database (cached per seed version/site)."""
        # The export also depends on truth.php and on the mu-plugin (rendered content).
        digest = hashlib.sha256(seed_version().encode())
        for path in (PHP_DIR / "truth.php", HERE / "mu-plugins" / "wparchive-fixture.php"):
            digest.update(path.read_bytes())
        version = digest.hexdigest()[:16]
        key = f"{site.port}-{site.theme}-{'-'.join(sorted(site.disable)) or 'all'}-{version}"
        cache = self.truth_dir / f"{key}.json"
        if cache.exists():
            result: dict[str, Any] = json.loads(cache.read_text())
            return result
        with self._locked():
            self.provision()
            proc = subprocess.run(
                self._php_cmd(
                    str(PHP_DIR / "truth.php"), error_log=self.log_dir / "truth-php-errors.log"
                ),
                env=self.php_env(site.base_url, site.theme, site.disable),
                capture_output=True,
                text=True,
                timeout=300,
                check=False,
            )
            if proc.returncode != 0:
                raise WordPressError(
                    f"truth.php failed ({proc.returncode}):\n{proc.stderr[-3000:]}"
                )
            result = json.loads(proc.stdout)
            self.truth_dir.mkdir(parents=True, exist_ok=True)
            tmp = cache.with_suffix(".tmp")
            tmp.write_text(proc.stdout)
            tmp.replace(cache)
        return result


# ---------------------------------------------------------------------- module-level shortcuts


def up(
    theme: str = DEFAULT_THEME,
    disable: str | Iterable[str] | None = None,
    port: int | None = None,
    state_dir: Path | str | None = None,
) -> WordPressSite:
    """Starts (or reuses) the site for ``theme``; see ``WordPressStack.start_site``."""
    return WordPressStack(state_dir).start_site(theme, disable, port)


def down(state_dir: Path | str | None = None, purge: bool = False) -> list[str]:
    """Stops everything recorded in the state dir."""
    return WordPressStack(state_dir).down(purge=purge)


def truth(site: WordPressSite) -> dict[str, Any]:
    """Ground truth of a running site."""
    return WordPressStack(site.state_dir).truth(site)


# ---------------------------------------------------------------------- CLI


def _site_json(site: WordPressSite) -> dict[str, Any]:
    return {
        "theme": site.theme,
        "port": site.port,
        "disable": sorted(site.disable),
        "url": site.home_url,
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tests.wordpress.wpsite", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--state-dir", help=f"default: $WPA_STATE_DIR or {DEFAULT_STATE_DIR}")
    sub = parser.add_subparsers(dest="command", required=True)

    def site_args(p: argparse.ArgumentParser, many: bool) -> None:
        if many:
            p.add_argument(
                "--theme", action="append", help=f"{', '.join(THEMES)} or all (repeatable)"
            )
        else:
            p.add_argument("--theme", default=DEFAULT_THEME, choices=THEMES)
        p.add_argument("--disable", default="", help="comma-separated: rest,sitemap,feed")
        p.add_argument("--port", type=int, help="default: derived from theme and --disable")

    p_up = sub.add_parser("up", help="provision, seed if needed and start server(s)")
    site_args(p_up, many=True)
    p_up.add_argument("--reseed", action="store_true", help="drop and reseed the database")
    p_up.add_argument("--json", action="store_true", help="print a JSON summary (with timings)")
    p_truth = sub.add_parser(
        "truth", help="print the ground-truth JSON of a site (starts it if needed)"
    )
    site_args(p_truth, many=False)
    p_truth.add_argument("-o", "--output", help="write to this file instead of stdout")
    sub.add_parser("status", help="show what is running")
    p_stop = sub.add_parser("stop", help="stop one PHP server")
    p_stop.add_argument("--port", type=int, required=True)
    p_down = sub.add_parser("down", help="stop all servers and MariaDB")
    p_down.add_argument("--purge", action="store_true", help="also delete the state dir contents")
    args = parser.parse_args(argv)

    stack = WordPressStack(args.state_dir)
    try:
        if args.command == "up":
            themes = args.theme or [DEFAULT_THEME]
            themes = list(THEMES) if "all" in themes else themes
            if args.port and len(themes) > 1:
                parser.error("--port needs a single --theme")
            started = time.monotonic()
            report = stack.provision(reseed=args.reseed)
            sites = [stack.start_site(theme, args.disable, args.port) for theme in themes]
            summary = {
                "state_dir": str(stack.state_dir),
                "mariadb": f"{HOST}:{stack.db_port} (socket {stack.socket_path})",
                "provision": {
                    "initialized_db": report.initialized_db,
                    "started_db": report.started_db,
                    "seeded": report.seeded,
                    "seed_summary": report.seed_summary,
                    "timings": {k: round(v, 2) for k, v in report.timings.items()},
                },
                "seconds": round(time.monotonic() - started, 2),
                "sites": [_site_json(s) for s in sites],
            }
            if args.json:
                print(json.dumps(summary, indent=2, ensure_ascii=False))
            else:
                # Human summary on stderr; stdout is one home URL per line, so that
                # URL=$(python -m tests.wordpress.wpsite up | tail -n 1) works.
                timings = ", ".join(f"{k} {v:.1f}s" for k, v in report.timings.items())
                print(
                    f"WordPress up in {summary['seconds']}s ({timings or 'all reused'});"
                    f" state {stack.state_dir}; MariaDB {summary['mariadb']}",
                    file=sys.stderr,
                )
                for site in sites:
                    print(f"  {site.theme} disable={sorted(site.disable)}", file=sys.stderr)
                    print(site.home_url)
        elif args.command == "truth":
            site = stack.start_site(args.theme, args.disable, args.port)
            text = json.dumps(stack.truth(site), indent=2, ensure_ascii=False)
            if args.output:
                Path(args.output).write_text(text + "\n")
            else:
                print(text)
        elif args.command == "status":
            print(
                json.dumps(
                    {
                        "state_dir": str(stack.state_dir),
                        "mariadb_pid": stack.db_pid() if stack.run_dir.exists() else None,
                        "sites": [_site_json(s) for s in stack.running_sites()]
                        if stack.run_dir.exists()
                        else [],
                    },
                    indent=2,
                )
            )
        elif args.command == "stop":
            print("stopped" if stack.stop_site(args.port) else "not running")
        elif args.command == "down":
            stopped = stack.down(purge=args.purge) if stack.state_dir.exists() else []
            print("\n".join(f"stopped {s}" for s in stopped) or "nothing was running")
    except (WordPressError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
