#!/usr/bin/env bash
# Installs Debian's Chromium (for tests/Pretzel.Browser.Tests, which drive it with Playwright) when
# `chromium` is not on PATH. Idempotent and quiet: does nothing when Chromium is already there, runs
# `apt-get update` only when the package cannot be found in the current lists. Needs root (or sudo).
# Prints nothing on success; exits non-zero with a message on stderr when it cannot install.
set -euo pipefail

if command -v chromium >/dev/null 2>&1; then
  exit 0
fi

say() { echo "chromium: $*" >&2; }

if ! command -v apt-get >/dev/null 2>&1; then
  say "not on PATH and apt-get is missing: install Chromium by hand (the browser tests need it)"
  exit 1
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    sudo="sudo -n"
  else
    say "not on PATH and not root (no sudo): run 'apt-get install chromium' as root"
    exit 1
  fi
fi

export DEBIAN_FRONTEND=noninteractive
# apt's chatter (including debconf notes on stderr) is shown only when a step fails.
log=$(mktemp)
trap 'rm -f "$log"' EXIT
apt_quiet() { $sudo apt-get -qq -o=Dpkg::Use-Pty=0 "$@" >"$log" 2>&1 || { cat "$log" >&2; return 1; }; }

# Refresh the package lists only when they do not know the package (e.g. a fresh container).
if ! apt-cache show chromium >/dev/null 2>&1; then
  apt_quiet update || { say "apt-get update failed"; exit 1; }
fi
if ! apt_quiet install -y --no-install-recommends chromium; then
  say "apt-get install chromium failed"
  exit 1
fi
if ! command -v chromium >/dev/null 2>&1; then
  say "installed, but 'chromium' is still not on PATH"
  exit 1
fi
