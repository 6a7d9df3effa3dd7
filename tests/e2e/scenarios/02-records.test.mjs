// com.atproto.repo: create/get/list/put/delete records, applyWrites, swaps, describeRepo.
import { deviation } from '../lib/config.mjs'
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createAccount, createPost, postRecord, rkeyOf } from '../lib/client.mjs'
import { TID } from '@atproto/common-web'
import { expectXrpcError } from '../lib/xrpc.mjs'

const POST = 'app.bsky.feed.post'

async function listAll(agent, params) {
  const out = []
  let cursor
  for (let page = 0; page < 100; page++) {
    const { data } = await agent.com.atproto.repo.listRecords({ ...params, cursor })
    assert.ok(data.records.length <= params.limit, `page of ${data.records.length} exceeds limit ${params.limit}`)
    out.push(...data.records)
    if (!data.cursor || data.records.length === 0) return out
    cursor = data.cursor
  }
  assert.fail('listRecords pagination did not end')
}

async function latestCommit(agent) {
  return (await agent.com.atproto.sync.getLatestCommit({ did: agent.session.did })).data
}

test('createRecord then getRecord returns the same value and CID', async () => {
  const { agent, did } = await createAccount('rec')
  const record = postRecord('hello from the e2e suite')
  const { data: created } = await agent.com.atproto.repo.createRecord({ repo: did, collection: POST, record })
  assert.match(created.uri, new RegExp(`^at://${did}/${POST}/[a-z2-7]{13}$`), 'uri with a TID rkey')
  assert.match(created.cid, /^bafyrei/, 'dag-cbor sha256 CID')
  assert.ok(created.commit?.cid && created.commit?.rev, 'createRecord returns the commit (cid, rev)')
  const { data: got } = await agent.com.atproto.repo.getRecord({ repo: did, collection: POST, rkey: rkeyOf(created.uri) })
  assert.equal(got.uri, created.uri)
  assert.equal(got.cid, created.cid)
  assert.equal(got.value.text, record.text)
  assert.equal(got.value.createdAt, record.createdAt)
  assert.equal(got.value.$type, POST)
  // getRecord also accepts the handle as repo
  const byHandle = await agent.com.atproto.repo.getRecord({ repo: agent.session.handle, collection: POST, rkey: rkeyOf(created.uri) })
  assert.equal(byHandle.data.cid, created.cid)
  const latest = await latestCommit(agent)
  assert.equal(latest.cid, created.commit.cid)
  assert.equal(latest.rev, created.commit.rev)
})

test('createRecord with an explicit rkey; a duplicate create fails', async (t) => {
  const { agent, did } = await createAccount('rkey')
  const rkey = TID.nextStr()
  const { data } = await agent.com.atproto.repo.createRecord({ repo: did, collection: POST, rkey, record: postRecord('x') })
  assert.equal(data.uri, `at://${did}/${POST}/${rkey}`)
  // No Lexicon error name covers this; any XRPC error will do, and nothing may change.
  // (The reference PDS answers 500 InternalServerError here.)
  const err = await expectXrpcError(
    agent.com.atproto.repo.createRecord({ repo: did, collection: POST, rkey, record: postRecord('y') }),
  )
  t.diagnostic(`duplicate create: HTTP ${err.status} ${err.error}`)
  const { data: got } = await agent.com.atproto.repo.getRecord({ repo: did, collection: POST, rkey })
  assert.equal(got.cid, data.cid, 'the existing record is untouched')
})

test('listRecords: limit, cursor pagination, default order and reverse', async (t) => {
  const { agent, did } = await createAccount('list')
  const uris = []
  for (let i = 0; i < 7; i++) uris.push((await createPost(agent, `post ${i}`)).uri)
  const sorted = [...uris].sort() // TID rkeys sort by creation time
  const page = await agent.com.atproto.repo.listRecords({ repo: did, collection: POST, limit: 3 })
  assert.equal(page.data.records.length, 3)
  assert.ok(page.data.cursor, 'a cursor when more records remain')
  for (const r of page.data.records) {
    assert.ok(r.uri && r.cid && r.value, 'records carry uri, cid, value')
  }

  const forward = (await listAll(agent, { repo: did, collection: POST, limit: 3 })).map((r) => r.uri)
  const reversed = (await listAll(agent, { repo: did, collection: POST, limit: 3, reverse: true })).map((r) => r.uri)
  assert.deepEqual([...forward].sort(), sorted, 'pagination returns every record exactly once')
  assert.deepEqual([...reversed].sort(), sorted, 'reverse pagination returns every record exactly once')
  assert.deepEqual(reversed, [...forward].reverse(), 'reverse=true is the opposite order')
  // Convention (and the reference PDS): newest first by default, oldest first with reverse.
  assert.deepEqual(forward, [...sorted].reverse(), 'default order: descending record key')
  t.diagnostic('default order is descending rkey; reverse=true ascending')

  const other = await agent.com.atproto.repo.listRecords({ repo: did, collection: 'app.bsky.feed.like', limit: 10 })
  assert.deepEqual(other.data.records, [], 'an empty collection lists nothing')
})

test('putRecord updates a record (new CID) and creates one at a new key', async () => {
  const { agent, did } = await createAccount('put')
  const created = await createPost(agent, 'v1')
  const rkey = rkeyOf(created.uri)
  const { data: put } = await agent.com.atproto.repo.putRecord({ repo: did, collection: POST, rkey, record: postRecord('v2') })
  assert.equal(put.uri, created.uri)
  assert.notEqual(put.cid, created.cid, 'an updated record has a new CID')
  const { data: got } = await agent.com.atproto.repo.getRecord({ repo: did, collection: POST, rkey })
  assert.equal(got.value.text, 'v2')
  assert.equal(got.cid, put.cid)

  const profile = { $type: 'app.bsky.actor.profile', displayName: 'E2E' }
  const { data: p } = await agent.com.atproto.repo.putRecord({ repo: did, collection: 'app.bsky.actor.profile', rkey: 'self', record: profile })
  assert.equal(p.uri, `at://${did}/app.bsky.actor.profile/self`)
  const { data: gp } = await agent.com.atproto.repo.getRecord({ repo: did, collection: 'app.bsky.actor.profile', rkey: 'self' })
  assert.equal(gp.value.displayName, 'E2E')
})

test('deleteRecord removes the record (getRecord -> RecordNotFound)', async () => {
  const { agent, did } = await createAccount('del')
  const created = await createPost(agent, 'to delete')
  const rkey = rkeyOf(created.uri)
  const before = await latestCommit(agent)
  await agent.com.atproto.repo.deleteRecord({ repo: did, collection: POST, rkey })
  await expectXrpcError(agent.com.atproto.repo.getRecord({ repo: did, collection: POST, rkey }), {
    status: 400,
    error: 'RecordNotFound',
  })
  const after = await latestCommit(agent)
  assert.notEqual(after.cid, before.cid, 'a delete makes a new commit')
  assert.ok(after.rev > before.rev, 'rev increases')
})

test('applyWrites: create + update + delete in one commit', async () => {
  const { agent, did } = await createAccount('batch')
  const keep = await createPost(agent, 'to update')
  const gone = await createPost(agent, 'to delete')
  const before = await latestCommit(agent)
  const newKey = TID.nextStr()
  const { data } = await agent.com.atproto.repo.applyWrites({
    repo: did,
    writes: [
      { $type: 'com.atproto.repo.applyWrites#create', collection: POST, rkey: newKey, value: postRecord('new') },
      { $type: 'com.atproto.repo.applyWrites#update', collection: POST, rkey: rkeyOf(keep.uri), value: postRecord('updated') },
      { $type: 'com.atproto.repo.applyWrites#delete', collection: POST, rkey: rkeyOf(gone.uri) },
    ],
  })
  assert.ok(data.commit?.cid, 'applyWrites returns the commit')
  assert.equal(data.results?.length, 3, 'one result per write')
  assert.equal(data.results[0].uri, `at://${did}/${POST}/${newKey}`)
  const latest = await latestCommit(agent)
  assert.equal(latest.cid, data.commit.cid, 'exactly one new commit')
  assert.ok(latest.rev > before.rev)
  const { data: upd } = await agent.com.atproto.repo.getRecord({ repo: did, collection: POST, rkey: rkeyOf(keep.uri) })
  assert.equal(upd.value.text, 'updated')
  assert.equal(upd.cid, data.results[1].cid)
  const { data: created } = await agent.com.atproto.repo.getRecord({ repo: did, collection: POST, rkey: newKey })
  assert.equal(created.cid, data.results[0].cid)
  await expectXrpcError(agent.com.atproto.repo.getRecord({ repo: did, collection: POST, rkey: rkeyOf(gone.uri) }), {
    error: 'RecordNotFound',
  })
})

test('applyWrites: a batch with a record failing Lexicon validation changes nothing', { ...deviation('lexicon-validation') }, async () => {
  const { agent, did } = await createAccount('lexfail')
  const existing = await createPost(agent, 'stays')
  const before = await latestCommit(agent)
  const [ka, kb] = [TID.nextStr(), TID.nextStr()]
  // The last write is an invalid post (no createdAt): Lexicon validation fails.
  await expectXrpcError(
    agent.com.atproto.repo.applyWrites({
      repo: did,
      writes: [
        { $type: 'com.atproto.repo.applyWrites#create', collection: POST, rkey: ka, value: postRecord('a') },
        { $type: 'com.atproto.repo.applyWrites#update', collection: POST, rkey: rkeyOf(existing.uri), value: postRecord('changed') },
        { $type: 'com.atproto.repo.applyWrites#create', collection: POST, rkey: kb, value: { $type: POST, text: 'no createdAt' } },
      ],
    }),
    { status: 400 },
  )
  assert.deepEqual(await latestCommit(agent), before, 'no commit from a failed batch')
  for (const rkey of [ka, kb]) {
    await expectXrpcError(agent.com.atproto.repo.getRecord({ repo: did, collection: POST, rkey }), { error: 'RecordNotFound' })
  }
})

test('applyWrites: a batch with a stale swapCommit changes nothing', async () => {
  const { agent, did } = await createAccount('atomic')
  const existing = await createPost(agent, 'stays')
  const before = await latestCommit(agent)
  const snapshot = async () =>
    (await listAll(agent, { repo: did, collection: POST, limit: 50 })).map((r) => `${r.uri} ${r.cid}`).sort()
  const recordsBefore = await snapshot()
  const kc = TID.nextStr()
  await createPost(agent, 'moves the head')
  const head = await latestCommit(agent)
  const recordsMid = await snapshot()
  await expectXrpcError(
    agent.com.atproto.repo.applyWrites({
      repo: did,
      swapCommit: before.cid,
      writes: [
        { $type: 'com.atproto.repo.applyWrites#create', collection: POST, rkey: kc, value: postRecord('c') },
        { $type: 'com.atproto.repo.applyWrites#delete', collection: POST, rkey: rkeyOf(existing.uri) },
      ],
    }),
    { status: 400, error: 'InvalidSwap' },
  )
  assert.deepEqual(await latestCommit(agent), head, 'no commit from a failed batch')
  assert.deepEqual(await snapshot(), recordsMid, 'records unchanged by the failed batch')
  assert.equal(recordsMid.length, recordsBefore.length + 1)
  await expectXrpcError(agent.com.atproto.repo.getRecord({ repo: did, collection: POST, rkey: kc }), { error: 'RecordNotFound' })
  const { data } = await agent.com.atproto.repo.getRecord({ repo: did, collection: POST, rkey: rkeyOf(existing.uri) })
  assert.equal(data.value.text, 'stays')
})

test('swapRecord / swapCommit mismatches fail with InvalidSwap', async () => {
  const { agent, did } = await createAccount('swap')
  const a = await createPost(agent, 'a')
  const b = await createPost(agent, 'b')
  const rkey = rkeyOf(a.uri)
  const stale = a.commit.cid // no longer the head: b was written after it
  // putRecord with the wrong swapRecord
  await expectXrpcError(
    agent.com.atproto.repo.putRecord({ repo: did, collection: POST, rkey, record: postRecord('x'), swapRecord: b.cid }),
    { status: 400, error: 'InvalidSwap' },
  )
  // putRecord with a stale swapCommit
  await expectXrpcError(
    agent.com.atproto.repo.putRecord({ repo: did, collection: POST, rkey, record: postRecord('x'), swapCommit: stale }),
    { status: 400, error: 'InvalidSwap' },
  )
  // deleteRecord with the wrong swapRecord
  await expectXrpcError(agent.com.atproto.repo.deleteRecord({ repo: did, collection: POST, rkey, swapRecord: b.cid }), {
    status: 400,
    error: 'InvalidSwap',
  })
  // createRecord with a stale swapCommit
  await expectXrpcError(
    agent.com.atproto.repo.createRecord({ repo: did, collection: POST, record: postRecord('x'), swapCommit: stale }),
    { status: 400, error: 'InvalidSwap' },
  )
  // putRecord with swapRecord null = "must not exist yet"
  await expectXrpcError(
    agent.com.atproto.repo.putRecord({ repo: did, collection: POST, rkey, record: postRecord('x'), swapRecord: null }),
    { status: 400, error: 'InvalidSwap' },
  )
  const { data } = await agent.com.atproto.repo.getRecord({ repo: did, collection: POST, rkey })
  assert.equal(data.cid, a.cid, 'record untouched by failed swaps')
  // the matching swaps succeed
  const head = await latestCommit(agent)
  const ok = await agent.com.atproto.repo.putRecord({ repo: did, collection: POST, rkey, record: postRecord('y'), swapRecord: a.cid, swapCommit: head.cid })
  assert.notEqual(ok.data.cid, a.cid)
  await agent.com.atproto.repo.deleteRecord({ repo: did, collection: POST, rkey, swapRecord: ok.data.cid })
})

test('describeRepo reports handle, DID, DID document and collections', async () => {
  const { agent, did, handle } = await createAccount('desc')
  await createPost(agent, 'one')
  await agent.com.atproto.repo.createRecord({
    repo: did,
    collection: 'app.bsky.feed.like',
    record: { $type: 'app.bsky.feed.like', subject: { uri: `at://${did}/${POST}/3jzfcijpj2z2a`, cid: 'bafyreie5737gdxlw5i64vzichcalba3z2v5n6icifvx5xytvske7mr3hpm' }, createdAt: new Date().toISOString() },
  })
  const { data } = await agent.com.atproto.repo.describeRepo({ repo: did })
  assert.equal(data.did, did)
  assert.equal(data.handle, handle)
  assert.equal(data.didDoc?.id, did, 'didDoc.id')
  assert.deepEqual([...data.collections].sort(), ['app.bsky.feed.like', POST])
  assert.equal(data.handleIsCorrect, true)
  const byHandle = await agent.com.atproto.repo.describeRepo({ repo: handle })
  assert.equal(byHandle.data.did, did)
})
