#!/usr/bin/env bash
# Runs the PDS on its embedded default (SQLite + files) on http://localhost:2583, with a local
# PLC directory on 127.0.0.1:2582 so new accounts never touch the public directory. Works with
# no internet and no cloud account. Data (and the PLC operation log) stay in ./pds-data.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
export PDS_DATA_DIRECTORY="${PDS_DATA_DIRECTORY:-$PWD/pds-data}"
export PDS_DID_PLC_URL="${PDS_DID_PLC_URL:-http://127.0.0.1:2582}"
mkdir -p "$PDS_DATA_DIRECTORY"

if [ ! -d "$root/tests/plc/node_modules/@did-plc/server" ]; then
  (cd "$root/tests/plc" && npm ci --no-audit --no-fund --loglevel=error)
fi

# The PLC directory stops when this process (which becomes the PDS below) is gone.
plc_out=$(mktemp)
node "$root/tests/plc/plc-server.mjs" 2582 --log "$PDS_DATA_DIRECTORY/plc-operations.jsonl" --parent $$ \
  < /dev/null > "$plc_out" 2>&1 &
plc_pid=$!
for _ in $(seq 1 60); do
  grep -q PLC_READY "$plc_out" && break
  kill -0 "$plc_pid" 2>/dev/null || { cat "$plc_out" >&2; exit 1; }
  sleep 0.5
done
grep -q PLC_READY "$plc_out" || { echo "local PLC directory did not start" >&2; cat "$plc_out" >&2; exit 1; }
rm -f "$plc_out"
echo "local PLC directory on $PDS_DID_PLC_URL"

# exec keeps this PID, so the PLC directory stops when the PDS does.
dotnet build -c Release -v quiet --nologo "$root/src/Pds.Functions" >/dev/null
exec dotnet "$root/src/Pds.Functions/bin/Release/net10.0/pds.dll" serve
