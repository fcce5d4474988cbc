# The README's two commands: `go run ./cmd/oms serve` and `make test`.
GO      ?= go
RACE    ?=
PKG     ?= ./...
FUZZTIME ?= 30s
VERSION ?=

.PHONY: help test lint fuzz bench run build screenshots

help: ## list the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-8s %s\n", $$1, $$2}'

test: ## run every test (PostgreSQL tests run when OMS_TEST_POSTGRES_URL is set)
	@test -n "$$OMS_TEST_POSTGRES_URL" || echo "PostgreSQL tests skipped: OMS_TEST_POSTGRES_URL is not set; to run them: OMS_TEST_POSTGRES_URL='postgres://postgres@127.0.0.1:5432/test?sslmode=disable' make test"
	$(GO) test $(RACE) -count=1 -timeout 60m $(PKG)

lint: ## go vet, gofmt, and golangci-lint when installed
	$(GO) vet ./...
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || (gofmt -l $$(git ls-files '*.go'); exit 1)
	@command -v golangci-lint >/dev/null && golangci-lint run || echo "golangci-lint not installed; skipped"

fuzz: ## run each fuzz target for FUZZTIME
	$(GO) test -run=^$$ -fuzz=FuzzParse -fuzztime=$(FUZZTIME) ./money/
	$(GO) test -run=^$$ -fuzz=FuzzFormat -fuzztime=$(FUZZTIME) ./money/
	$(GO) test -run=^$$ -fuzz=FuzzDecodeOrder -fuzztime=$(FUZZTIME) ./internal/httpapi/orderbody/
	$(GO) test -run=^$$ -fuzz=FuzzCheckJSON -fuzztime=$(FUZZTIME) ./internal/httpapi/
	$(GO) test -run=^$$ -fuzz=FuzzOrderDraftValidate -fuzztime=$(FUZZTIME) .
	for p in shopify woocommerce ebay amazon; do \
		$(GO) test -run=^$$ -fuzz=FuzzParse -fuzztime=$(FUZZTIME) ./internal/channel/$$p/ || exit 1; done
	$(GO) test -run=^$$ -fuzz=FuzzReader -fuzztime=$(FUZZTIME) ./internal/channel/csvorders/
	$(GO) test -run=^$$ -fuzz=FuzzParseECB -fuzztime=$(FUZZTIME) ./internal/fx/
	$(GO) test -run=^$$ -fuzz=FuzzParseRate -fuzztime=$(FUZZTIME) ./internal/tax/
	$(GO) test -run=^$$ -fuzz=FuzzRedactDSN -fuzztime=$(FUZZTIME) ./internal/store/
	for f in FuzzVerify FuzzParseRetryAfter FuzzMatches; do \
		$(GO) test -run=^$$ -fuzz=$$f -fuzztime=$(FUZZTIME) ./internal/webhook/ || exit 1; done

bench: ## run the Go benchmarks
	$(GO) test -run=^$$ -bench=. -benchmem $(PKG)

build: ## build ./oms (VERSION=v1.2.3 names the release it prints)
	$(GO) build -ldflags "-X github.com/omshq/oms/internal/version.release=$(VERSION)" -o oms ./cmd/oms

run: ## run the server on ./oms.db
	$(GO) run ./cmd/oms serve

screenshots: ## write a PNG of each main console screen, over oms demo data, to ./screenshots (needs chromium)
	OMS_SCREENSHOT_DIR=$(CURDIR)/screenshots OMS_TEST_REQUIRE_BROWSER=1 $(GO) test -count=1 -run TestScreenshots ./internal/console
	@echo "screenshots written to $(CURDIR)/screenshots"
