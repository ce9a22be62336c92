#!/usr/bin/env bash
# Starts MariaDB (Debian's mariadb-server, installed by scripts/setup.sh) when it does not answer on
# 127.0.0.1:3306, and lets root connect there without a password (test machine only: a fresh Debian
# server admits root through its unix socket alone). Called by scripts/ensure-services.sh.
set -uo pipefail

answers() { mariadb-admin --protocol=tcp -h 127.0.0.1 -P 3306 -u root --connect-timeout=2 ping >/dev/null 2>&1; }
root_ok() { mariadb --protocol=tcp -h 127.0.0.1 -P 3306 -u root -e 'SELECT 1' >/dev/null 2>&1; }

if ! answers; then
  if [ ! -x /usr/sbin/mariadbd ]; then
    echo "services: MariaDB is not installed (scripts/setup.sh installs it as root)" >&2; exit 1
  fi
  echo "services: starting MariaDB"
  install -d -o mysql -g mysql /run/mysqld
  if [ ! -d /var/lib/mysql/mysql ]; then
    mariadb-install-db --user=mysql --datadir=/var/lib/mysql >/dev/null 2>&1 || {
      echo "services: mariadb-install-db failed" >&2; exit 1; }
  fi
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd -- --user=mysql
  for _ in $(seq 1 30); do answers && break; sleep 1; done
fi
answers || { echo "services: MariaDB is not reachable on 127.0.0.1:3306" >&2; exit 1; }

if ! root_ok; then
  if [ "$(id -u)" -eq 0 ]; then
    echo "services: allowing root from 127.0.0.1 without a password (test machine)"
    mariadb -u root <<'SQL' || true
CREATE USER IF NOT EXISTS 'root'@'127.0.0.1' IDENTIFIED BY '';
GRANT ALL PRIVILEGES ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION;
ALTER USER 'root'@'localhost' IDENTIFIED VIA unix_socket OR mysql_native_password USING PASSWORD('');
SQL
  fi
  root_ok || { echo "services: cannot connect to mysql://root@127.0.0.1:3306 (set OCTAVIA_TEST_MYSQL_URL)" >&2; exit 1; }
fi
