# cognito-bot — meant for humans. `make run` starts the bot, `make test` runs every test.
.DEFAULT_GOAL := test

VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X main.version=$(VERSION)
BIN     := bin/cognito-bot
IMAGE   ?= cognito-bot:$(VERSION)

.PHONY: build run test unit vet bench fuzz fmt check-config migrate image manifests iam-policy clean

build: ## Build the bot into bin/.
	go build -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/cognito-bot

LISTEN ?= 127.0.0.1:8080

run: build ## Run the bot; without Slack tokens or a config file, serve the sandbox page at $$LISTEN.
	./$(BIN) run --listen $(LISTEN)

check-config: build ## Validate the configuration and report every problem.
	./$(BIN) check-config

migrate: build ## Create the DynamoDB tables (idempotent).
	./$(BIN) migrate

vet:
	go vet ./...
	@test -z "$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))" || { echo "gofmt needed:"; gofmt -l .; exit 1; }

fmt: ## Format the tracked Go files in place (vet fails on unformatted ones).
	gofmt -w $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')

test: ## Start the emulators, run vet and every test (unit, integration, end to end, browser).
	./scripts/ensure-chromium.sh
	./scripts/test.sh

unit: ## Unit tests only (integration tests skip without emulators).
	go test -race ./...

bench: ## Benchmarks against the emulators (ack latency, throughput).
	./scripts/with-emulators.sh go test -run '^$$' -bench . -benchtime 1x -timeout 60m -v ./bot/ | grep -v 'logger.go'

FUZZTIME ?= 60s

fuzz: ## Run every fuzz target for FUZZTIME each (a duration, or e.g. 1000000x executions), one after another.
	FUZZTIME=$(FUZZTIME) ./scripts/fuzz.sh

image: ## Build the container image (needs a Docker engine); the Dockerfile stamps the same version.
	docker build --build-arg VERSION=$(VERSION) -t $(IMAGE) .

manifests: ## Render the example Kubernetes overlay.
	kubectl kustomize deploy/k8s/overlays/example

iam-policy: ## Regenerate deploy/iam-policy*.json and the Terraform IAM lists from internal/actions and audit/.
	go test ./deploy -run IAMPoliciesAreGenerated -count=1 -update

clean:
	rm -rf bin .cache
