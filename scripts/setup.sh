#!/usr/bin/env bash
# Idempotent, quiet set-up for `make run` and `make test`:
#  - Debian packages the service and its tests use (only when one is missing);
#  - npm packages (only when package-lock.json changed since the last install).
set -euo pipefail
cd "$(dirname "$0")/.."

# python3-openstackclient + python3-octaviaclient: the real `openstack loadbalancer` CLI of
# the end-to-end tests; postgresql: the second database of the component and crash tests;
# haproxy: the data plane (its config renderer is checked with `haproxy -c`).
DEB_PACKAGES=(python3-openstackclient python3-octaviaclient postgresql haproxy iproute2 curl)

missing=()
for p in "${DEB_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup: missing Debian packages (${missing[*]}); run as root once or install them" >&2
  else
    echo "setup: installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    log=$(mktemp)
    if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}"; } >"$log" 2>&1; then
      cat "$log" >&2; rm -f "$log"
      echo "setup: apt-get failed" >&2; exit 1
    fi
    rm -f "$log"
  fi
fi

stamp=node_modules/.setup-stamp
if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ]; then
  echo "setup: installing npm packages"
  npm ci --no-audit --no-fund --loglevel=error
  touch "$stamp"
fi
