# Gatehouse. `make run` serves the console with demo data; `make test` runs
# every test. Both install what they need first. `make help` lists targets.

SHELL       := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

BIN         := bin/gatehouse
DB          ?= gatehouse.db
ADDR        ?= 127.0.0.1:8080
API_ADDR    ?= 127.0.0.1:8081
GATEWAY_ADDR ?= 127.0.0.1:8082
GATEWAY_TLS_ADDR ?= 127.0.0.1:8443
CHROMIUM    ?= /usr/bin/chromium
DRIVER_DIR  := $(CURDIR)/.cache/playwright-driver
FUZZTIME    ?= 2s
GO_SOURCES  := $(shell find . -name '*.go' -not -path './node_modules/*' -not -path './.cache/*')
SUDO        := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: help run build generate check-generated lint test unit e2e fuzz bench screenshots deps-node deps-browser clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-16s %s\n", $$1, $$2}'

node_modules/.package-lock.json: package.json package-lock.json
	@echo "== npm ci: htmx, playwright-core, axe-core and the Alibaba Cloud Node SDKs from the npm registry (package-lock.json)"
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

static/lib/htmx.min.js: node_modules/.package-lock.json
	@echo "== copying htmx into the embedded assets"
	cp node_modules/htmx.org/dist/htmx.min.js $@

deps-node: static/lib/htmx.min.js ## install the npm packages and copy htmx into static/lib

$(BIN): static/lib/htmx.min.js $(GO_SOURCES) go.mod go.sum
	@echo "== go build"
	go build -o $(BIN) .

build: $(BIN) ## build bin/gatehouse

generate: ## regenerate the templ views (go tool templ)
	go tool templ generate -log-level error

check-generated: ## fail when a committed _templ.go file is stale
	@echo "== checking the generated templ files are up to date"
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && cp -r views "$$tmp/views" && \
	  find "$$tmp/views" -name '*_templ.go' -delete && \
	  go tool templ generate -log-level error -path "$$tmp" && \
	  if ! diff -r -q views "$$tmp/views" >/dev/null; then \
	    diff -r -q views "$$tmp/views" || true; \
	    echo "stale templ output: run 'make generate' and commit the _templ.go files"; exit 1; \
	  fi

lint: ## gofmt and go vet
	@echo "== gofmt and go vet"
	@out=$$(gofmt -l $$(git ls-files --cached --others --exclude-standard '*.go')); \
	  if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	go vet ./...
	go vet -tags e2e ./e2e

deps-browser: node_modules/.package-lock.json ## install Debian's chromium and lay out the Playwright driver
	@if [ ! -x "$(CHROMIUM)" ]; then \
	  echo "== installing chromium from Debian (apt)"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium >/dev/null; \
	fi
	@mkdir -p $(DRIVER_DIR)
	@ln -sfn $(CURDIR)/node_modules/playwright-core $(DRIVER_DIR)/package
	@ln -sfn "$$(command -v node)" $(DRIVER_DIR)/node

unit: static/lib/htmx.min.js ## unit, store and handler tests with the race detector
	@echo "== go test (unit, store, handlers)"
	go test -race -count=1 ./...

fuzz: ## run every fuzz target for FUZZTIME each (make fuzz FUZZTIME=1m for a longer run)
	@echo "== fuzzing each target for $(FUZZTIME)"
	@log=$$(mktemp) && trap 'rm -f "$$log"' EXIT && \
	for pkg in $$(go list ./...); do \
	  dir=$$(go list -f '{{.Dir}}' $$pkg); \
	  for t in $$(grep -ho '^func Fuzz[A-Za-z0-9_]*' $$dir/*_test.go 2>/dev/null | sed 's/^func //'); do \
	    echo "   $$pkg $$t"; \
	    for try in 1 2; do \
	      if go test -run='^$$' -fuzz="^$$t$$" -fuzztime=$(FUZZTIME) $$pkg >"$$log" 2>&1; then break; fi; \
	      grep -v '^fuzz: elapsed' "$$log"; \
	      if grep -q 'Failing input written' "$$log" || [ $$try = 2 ]; then exit 1; fi; \
	      echo "   (the fuzzer itself failed, not a finding: trying once more)"; \
	    done; \
	  done; \
	done

e2e: build deps-browser ## Playwright end-to-end tests in Chromium
	@echo "== e2e: Playwright in $(CHROMIUM)"
	GATEHOUSE_BIN=$(CURDIR)/$(BIN) PLAYWRIGHT_DRIVER_PATH=$(DRIVER_DIR) CHROMIUM=$(CHROMIUM) \
	  go test -tags e2e -count=1 -timeout 12m -v ./e2e

screenshots: build deps-browser ## the README's screenshots, from the demo account, into docs/screenshots
	@echo "== e2e: the README's screenshots (demo account only)"
	GATEHOUSE_BIN=$(CURDIR)/$(BIN) PLAYWRIGHT_DRIVER_PATH=$(DRIVER_DIR) CHROMIUM=$(CHROMIUM) \
	  go test -tags e2e -count=1 -run '^TestReadmeScreenshots$$' ./e2e
	cp e2e/screenshots/readme/*.png docs/screenshots/

test: lint check-generated unit fuzz e2e ## everything: lint, generated files, unit tests, fuzzing, e2e
	@echo "== all tests passed"

bench: build ## micro-benchmarks, then the load run against this machine's limit (writes docs/performance.md)
	@echo "== go micro-benchmarks: rules, store queries on 100,000 groups, page rendering, the console and the OpenAPI endpoint in process"
	go test -run='^$$' -bench=. -benchmem -count=1 ./...
	@echo "== load run: gatehouse serve on 100,000 and 1,000 groups beside a bare Echo handler, over loopback (a few minutes)"
	go build -o bin/gatehouse-bare ./e2e/load/bare
	go build -o bin/gatehouse-load ./e2e/load
	bin/gatehouse-load -gatehouse $(BIN) -bare bin/gatehouse-bare -out docs/performance.md

run: build ## build, create the database with demo data if new, and serve the console
	@$(BIN) migrate --db $(DB)
	@$(BIN) demo --db $(DB)
	@echo
	@echo "Gatehouse console: http://$(ADDR)/   (OpenAPI endpoint: http://$(API_ADDR)/)"
	@echo "Gateway and proxy: http://$(GATEWAY_ADDR)/   (a network's proxy URL: $(BIN) network url --db $(DB) --vpc VPC_ID)"
	@echo "Gateway over HTTPS: https://$(GATEWAY_TLS_ADDR)/   (trust its CA: $(BIN) ca --db $(DB) > gatehouse-ca.pem; curl --cacert gatehouse-ca.pem)"
	@echo "Log in as admin with the password printed above (it is printed on the first run only)."
	@echo "Lost it? This prints a new one (and ends admin's sessions):"
	@echo "  $(BIN) user passwd --db $(DB) --name admin --generate"
	@echo
	exec $(BIN) serve --db $(DB) --addr $(ADDR) --api-addr $(API_ADDR) --gateway-addr $(GATEWAY_ADDR) --gateway-tls-addr $(GATEWAY_TLS_ADDR)

clean: ## remove build output and caches (keeps the database)
	rm -rf bin .cache node_modules static/lib/htmx.min.js
