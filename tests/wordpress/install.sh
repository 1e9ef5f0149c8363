#!/usr/bin/env bash
# System packages for the WordPress test fixture (tests/wordpress), Debian 12, run as root.
#
# Idempotent: exits at once when everything is installed (dpkg-query); otherwise apt-get update
# followed by apt-get install --no-install-recommends of the missing packages. Never prompts,
# never waits forever (timeouts), and never starts the system services that the packages ship
# (apache2, mariadb): the fixture runs its own MariaDB and PHP servers on 127.0.0.1.
set -euo pipefail

PACKAGES=(
  wordpress
  wordpress-theme-twentytwentyone
  wordpress-theme-twentytwentytwo
  wordpress-theme-twentytwentythree
  mariadb-server
  php-cli
  php-mysql
  php-gd
  php-xml  # SimpleXML/XMLWriter: without it /wp-sitemap.xml answers 501
)
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
STUB_SRC="$HERE/php/debian-config-stub.php"
STUB_DST=/etc/wordpress/config-wparchive.php

die() { echo "install.sh: $*" >&2; exit 1; }

installed() { [[ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null || true)" == installed ]]; }

install_stub() {
  # Debian's wp-config.php loads /etc/wordpress/config-$WORDPRESS_CONFIG.php; ours delegates to the repo.
  if ! cmp -s "$STUB_SRC" "$STUB_DST"; then
    [[ $EUID -eq 0 ]] || die "run as root to install $STUB_DST"
    install -D -m 0644 "$STUB_SRC" "$STUB_DST"
  fi
}

missing=()
for pkg in "${PACKAGES[@]}"; do
  installed "$pkg" || missing+=("$pkg")
done

if ((${#missing[@]} == 0)); then
  install_stub
  echo "install.sh: all packages present"
  exit 0
fi

[[ $EUID -eq 0 ]] || die "missing packages (${missing[*]}); run as root"
command -v apt-get >/dev/null || die "apt-get not found: this script needs Debian 12"

export DEBIAN_FRONTEND=noninteractive
# Keep package postinst scripts from starting apache2/mariadb as system services
# (Docker images ship this file; a fresh VM does not).
if [[ ! -e /usr/sbin/policy-rc.d ]]; then
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
  chmod 0755 /usr/sbin/policy-rc.d
  trap 'rm -f /usr/sbin/policy-rc.d' EXIT
fi

APT_OPTS=(-o DPkg::Lock::Timeout=120 -o Acquire::Retries=3 -o Acquire::http::Timeout=30 -o Acquire::https::Timeout=30)

echo "install.sh: missing ${missing[*]}; running apt-get update" >&2
timeout 300 apt-get "${APT_OPTS[@]}" update -q </dev/null || die "apt-get update failed or timed out"

for pkg in "${missing[@]}"; do
  candidate="$(apt-cache policy "$pkg" 2>/dev/null | awk '/Candidate:/ {print $2}')"
  [[ -n "$candidate" && "$candidate" != "(none)" ]] || die "package $pkg is not available from the configured apt sources"
done

timeout 1200 apt-get "${APT_OPTS[@]}" install -y -q --no-install-recommends \
  -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
  "${missing[@]}" </dev/null || die "apt-get install failed or timed out for: ${missing[*]}"

for pkg in "${missing[@]}"; do
  installed "$pkg" || die "package $pkg is still not installed"
done
install_stub
echo "install.sh: installed ${missing[*]}"
