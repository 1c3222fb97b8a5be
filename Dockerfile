# cognito-bot container image: `make image` (or docker build --build-arg VERSION=… .).
# Stage 1 builds a static binary; stage 2 is distroless (no shell, no package
# manager) and runs as the unprivileged "nonroot" user (65532).

ARG GO_VERSION=1.26

FROM golang:${GO_VERSION} AS build
WORKDIR /src
# Dependencies first, so source edits reuse the module cache layer.
COPY go.mod go.sum ./
RUN go mod download
COPY . .
# VERSION stamps main.version exactly as the Makefile's LDFLAGS do.
ARG VERSION=dev
RUN CGO_ENABLED=0 GOOS=linux go build -trimpath -ldflags "-X main.version=${VERSION}" -o /out/cognito-bot ./cmd/cognito-bot

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/cognito-bot /cognito-bot
USER 65532:65532
# /metrics, /healthz and /readyz when ops.listen is ":9090" (the Kubernetes manifests set it).
EXPOSE 9090
ENTRYPOINT ["/cognito-bot"]
CMD ["run"]
