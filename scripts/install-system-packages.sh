#!/usr/bin/env bash
# Install the Debian packages that the real-WordPress fixture, the demo blog and the
# browser tests need. Idempotent and quick when everything is present; fails with
# the name of the package that could not be installed.
#   --demo   only the demo blog's (WordPress, MariaDB, PHP): `make run` needs no browser.
set -euo pipefail

packages=(chromium chromium-driver  # the browser tests' real Chromium
          redis-server)              # the fleet tests' Redis (each test starts its own)
if [[ ${1:-} == --demo ]]; then
  packages=()
fi

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$package")
done

if ((${#missing[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "install-system-packages: need root to install: ${missing[*]}" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  timeout 600 apt-get update -qq || { echo "install-system-packages: apt-get update failed" >&2; exit 1; }
  for package in "${missing[@]}"; do
    timeout 900 apt-get install -y -qq --no-install-recommends "$package" >/dev/null \
      || { echo "install-system-packages: could not install Debian package '$package'" >&2; exit 1; }
  done
fi

bash "$(dirname "$0")/../tests/wordpress/install.sh"
