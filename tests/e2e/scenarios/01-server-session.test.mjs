// com.atproto.server: describeServer, createAccount, create/get/refresh/deleteSession.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { config, deviation } from '../lib/config.mjs'
import { createAccount, login, newAgent } from '../lib/client.mjs'
import { AUTH_ERRORS, assertXrpcErrorBody, rawXrpc } from '../lib/xrpc.mjs'

const jwtPayload = (jwt) => JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString())
const jwtHeader = (jwt) => JSON.parse(Buffer.from(jwt.split('.')[0], 'base64url').toString())
const TOKEN_ERRORS = ['InvalidToken', 'ExpiredToken', ...AUTH_ERRORS]

test('describeServer lists the .test handle domain and a service DID', async () => {
  const { data } = await newAgent().com.atproto.server.describeServer()
  assert.match(data.did, /^did:[a-z]+:/, 'did')
  assert.ok(Array.isArray(data.availableUserDomains), 'availableUserDomains must be an array')
  assert.ok(
    data.availableUserDomains.includes('.test'),
    `the suite creates handles under .test; the PDS offers ${JSON.stringify(data.availableUserDomains)}`,
  )
})

test('createAccount returns a working session', async () => {
  const acct = await createAccount('acct')
  const c = acct.created
  assert.match(c.did, /^did:(plc|web):/)
  assert.equal(c.handle, acct.handle)
  assert.equal(typeof c.accessJwt, 'string')
  assert.equal(typeof c.refreshJwt, 'string')
  const { data } = await acct.agent.com.atproto.server.getSession()
  assert.equal(data.did, acct.did)
  assert.equal(data.handle, acct.handle)
  assert.equal(data.email, acct.email)
})

test('session tokens: access is at+jwt, refresh is refresh+jwt, both name the account', async (t) => {
  const acct = await createAccount('jwt')
  const { accessJwt, refreshJwt } = acct.created
  // The spec names the token types; the payload must at least carry the DID as subject.
  assert.equal(jwtPayload(accessJwt).sub, acct.did, 'access token sub')
  assert.equal(jwtPayload(refreshJwt).sub, acct.did, 'refresh token sub')
  t.diagnostic(`access typ=${jwtHeader(accessJwt).typ} refresh typ=${jwtHeader(refreshJwt).typ}`)
  assert.equal(jwtHeader(accessJwt).typ, 'at+jwt', 'access token typ')
  assert.equal(jwtHeader(refreshJwt).typ, 'refresh+jwt', 'refresh token typ')
})

test('createSession by handle and by email', async () => {
  const acct = await createAccount('login')
  const byHandle = await login(acct.handle, acct.password)
  assert.equal(byHandle.session.did, acct.did)
  assert.equal(byHandle.session.handle, acct.handle)
  const byEmail = await login(acct.email, acct.password)
  assert.equal(byEmail.session.did, acct.did)
  const byUpperHandle = await login(acct.handle.toUpperCase(), acct.password)
  assert.equal(byUpperHandle.session.did, acct.did, 'handles are case-insensitive')
  for (const agent of [byHandle, byEmail]) {
    const { data } = await agent.com.atproto.server.getSession()
    assert.equal(data.did, acct.did)
    assert.equal(data.handle, acct.handle)
  }
})

test('refreshSession rotates tokens; the new access token works', async () => {
  const acct = await createAccount('refresh')
  const old = acct.created
  const res = await rawXrpc('com.atproto.server.refreshSession', { method: 'POST', token: old.refreshJwt })
  assert.equal(res.status, 200, JSON.stringify(res.json))
  assert.equal(res.json.did, acct.did)
  assert.equal(res.json.handle, acct.handle)
  assert.notEqual(res.json.refreshJwt, old.refreshJwt, 'a new refresh token')
  const me = await rawXrpc('com.atproto.server.getSession', { token: res.json.accessJwt })
  assert.equal(me.status, 200)
  assert.equal(me.json.did, acct.did)
  // the new refresh token is itself usable
  const again = await rawXrpc('com.atproto.server.refreshSession', { method: 'POST', token: res.json.refreshJwt })
  assert.equal(again.status, 200, JSON.stringify(again.json))
})

test('refreshSession: a used refresh token is rejected on reuse', deviation('refresh-grace'), async (t) => {
  const acct = await createAccount('reuse')
  const old = acct.created.refreshJwt
  const first = await rawXrpc('com.atproto.server.refreshSession', { method: 'POST', token: old })
  assert.equal(first.status, 200)
  const reuse = await rawXrpc('com.atproto.server.refreshSession', { method: 'POST', token: old })
  if (reuse.status === 200) {
    const same = jwtPayload(reuse.json.refreshJwt).jti === jwtPayload(first.json.refreshJwt).jti
    t.diagnostic(`reuse accepted; successor session ${same ? 'is the same as' : 'differs from'} the first refresh's`)
  }
  assertXrpcErrorBody(reuse, { status: [400, 401], error: TOKEN_ERRORS })
})

test('a refresh token is not accepted as an access token, nor an access token as a refresh token', async () => {
  const acct = await createAccount('typ')
  const { accessJwt, refreshJwt } = acct.created
  const asAccess = await rawXrpc('com.atproto.server.getSession', { token: refreshJwt })
  assertXrpcErrorBody(asAccess, { status: [400, 401], error: TOKEN_ERRORS })
  const asRefresh = await rawXrpc('com.atproto.server.refreshSession', { method: 'POST', token: accessJwt })
  assertXrpcErrorBody(asRefresh, { status: [400, 401], error: TOKEN_ERRORS })
})

test('deleteSession revokes the refresh token', async () => {
  const acct = await createAccount('logout')
  const s = await login(acct.handle, acct.password)
  const { refreshJwt } = s.session
  const del = await rawXrpc('com.atproto.server.deleteSession', { method: 'POST', token: refreshJwt })
  assert.equal(del.status, 200, JSON.stringify(del.json))
  const after = await rawXrpc('com.atproto.server.refreshSession', { method: 'POST', token: refreshJwt })
  assertXrpcErrorBody(after, { status: [400, 401], error: TOKEN_ERRORS })
  // The account's other session is untouched.
  const other = await rawXrpc('com.atproto.server.refreshSession', { method: 'POST', token: acct.created.refreshJwt })
  assert.equal(other.status, 200, JSON.stringify(other.json))
})
