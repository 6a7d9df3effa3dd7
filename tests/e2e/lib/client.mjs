// @atproto/api agents pinned to the PDS under test, and throw-away accounts.
import { randomBytes } from 'node:crypto'
import { AtpAgent } from '@atproto/api'
import { config } from './config.mjs'

const pdsOrigin = new URL(config.pds)

// AtpAgent switches to the PDS endpoint named in the account's DID document after
// login (a public URL such as http://localhost:PORT or https://pds.example). The
// suite must talk to the PDS it was given, so every request is sent to --pds.
function pinnedFetch(input, init) {
  const req = input instanceof Request ? input : new Request(input, init)
  const url = new URL(req.url)
  if (url.origin === pdsOrigin.origin) return fetch(req)
  url.protocol = pdsOrigin.protocol
  url.host = pdsOrigin.host
  return fetch(new Request(url, req))
}

export function newAgent() {
  return new AtpAgent({ service: config.pds, fetch: pinnedFetch })
}

// Handles under `.test`; the first label stays within 18 characters (the
// reference PDS's limit for service handles).
export function uniqueHandle(prefix = 'e2e') {
  const rand = randomBytes(8).toString('hex').replace(/^[0-9]+/, '')
  const label = (prefix.replace(/[^a-z0-9]/gi, '').toLowerCase().slice(0, 6) + rand).slice(0, 16)
  return `${label}.test`
}

let inviteRequired
async function inviteCode(agent) {
  if (inviteRequired === undefined) {
    const { data } = await agent.com.atproto.server.describeServer()
    inviteRequired = !!data.inviteCodeRequired
  }
  if (!inviteRequired) return undefined
  if (!config.adminPassword) {
    throw new Error('the PDS requires invite codes: pass --admin-password so the suite can create them')
  }
  const res = await fetch(new URL('/xrpc/com.atproto.server.createInviteCode', config.pds), {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: 'Basic ' + Buffer.from(`admin:${config.adminPassword}`).toString('base64'),
    },
    body: JSON.stringify({ useCount: 1 }),
  })
  if (!res.ok) throw new Error(`createInviteCode failed: HTTP ${res.status} ${await res.text()}`)
  return (await res.json()).code
}

// Creates an account and returns { agent (logged in), did, handle, email, password }.
export async function createAccount(prefix = 'e2e') {
  const agent = newAgent()
  const handle = uniqueHandle(prefix)
  const email = `${handle.split('.')[0]}@example.com`
  const password = `pw-${randomBytes(12).toString('hex')}`
  const res = await agent.createAccount({ handle, email, password, inviteCode: await inviteCode(agent) })
  return { agent, did: res.data.did, handle: res.data.handle, email, password, created: res.data }
}

export async function login(identifier, password) {
  const agent = newAgent()
  await agent.login({ identifier, password })
  return agent
}

export function postRecord(text, extra = {}) {
  return { $type: 'app.bsky.feed.post', text, createdAt: new Date().toISOString(), ...extra }
}

export async function createPost(agent, text, extra) {
  const { data } = await agent.com.atproto.repo.createRecord({
    repo: agent.session.did,
    collection: 'app.bsky.feed.post',
    record: postRecord(text, extra),
  })
  return data
}

export const rkeyOf = (uri) => uri.split('/').pop()
