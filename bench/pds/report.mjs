#!/usr/bin/env node
// Side-by-side table from one run.sh results directory:
//   machine.json                    cores, CPU, load average, versions
//   round-N/reference.json, ours.json   driver.mjs output
//   round-N/reference.rss, ours.rss     "epoch_seconds VmRSS_kB" samples taken while that driver ran
//   round-N/reference.hwm, ours.hwm     VmHWM (kB) read right after that driver finished
//   round-N/rss-idle.json           VmRSS/VmHWM of both servers after start-up, before any load
// With several rounds every cell is the median over the rounds (the ratio is computed per round,
// and its median shown, with the per-round ratios alongside).
// Prints the table (markdown) and writes table.md and combined.json into the directory.
import { parseArgs } from 'node:util'
import { readFileSync, writeFileSync, existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'

const { values } = parseArgs({ options: { dir: { type: 'string' } } })
if (!values.dir) {
  console.error('report.mjs: --dir DIR is required')
  process.exit(2)
}
const dir = values.dir
const readJson = (f) => (existsSync(f) ? JSON.parse(readFileSync(f, 'utf8')) : null)
const readText = (f) => (existsSync(f) ? readFileSync(f, 'utf8') : '')

const machine = readJson(join(dir, 'machine.json')) ?? {}
const roundDirs = readdirSync(dir)
  .filter((d) => /^round-\d+$/.test(d))
  .sort((a, b) => Number(a.split('-')[1]) - Number(b.split('-')[1]))
  .map((d) => join(dir, d))
if (roundDirs.length === 0) roundDirs.push(dir) // a single run's files directly in DIR

function loadSide(rd, name) {
  const idle = readJson(join(rd, 'rss-idle.json')) ?? {}
  const drv = readJson(join(rd, `${name}.json`)) ?? { phases: {} }
  const samples = readText(join(rd, `${name}.rss`))
    .split('\n')
    .map((l) => l.trim().split(/\s+/).map(Number))
    .filter((a) => a.length === 2 && a.every(Number.isFinite) && a[1] > 0)
    .map(([t, kb]) => ({ t: t * 1000, kb }))
  const hwm = Number(readText(join(rd, `${name}.hwm`)).trim()) || null
  const peakSampled = samples.length ? Math.max(...samples.map((s) => s.kb)) : null
  // Peak sampled RSS per phase (samples taken between the phase's start and end).
  const phaseRss = {}
  for (const [k, p] of Object.entries(drv.phases)) {
    if (!p?.t_start) continue
    const inPhase = samples.filter((s) => s.t >= p.t_start && s.t <= p.t_end + 200)
    if (inPhase.length) phaseRss[k] = Math.max(...inPhase.map((s) => s.kb))
  }
  return { drv, hwm, peakSampled, phaseRss, idle: idle[name] ?? {} }
}

const phaseOf = (s, k) => {
  const p = s.drv.phases?.[k]
  return !p || p.skipped || p.error ? null : p
}
const val = (s, k, f) => {
  const p = phaseOf(s, k)
  const v = p ? f(p) : null
  return v === undefined || Number.isNaN(v) ? null : v
}
const cpuPerOp = (p) => (p.server_cpu_s != null && p.ok ? (p.server_cpu_s * 1000) / p.ok : null)
const mb = (kb) => (kb == null ? null : kb / 1024)
const cpuTotal = (s) => {
  const ps = Object.values(s.drv.phases ?? {}).filter((p) => p?.server_cpu_s != null)
  return ps.length ? ps.reduce((a, p) => a + p.server_cpu_s, 0) : null
}

// One round's rows. kind: 'rate' (higher is better: ratio = ours / reference), 'time' or 'mem'
// (lower is better: ratio = reference / ours), 'info' (no ratio). target: required ratio.
function roundRows(R, O) {
  const rows = []
  const row = (label, kind, f, target) => rows.push({ label, kind, ref: f(R), ours: f(O), target })
  for (const [k, label] of [
    ['createRecord_c1', 'createRecord, 1 client'],
    ['createRecord_c8', 'createRecord, 8 clients on 8 repos'],
    ['createRecord_c8_onerepo', 'createRecord, 8 clients on 1 repo'],
  ]) {
    row(`${label}: throughput (ops/s)`, 'rate', (s) => val(s, k, (p) => p.ops_per_s), 5)
    row(`${label}: p50 (ms)`, 'time', (s) => val(s, k, (p) => p.p50_ms))
    row(`${label}: p99 (ms)`, 'time', (s) => val(s, k, (p) => p.p99_ms))
    row(`${label}: server CPU per op (ms)`, 'time', (s) => val(s, k, cpuPerOp))
  }
  const sizes = [...new Set([...(R.drv.config?.repoSizes ?? []), ...(O.drv.config?.repoSizes ?? [])])].sort((a, b) => a - b)
  for (const n of sizes) {
    row(`applyWrites fill of ${n} records, 200 per call (records/s)`, 'rate', (s) => val(s, `fill_${n}`, (p) => p.records_per_s))
  }
  for (const k of ['getRecord', 'listRecords']) {
    for (const c of [1, 8]) {
      const label = `${k}${k === 'listRecords' ? ' (limit 100)' : ''}, ${c} client${c > 1 ? 's' : ''}`
      row(`${label}: throughput (ops/s)`, 'rate', (s) => val(s, `${k}_c${c}`, (p) => p.ops_per_s))
      row(`${label}: p50 (ms)`, 'time', (s) => val(s, `${k}_c${c}`, (p) => p.p50_ms))
      row(`${label}: p99 (ms)`, 'time', (s) => val(s, `${k}_c${c}`, (p) => p.p99_ms))
    }
  }
  for (const n of sizes) {
    row(`getRepo of ${n} records: median (ms)`, 'time', (s) => val(s, `getRepo_${n}`, (p) => p.median_ms), n === 5000 ? 10 : undefined)
    row(`getRepo of ${n} records: server CPU per call (ms)`, 'time', (s) =>
      val(s, `getRepo_${n}`, (p) => (p.server_cpu_s != null ? (p.server_cpu_s * 1000) / (p.runs + 1) : null)),
    )
    row(`getRepo of ${n} records: CAR size (KiB)`, 'info', (s) => val(s, `getRepo_${n}`, (p) => p.car_bytes / 1024))
  }
  row('firehose, createRecord response to #commit frame: p50 (ms)', 'time', (s) => val(s, 'firehose', (p) => p.p50_ms))
  row('firehose, createRecord response to #commit frame: p99 (ms)', 'time', (s) => val(s, 'firehose', (p) => p.p99_ms))
  row('firehose, createRecord request to #commit frame: p50 (ms)', 'time', (s) => val(s, 'firehose', (p) => p.from_request?.p50_ms))
  row('firehose, createRecord request to #commit frame: p99 (ms)', 'time', (s) => val(s, 'firehose', (p) => p.from_request?.p99_ms))
  for (const c of [1, 8]) {
    const k = `uploadBlob_c${c}`
    const label = `uploadBlob 1 MiB, ${c} client${c > 1 ? 's' : ''}`
    row(`${label}: throughput (uploads/s)`, 'rate', (s) => val(s, k, (p) => p.ops_per_s))
    row(`${label}: p50 (ms)`, 'time', (s) => val(s, k, (p) => p.p50_ms))
    row(`${label}: p99 (ms)`, 'time', (s) => val(s, k, (p) => p.p99_ms))
  }
  row('RSS after start-up, idle (MiB)', 'mem', (s) => mb(s.idle.idle_rss_kb))
  row('peak RSS during its run, sampled every 0.2 s (MiB)', 'mem', (s) => mb(s.peakSampled))
  row('peak RSS, VmHWM after its run (MiB)', 'mem', (s) => mb(s.hwm), 4)
  const lastMem = (s) => {
    const ps = Object.values(s.drv.phases ?? {}).filter((p) => p?.server_mem_end)
    return ps.length ? ps.at(-1).server_mem_end : null
  }
  row('RSS at the end of its run: anonymous memory (MiB)', 'mem', (s) => mb(lastMem(s)?.anon_kb))
  row('RSS at the end of its run: file-backed, mapped code (MiB)', 'mem', (s) => mb(lastMem(s)?.file_kb))
  row('RSS at the end of its run: shared memory (MiB; ours: W^X double-mapped JIT code)', 'mem', (s) => mb(lastMem(s)?.shmem_kb))
  row('threads at the end of its run', 'info', (s) => lastMem(s)?.threads ?? null)
  row('server CPU time over all timed phases (s)', 'time', (s) => cpuTotal(s))
  row('driver run time, wall (s)', 'time', (s) => s.drv.total_s ?? null)
  return rows
}

const ratioOf = (kind, ref, ours) => {
  if (kind === 'info' || ref == null || ours == null || !(ref > 0) || !(ours > 0)) return null
  return kind === 'rate' ? ours / ref : ref / ours
}
const median = (xs) => {
  const s = xs.filter((x) => x != null).sort((a, b) => a - b)
  if (s.length === 0) return null
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}

const rounds = roundDirs.map((rd) => {
  const R = loadSide(rd, 'reference')
  const O = loadSide(rd, 'ours')
  return { dir: rd, R, O, order: readText(join(rd, 'order')).trim() || machine.order, rows: roundRows(R, O) }
})
const rows = rounds[0].rows.map((r0, i) => {
  const per = rounds.map((rd) => rd.rows[i])
  const ratios = per.map((r) => ratioOf(r.kind, r.ref, r.ours))
  return {
    label: r0.label,
    kind: r0.kind,
    target: r0.target,
    ref: median(per.map((r) => r.ref)),
    ours: median(per.map((r) => r.ours)),
    ratio: median(ratios),
    ratios,
  }
})

// ---- formatting ------------------------------------------------------------------------------
const fmt = (v) => {
  if (v == null || Number.isNaN(v)) return '—'
  const a = Math.abs(v)
  if (a >= 1000) return Math.round(v).toLocaleString('en-US')
  if (a >= 100) return v.toFixed(0)
  if (a >= 10) return v.toFixed(1)
  return v.toFixed(2)
}
const multi = rounds.length > 1
const lines = []
lines.push(`machine: ${machine.nproc ?? '?'} cores, ${machine.cpu ?? '?'}, ${machine.mem_total_mb ?? '?'} MiB, kernel ${machine.kernel ?? '?'}`)
lines.push(`load average (1/5/15 min) at the start of each driver run:`)
for (const [i, rd] of rounds.entries()) {
  const la = (s) => s.drv.machine?.loadavg_start?.map((x) => x.toFixed(2)).join(' ') ?? '?'
  lines.push(`  round ${i + 1} (${rd.order}): reference ${la(rd.R)}; ours ${la(rd.O)}`)
}
lines.push(`  after the last run: ${machine.loadavg_end ?? '?'}`)
lines.push(
  `reference: @atproto/pds ${machine.reference_pds ?? '?'} on Node ${rounds[0].R.drv.node ?? '?'}; ours: Release build, .NET SDK ${machine.dotnet ?? '?'}${machine.ours_env ? `, env ${machine.ours_env}` : ''}; driver: Node ${rounds[0].O.drv.node ?? '?'}`,
)
const c = rounds[0].O.drv.config ?? {}
lines.push(
  `counts: createRecord ${c.creates} per mode after ${c.warmup} warm-up calls, reads ${c.reads} per mode, getRepo median of ${c.getRepoRuns}, firehose ${c.firehose} writes, uploadBlob ${c.blobs} per mode of ${c.blobBytes} bytes; ${rounds.length} round${multi ? 's (cells are medians over rounds)' : ''}`,
)
lines.push('')
lines.push(`| operation | reference | ours | ratio (× in our favour) |${multi ? ' ratio per round |' : ''} target met? |`)
lines.push(`|---|---:|---:|---:|${multi ? '---|' : ''}---|`)
for (const r of rows) {
  let verdict = ''
  if (r.target) {
    if (r.ratio == null) verdict = `no data (target ≥ ${r.target}×)`
    else if (r.ratio >= r.target) verdict = `yes (≥ ${r.target}×)`
    else verdict = `**NO**: ${r.ratio.toFixed(2)}× of ${r.target}× (${Math.round((r.ratio / r.target) * 100)}% of target)`
  }
  const per = multi ? ` ${r.ratios.map((x) => (x == null ? '—' : x.toFixed(2))).join(', ')} |` : ''
  lines.push(`| ${r.label} | ${fmt(r.ref)} | ${fmt(r.ours)} | ${r.ratio == null ? '—' : r.ratio.toFixed(2) + '×'} |${per} ${verdict} |`)
}
lines.push('')
lines.push('ratio: throughput ours/reference; times, memory and CPU reference/ours (so > 1 always means ours is better).')
const problems = []
for (const [i, rd] of rounds.entries()) {
  for (const [name, s] of [['reference', rd.R], ['ours', rd.O]]) {
    for (const [k, p] of Object.entries(s.drv.phases ?? {})) {
      const where = `round ${i + 1} ${name} ${k}`
      if (p?.error) problems.push(`${where}: failed: ${p.error.split('\n')[0]}`)
      if (p?.skipped) problems.push(`${where}: skipped (${p.skipped})`)
      if (p?.errors) problems.push(`${where}: ${p.errors} failed requests, first: ${p.first_error}`)
      if (p?.capped) problems.push(`${where}: stopped at the time cap after ${p.ok ?? p.delivered} operations`)
      if (p?.complete === false) problems.push(`${where}: only ${p.records} records written`)
      if (p?.missed_5s) problems.push(`${where}: ${p.missed_5s} writes not seen on the firehose within 5 s`)
      if (p?.frame_before_response) problems.push(`${where}: ${p.frame_before_response} of ${p.delivered} #commit frames arrived before the createRecord response`)
    }
  }
}
if (problems.length) {
  lines.push('')
  lines.push('notes:')
  for (const p of problems) lines.push(`- ${p}`)
}
// Where each server spent its CPU: per phase, server CPU seconds / wall seconds (median over
// rounds), the driver's own CPU, and the peak sampled RSS.
lines.push('')
lines.push('per phase (medians over rounds): server CPU s / wall s (2 cores = at most 2 CPU s per wall s), driver CPU s, peak sampled RSS MiB:')
lines.push('')
lines.push('| phase | reference CPU / wall | ours CPU / wall | driver CPU vs reference | driver CPU vs ours | reference RSS | ours RSS |')
lines.push('|---|---:|---:|---:|---:|---:|---:|')
const phaseNames = [...new Set(rounds.flatMap((rd) => [...Object.keys(rd.R.drv.phases ?? {}), ...Object.keys(rd.O.drv.phases ?? {})]))].filter(
  (k) => k !== 'accounts' && k !== 'warmup',
)
for (const k of phaseNames) {
  const m = (side, f) => median(rounds.map((rd) => val(rd[side], k, f)))
  const cw = (side) => {
    const cpu = m(side, (p) => p.server_cpu_s)
    return cpu == null ? '—' : `${fmt(cpu)} / ${fmt(m(side, (p) => p.wall_s))}`
  }
  const rss = (side) => fmt(mb(median(rounds.map((rd) => rd[side].phaseRss[k] ?? null))))
  lines.push(
    `| ${k} | ${cw('R')} | ${cw('O')} | ${fmt(m('R', (p) => p.driver_cpu_s))} | ${fmt(m('O', (p) => p.driver_cpu_s))} | ${rss('R')} | ${rss('O')} |`,
  )
}
const table = lines.join('\n') + '\n'
process.stdout.write(table)
writeFileSync(join(dir, 'table.md'), table)
writeFileSync(join(dir, 'combined.json'), JSON.stringify({ machine, rows, rounds: rounds.map((r) => ({ dir: r.dir, order: r.order, rows: r.rows })) }, null, 2) + '\n')
