#!/usr/bin/env bash
# Cold start of the Azure Functions package: see bench/coldstart/README.md.
#
#   bash bench/coldstart/run.sh [--runs N] [--skip-build] [--zip PATH] [--fresh-data] [--env NAME=VALUE]...
#
# Builds artifacts/functionapp.zip (scripts/package.sh) unless --skip-build or --zip, unzips it
# with unzip (Unix modes kept) into a temporary app root, and N times (default 10) starts the
# handler exactly as the Functions host would and times process start -> first 200 from
# /xrpc/_health and from describeServer. Prints min/median/p90 in ms, and the CPU time the
# handler used by then (steadier on a busy machine). --env passes runtime knobs
# (e.g. DOTNET_TieredPGO=0) to the handler for comparisons without rebuilding.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
zip="" build=1 measure_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) measure_args+=(--runs "$2"); shift 2 ;;
    --env) measure_args+=(--env "$2"); shift 2 ;;
    --fresh-data) measure_args+=(--fresh-data); shift ;;
    --skip-build) build=0; shift ;;
    --zip) zip="$2"; build=0; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
if [ -z "$zip" ]; then
  zip="$root/artifacts/functionapp.zip"
  if [ "$build" = 1 ]; then
    bash "$root/scripts/package.sh"
  fi
fi
[ -f "$zip" ] || { echo "run.sh: no package at $zip (run scripts/package.sh)" >&2; exit 1; }

app="$(mktemp -d "${TMPDIR:-/tmp}/pds-coldstart-app.XXXXXX")"
trap 'rm -rf "$app"' EXIT
unzip -q "$zip" -d "$app"
python3 "$root/bench/coldstart/measure.py" "$app" ${measure_args[@]+"${measure_args[@]}"}
