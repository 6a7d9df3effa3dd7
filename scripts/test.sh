#!/usr/bin/env bash
# Installs what the tests need and runs every test. The README's test command; CI runs it.
set -euo pipefail
cd "$(dirname "$0")/.."

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# dnsmasq (apt) and the pinned npm packages of every tests/* folder.
bash scripts/install-test-deps.sh

dotnet build Pds.sln -c Release
log=$(mktemp)
status=0
dotnet test Pds.sln -c Release --no-build 2>&1 | tee "$log" || status=$?

# One plain closing line over every test project: "N passed, N failed, N skipped".
awk '
  /(Passed|Failed)! +- +Failed:/ {
    gsub(/,/, " ");
    for (i = 1; i <= NF; i++) {
      if ($i == "Failed:") f += $(i+1);
      if ($i == "Passed:") p += $(i+1);
      if ($i == "Skipped:") s += $(i+1);
    }
  }
  END { printf "%d passed, %d failed, %d skipped\n", p, f, s }
' "$log"
rm -f "$log"
exit $status
