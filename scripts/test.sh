#!/usr/bin/env bash
# Runs every test tier: type check, unit, component (SQLite and PostgreSQL), end-to-end.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/ensure-services.sh

echo "test: type check"
npx tsc -p tsconfig.json

# node:test needs an explicit file list on Node 20 (a directory runs nothing).
mapfile -t files < <(find src test -name '*.test.ts' | sort)
echo "test: ${#files[@]} test files"
exec node --import tsx --test --test-concurrency=2 --test-reporter=spec "${files[@]}"
