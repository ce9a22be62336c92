# The two commands a newcomer needs: `make run` and `make test`.
# Each one sets up what is missing first (npm packages, Debian packages).
.PHONY: setup build run test typecheck bench-api bench-dataplane bench-failover clean

setup:
	@bash scripts/setup.sh

build: setup
	@node build.mjs

run: build
	./bin/octavia-ts serve $(if $(CONFIG),--config $(CONFIG),)

typecheck: setup
	@npx tsc -p tsconfig.json

test: build
	@bash scripts/setup.sh --tests
	@bash scripts/test.sh

# Creates/GETs/lists per second with a same-run baseline (docs/benchmarks.md).
# `make bench-api URL=http://127.0.0.1:9876` measures a running service instead of its own.
bench-api: build
	@node --import tsx bench/api.ts $(if $(URL),--url $(URL),)

# Amphora data plane of its own `serve` (real HAProxy): create → first 200, throughput
# against a hand-written HAProxy, member churn (docs/benchmarks.md). netns as root, else loopback.
bench-dataplane: build
	@node --import tsx bench/dataplane.ts

# TLS termination (ECDSA P-256, RSA-2048): create → first HTTPS 200, new TLS connections/s and
# keep-alive HTTPS req/s against a hand-written HAProxy with the same certificate (docs/benchmarks.md).
bench-tls: build
	@node --import tsx bench/tls.ts

# Traffic gaps of SINGLE and ACTIVE_STANDBY failovers (median of 5) and the health manager's
# heartbeats/s at 1000 simulated amphorae, with same-run baselines (docs/benchmarks.md). Root for netns.
bench-failover: build
	@node --import tsx bench/failover.ts

clean:
	rm -rf dist var
