# cognito-bot — meant for humans. `make run` starts the bot, `make test` runs every test.
.DEFAULT_GOAL := test

VERSION  ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
REVISION ?= $(shell git rev-parse HEAD 2>/dev/null || echo unknown)
LDFLAGS  := -X main.version=$(VERSION)
BIN     := bin/cognito-bot
IMAGE   ?= cognito-bot:$(VERSION)

.PHONY: help build run test unit vet lint bench bench-export fuzz fmt check-config migrate image manifests iam-policy clean

help: ## List the targets with what each does.
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/^([a-zA-Z_-]+):.*## (.*)$$/\1\t\2/' | awk -F'\t' '{printf "  make %-14s %s\n", $$1, $$2}'

build: ## Build the bot into bin/.
	go build -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/cognito-bot

# LISTEN is the sandbox page's address (the bot's default is 127.0.0.1:8080); it is
# passed only when set, because --listen is a usage error outside the sandbox.
LISTEN ?=

run: build ## Run the bot; without Slack tokens or a config file, serve the sandbox page (LISTEN=host:port to move it).
	./$(BIN) run $(if $(LISTEN),--listen $(LISTEN))

check-config: build ## Validate the configuration and report every problem.
	./$(BIN) check-config

migrate: build ## Create the DynamoDB tables (idempotent).
	./$(BIN) migrate

vet: ## go vet and gofmt only (fast).
	go vet ./...
	@test -z "$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))" || { echo "gofmt needed:"; gofmt -l .; exit 1; }

lint: ## go vet, gofmt and staticcheck (installed once into .cache/, pinned by scripts/lint.sh).
	./scripts/lint.sh

fmt: ## Format the tracked Go files in place (vet fails on unformatted ones).
	gofmt -w $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')

test: ## Run lint (vet, gofmt, staticcheck), start the emulators and run every test (unit, integration, end to end, browser).
	./scripts/ensure-chromium.sh
	./scripts/test.sh

unit: ## Unit tests only (integration tests skip without emulators).
	go test -race ./...

bench: ## Benchmarks against the emulators (ack latency, throughput).
	./scripts/with-emulators.sh go test -run '^$$' -bench . -benchtime 1x -timeout 60m -v ./bot/ | grep -v 'logger.go'

FUZZTIME ?= 60s

fuzz: ## Run every fuzz target for FUZZTIME each (a duration, or e.g. 1000000x executions), one after another.
	FUZZTIME=$(FUZZTIME) ./scripts/fuzz.sh

bench-export: ## Export a million audit links, reporting throughput and the process's peak RSS (no emulator).
	go test -run '^$$' -bench AuditExport1M -benchtime 1x -timeout 30m ./internal/app/

image: ## Build the container image (needs a Docker engine); stamps the version and the OCI revision label.
	docker build --build-arg VERSION=$(VERSION) --build-arg REVISION=$(REVISION) -t $(IMAGE) .

manifests: ## Render the example Kubernetes overlay.
	kubectl kustomize deploy/k8s/overlays/example

iam-policy: ## Regenerate deploy/iam-policy*.json and the Terraform IAM lists (per installation: cognito-bot iam-policy --config FILE).
	go test ./deploy -run IAMPoliciesAreGenerated -count=1 -update

clean: ## Remove bin/ and .cache/ (emulators, tools, logs).
	rm -rf bin .cache
