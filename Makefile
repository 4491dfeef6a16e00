# Lifeboat's build. GNU make; needs Go, and Node/npm for the front-end
# libraries and the browser tests. `make help` lists the targets.

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := build

VERSION := $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -s -w -X main.version=$(VERSION)
GO      ?= go
BIN     := bin/lifeboat

# The PostgreSQL server the PostgreSQL test suite uses in `make test-postgres`.
TEST_POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/test?sslmode=disable
# Each fuzz target runs this long in `make fuzz`.
FUZZTIME ?= 10s

# The tests run against PostgreSQL too when this names a server, whether it
# comes from the environment or the make command line.
ifdef LIFEBOAT_TEST_POSTGRES
export LIFEBOAT_TEST_POSTGRES
endif

# Front-end files copied from web/node_modules into web/static/vendor, which
# the binary embeds. Add a library here after adding it to web/package.json.
VENDOR_FILES := htmx.org/dist/htmx.min.js cytoscape/dist/cytoscape.min.js cytoscape-dagre/dist/cytoscape-dagre.min.js \
	echarts/dist/echarts.common.min.js

GO_FILES = $(shell find . -type d \( -name node_modules -o -name .git \) -prune -o -name '*.go' -print)

.PHONY: help build assets run test test-postgres e2e bench loadtest fuzz fmt vet lint clean

help: ## list the targets
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-14s %s\n", $$1, $$2}'

build: assets ## build bin/lifeboat (static, no cgo)
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/lifeboat

ifneq ($(wildcard web/package.json),)
assets: web/node_modules/.installed ## install the front-end libraries and copy them into web/static/vendor
	mkdir -p web/static/vendor
	cd web/node_modules && cp $(VENDOR_FILES) ../static/vendor/

# npm ci runs again only when the package files change.
web/node_modules/.installed: web/package.json $(wildcard web/package-lock.json)
	cd web && npm ci --no-audit --no-fund
	touch $@
else
assets:
	@echo "assets: no web/package.json yet, so no front-end libraries to install"
endif

run: build ## build, then serve the demo organisation on http://localhost:8080
	$(BIN) serve --demo --addr :8080 --data-dir ./data

test: ## run the Go tests (PostgreSQL too when LIFEBOAT_TEST_POSTGRES is set)
	CGO_ENABLED=0 $(GO) test ./...

test-postgres: ## run the Go tests against SQLite and the PostgreSQL at TEST_POSTGRES_URL
	$(MAKE) test LIFEBOAT_TEST_POSTGRES='$(TEST_POSTGRES_URL)'

e2e: build ## run the browser tests against bin/lifeboat (needs /usr/bin/chromium)
	@test -f e2e/package.json || { echo "e2e: no e2e/package.json: the browser tests are missing" >&2; exit 1; }
	cd e2e && npm ci --no-audit --no-fund && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npx playwright test

bench: ## run the Go benchmarks (PostgreSQL too when LIFEBOAT_TEST_POSTGRES is set); the million-service ones take minutes: LIFEBOAT_GRAPH_SIZE, LIFEBOAT_IMPORT_SIZE and LIFEBOAT_COMPARE_SIZE make them smaller
	$(GO) test -run '^$$' -bench . -benchmem ./...

loadtest: ## load the API with hey at the catalog targets (100,000 services; needs hey)
	@command -v hey >/dev/null || { echo "loadtest: needs hey (apt-get install hey)" >&2; exit 1; }
	LIFEBOAT_LOADTEST=1 $(GO) test -count=1 -run '^TestLoad$$' -v -timeout 30m ./web/ | grep -E 'LOAD|seeded|^(---|ok|FAIL)'

fuzz: ## run each fuzz target for FUZZTIME (10s)
	$(GO) test -list '^Fuzz' ./... | awk '/^Fuzz/ { names = names " " $$1; next } \
		/^(ok|\?)/ { if (names != "") print $$2 names; names = "" }' | \
	while read -r pkg targets; do \
		for t in $$targets; do \
			echo "fuzz $$pkg $$t"; \
			$(GO) test -run '^$$' -fuzz "^$$t\$$" -fuzztime $(FUZZTIME) -fuzzminimizetime 5s "$$pkg"; \
		done; \
	done

fmt: ## format the Go code
	gofmt -w $(GO_FILES)

vet: ## run go vet
	CGO_ENABLED=0 $(GO) vet ./...

lint: vet ## check formatting and run go vet
	@files=$$(gofmt -l $(GO_FILES)); if [ -n "$$files" ]; then \
		echo "gofmt: these files need formatting (run make fmt):" >&2; echo "$$files" >&2; exit 1; fi

clean: ## remove build outputs and installed node modules (keeps ./data)
	rm -rf bin web/static/vendor web/node_modules e2e/node_modules e2e/test-results e2e/playwright-report
