// Identity: resolveHandle, updateHandle (PDS and PLC DID document agree).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createAccount, uniqueHandle } from '../lib/client.mjs'
import { handleInDoc, resolveDidDoc, signingKeyOf } from '../lib/identity.mjs'
import { expectXrpcError } from '../lib/xrpc.mjs'

test('resolveHandle maps the handle to the DID; the DID document names the handle and a signing key', async () => {
  const { agent, did, handle } = await createAccount('res')
  const { data } = await agent.com.atproto.identity.resolveHandle({ handle })
  assert.equal(data.did, did)
  const upper = await agent.com.atproto.identity.resolveHandle({ handle: handle.toUpperCase() })
  assert.equal(upper.data.did, did, 'handle resolution is case-insensitive')
  const doc = await resolveDidDoc(did)
  assert.equal(doc.id, did)
  assert.equal(handleInDoc(doc), handle, 'alsoKnownAs at://handle')
  assert.match(await signingKeyOf(did), /^did:key:z/, '#atproto verification method')
  const pds = doc.service?.find((s) => s.id === '#atproto_pds' || s.id === `${did}#atproto_pds`)
  assert.ok(pds, 'the DID document names an #atproto_pds service')
  assert.equal(pds.type, 'AtprotoPersonalDataServer')
})

test('resolveHandle for an unknown handle is an XRPC error', async () => {
  const { agent } = await createAccount('unres')
  await expectXrpcError(agent.com.atproto.identity.resolveHandle({ handle: uniqueHandle('nobody') }), { status: 400 })
})

test('updateHandle: the new handle resolves, the old one does not, PLC has the new handle', async () => {
  const { agent, did, handle } = await createAccount('upd')
  const next = uniqueHandle('renamed')
  await agent.com.atproto.identity.updateHandle({ handle: next })
  const { data } = await agent.com.atproto.identity.resolveHandle({ handle: next })
  assert.equal(data.did, did)
  try {
    const old = await agent.com.atproto.identity.resolveHandle({ handle })
    assert.notEqual(old.data.did, did, 'the old handle must no longer resolve to the account')
  } catch (err) {
    if (typeof err.status !== 'number') throw err
  }
  const doc = await resolveDidDoc(did)
  assert.equal(handleInDoc(doc), next, 'the PLC DID document carries the new handle')
  const { data: session } = await agent.com.atproto.server.getSession()
  assert.equal(session.handle, next)
  const { data: repo } = await agent.com.atproto.repo.describeRepo({ repo: did })
  assert.equal(repo.handle, next)
})

test('updateHandle to a handle another account holds fails', async () => {
  const a = await createAccount('hold')
  const b = await createAccount('want')
  await expectXrpcError(b.agent.com.atproto.identity.updateHandle({ handle: a.handle }), { status: 400 })
  const { data } = await b.agent.com.atproto.identity.resolveHandle({ handle: b.handle })
  assert.equal(data.did, b.did)
})
