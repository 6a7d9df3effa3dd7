#!/usr/bin/env bash
# Runs the PDS on its embedded default (SQLite + files) on http://localhost:2583, with a local
# PLC directory on 127.0.0.1:2582 so new accounts never touch the public directory. Works with
# no internet and no cloud account. Data (and the PLC operation log) stay in ./pds-data.
#
# --azure runs the same PDS in Azure mode (PDS_STORAGE_BACKEND=azure: Table/Blob/Queue storage,
# the queue-woken sequencer) against a local Azurite on its default ports 10000-10002, keeping
# Azurite's data in ./pds-data/azurite.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
azure=false
for arg in "$@"; do
  case "$arg" in
    --azure) azure=true ;;
    *) echo "usage: $0 [--azure]" >&2; exit 2 ;;
  esac
done
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

if $azure; then
  if [ ! -d "$root/tests/azurite/node_modules/azurite" ]; then
    (cd "$root/tests/azurite" && npm ci --no-audit --no-fund --loglevel=error)
  fi
  mkdir -p "$PDS_DATA_DIRECTORY/azurite"
  azurite_out=$(mktemp)
  node "$root/tests/azurite/node_modules/azurite/dist/src/azurite.js" --silent --disableTelemetry \
    --location "$PDS_DATA_DIRECTORY/azurite" --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1 \
    < /dev/null > "$azurite_out" 2>&1 &
  azurite_pid=$!
  trap 'kill "$azurite_pid" 2>/dev/null || true' EXIT
  for _ in $(seq 1 60); do
    [ "$(grep -c 'successfully listening' "$azurite_out")" -ge 3 ] && break
    kill -0 "$azurite_pid" 2>/dev/null || { cat "$azurite_out" >&2; exit 1; }
    sleep 0.5
  done
  [ "$(grep -c 'successfully listening' "$azurite_out")" -ge 3 ] || { echo "Azurite did not start" >&2; cat "$azurite_out" >&2; exit 1; }
  rm -f "$azurite_out"
  echo "Azurite (blob 10000, queue 10001, table 10002) with data in $PDS_DATA_DIRECTORY/azurite"
  export PDS_STORAGE_BACKEND=azure
  export AzureWebJobsStorage="${AzureWebJobsStorage:-UseDevelopmentStorage=true}"
fi

dotnet build -c Release -v quiet --nologo "$root/src/Pds.Functions" >/dev/null
if $azure; then
  # Not exec: the trap above stops Azurite when the PDS exits.
  dotnet "$root/src/Pds.Functions/bin/Release/net10.0/pds.dll" serve
else
  # exec keeps this PID, so the PLC directory stops when the PDS does.
  exec dotnet "$root/src/Pds.Functions/bin/Release/net10.0/pds.dll" serve
fi
