"""A second, empty WordPress for the restore test, beside the fixture's stack.

It shares the stack's MariaDB (its own database, ``wparchive_restore``) and has its own
``wp-content`` (``<state dir>/restore/``) and port (the stack's port base + 90, above every
fixture site: base + 1 … base + 73), so it follows ``WPA_STATE_DIR``/``WPA_PORT_BASE`` and
never meets the default stack or another developer's. Everything it starts it stops.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.wordpress.wpsite import (
    DB_NAME,
    DB_USER,
    DEFAULT_THEME,
    HOST,
    PHP_DIR,
    THEMES_DIR,
    WP_ROOT,
    WordPressError,
    WordPressSite,
    WordPressStack,
    _port_open,
)

RESTORE_DB = f"{DB_NAME}_restore"
PORT_OFFSET = 90
HERE = Path(__file__).resolve().parent


@dataclass
class RestoredWordPress:
    stack: WordPressStack
    theme: str = DEFAULT_THEME

    @property
    def site(self) -> WordPressSite:
        return WordPressSite(self.theme, self.stack.port_base + PORT_OFFSET,
                             state_dir=self.stack.state_dir)

    @property
    def content_dir(self) -> Path:
        return self.stack.state_dir / "restore" / "wp-content"

    def env(self) -> dict[str, str]:
        return self.stack.php_env(self.site.base_url, self.theme) | {
            "WPA_DB_NAME": RESTORE_DB, "WPA_CONTENT_DIR": str(self.content_dir)}

    def reset(self) -> None:
        """An empty database and wp-content (themes from the Debian packages)."""
        self.stack.sql(
            f"DROP DATABASE IF EXISTS {RESTORE_DB};"
            f" CREATE DATABASE {RESTORE_DB} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;"
            f" GRANT ALL ON {RESTORE_DB}.* TO '{DB_USER}'@'localhost', '{DB_USER}'@'127.0.0.1';",
            database=None)
        shutil.rmtree(self.content_dir, ignore_errors=True)
        (self.content_dir / "uploads").mkdir(parents=True)
        (self.content_dir / "plugins").mkdir()
        (self.content_dir / "themes").symlink_to(THEMES_DIR)

    def remove(self) -> None:
        """Leave nothing behind in the stack: the database and wp-content go."""
        self.stack.sql(f"DROP DATABASE IF EXISTS {RESTORE_DB};", database=None)
        shutil.rmtree(self.content_dir.parent, ignore_errors=True)

    def php(self, script: str, *args: str, stdin: str = "") -> str:
        """Run one of tests/export/php/ (or a fixture script) against this WordPress."""
        error_log = self.stack.log_dir / f"restore-{Path(script).stem}-errors.log"
        command = self.stack._php_cmd(str(HERE / "php" / script), *args, error_log=error_log)
        proc = subprocess.run(command, env=self.env(), input=stdin, capture_output=True,
                              text=True, timeout=300, check=False)
        if proc.returncode != 0:
            raise WordPressError(f"{script} failed ({proc.returncode}):\n{proc.stderr[-3000:]}"
                                 f"\n{proc.stdout[-2000:]}")
        return proc.stdout

    @contextmanager
    def serving(self) -> Iterator[WordPressSite]:
        """PHP's built-in server on this WordPress, stopped when the block ends."""
        site = self.site
        if _port_open(site.port):
            raise WordPressError(f"port {HOST}:{site.port} for the restored WordPress is taken")
        log = self.stack.log_dir / f"php-restore-{site.port}.log"
        command = self.stack._php_cmd("-S", f"{HOST}:{site.port}", "-t", str(WP_ROOT),
                                      str(PHP_DIR / "router.php"),
                                      error_log=self.stack.log_dir / "php-restore-errors.log")
        with log.open("a") as out:
            proc = subprocess.Popen(command, env=self.env() | {"PHP_CLI_SERVER_WORKERS": "2"},
                                    stdin=subprocess.DEVNULL, stdout=out,
                                    stderr=subprocess.STDOUT, start_new_session=True)
        try:
            self.stack._wait_http(site, proc, log)
            yield site
        finally:
            self.stack._stop_pid(proc.pid)


def install_settings(truth: dict[str, object], name: str) -> str:
    """What the restore's install sets that a WXR does not carry: the original's settings."""
    blog = truth["blog"]
    assert isinstance(blog, dict)
    return json.dumps({
        "name": name,
        "permalink_structure": blog["permalink_structure"],
        "options": {
            "blogdescription": blog["description"], "timezone_string": blog["timezone"],
            "gmt_offset": "", "date_format": blog["date_format"], "time_format": "g:i a",
            "posts_per_page": blog["posts_per_page"], "thread_comments": 1,
            "thread_comments_depth": blog["thread_comments_depth"], "page_comments": 1,
            "comments_per_page": blog["comments_per_page"],
            "default_comments_page": blog["default_comments_page"],
            "comment_order": blog["comment_order"], "show_avatars": 1, "blog_public": 1,
            "default_comment_status": "open", "require_name_email": 1,
            "uploads_use_yearmonth_folders": 1, "show_on_front": "posts",
        },
    })
