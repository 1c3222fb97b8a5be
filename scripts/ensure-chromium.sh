#!/usr/bin/env bash
# Installs Debian's chromium for the sandbox page's browser tests when it is
# missing. Never fails by itself: without apt (or without root) it says what to
# do. scripts/with-emulators.sh then finds no browser to name in
# COGNITO_BOT_CHROMIUM, and under it (make test) the browser tests fail saying
# so; a plain `go test ./...` skips them.
set -u

if command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ]; then
	exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
	echo "ensure-chromium: apt-get not found; install Chromium yourself to run the sandbox browser tests (make test fails them without it)." >&2
	exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
	if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
		SUDO="sudo -n"
	else
		echo "ensure-chromium: not root and no password-less sudo; run 'apt-get install -y chromium' to run the sandbox browser tests (make test fails them without it)." >&2
		exit 0
	fi
fi
echo "ensure-chromium: installing Debian's chromium for the sandbox browser tests..." >&2
export DEBIAN_FRONTEND=noninteractive
# Try without refreshing the package lists first; refresh only when that fails.
if ! $SUDO apt-get install -y --no-install-recommends chromium >/dev/null 2>&1; then
	$SUDO apt-get update >/dev/null 2>&1 || true
	if ! $SUDO apt-get install -y --no-install-recommends chromium >/dev/null; then
		echo "ensure-chromium: installing chromium failed; make test will fail the sandbox browser tests." >&2
		exit 0
	fi
fi
echo "ensure-chromium: $(chromium --version 2>/dev/null || echo chromium installed)" >&2
