#!/usr/bin/env node
// The reference PDS (@atproto/pds from npm), configured to run offline on this machine.
//
//   node reference-pds.mjs --plc URL [--port N] [--admin-password P] [--data-dir DIR]
//
// SQLite + disk blobstore in a temporary data directory (removed on exit unless
// --data-dir was given), hostname `localhost`, dev mode, invites off, service
// handle domain `.test`, a fresh secp256k1 PLC rotation key, no crawlers, no
// email, no real app view. Listens on 127.0.0.1 and prints one JSON line to stdout
// when ready:
//   {"url":"http://127.0.0.1:PORT","publicUrl":"http://localhost:PORT","did":"did:web:localhost","adminPassword":"..."}
// Runs until SIGINT/SIGTERM. Logs (LOG_ENABLED=true) go to stderr.
//
// App view placeholder: the reference registers app.bsky.actor.getPreferences /
// putPreferences (stored in the PDS itself) only when an app view is configured.
// So unless --no-appview is given, a stub on 127.0.0.1 stands in as the app view
// (did:web:appview.localhost): it answers every proxied request with
// 501 {"error":"MethodNotImplemented"}. Without it the reference answers
// preferences and unknown methods with 400 "No service configured for ...".
import { parseArgs } from 'node:util'
import { mkdtemp, mkdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import { createServer } from 'node:net'
import { createServer as createHttpServer } from 'node:http'

process.env.LOG_DESTINATION ??= '/dev/stderr'

const { values } = parseArgs({
  options: {
    plc: { type: 'string', default: process.env.PLC_URL },
    port: { type: 'string', default: process.env.PDS_PORT ?? '0' },
    'admin-password': { type: 'string', default: process.env.PDS_ADMIN_PASSWORD ?? 'admin-pass' },
    'data-dir': { type: 'string' },
    'no-appview': { type: 'boolean', default: false },
  },
})
if (!values.plc) {
  console.error('reference-pds.mjs: --plc URL is required')
  process.exit(2)
}

const freePort = () =>
  new Promise((resolve, reject) => {
    const s = createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address()
      s.close(() => resolve(port))
    })
  })

let port = Number(values.port)
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`reference-pds.mjs: invalid --port ${values.port}`)
  process.exit(2)
}
// The port is part of the PDS's public URL (http://localhost:PORT), so it must be
// known before the server is created.
if (port === 0) port = await freePort()

// The reference resolves DIDs through an SSRF-guarded fetch that refuses IP-literal
// hosts even in dev mode (allowIpHost: false), so a loopback IP is given as localhost.
const plcUrl = new URL(values.plc)
if (['127.0.0.1', '[::1]'].includes(plcUrl.hostname)) plcUrl.hostname = 'localhost'
const didPlcUrl = plcUrl.toString().replace(/\/$/, '')

const ownDir = !values['data-dir']
const dataDir = values['data-dir'] ?? (await mkdtemp(join(tmpdir(), 'ref-pds-')))
const blobDir = join(dataDir, 'blobs')
await mkdir(blobDir, { recursive: true })

const { Secp256k1Keypair } = await import('@atproto/crypto')
const rotationKey = await Secp256k1Keypair.create({ exportable: true })
const rotationKeyHex = Buffer.from(await rotationKey.export()).toString('hex')

const { PDS, envToCfg, envToSecrets } = await import('@atproto/pds')

const env = {
  port,
  hostname: 'localhost',
  devMode: true,
  dataDirectory: dataDir,
  blobstoreDiskLocation: blobDir,
  blobstoreDiskTmpLocation: join(dataDir, 'blobs-tmp'),
  didPlcUrl,
  serviceHandleDomains: ['.test'],
  inviteRequired: false,
  adminPassword: values['admin-password'],
  jwtSecret: randomBytes(32).toString('hex'),
  dpopSecret: randomBytes(32).toString('hex'),
  plcRotationKeyK256PrivateKeyHex: rotationKeyHex,
  crawlers: [],
  // no bskyAppView*, modService*, reportService*, email*: nothing off this machine
  rateLimitsEnabled: false,
}

let appview
if (!values['no-appview']) {
  appview = createHttpServer((req, res) => {
    req.resume()
    res.writeHead(501, { 'content-type': 'application/json' })
    res.end(JSON.stringify({ error: 'MethodNotImplemented', message: 'no app view on this test machine' }))
  })
  await new Promise((resolve) => appview.listen(0, '127.0.0.1', resolve))
  env.bskyAppViewUrl = `http://localhost:${appview.address().port}`
  env.bskyAppViewDid = 'did:web:appview.localhost'
}

const pds = await PDS.create(envToCfg(env), envToSecrets(env))
// PDS.start() calls app.listen(port) on every interface; pin 127.0.0.1 (the
// WebSocket upgrade hook installed by @atproto/xrpc-server wraps the same call).
const listen = pds.app.listen
pds.app.listen = (p, ...rest) => listen.call(pds.app, p, '127.0.0.1', ...rest)
await pds.start()

process.stdout.write(
  JSON.stringify({
    url: `http://127.0.0.1:${port}`,
    publicUrl: pds.ctx.cfg.service.publicUrl,
    did: pds.ctx.cfg.service.did,
    adminPassword: values['admin-password'],
    dataDir,
  }) + '\n',
)

let stopping = false
const stop = async () => {
  if (stopping) return
  stopping = true
  let code = 0
  try {
    appview?.close()
    await pds.destroy()
  } catch (err) {
    console.error('reference-pds.mjs: shutdown error', err)
    code = 1
  }
  if (ownDir) await rm(dataDir, { recursive: true, force: true })
  process.exit(code)
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
