#!/usr/bin/env node
// repo-bench.mjs [--records 10000] [--iterations 5] [--batched]
//
// Baseline numbers for the official atproto JS stack on this machine.
//
// (a) build_and_write_car: N post-like records ($type, text, createdAt; rkeys
//     are TIDs) become one signed repo and a CAR in memory. This uses the
//     fastest route @atproto/repo offers for an import: a single
//     Repo.formatInitCommit over a MemoryBlockstore with all N creates (the
//     library has no bulk MST builder; formatInitCommit adds keys one by one,
//     which is what a PDS creating a repo from writes does), then
//     blocksToCarFile(commitCid, commit.newBlocks) -- for an init commit the
//     new blocks are exactly the full repo (commit + MST nodes + records).
//     Generating the JS record objects and rkeys is done before timing.
// (b) read_and_verify_car: verifyRepoCar(carBytes, did, didKey), the
//     library's full check: readCarWithRoot (parses the CAR, hashes every
//     block against its CID), commit signature against the did:key, walk of
//     the whole MST, presence of every record block.
//
// With --batched, also times the "several commits" route (init commit, then
// applyWrites in batches of 200, then getFullRepo) for comparison; it is
// several times slower, which is why (a) uses the single init commit.
//
// Each measurement runs one warm-up iteration first, then reports median and
// min milliseconds over --iterations (with `node --expose-gc` a full GC runs
// before each timed iteration, so one iteration's garbage is not billed to
// the next). Also reported: secp256k1 sign/verify
// per second via @atproto/crypto and DAG-CBOR encode/decode per second of a
// typical post via @atproto/lex-cbor (the codec @atproto/repo uses).
// Output: one JSON object on stdout.

import { readFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { performance } from 'node:perf_hooks'

import { TID } from '@atproto/common-web'
import { Secp256k1Keypair, verifySignature } from '@atproto/crypto'
import { decode, encode } from '@atproto/lex-cbor'
import { cidForCbor } from '@atproto/lex-data'
import {
  MemoryBlockstore,
  Repo,
  WriteOpAction,
  blocksToCarFile,
  concatBytesAsync,
  getFullRepo,
  verifyRepoCar,
} from '@atproto/repo'

function arg(name, def) {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 ? Number(process.argv[i + 1]) : def
}
const N = arg('records', 10000)
const ITER = arg('iterations', 5)
const BATCHED = process.argv.includes('--batched')
const loadBefore = loadavg()[0]

const pkgVersion = (name) =>
  JSON.parse(readFileSync(new URL(`./node_modules/${name}/package.json`, import.meta.url))).version

const DID = 'did:plc:benchrepo2aaaaaaaaaaaaaa'
const keypair = await Secp256k1Keypair.import(
  '5c1e1b3d4f2a6b8c9d0e1f2a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e',
)
const didKey = keypair.did()

const BASE_MS = Date.UTC(2024, 0, 1)
const writes = Array.from({ length: N }, (_, i) => ({
  action: WriteOpAction.Create,
  collection: 'app.bsky.feed.post',
  rkey: TID.fromTime((BASE_MS + i * 1000) * 1000, 3).toString(),
  record: {
    $type: 'app.bsky.feed.post',
    text: `Benchmark post number ${i}: the quick brown fox jumps over the lazy dog.`,
    createdAt: new Date(BASE_MS + i * 1000).toISOString(),
  },
}))

const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  const mid = s.length >> 1
  const median = s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2
  const r = (x) => Math.round(x * 10) / 10
  return { median: r(median), min: r(s[0]), runs: s.map(r) }
}

// Wall-clock ms per iteration, plus process CPU ms (user+system, all threads
// including GC helpers) as a cross-check when the machine is busy.
async function timeIt(fn) {
  await fn() // warm-up
  const times = []
  const cpu = []
  let last
  for (let i = 0; i < ITER; i++) {
    globalThis.gc?.()
    const c0 = process.cpuUsage()
    const t0 = performance.now()
    last = await fn()
    times.push(performance.now() - t0)
    const c = process.cpuUsage(c0)
    cpu.push((c.user + c.system) / 1000)
  }
  const { median, min } = stats(cpu)
  return { ...stats(times), cpu: { median, min }, last }
}

async function buildAndWriteCar() {
  const storage = new MemoryBlockstore()
  const commit = await Repo.formatInitCommit(storage, DID, keypair, writes)
  return blocksToCarFile(commit.cid, commit.newBlocks)
}

async function buildBatchedAndWriteCar() {
  const storage = new MemoryBlockstore()
  let repo = await Repo.create(storage, DID, keypair, writes.slice(0, 200))
  for (let i = 200; i < writes.length; i += 200) {
    repo = await repo.applyWrites(writes.slice(i, i + 200), keypair)
  }
  return concatBytesAsync(getFullRepo(storage, repo.cid))
}

// Operations per second: run fn in a loop for ~durationMs after a warm-up.
async function opsPerSec(fn, durationMs = 2000) {
  for (let i = 0; i < 200; i++) await fn(i)
  let n = 0
  const t0 = performance.now()
  let t = t0
  while (t - t0 < durationMs) {
    for (let i = 0; i < 100; i++) await fn(n + i)
    n += 100
    t = performance.now()
  }
  return Math.round((n * 1000) / (t - t0))
}

const build = await timeIt(buildAndWriteCar)
const car = build.last
const verify = await timeIt(async () => {
  const v = await verifyRepoCar(car, DID, didKey)
  if (v.creates.length !== N) throw new Error(`verified ${v.creates.length} records, expected ${N}`)
})

let batched
if (BATCHED) {
  batched = await timeIt(buildBatchedAndWriteCar)
}

// Crypto: sign/verify a commit-sized message (the DAG-CBOR of an unsigned commit).
const unsigned = encode({
  did: DID,
  version: 3,
  data: await cidForCbor(encode({ e: [], l: null })),
  rev: '3lenax2ss222b',
  prev: null,
})
const msgs = Array.from({ length: 256 }, (_, i) => {
  const m = new Uint8Array(unsigned.length + 4)
  m.set(unsigned)
  new DataView(m.buffer).setUint32(unsigned.length, i)
  return m
})
const sigs = await Promise.all(msgs.map((m) => keypair.sign(m)))
const signPerSec = await opsPerSec((i) => keypair.sign(msgs[i & 255]))
const verifyPerSec = await opsPerSec(async (i) => {
  if (!(await verifySignature(didKey, msgs[i & 255], sigs[i & 255]))) throw new Error('bad sig')
})

// DAG-CBOR of a typical post.
const post = {
  $type: 'app.bsky.feed.post',
  text: 'Just setting up my PDS 🦋 — testing DAG-CBOR round trips with a typical post length.',
  createdAt: '2024-03-01T12:34:56.789Z',
  langs: ['en'],
}
const postBytes = encode(post)
const encodePerSec = await opsPerSec(() => encode(post))
const decodePerSec = await opsPerSec(() => decode(postBytes))
const encodeCidPerSec = await opsPerSec(() => cidForCbor(encode(post)))

const out = {
  impl: '@atproto/repo',
  version: pkgVersion('@atproto/repo'),
  versions: {
    '@atproto/repo': pkgVersion('@atproto/repo'),
    '@atproto/crypto': pkgVersion('@atproto/crypto'),
    '@atproto/lex-cbor': pkgVersion('@atproto/lex-cbor'),
    '@noble/curves': pkgVersion('@noble/curves'),
    cborg: pkgVersion('cborg'),
  },
  node: process.version,
  cpu: `${cpus().length} x ${cpus()[0]?.model ?? 'unknown'}`,
  // 1-minute load average before/after: other processes on this 2-core box
  // skew wall-clock numbers; rerun when these are well above ~1.
  loadavg_1m: { before: Math.round(loadBefore * 100) / 100, after: Math.round(loadavg()[0] * 100) / 100 },
  forced_gc_between_iterations: typeof globalThis.gc === 'function',
  records: N,
  iterations: ITER,
  build_and_write_car_ms: { median: build.median, min: build.min, runs: build.runs },
  read_and_verify_car_ms: { median: verify.median, min: verify.min, runs: verify.runs },
  build_and_write_car_cpu_ms: build.cpu,
  read_and_verify_car_cpu_ms: verify.cpu,
  car_bytes: car.length,
  ...(batched && {
    batched_build_and_write_car_ms: {
      median: batched.median,
      min: batched.min,
      runs: batched.runs,
      cpu: batched.cpu,
      batch: 200,
    },
  }),
  k256_sign_per_sec: signPerSec,
  k256_verify_per_sec: verifyPerSec,
  post_cbor_bytes: postBytes.length,
  dag_cbor_encode_post_per_sec: encodePerSec,
  dag_cbor_decode_post_per_sec: decodePerSec,
  dag_cbor_encode_and_cid_post_per_sec: encodeCidPerSec,
}
process.stdout.write(JSON.stringify(out) + '\n')
