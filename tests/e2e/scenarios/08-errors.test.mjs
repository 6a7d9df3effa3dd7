// XRPC error shapes: JSON {error, message} with the status the spec gives.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createAccount, newAgent, postRecord } from '../lib/client.mjs'
import { AUTH_ERRORS, assertXrpcErrorBody, expectXrpcError, rawXrpc } from '../lib/xrpc.mjs'

test('bad credentials: createSession answers 401 AuthenticationRequired', async () => {
  const { handle } = await createAccount('badpw')
  await expectXrpcError(newAgent().login({ identifier: handle, password: 'definitely-wrong' }), {
    status: 401,
    error: AUTH_ERRORS,
  })
  const raw = await rawXrpc('com.atproto.server.createSession', {
    method: 'POST',
    body: { identifier: 'no-such-user.test', password: 'whatever' },
  })
  assertXrpcErrorBody(raw, { status: 401, error: AUTH_ERRORS })
})

test('an unauthenticated write answers 401', async (t) => {
  const { did } = await createAccount('noauth')
  const res = await rawXrpc('com.atproto.repo.createRecord', {
    method: 'POST',
    body: { repo: did, collection: 'app.bsky.feed.post', record: postRecord('should not land') },
  })
  // 401 is the contract; the name varies (the reference says AuthMissing).
  assertXrpcErrorBody(res, { status: 401, error: [...AUTH_ERRORS, 'AuthMissing'] })
  t.diagnostic(`no credentials: HTTP ${res.status} ${res.json.error}`)
})

test('a malformed bearer token answers 400/401 with a token error', async () => {
  const res = await rawXrpc('com.atproto.server.getSession', { token: 'not.a.jwt' })
  assertXrpcErrorBody(res, { status: [400, 401], error: ['InvalidToken', 'ExpiredToken', ...AUTH_ERRORS] })
})

test("writing to another account's repo is refused", async () => {
  const a = await createAccount('owner')
  const b = await createAccount('intrude')
  const res = await rawXrpc('com.atproto.repo.createRecord', {
    method: 'POST',
    token: b.agent.session.accessJwt,
    body: { repo: a.did, collection: 'app.bsky.feed.post', record: postRecord('nope') },
  })
  assertXrpcErrorBody(res, { status: [400, 401, 403] })
})

test('a missing required parameter answers 400 InvalidRequest', async () => {
  const { did } = await createAccount('noparam')
  const res = await rawXrpc('com.atproto.repo.getRecord', { params: { repo: did, collection: 'app.bsky.feed.post' } })
  assertXrpcErrorBody(res, { status: 400, error: 'InvalidRequest' })
  const noBody = await rawXrpc('com.atproto.server.createSession', { method: 'POST', body: {} })
  assertXrpcErrorBody(noBody, { status: 400, error: 'InvalidRequest' })
})

test('an unknown method answers with an XRPC error body', async (t) => {
  const res = await rawXrpc('com.example.e2e.noSuchMethod')
  // The spec's answer is 404 (or 501 MethodNotImplemented); PDSes that proxy
  // unknown methods to an app view answer with whatever that gives.
  assertXrpcErrorBody(res)
  t.diagnostic(`unknown method: HTTP ${res.status} ${res.json.error}`)
  const post = await rawXrpc('com.example.e2e.noSuchProcedure', { method: 'POST', body: {} })
  assertXrpcErrorBody(post)
})

test('getRecord for a missing record answers 400 RecordNotFound', async () => {
  const { agent, did } = await createAccount('norec')
  await expectXrpcError(
    agent.com.atproto.repo.getRecord({ repo: did, collection: 'app.bsky.feed.post', rkey: '3jzfcijpj2z2a' }),
    { status: 400, error: 'RecordNotFound' },
  )
  const raw = await rawXrpc('com.atproto.repo.getRecord', {
    params: { repo: did, collection: 'app.bsky.feed.post', rkey: '3jzfcijpj2z2a' },
  })
  assertXrpcErrorBody(raw, { status: 400, error: 'RecordNotFound' })
})

test('a query called with POST (or a procedure with GET) is an XRPC error', async () => {
  const q = await rawXrpc('com.atproto.server.describeServer', { method: 'POST', body: {} })
  assertXrpcErrorBody(q, { status: [400, 404, 405] })
  const p = await rawXrpc('com.atproto.server.createSession')
  assertXrpcErrorBody(p, { status: [400, 404, 405] })
  assert.ok(true)
})
