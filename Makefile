# Haven. `make run` serves the app with a demo school; `make test` runs every check.
SHELL := /bin/bash
export PATH := $(PATH):/usr/local/go/bin

.PHONY: run build test browser-check generate check-generated vet staticcheck assets bench fuzz clean

# Serve Haven on a private PostgreSQL cluster under .data/ (or on DATABASE_URL,
# the app's login, and DATABASE_OWNER_URL, the owner: see README.md),
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

# The browser tests need Debian's Chromium; say how to get it before anything runs.
browser-check:
	@test -x /usr/bin/chromium || { echo "make test needs Chromium at /usr/bin/chromium for the browser tests: run 'apt-get install chromium' (bash .ci/run installs it and PostgreSQL for you)"; exit 1; }

vet:
	go vet ./...

# staticcheck is a tool of the module (go.mod's tool line): no install needed.
staticcheck:
	go tool staticcheck ./...

test: browser-check vet staticcheck check-generated
	go test -race -timeout 40m ./...

# Refresh GOV.UK Frontend and Haven's stylesheet from npm.
assets:
	bash web/assets.sh

# The load benchmark (docs/benchmarks.md), not part of test: builds a
# 50-school dataset under .data/bench on first use (a few minutes), then
# measures latency at a fixed rate and each route's capacity.
bench:
	go run ./cmd/havenbench

# Fuzzes every decoder of what browsers send (make test runs only the
# seeds), each target for FUZZTIME (default 15s): a few minutes in all. A
# crash stops the run and go saves the input under the package's
# testdata/fuzz/, where make test then replays it. The targets need no
# database: a DATABASE_URL that is never dialled keeps pgtest from starting
# a PostgreSQL cluster in every fuzz worker.
fuzz:
	@set -e; \
	targets="internal/httpserver:FuzzConcernForm internal/httpserver:FuzzEntryForm internal/httpserver:FuzzSignInForm \
		internal/httpserver:FuzzParseClock internal/httpserver:FuzzParseIDs internal/httpserver:FuzzPathID \
		internal/httpserver:FuzzParseDate internal/httpserver:FuzzQueueChoice internal/httpserver:FuzzQueueCursor \
		internal/httpserver:FuzzQueuePosition internal/httpserver:FuzzCleanText internal/safeguarding:FuzzEntryProblems"; \
	targets=$$(echo $$targets); \
	for f in $$(grep -rl --include='*_test.go' --exclude-dir=node_modules '^func Fuzz' cmd internal web); do \
		for name in $$(sed -n 's/^func \(Fuzz[A-Za-z0-9_]*\)(.*/\1/p' "$$f"); do \
			case " $$targets " in *" $$(dirname "$$f"):$$name "*) ;; \
			*) echo "$$f: $$name is not listed in the Makefile's fuzz target"; exit 1;; esac; \
		done; \
	done; \
	for t in $$targets; do \
		echo "== $${t#*:} ($${t%%:*}, $${FUZZTIME:-15s})"; \
		DATABASE_URL=postgres://fuzz-needs-no-database.invalid/none \
			go test -run '^$$' -fuzz "^$${t#*:}\$$" -fuzztime "$${FUZZTIME:-15s}" "./$${t%%:*}/"; \
	done

clean:
	rm -rf bin
