// App passwords: create, log in with one, list, revoke (login then fails).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createAccount, login } from '../lib/client.mjs'
import { AUTH_ERRORS, expectXrpcError } from '../lib/xrpc.mjs'

test('app password: create, login, list, revoke', async () => {
  const { agent, did, handle, password } = await createAccount('apppw')
  const { data: created } = await agent.com.atproto.server.createAppPassword({ name: 'e2e-client' })
  assert.equal(created.name, 'e2e-client')
  assert.match(created.password, /^[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}$/, 'xxxx-xxxx-xxxx-xxxx')
  assert.ok(created.createdAt)

  const app = await login(handle, created.password)
  assert.equal(app.session.did, did)
  const { data: me } = await app.com.atproto.server.getSession()
  assert.equal(me.did, did)
  // an app-password session can write records
  await app.com.atproto.repo.createRecord({
    repo: did,
    collection: 'app.bsky.feed.post',
    record: { $type: 'app.bsky.feed.post', text: 'via app password', createdAt: new Date().toISOString() },
  })

  const { data: list } = await agent.com.atproto.server.listAppPasswords()
  const names = list.passwords.map((p) => p.name)
  assert.ok(names.includes('e2e-client'), `listAppPasswords: ${JSON.stringify(names)}`)
  assert.ok(list.passwords.every((p) => p.password === undefined), 'listing never returns the secret')

  await agent.com.atproto.server.revokeAppPassword({ name: 'e2e-client' })
  await expectXrpcError(login(handle, created.password), { status: 401, error: AUTH_ERRORS })
  const { data: after } = await agent.com.atproto.server.listAppPasswords()
  assert.ok(!after.passwords.some((p) => p.name === 'e2e-client'), 'revoked password is no longer listed')
  // the account password still works
  assert.equal((await login(handle, password)).session.did, did)
})

test('app password names are unique per account', async (t) => {
  const { agent } = await createAccount('apdup')
  await agent.com.atproto.server.createAppPassword({ name: 'twice' })
  // The Lexicon names no error for this; any XRPC error will do (the reference
  // PDS answers 500 InternalServerError).
  const err = await expectXrpcError(agent.com.atproto.server.createAppPassword({ name: 'twice' }))
  t.diagnostic(`duplicate name: HTTP ${err.status} ${err.error}`)
  const { data } = await agent.com.atproto.server.listAppPasswords()
  assert.equal(data.passwords.filter((p) => p.name === 'twice').length, 1)
})
