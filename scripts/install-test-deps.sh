#!/usr/bin/env bash
# Installs what the tests need beyond the .NET SDK: dnsmasq (a real DNS server for the
# handle-resolution tests), unzip and python3 (the Functions package tests), and the pinned npm
# packages of every tests/* folder with a package-lock.json. Idempotent: safe to run before every
# test run.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    echo "install-test-deps: need root (or sudo) to run: $*" >&2
    return 1
  fi
}

# dnsmasq lives in /usr/sbin, which is not on every PATH. unzip unpacks the Functions package
# in its tests as an operator would (keeping Unix modes).
apt_packages=()
if ! command -v dnsmasq >/dev/null 2>&1 && [ ! -x /usr/sbin/dnsmasq ]; then
  # dnsmasq-base is the binary alone; the full "dnsmasq" package would also enable a system service.
  apt_packages+=(dnsmasq-base)
fi
command -v unzip >/dev/null 2>&1 || apt_packages+=(unzip)
# scripts/package.sh zips with Python's zipfile (it records Unix modes).
command -v python3 >/dev/null 2>&1 || apt_packages+=(python3)
if [ ${#apt_packages[@]} -gt 0 ]; then
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${apt_packages[@]}"
fi

# npm ci wipes node_modules and reinstalls exactly what the lock file pins; skipped when the
# install npm recorded (node_modules/.package-lock.json) is newer than both manifests. None of
# these packages needs an install script (npm 11 skips them by default anyway), so nothing is
# compiled here.
for lock in tests/*/package-lock.json; do
  [ -f "$lock" ] || continue
  dir=$(dirname "$lock")
  # A symlinked node_modules is shared with another checkout: npm ci would empty the shared
  # folder under everyone using it, so it is left to whoever owns it.
  if [ -L "$dir/node_modules" ]; then
    continue
  fi
  installed="$dir/node_modules/.package-lock.json"
  if [ -f "$installed" ] && [ "$installed" -nt "$lock" ] && [ "$installed" -nt "$dir/package.json" ]; then
    continue
  fi
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
done

# tests/bicep's parser is a native module. Both packages ship prebuilt linux-x64 binaries that
# load without an install script; where no prebuild fits (another platform or Node ABI), build
# them from source once (npm 11 only runs install scripts when asked).
if [ -d tests/bicep/node_modules ] && ! (cd tests/bicep && node -e "require('tree-sitter'); require('tree-sitter-bicep')" >/dev/null 2>&1); then
  (cd tests/bicep && npm rebuild tree-sitter tree-sitter-bicep --foreground-scripts --loglevel=error)
  (cd tests/bicep && node -e "require('tree-sitter'); require('tree-sitter-bicep')")
fi
