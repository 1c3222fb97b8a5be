# cognito-bot container image: `make image` (or docker build --build-arg VERSION=… .).
# Stage 1 builds a static binary on the build machine's own platform and
# cross-compiles for the target (no emulation for arm64); stage 2 is distroless
# (no shell, no package manager) and runs as the unprivileged "nonroot" user (65532).
#
# Both base images are pinned by digest (the tag says what it is, the digest which
# one): a rebuild gets the same bytes, and a base image update is a reviewed commit.
# To move a pin: docker buildx imagetools inspect golang:1.26 (or the distroless
# tag) and copy the index digest, which covers every platform.

FROM --platform=$BUILDPLATFORM golang:1.26@sha256:9edf71320ef8a791c4c33ec79f90496d641f306a91fb112d3d060d5c1cee4e20 AS build
WORKDIR /src
# Dependencies first, so source edits reuse the module cache layer.
COPY go.mod go.sum ./
RUN go mod download
COPY . .
# TARGETOS/TARGETARCH are set by BuildKit from --platform (linux/amd64, linux/arm64, …).
ARG TARGETOS=linux
ARG TARGETARCH
# VERSION stamps main.version exactly as the Makefile's LDFLAGS do; -s -w drops the
# symbol table and DWARF (stack traces keep their function names and lines).
ARG VERSION=dev
RUN CGO_ENABLED=0 GOOS=${TARGETOS} GOARCH=${TARGETARCH} go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/cognito-bot ./cmd/cognito-bot

FROM gcr.io/distroless/static-debian12:nonroot@sha256:d093aa3e30dbadd3efe1310db061a14da60299baff8450a17fe0ccc514a16639
ARG VERSION=dev
ARG REVISION=unknown
LABEL org.opencontainers.image.title="cognito-bot" \
      org.opencontainers.image.description="Slack bot for managing AWS Cognito user pool users, with an audit log" \
      org.opencontainers.image.source="https://github.com/cognito-bot/cognito-bot" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}"
COPY --from=build /out/cognito-bot /cognito-bot
USER 65532:65532
# /metrics, /healthz and /readyz when ops.listen is ":9090" (the Kubernetes manifests set it).
EXPOSE 9090
ENTRYPOINT ["/cognito-bot"]
CMD ["run"]
