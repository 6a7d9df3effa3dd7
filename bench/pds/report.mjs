#!/usr/bin/env node
// Side-by-side table from one run.sh results directory:
//   reference.json / ours.json   driver.mjs output
//   reference.rss / ours.rss     "epoch_seconds VmRSS_kB" samples taken while that driver ran
//   reference.hwm / ours.hwm     VmHWM (kB) read right after that driver finished
//   rss-idle.json                VmRSS/VmHWM of both servers after start-up, before any load
//   machine.json                 cores, CPU, load average, versions
// Prints the table (markdown) and writes table.md and combined.json next to the inputs.
import { parseArgs } from 'node:util'
import { readFileSync, writeFileSync, existsSync } from 'node:fs'
import { join } from 'node:path'

const { values } = parseArgs({ options: { dir: { type: 'string' } } })
if (!values.dir) {
  console.error('report.mjs: --dir DIR is required')
  process.exit(2)
}
const dir = values.dir
const readJson = (f) => (existsSync(join(dir, f)) ? JSON.parse(readFileSync(join(dir, f), 'utf8')) : null)
const readText = (f) => (existsSync(join(dir, f)) ? readFileSync(join(dir, f), 'utf8') : '')

const machine = readJson('machine.json') ?? {}
const idle = readJson('rss-idle.json') ?? {}
const side = {}
for (const name of ['reference', 'ours']) {
  const drv = readJson(`${name}.json`) ?? { phases: {} }
  const samples = readText(`${name}.rss`)
    .split('\n')
    .map((l) => l.trim().split(/\s+/).map(Number))
    .filter((a) => a.length === 2 && a.every(Number.isFinite) && a[1] > 0)
    .map(([t, kb]) => ({ t: t * 1000, kb }))
  const hwm = Number(readText(`${name}.hwm`).trim()) || null
  const peakSampled = samples.length ? Math.max(...samples.map((s) => s.kb)) : null
  // Peak sampled RSS per phase (samples taken between the phase's start and end).
  const phaseRss = {}
  for (const [k, p] of Object.entries(drv.phases)) {
    if (!p?.t_start) continue
    const inPhase = samples.filter((s) => s.t >= p.t_start && s.t <= p.t_end + 200)
    if (inPhase.length) phaseRss[k] = Math.max(...inPhase.map((s) => s.kb))
  }
  side[name] = { drv, hwm, peakSampled, samples: samples.length, phaseRss, idle: idle[name] ?? {} }
}
const R = side.reference
const O = side.ours

const ph = (s, k) => s.drv.phases?.[k]
const get = (s, k, f) => {
  const p = ph(s, k)
  if (!p || p.skipped || p.error) return null
  const v = f(p)
  return v === undefined ? null : v
}

// kind: 'rate' (higher is better: advantage = ours / ref), 'time' or 'mem' (lower is better:
// advantage = ref / ours). target: required advantage (×).
const rows = []
const row = (label, kind, refV, oursV, target, unit = '') => rows.push({ label, kind, ref: refV, ours: oursV, target, unit })
const mb = (kb) => (kb == null ? null : kb / 1024)

for (const [k, label, target] of [
  ['createRecord_c1', 'createRecord, 1 client', 5],
  ['createRecord_c8', 'createRecord, 8 clients on 8 repos', 5],
  ['createRecord_c8_onerepo', 'createRecord, 8 clients on 1 repo', 5],
]) {
  row(`${label}: throughput (ops/s)`, 'rate', get(R, k, (p) => p.ops_per_s), get(O, k, (p) => p.ops_per_s), target)
  row(`${label}: p50 (ms)`, 'time', get(R, k, (p) => p.p50_ms), get(O, k, (p) => p.p50_ms))
  row(`${label}: p99 (ms)`, 'time', get(R, k, (p) => p.p99_ms), get(O, k, (p) => p.p99_ms))
  row(`${label}: server CPU per op (ms)`, 'time', get(R, k, (p) => cpuPerOp(p)), get(O, k, (p) => cpuPerOp(p)))
}
function cpuPerOp(p) {
  return p.server_cpu_s != null && p.ok ? (p.server_cpu_s * 1000) / p.ok : null
}
const sizes = [...new Set([...(R.drv.config?.repoSizes ?? []), ...(O.drv.config?.repoSizes ?? [])])].sort((a, b) => a - b)
for (const n of sizes) {
  row(`applyWrites fill of ${n} records, 200 per call (records/s)`, 'rate', get(R, `fill_${n}`, (p) => p.records_per_s), get(O, `fill_${n}`, (p) => p.records_per_s))
}
for (const k of ['getRecord', 'listRecords']) {
  for (const c of [1, 8]) {
    const label = `${k}${k === 'listRecords' ? ' (limit 100)' : ''}, ${c} client${c > 1 ? 's' : ''}`
    row(`${label}: throughput (ops/s)`, 'rate', get(R, `${k}_c${c}`, (p) => p.ops_per_s), get(O, `${k}_c${c}`, (p) => p.ops_per_s))
    row(`${label}: p50 (ms)`, 'time', get(R, `${k}_c${c}`, (p) => p.p50_ms), get(O, `${k}_c${c}`, (p) => p.p50_ms))
    row(`${label}: p99 (ms)`, 'time', get(R, `${k}_c${c}`, (p) => p.p99_ms), get(O, `${k}_c${c}`, (p) => p.p99_ms))
  }
}
for (const n of sizes) {
  row(`getRepo of ${n} records: median (ms)`, 'time', get(R, `getRepo_${n}`, (p) => p.median_ms), get(O, `getRepo_${n}`, (p) => p.median_ms), n === 5000 ? 10 : undefined)
  row(`getRepo of ${n} records: CAR size (KiB)`, 'info', get(R, `getRepo_${n}`, (p) => p.car_bytes / 1024), get(O, `getRepo_${n}`, (p) => p.car_bytes / 1024))
}
row('firehose delivery after createRecord response: p50 (ms)', 'time', get(R, 'firehose', (p) => p.p50_ms), get(O, 'firehose', (p) => p.p50_ms))
row('firehose delivery after createRecord response: p99 (ms)', 'time', get(R, 'firehose', (p) => p.p99_ms), get(O, 'firehose', (p) => p.p99_ms))
row('firehose: createRecord request to #commit frame, p50 (ms)', 'time', get(R, 'firehose', (p) => p.from_request?.p50_ms), get(O, 'firehose', (p) => p.from_request?.p50_ms))
row('firehose: createRecord request to #commit frame, p99 (ms)', 'time', get(R, 'firehose', (p) => p.from_request?.p99_ms), get(O, 'firehose', (p) => p.from_request?.p99_ms))
for (const c of [1, 8]) {
  const k = `uploadBlob_c${c}`
  const label = `uploadBlob 1 MB, ${c} client${c > 1 ? 's' : ''}`
  row(`${label}: throughput (uploads/s)`, 'rate', get(R, k, (p) => p.ops_per_s), get(O, k, (p) => p.ops_per_s))
  row(`${label}: p50 (ms)`, 'time', get(R, k, (p) => p.p50_ms), get(O, k, (p) => p.p50_ms))
  row(`${label}: p99 (ms)`, 'time', get(R, k, (p) => p.p99_ms), get(O, k, (p) => p.p99_ms))
}
row('RSS after start-up, idle (MiB)', 'mem', mb(R.idle.idle_rss_kb), mb(O.idle.idle_rss_kb))
row('peak RSS during its run, sampled every 0.2 s (MiB)', 'mem', mb(R.peakSampled), mb(O.peakSampled))
row('peak RSS, VmHWM after its run (MiB)', 'mem', mb(R.hwm), mb(O.hwm), 4)
const cpuTotal = (s) => {
  const ps = Object.values(s.drv.phases ?? {}).filter((p) => p?.server_cpu_s != null)
  return ps.length ? ps.reduce((a, p) => a + p.server_cpu_s, 0) : null
}
row('server CPU time over all timed phases (s)', 'time', cpuTotal(R), cpuTotal(O))

// ---- formatting ------------------------------------------------------------------------------
const fmt = (v) => {
  if (v == null || Number.isNaN(v)) return '—'
  const a = Math.abs(v)
  if (a >= 1000) return Math.round(v).toLocaleString('en-US')
  if (a >= 100) return v.toFixed(0)
  if (a >= 10) return v.toFixed(1)
  return v.toFixed(2)
}
const advantage = (r) => {
  if (r.kind === 'info' || r.ref == null || r.ours == null) return null
  if (r.kind === 'rate') return r.ours > 0 && r.ref > 0 ? r.ours / r.ref : null
  return r.ours > 0 && r.ref > 0 ? r.ref / r.ours : null
}
const lines = []
lines.push(`machine: ${machine.nproc ?? '?'} cores, ${machine.cpu ?? '?'}, ${machine.mem_total_mb ?? '?'} MiB, kernel ${machine.kernel ?? '?'}`)
lines.push(
  `load average at the start of each run: reference ${R.drv.machine?.loadavg_start?.map((x) => x.toFixed(2)).join(' ') ?? '?'}, ours ${O.drv.machine?.loadavg_start?.map((x) => x.toFixed(2)).join(' ') ?? '?'}; at the end: ${machine.loadavg_end ?? '?'}`,
)
lines.push(`reference: @atproto/pds ${machine.reference_pds ?? '?'} on Node ${R.drv.node ?? machine.node ?? '?'}; ours: Release build on .NET SDK ${machine.dotnet ?? '?'}; order: ${machine.order ?? '?'}; driver run time: reference ${R.drv.total_s ?? '?'} s, ours ${O.drv.total_s ?? '?'} s`)
lines.push('')
lines.push('| operation | reference | ours | ratio (× in our favour) | target met? |')
lines.push('|---|---:|---:|---:|---|')
for (const r of rows) {
  const adv = advantage(r)
  let verdict = ''
  if (r.target) {
    if (adv == null) verdict = `no data (target ≥ ${r.target}×)`
    else if (adv >= r.target) verdict = `yes (≥ ${r.target}×)`
    else verdict = `NO: ${adv.toFixed(2)}× of ${r.target}× (${Math.round((adv / r.target) * 100)}% of target)`
  }
  lines.push(`| ${r.label} | ${fmt(r.ref)} | ${fmt(r.ours)} | ${adv == null ? '—' : adv.toFixed(2) + '×'} | ${verdict} |`)
}
lines.push('')
lines.push('ratio: throughput ours/reference; times, memory and CPU reference/ours (so > 1 always means ours is better).')
const problems = []
for (const [name, s] of [['reference', R], ['ours', O]]) {
  for (const [k, p] of Object.entries(s.drv.phases ?? {})) {
    if (p?.error) problems.push(`${name} ${k}: failed: ${p.error.split('\n')[0]}`)
    if (p?.skipped) problems.push(`${name} ${k}: skipped (${p.skipped})`)
    if (p?.errors) problems.push(`${name} ${k}: ${p.errors} failed requests, first: ${p.first_error}`)
    if (p?.capped) problems.push(`${name} ${k}: stopped at the time cap after ${p.ok ?? p.delivered} operations`)
    if (p?.missed_5s) problems.push(`${name} ${k}: ${p.missed_5s} writes not seen on the firehose within 5 s`)
    if (p?.frame_before_response) problems.push(`${name} ${k}: ${p.frame_before_response} #commit frames arrived before the createRecord response`)
  }
}
if (problems.length) {
  lines.push('')
  lines.push('notes:')
  for (const p of problems) lines.push(`- ${p}`)
}
// Where each server spent its CPU: per phase, server CPU seconds / wall seconds.
lines.push('')
lines.push('server CPU utilisation per phase (CPU s / wall s; 2.0 = both cores), and peak sampled RSS (MiB):')
lines.push('')
lines.push('| phase | reference CPU/wall | ours CPU/wall | reference RSS | ours RSS |')
lines.push('|---|---:|---:|---:|---:|')
const phaseNames = [...new Set([...Object.keys(R.drv.phases ?? {}), ...Object.keys(O.drv.phases ?? {})])].filter((k) => k !== 'accounts')
for (const k of phaseNames) {
  const cw = (s) => {
    const p = ph(s, k)
    return p?.server_cpu_s != null ? `${fmt(p.server_cpu_s)} / ${fmt(p.wall_s)}` : '—'
  }
  lines.push(`| ${k} | ${cw(R)} | ${cw(O)} | ${fmt(mb(R.phaseRss[k]))} | ${fmt(mb(O.phaseRss[k]))} |`)
}
const table = lines.join('\n') + '\n'
process.stdout.write(table)
writeFileSync(join(dir, 'table.md'), table)
writeFileSync(
  join(dir, 'combined.json'),
  JSON.stringify({ machine, rows: rows.map((r) => ({ ...r, advantage: advantage(r) })), reference: R, ours: O }, null, 2) + '\n',
)
