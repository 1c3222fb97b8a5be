// Command cognito-bot runs the Slack bot that manages Cognito users; see README.md.
package main

import (
	"os"

	"github.com/cognito-bot/cognito-bot/internal/app"
)

// version is set at build time with -ldflags "-X main.version=…" (make build, the
// Dockerfile); left empty, the version comes from the Go build info.
var version string

func main() {
	os.Exit(app.Main(os.Args[1:], version, os.Getenv, os.Stdout, os.Stderr))
}
