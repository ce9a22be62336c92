# The two commands a newcomer needs: `make run` and `make test`.
# Each one sets up what is missing first (npm packages, Debian packages).
.PHONY: setup build run test typecheck clean

setup:
	@bash scripts/setup.sh

build: setup
	@node build.mjs

run: build
	./bin/octavia-ts serve $(if $(CONFIG),--config $(CONFIG),)

typecheck: setup
	@npx tsc -p tsconfig.json

test: build
	@bash scripts/test.sh

clean:
	rm -rf dist var
