// A recording client for com.atproto.sync.subscribeRepos: a `ws` WebSocket,
// frames decoded with @atproto/xrpc-server's Frame (header + body DAG-CBOR),
// message bodies validated against the Lexicon with @atproto/api.
import assert from 'node:assert/strict'
import WebSocket from 'ws'
import { Frame } from '@atproto/xrpc-server'
import { ComAtprotoSyncSubscribeRepos as Sub } from '@atproto/api'
import { config } from './config.mjs'

const NSID = 'com.atproto.sync.subscribeRepos'
const VALIDATORS = {
  '#commit': Sub.validateCommit,
  '#sync': Sub.validateSync,
  '#identity': Sub.validateIdentity,
  '#account': Sub.validateAccount,
  '#info': Sub.validateInfo,
}

export function subscribeUrl(cursor) {
  const url = new URL(`/xrpc/${NSID}`, config.pds)
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:'
  if (cursor !== undefined) url.searchParams.set('cursor', String(cursor))
  return url
}

// Each received frame is recorded as
//   { kind: 'message', type: '#commit', body, seq }  or  { kind: 'error', error, message }.
// Problems with the stream itself (undecodable frames, Lexicon violations,
// non-binary frames) are collected in `problems`; tests assert it stays empty.
export class FirehoseClient {
  constructor(ws) {
    this.ws = ws
    this.frames = []
    this.problems = []
    this.closed = false
    this.closeInfo = null
    this.waiters = new Set()
    ws.on('message', (data, isBinary) => this.#onMessage(data, isBinary))
    ws.on('close', (code, reason) => {
      this.closed = true
      this.closeInfo = { code, reason: reason.toString() }
      this.#notify()
    })
    ws.on('error', (err) => {
      this.problems.push(`socket error: ${err.message}`)
      this.#notify()
    })
  }

  static async connect(cursor) {
    const ws = new WebSocket(subscribeUrl(cursor))
    const client = new FirehoseClient(ws)
    await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('firehose: WebSocket open timed out')), config.waitMs)
      ws.once('open', () => {
        clearTimeout(timer)
        resolve()
      })
      ws.once('unexpected-response', (_req, res) => {
        clearTimeout(timer)
        reject(new Error(`firehose: WebSocket upgrade refused with HTTP ${res.statusCode}`))
      })
      ws.once('error', (err) => {
        clearTimeout(timer)
        reject(err)
      })
    })
    return client
  }

  #onMessage(data, isBinary) {
    if (!isBinary) {
      this.problems.push('non-binary WebSocket frame')
      return
    }
    let frame
    try {
      frame = Frame.fromBytes(new Uint8Array(data))
    } catch (err) {
      this.problems.push(`undecodable frame: ${err.message}`)
      return
    }
    if (frame.isError()) {
      this.frames.push({ kind: 'error', error: frame.code, message: frame.message })
    } else {
      const type = frame.type
      const body = frame.body
      const validate = VALIDATORS[type]
      if (validate) {
        const res = validate({ ...body, $type: `${NSID}${type}` })
        if (!res.success) this.problems.push(`${type} seq=${body?.seq} fails the Lexicon: ${res.error?.message ?? res.error}`)
      } else {
        // Unknown types are allowed by the spec (clients skip them); just note them.
        this.unknownTypes = (this.unknownTypes ?? 0) + 1
      }
      this.frames.push({ kind: 'message', type, body, seq: body?.seq })
    }
    this.#notify()
  }

  #notify() {
    for (const w of this.waiters) w()
  }

  messages() {
    return this.frames.filter((f) => f.kind === 'message')
  }

  // Frames (messages) about one DID, in arrival order.
  forDid(did) {
    return this.messages().filter((f) => (f.type === '#commit' ? f.body.repo : f.body?.did) === did)
  }

  // Resolves with the first recorded frame for which pred(frame) is true,
  // waiting up to `timeoutMs` for it to arrive.
  waitFor(pred, what = 'frame', timeoutMs = config.waitMs) {
    return new Promise((resolve, reject) => {
      const check = () => {
        const hit = this.frames.find(pred)
        if (hit) {
          done()
          resolve(hit)
        } else if (this.closed) {
          done()
          reject(new Error(`firehose closed (${JSON.stringify(this.closeInfo)}) before ${what} arrived`))
        }
      }
      const timer = setTimeout(() => {
        done()
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; got ${this.frames.length} frames`))
      }, timeoutMs)
      const done = () => {
        clearTimeout(timer)
        this.waiters.delete(check)
      }
      this.waiters.add(check)
      check()
    })
  }

  waitForCommit(commitCid, timeoutMs) {
    const cid = String(commitCid)
    return this.waitFor((f) => f.type === '#commit' && String(f.body.commit) === cid, `#commit ${cid}`, timeoutMs)
  }

  waitForClose(timeoutMs = config.waitMs) {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (this.closed) {
          done()
          resolve(this.closeInfo)
        }
      }
      const timer = setTimeout(() => {
        done()
        reject(new Error(`timed out after ${timeoutMs} ms waiting for the server to close the firehose`))
      }, timeoutMs)
      const done = () => {
        clearTimeout(timer)
        this.waiters.delete(check)
      }
      this.waiters.add(check)
      check()
    })
  }

  assertNoProblems() {
    assert.deepEqual(this.problems, [], 'firehose stream problems')
  }

  close() {
    if (!this.closed) this.ws.terminate()
    this.closed = true
  }
}
