#!/usr/bin/env bash
# The main job: crawl a blog into the archive, then serve it with Datasette.
# With no URL, start the offline demo blog (a real WordPress on 127.0.0.1) and archive it.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
ARCHIVE=${ARCHIVE:-archive.db}
PORT=${PORT:-8001}
THEME=${THEME:-twentytwentyone}
URL=${URL:-}

if [[ -z "$URL" ]]; then
  bash scripts/install-system-packages.sh --demo  # WordPress only: no browser
  echo "Starting the demo blog (real WordPress, theme $THEME) on 127.0.0.1 …"
  URL=$("$BIN/python" -m tests.wordpress.wpsite up --theme "$THEME" | tail -n 1)
  trap '"$BIN/python" -m tests.wordpress.wpsite down >/dev/null 2>&1 || true' EXIT
  echo "Demo blog: $URL"
fi

# A crawl that recorded failures still leaves a usable archive: serve it either way.
"$BIN/wparchive" crawl "$URL" --archive "$ARCHIVE" || echo "crawl finished with errors (see fetch_errors)"
echo "Serving $ARCHIVE on http://127.0.0.1:$PORT/ (Ctrl-C to stop)"
"$BIN/wparchive" serve --archive "$ARCHIVE" --port "$PORT"
