#!/usr/bin/env bash
# Installs Debian's chromium for the sandbox page's browser tests when it is
# missing. Never fails the build: without apt (or without root) it says what to
# do and the browser tests skip with their own message.
set -u

if command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ]; then
	exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
	echo "ensure-chromium: apt-get not found; install Chromium yourself to run the sandbox browser tests (they skip without it)." >&2
	exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
	if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
		SUDO="sudo -n"
	else
		echo "ensure-chromium: not root and no password-less sudo; run 'apt-get install -y chromium' to enable the sandbox browser tests (they skip without it)." >&2
		exit 0
	fi
fi
echo "ensure-chromium: installing Debian's chromium for the sandbox browser tests..." >&2
export DEBIAN_FRONTEND=noninteractive
# Try without refreshing the package lists first; refresh only when that fails.
if ! $SUDO apt-get install -y --no-install-recommends chromium >/dev/null 2>&1; then
	$SUDO apt-get update >/dev/null 2>&1 || true
	if ! $SUDO apt-get install -y --no-install-recommends chromium >/dev/null; then
		echo "ensure-chromium: installing chromium failed; the sandbox browser tests will skip." >&2
		exit 0
	fi
fi
echo "ensure-chromium: $(chromium --version 2>/dev/null || echo chromium installed)" >&2
