#!/usr/bin/env node
// Local PLC directory for tests: @did-plc/server on its in-memory (mock) database.
//
//   node plc.mjs [--port N] [--host 127.0.0.1]
//
// Listens on 127.0.0.1 (port 0 or no --port = a free port chosen by the OS),
// prints one JSON line {"url": "http://127.0.0.1:PORT"} to stdout once it accepts
// connections, and runs until SIGINT/SIGTERM. Logs (LOG_ENABLED=true) go to stderr.
import { parseArgs } from 'node:util'

process.env.LOG_DESTINATION ??= '/dev/stderr'

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.PLC_PORT ?? '0' },
    host: { type: 'string', default: '127.0.0.1' },
  },
})
const port = Number(values.port)
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`plc.mjs: invalid --port ${values.port}`)
  process.exit(2)
}

const { PlcServer, Database } = (await import('@did-plc/server')).default
const server = PlcServer.create({ db: Database.mock(), port })
// PlcServer.start() calls app.listen(port) on every interface; pin the host.
const listen = server.app.listen
server.app.listen = (p, ...rest) => listen.call(server.app, p, values.host, ...rest)
const http = await server.start()
const addr = http.address()

process.stdout.write(JSON.stringify({ url: `http://${values.host}:${addr.port}` }) + '\n')

let stopping = false
const stop = async () => {
  if (stopping) return
  stopping = true
  try {
    await server.destroy()
  } finally {
    process.exit(0)
  }
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
