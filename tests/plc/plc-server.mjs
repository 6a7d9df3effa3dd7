// Starts a real PLC directory (@did-plc/server) with its in-memory database (Database.mock(),
// the same store the server's own bin.js uses when DATABASE_URL is unset; no Postgres).
//
//   node plc-server.mjs [PORT] [--log FILE] [--parent PID]
//
// Listens on 127.0.0.1 only (PORT, default 0 = any free port) and prints one line once it
// accepts connections:
//
//   PLC_READY http://127.0.0.1:<port>
//
// With --log, every accepted operation is appended to FILE (JSON lines) and the file is
// replayed through the server's own validation on start, so a local PDS keeps its DIDs across
// restarts. Exits when its standard input closes (or, with --parent, when that process is gone),
// so a runner that dies never leaves it behind.
import fs from 'node:fs'
import http from 'node:http'
import plcServer from '@did-plc/server'

const { PlcServer, Database } = plcServer

const args = process.argv.slice(2)
const option = (name) => {
  const at = args.indexOf(name)
  return at >= 0 ? { at, value: args[at + 1] } : null
}
const logAt = option('--log')?.at ?? -1
const logFile = option('--log')?.value ?? null
const parentPid = option('--parent') ? Number.parseInt(option('--parent').value, 10) : null
const skip = new Set()
for (const name of ['--log', '--parent']) {
  const found = option(name)
  if (found) {
    skip.add(found.at)
    skip.add(found.at + 1)
  }
}
const positional = args.filter((_, i) => !skip.has(i))
const port = Number.parseInt(positional[0] ?? process.env.PORT ?? '0', 10)
if (!Number.isInteger(port) || port < 0 || port > 65535 || (logAt >= 0 && !logFile)) {
  console.error('usage: node plc-server.mjs [PORT] [--log FILE]')
  process.exit(2)
}

const plc = PlcServer.create({ db: Database.mock(), version: 'test' })
let recording = false

// Tee each POST body so an accepted operation can be logged once the directory answers 200.
const server = http.createServer((req, res) => {
  if (recording && req.method === 'POST') {
    const chunks = []
    req.on('data', (c) => chunks.push(c))
    res.on('finish', () => {
      if (res.statusCode === 200) {
        const line = JSON.stringify({ path: req.url, body: Buffer.concat(chunks).toString('utf8') })
        fs.appendFileSync(logFile, line + '\n')
      }
    })
  }
  plc.app(req, res)
})

server.once('error', (err) => {
  console.error(`PLC server failed to listen: ${err.message}`)
  process.exit(1)
})
server.listen(port, '127.0.0.1', async () => {
  const { port: actual } = server.address()
  const url = `http://127.0.0.1:${actual}`
  if (logFile) {
    await replay(url)
    recording = true
  }
  console.log(`PLC_READY ${url}`)
})

async function replay(url) {
  if (!fs.existsSync(logFile)) {
    return
  }
  const lines = fs.readFileSync(logFile, 'utf8').split('\n').filter((l) => l.length > 0)
  for (const line of lines) {
    const { path, body } = JSON.parse(line)
    const res = await fetch(url + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body })
    if (!res.ok) {
      console.error(`replay of ${path} was rejected: ${res.status} ${await res.text()}`)
    }
  }
}

const stop = () => server.close(() => process.exit(0))
if (parentPid) {
  setInterval(() => {
    try {
      process.kill(parentPid, 0)
    } catch {
      stop()
    }
  }, 1000).unref()
} else {
  process.stdin.on('end', stop)
  process.stdin.on('close', stop)
  process.stdin.resume()
}
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
