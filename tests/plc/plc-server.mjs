// Starts a real PLC directory (@did-plc/server) with its in-memory database (Database.mock(),
// the same store the server's own bin.js uses when DATABASE_URL is unset; no Postgres).
//
//   node plc-server.mjs [PORT]
//
// Listens on 127.0.0.1 only (PORT, default 0 = any free port) and prints one line once it
// accepts connections:
//
//   PLC_READY http://127.0.0.1:<port>
//
// Exits when its standard input closes, so a test runner that dies never leaves it behind.
import plcServer from '@did-plc/server'

const { PlcServer, Database } = plcServer

const port = Number.parseInt(process.argv[2] ?? process.env.PORT ?? '0', 10)
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`bad port: ${process.argv[2]}`)
  process.exit(2)
}

const plc = PlcServer.create({ db: Database.mock(), version: 'test' })
// PlcServer.start() listens on every interface; listen on loopback ourselves instead.
const server = plc.app.listen(port, '127.0.0.1')
server.once('error', (err) => {
  console.error(`PLC server failed to listen: ${err.message}`)
  process.exit(1)
})
server.once('listening', () => {
  const { port: actual } = server.address()
  console.log(`PLC_READY http://127.0.0.1:${actual}`)
})

const stop = () => server.close(() => process.exit(0))
process.stdin.on('end', stop)
process.stdin.on('close', stop)
process.stdin.resume()
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
