# Haven. `make run` serves the app with a demo school; `make test` runs every check.
SHELL := /bin/bash
export PATH := $(PATH):/usr/local/go/bin

.PHONY: run build test generate check-generated vet assets bench fuzz clean

# Serve Haven on a private PostgreSQL cluster under .data/ (or on DATABASE_URL),
# loading the demo school into an empty database.
run: build
	exec ./bin/haven serve -demo

build:
	go build -o bin/haven ./cmd/haven

# Regenerate templ's Go code from web/*.templ.
generate:
	go tool templ generate -path web

# Fails if the committed *_templ.go files differ from what templ generates.
check-generated:
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && cp -r web "$$tmp/web" && \
	go tool templ generate -path "$$tmp/web" >/dev/null 2>&1 && \
	if ! diff -r -q web "$$tmp/web" >/dev/null; then \
		diff -r web "$$tmp/web" | head -40; \
		echo "templ's generated code is stale: run 'make generate' and commit the result"; exit 1; \
	fi

vet:
	go vet ./...

test: vet check-generated
	go test -race -timeout 14m ./...

# Refresh GOV.UK Frontend and Haven's stylesheet from npm.
assets:
	bash web/assets.sh

# The load benchmark (docs/benchmarks.md), not part of test: builds a
# 50-school dataset under .data/bench on first use (a few minutes), then
# measures latency at a fixed rate and each route's capacity.
bench:
	go run ./cmd/havenbench

clean:
	rm -rf bin
