#!/usr/bin/env bash
# Idempotent, quiet set-up for `make run` and `make test`:
#  - Debian packages the service and its tests use (only when one is missing);
#  - npm packages (only when package-lock.json changed since the last install).
set -euo pipefail
cd "$(dirname "$0")/.."

# python3-openstackclient + python3-octaviaclient: the real `openstack loadbalancer` CLI of
# the end-to-end tests; postgresql: the second database of the component and crash tests;
# mariadb-server: the third database of the component tests (started by scripts/ensure-services.sh);
# haproxy: the data plane (its config renderer is checked with `haproxy -c`); keepalived: VRRP of
# ACTIVE_STANDBY load balancers (started per amphora by the agent, never as the package's daemon);
# keystone + uwsgi: the real Identity service of the Keystone end-to-end tests (started by the tests
# themselves on a free loopback port; the package's own daemon must not start, see policy-rc.d below).
DEB_PACKAGES=(python3-openstackclient python3-octaviaclient postgresql mariadb-server haproxy keepalived iproute2 curl
  keystone uwsgi-core uwsgi-plugin-python3)
# With --tests (`make test`) also: golang-go + golang-github-gophercloud-gophercloud-dev, the Go SDK behind
# Terraform's OpenStack provider, for the gophercloud end-to-end test only (its program builds offline in
# GOPATH mode against /usr/share/gocode; see test/e2e/gophercloud/). barbican-api (Barbican 15 under uWSGI) +
# python3-barbicanclient (`openstack secret store`): the real key manager of the barbican certificate
# manager's end-to-end test (started by the test on a free loopback port, never as the package's daemon).
# python3-barbicanclient also drives the local secret store's end-to-end tests (test/e2e/secret-store-*).
# rabbitmq-server: the broker of the RabbitMQ bus's tests (started by scripts/ensure-services.sh).
if [ "${1:-}" = --tests ]; then
  DEB_PACKAGES+=(golang-go golang-github-gophercloud-gophercloud-dev barbican-api python3-barbicanclient rabbitmq-server)
fi

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
    # NOTE: no package may start its daemon here (keystone would take port 5000): a policy-rc.d
    # that refuses every start, removed again afterwards when it was ours.
    own_policy=
    if [ ! -e /usr/sbin/policy-rc.d ]; then
      printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && own_policy=1
    fi
    trap '[ -n "$own_policy" ] && rm -f /usr/sbin/policy-rc.d' EXIT
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
