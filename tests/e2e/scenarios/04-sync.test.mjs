// com.atproto.sync: getLatestCommit, getRepo (full CAR verification), getRecord
// proofs, getRepoStatus, listRepos.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createAccount, createPost, postRecord, rkeyOf } from '../lib/client.mjs'
import { readCarWithRoot } from '@atproto/repo'
import { parseCid } from '@atproto/lex-data'
import { verifyFullRepoCar, verifyRecordProof } from '../lib/repo.mjs'
import { expectXrpcError } from '../lib/xrpc.mjs'

const POST = 'app.bsky.feed.post'

// An account with a handful of writes; returns what the repo must now hold.
async function populated(prefix) {
  const acct = await createAccount(prefix)
  const { agent, did } = acct
  const expected = new Map() // path -> { cid, text }
  for (let i = 0; i < 12; i++) {
    const p = await createPost(agent, `sync post ${i}`)
    expected.set(`${POST}/${rkeyOf(p.uri)}`, { cid: p.cid, text: `sync post ${i}` })
  }
  const paths = [...expected.keys()]
  // update one, delete one
  const upd = paths[3]
  const put = await agent.com.atproto.repo.putRecord({ repo: did, collection: POST, rkey: upd.split('/')[1], record: postRecord('updated') })
  expected.set(upd, { cid: put.data.cid, text: 'updated' })
  const del = paths[5]
  await agent.com.atproto.repo.deleteRecord({ repo: did, collection: POST, rkey: del.split('/')[1] })
  expected.delete(del)
  const prof = await agent.com.atproto.repo.putRecord({
    repo: did,
    collection: 'app.bsky.actor.profile',
    rkey: 'self',
    record: { $type: 'app.bsky.actor.profile', displayName: 'Sync' },
  })
  expected.set('app.bsky.actor.profile/self', { cid: prof.data.cid })
  return { ...acct, expected, lastCommit: prof.data.commit, deleted: del }
}

test('getLatestCommit and getRepo: the CAR verifies and holds exactly the written records', async () => {
  const { agent, did, expected, lastCommit } = await populated('car')
  const { data: latest } = await agent.com.atproto.sync.getLatestCommit({ did })
  assert.equal(latest.cid, lastCommit.cid)
  assert.equal(latest.rev, lastCommit.rev)

  const { data: car } = await agent.com.atproto.sync.getRepo({ did })
  const repo = await verifyFullRepoCar(new Uint8Array(car), did)
  // self-check: the verifier rejects the CAR for another DID
  const other = await createAccount('other')
  await assert.rejects(verifyFullRepoCar(new Uint8Array(car), other.did))
  assert.equal(repo.commitCid, latest.cid, 'CAR root is the latest commit')
  assert.equal(repo.commit.rev, latest.rev)
  assert.equal(repo.commit.prev ?? null, null, 'v3 commits carry prev: null')
  assert.deepEqual([...repo.records.keys()].sort(), [...expected.keys()].sort(), 'record paths')
  for (const [path, want] of expected) {
    const got = repo.records.get(path)
    assert.equal(got.cid, want.cid, `${path} cid`)
    if (want.text) assert.equal(got.value.text, want.text, `${path} text`)
  }
})

test('getRepo with since=rev returns the newer commits\' blocks', async () => {
  const { agent, did } = await createAccount('since')
  await createPost(agent, 'old')
  const { data: mid } = await agent.com.atproto.sync.getLatestCommit({ did })
  const newer = [await createPost(agent, 'new 1'), await createPost(agent, 'new 2')]
  const { data: car } = await agent.com.atproto.sync.getRepo({ did, since: mid.rev })
  const parsed = await readCarWithRoot(new Uint8Array(car))
  assert.equal(parsed.root.toString(), newer.at(-1).commit.cid, 'CAR root = latest commit')
  for (const p of newer) {
    assert.ok(parsed.blocks.has(parseCid(p.cid)), `record ${p.cid} written after since is in the CAR`)
  }
})

test('sync.getRecord returns a verifiable proof, including proof of absence', async (t) => {
  const { agent, did, expected, deleted } = await populated('proof')
  const entries = [...expected]
  for (const [path, want] of entries.slice(0, 4)) {
    const [collection, rkey] = path.split('/')
    const { data } = await agent.com.atproto.sync.getRecord({ did, collection, rkey })
    const value = await verifyRecordProof(new Uint8Array(data), did, collection, rkey, want.cid)
    if (want.text) assert.equal(value.text, want.text)
    // self-check: the same proof must not verify a different CID
    await assert.rejects(verifyRecordProof(new Uint8Array(data), did, collection, rkey, entries[5][1].cid))
  }
  // A deleted record: either a proof of absence or RecordNotFound.
  const [collection, rkey] = deleted.split('/')
  try {
    const { data } = await agent.com.atproto.sync.getRecord({ did, collection, rkey })
    await verifyRecordProof(new Uint8Array(data), did, collection, rkey, null)
    t.diagnostic('deleted record: proof of absence')
  } catch (err) {
    if (typeof err.status !== 'number') throw err
    assert.equal(err.error, 'RecordNotFound', `absent record: ${err.status} ${err.error}`)
    t.diagnostic(`deleted record: HTTP ${err.status} RecordNotFound`)
  }
})

test('getRepoStatus reports an active repo at the latest rev', async () => {
  const { agent, did } = await createAccount('status')
  const p = await createPost(agent, 'status')
  const { data } = await agent.com.atproto.sync.getRepoStatus({ did })
  assert.equal(data.did, did)
  assert.equal(data.active, true)
  assert.equal(data.rev, p.commit.rev)
  await expectXrpcError(agent.com.atproto.sync.getRepoStatus({ did: 'did:plc:aaaaaaaaaaaaaaaaaaaaaaaa' }), {
    status: 400,
    error: 'RepoNotFound',
  })
})

test('listRepos (paginated) includes the account with its head and rev', async () => {
  const { agent, did } = await createAccount('listr')
  const p = await createPost(agent, 'listed')
  let cursor
  let found
  const seen = new Set()
  for (let page = 0; page < 1000 && !found; page++) {
    const { data } = await agent.com.atproto.sync.listRepos({ limit: 10, cursor })
    assert.ok(data.repos.length <= 10, 'page within limit')
    for (const r of data.repos) {
      assert.ok(!seen.has(r.did), `listRepos repeated ${r.did}`)
      seen.add(r.did)
      if (r.did === did) found = r
    }
    if (!data.cursor || data.repos.length === 0) break
    cursor = data.cursor
  }
  assert.ok(found, `listRepos never listed ${did} (saw ${seen.size} repos)`)
  assert.equal(found.head, p.commit.cid)
  assert.equal(found.rev, p.commit.rev)
  if (found.active !== undefined) assert.equal(found.active, true)
})

test('getRepo for an unknown DID is RepoNotFound', async () => {
  const { agent } = await createAccount('norepo')
  await expectXrpcError(agent.com.atproto.sync.getRepo({ did: 'did:plc:aaaaaaaaaaaaaaaaaaaaaaaa' }), {
    status: 400,
    error: 'RepoNotFound',
  })
})
