#!/usr/bin/env bash
# Starts the local services the tests need when they are not running (CI starts on a fresh machine):
# RabbitMQ on 127.0.0.1:5672 (guest/guest); PostgreSQL on 127.0.0.1:5432, reachable as user postgres
# without a password (trust on loopback), unless OCTAVIA_TEST_PG_URL names another server; MariaDB on
# 127.0.0.1:3306, reachable as root without a password, unless OCTAVIA_TEST_MYSQL_URL names another
# server. The databases only when OCTAVIA_TEST_DIALECTS (default: all) names their dialect.
set -uo pipefail
cd "$(dirname "$0")"

wants() { [ -z "${OCTAVIA_TEST_DIALECTS:-}" ] || [[ ",$OCTAVIA_TEST_DIALECTS," == *",$1,"* ]]; }

if [ -z "${OCTAVIA_TEST_MYSQL_URL:-}" ] && wants mysql; then
  bash ./ensure-mariadb.sh || exit 1
fi

# RabbitMQ on 127.0.0.1:5672 (guest/guest, rabbitmqctl as root): the RabbitMQ bus's tests (src/bus, test/component,
# test/e2e/rabbitmq-split); each test uses a queue or virtual host of its own.
if ! (exec 3<>/dev/tcp/127.0.0.1/5672) 2>/dev/null; then
  if command -v rabbitmq-server >/dev/null && [ "$(id -u)" -eq 0 ]; then
    echo "services: starting RabbitMQ"
    rabbitmq-server -detached >/dev/null 2>&1 || true
    rabbitmqctl -q await_startup --timeout 60 >/dev/null 2>&1 || true
  fi
  (exec 3<>/dev/tcp/127.0.0.1/5672) 2>/dev/null || { echo "services: RabbitMQ is not reachable on 127.0.0.1:5672" >&2; exit 1; }
fi

if [ -n "${OCTAVIA_TEST_PG_URL:-}" ] || [ "${OCTAVIA_TEST_DIALECTS:-}" = sqlite ]; then exit 0; fi

if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  version=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n1)
  if [ -z "$version" ]; then
    echo "services: PostgreSQL is not installed (scripts/setup.sh installs it as root)" >&2; exit 1
  fi
  echo "services: starting PostgreSQL $version"
  pg_ctlcluster --skip-systemctl-redirect "$version" main start >/dev/null 2>&1 || true
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi
pg_isready -q -h 127.0.0.1 -p 5432 || { echo "services: PostgreSQL is not reachable on 127.0.0.1:5432" >&2; exit 1; }

# A fresh Debian cluster asks for a password on 127.0.0.1; the tests connect as postgres without one.
if ! psql -w -h 127.0.0.1 -U postgres -d postgres -Atc 'select 1' >/dev/null 2>&1; then
  version=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n1)
  hba=/etc/postgresql/$version/main/pg_hba.conf
  if [ "$(id -u)" -eq 0 ] && [ -f "$hba" ]; then
    echo "services: allowing user postgres from 127.0.0.1 without a password (test machine; $hba)"
    sed -i '1i host all postgres 127.0.0.1/32 trust' "$hba"
    pg_ctlcluster --skip-systemctl-redirect "$version" main reload >/dev/null 2>&1 || true
    sleep 1
  fi
  psql -w -h 127.0.0.1 -U postgres -d postgres -Atc 'select 1' >/dev/null 2>&1 || {
    echo "services: cannot connect to postgresql://postgres@127.0.0.1:5432 (set OCTAVIA_TEST_PG_URL)" >&2; exit 1; }
fi
