#!/usr/bin/env bash
# Runs every test tier: type check, unit, component (SQLite, PostgreSQL and MariaDB), end-to-end
# (the built service with the real `openstack` CLI, crash recovery). node:test prints
# its summary (tests/pass/fail/duration) at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/ensure-services.sh

echo "test: type check"
npx tsc -p tsconfig.json

# The end-to-end tests run bin/octavia-ts, i.e. dist/main.js: build it from the current sources.
node build.mjs

# node:test needs an explicit file list on Node 20 (a directory runs nothing).
mapfile -t files < <(find src test -name '*.test.ts' | sort)
echo "test: ${#files[@]} test files"
# A test that hangs fails after 10 minutes instead of stalling CI (the CLI scenarios, ~20 Python
# processes each, need several minutes on a loaded 2-core machine).
exec node --import tsx --test --test-concurrency=2 --test-timeout=600000 --test-reporter=spec "${files[@]}"
