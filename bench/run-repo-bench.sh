#!/usr/bin/env bash
# bench/run-repo-bench.sh [--records N] [--iterations K] [--rounds R] [--out DIR] [--skip-micro]
#
# Runs the official @atproto/repo reference (bench/reference/repo-bench.mjs) and our
# quick compare mode (bench/Pds.Benchmarks --compare) one after the other on this machine,
# with the same record count and iteration count, and prints them side by side. Target:
# build_and_write_car and read_and_verify_car each at least 5x faster than @atproto/repo.
# --rounds R (default 1) repeats the pair R times, alternating which side goes first, and
# reports the median over rounds of each side's median: steadier on a shared machine.
# Needs dotnet and node (npm installs bench/reference's pinned packages if missing); the
# JSON of every run and the merged result are kept in --out (default: a new temp dir).
set -euo pipefail
cd "$(dirname "$0")/.."

records=10000
iterations=5
rounds=1
out=""
micro=1
while [ $# -gt 0 ]; do
  case "$1" in
    --records) records="$2"; shift 2 ;;
    --iterations) iterations="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --skip-micro) micro=0; shift ;;
    -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
done
for v in "$records" "$iterations" "$rounds"; do
  case "$v" in
    ""|*[!0-9]*|0) echo "--records, --iterations and --rounds take positive integers" >&2; exit 2 ;;
  esac
done

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
for tool in node npm dotnet; do
  command -v "$tool" >/dev/null || { echo "$tool is required" >&2; exit 1; }
done

if [ -z "$out" ]; then
  out=$(mktemp -d "${TMPDIR:-/tmp}/repo-bench.XXXXXX")
fi
mkdir -p "$out"

if [ ! -f bench/reference/node_modules/@atproto/repo/package.json ]; then
  echo "== installing bench/reference packages (npm ci)" >&2
  (cd bench/reference && npm ci --no-audit --no-fund --loglevel=error) >&2
fi

echo "== building bench/Pds.Benchmarks (Release)" >&2
if ! dotnet build bench/Pds.Benchmarks -c Release -v quiet >"$out/build.log" 2>&1; then
  cat "$out/build.log" >&2
  exit 1
fi

cpu_model=$(sed -n 's/^model name[[:space:]]*:[[:space:]]*//p' /proc/cpuinfo 2>/dev/null | head -n 1)
echo "machine: $(nproc) cores, ${cpu_model:-unknown CPU}, $(uname -sr)"
echo "tools:   node $(node --version), dotnet SDK $(dotnet --version)"
echo "load:    $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown) (1/5/15 min) before the runs"
echo "run:     --records $records --iterations $iterations --rounds $rounds (one warm-up each, full GC before every timed iteration)"
echo

micro_flag=()
if [ "$micro" = 0 ]; then
  micro_flag=(--skip-micro)
  echo "note: --skip-micro only shortens our side; the JS script always measures its per-second numbers" >&2
fi

run_js() {
  echo "== round $1: @atproto/repo: node --expose-gc repo-bench.mjs --records $records --iterations $iterations" >&2
  (cd bench/reference && node --expose-gc repo-bench.mjs --records "$records" --iterations "$iterations") >"$out/atproto-repo.$1.json"
}
run_cs() {
  echo "== round $1: Pds.Core: dotnet run -c Release --project bench/Pds.Benchmarks -- --compare --records $records --iterations $iterations" >&2
  dotnet run -c Release --no-build --project bench/Pds.Benchmarks -- \
    --compare --records "$records" --iterations "$iterations" "${micro_flag[@]}" >"$out/pds-core.$1.json"
}
for round in $(seq 1 "$rounds"); do
  if [ $((round % 2)) = 1 ]; then run_js "$round"; run_cs "$round"; else run_cs "$round"; run_js "$round"; fi
done

node -e '
const fs = require("fs");
const [dir, roundsArg] = process.argv.slice(1);
const rounds = Number(roundsArg);
const load = (name) => Array.from({ length: rounds }, (_, i) => JSON.parse(fs.readFileSync(`${dir}/${name}.${i + 1}.json`, "utf8")));
const jsRuns = load("atproto-repo");
const csRuns = load("pds-core");
const js = jsRuns[0], cs = csRuns[0];
const TARGET = 5;
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const r1 = (x) => Math.round(x * 10) / 10;
const fmt = (x) => (x === undefined || x === null ? "-" : typeof x === "number" ? x.toLocaleString("en-US", { maximumFractionDigits: 1 }) : String(x));
const rows = [];
const verdicts = [];
const perRound = [];
// Times: lower is better, speed-up = theirs / ours. Median over rounds of each round median.
for (const [key, label] of [["build_and_write_car_ms", "build_and_write_car"], ["read_and_verify_car_ms", "read_and_verify_car"]]) {
  const a = r1(median(jsRuns.map((r) => r[key].median)));
  const b = r1(median(csRuns.map((r) => r[key].median)));
  const aMin = Math.min(...jsRuns.map((r) => r[key].min));
  const bMin = Math.min(...csRuns.map((r) => r[key].min));
  const speedup = a / b;
  const met = speedup >= TARGET;
  verdicts.push({ operation: label, atproto_repo_median_ms: a, pds_core_median_ms: b, speedup: r1(speedup), met });
  rows.push([`${label} (${js.records} records), median ms`, fmt(a), fmt(b), `${speedup.toFixed(1)}x`, `${TARGET}x ${met ? "met" : "NOT MET"}`]);
  rows.push([`${label}, min ms`, fmt(aMin), fmt(bMin), `${(aMin / bMin).toFixed(1)}x`, ""]);
  perRound.push(`${label}: ` + jsRuns.map((r, i) => `${(r[key].median / csRuns[i][key].median).toFixed(1)}x`).join(", "));
}
// Rates: higher is better, speed-up = ours / theirs. Median over rounds.
const rate = (runs, key) => (runs[0][key] === undefined ? undefined : Math.round(median(runs.map((r) => r[key]))));
for (const [key, label] of [
  ["k256_sign_per_sec", "k256 sign, per s"],
  ["k256_verify_per_sec", "k256 verify (did:key parsed each call), per s"],
  ["dag_cbor_encode_post_per_sec", "DAG-CBOR encode post, per s"],
  ["dag_cbor_decode_post_per_sec", "DAG-CBOR decode post, per s"],
  ["dag_cbor_encode_and_cid_post_per_sec", "DAG-CBOR encode + CID post, per s"],
]) {
  const a = rate(jsRuns, key), b = rate(csRuns, key);
  if (a === undefined || b === undefined) continue;
  rows.push([label, fmt(a), fmt(b), `${(b / a).toFixed(1)}x`, ""]);
}
const cached = rate(csRuns, "k256_verify_cached_key_per_sec");
if (cached !== undefined) rows.push(["k256 verify (key object reused; ours only), per s", "-", fmt(cached), "", ""]);
rows.push(["CAR bytes", fmt(js.car_bytes), fmt(cs.car_bytes), "", js.car_bytes === cs.car_bytes ? "same size" : "sizes differ"]);
const loads = (runs) => `${Math.min(...runs.map((r) => r.loadavg_1m.before))}..${Math.max(...runs.map((r) => r.loadavg_1m.after))}`;
rows.push(["1-min load average during the runs", loads(jsRuns), loads(csRuns), "", ""]);
const header = ["operation", `@atproto/repo ${js.version} (node ${js.node})`, `Pds.Core (${cs.runtime})`, "speed-up", "target"];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (r) => "| " + r.map((c, i) => (i === 0 || i === 4 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(" | ") + " |";
console.log(line(header));
console.log("|" + widths.map((w, i) => (i === 0 || i === 4 ? ":" + "-".repeat(w + 1) : "-".repeat(w + 1) + ":")).join("|") + "|");
for (const r of rows) console.log(line(r));
console.log();
if (rounds > 1) console.log(`speed-up of the medians, round by round: ${perRound.join("; ")}`);
for (let i = 0; i < rounds; i++) {
  console.log(`round ${i + 1} runs (ms, sorted): @atproto/repo build ${JSON.stringify(jsRuns[i].build_and_write_car_ms.runs)} verify ${JSON.stringify(jsRuns[i].read_and_verify_car_ms.runs)}`);
  console.log(`${" ".repeat(`round ${i + 1} runs (ms, sorted): `.length)}Pds.Core      build ${JSON.stringify(csRuns[i].build_and_write_car_ms.runs)} verify ${JSON.stringify(csRuns[i].read_and_verify_car_ms.runs)}`);
}
fs.writeFileSync(`${dir}/combined.json`, JSON.stringify({ target_speedup: TARGET, rounds, verdicts, atproto_repo: jsRuns, pds_core: csRuns }, null, 2) + "\n");
const all = verdicts.every((v) => v.met);
console.log(all ? `target met: both headline operations are at least ${TARGET}x faster` : `target NOT met for: ${verdicts.filter((v) => !v.met).map((v) => v.operation).join(", ")}`);
' "$out" "$rounds"

echo
echo "results: $out/atproto-repo.<round>.json, $out/pds-core.<round>.json, $out/combined.json"
echo "timings are wall clock on a shared machine: compare the load averages, rerun if they are high"
