// com.atproto.sync.subscribeRepos: event order for a new account, commit
// verification (signature, CAR slice, ops, prevData inversion), cursor replay,
// FutureCursor, and the HTTP answer to a non-WebSocket request.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { TID } from '@atproto/common-web'
import { deviation } from '../lib/config.mjs'
import { createAccount, createPost, postRecord, rkeyOf, uniqueHandle } from '../lib/client.mjs'
import { FirehoseClient, subscribeUrl } from '../lib/firehose.mjs'
import { signingKeyOf } from '../lib/identity.mjs'
import { BlockMap, blocksToCarFile, readCarWithRoot } from '@atproto/repo'
import { cidStr, verifyCommitFrame } from '../lib/repo.mjs'
import { expectXrpcError } from '../lib/xrpc.mjs'

const POST = 'app.bsky.feed.post'
let live // opened before any account of this file exists, kept for the whole file

before(async () => {
  live = await FirehoseClient.connect()
})
after(() => live?.close())

function assertSeqIncreasing(frames, what) {
  let last = -Infinity
  for (const f of frames) {
    if (f.kind !== 'message' || typeof f.seq !== 'number') continue
    assert.ok(f.seq > last, `${what}: seq ${f.seq} after ${last} (must strictly increase)`)
    last = f.seq
  }
}

const opKey = (op) => `${op.action} ${op.path} cid=${cidStr(op.cid)} prev=${cidStr(op.prev ?? null)}`

// Writes through the API, remembering what each commit must say.
async function writeWorkload(agent, did) {
  const steps = []
  const created = []
  for (let i = 0; i < 3; i++) {
    const p = await createPost(agent, `firehose ${i}`)
    created.push(p)
    steps.push({ what: `create #${i}`, commit: p.commit, ops: [{ action: 'create', path: `${POST}/${rkeyOf(p.uri)}`, cid: p.cid, prev: null }] })
  }
  const put = await agent.com.atproto.repo.putRecord({ repo: did, collection: POST, rkey: rkeyOf(created[0].uri), record: postRecord('edited') })
  steps.push({ what: 'update', commit: put.data.commit, ops: [{ action: 'update', path: `${POST}/${rkeyOf(created[0].uri)}`, cid: put.data.cid, prev: created[0].cid }] })
  const delKey = rkeyOf(created[1].uri)
  const del = await agent.com.atproto.repo.deleteRecord({ repo: did, collection: POST, rkey: delKey })
  steps.push({ what: 'delete', commit: del.data.commit, ops: [{ action: 'delete', path: `${POST}/${delKey}`, cid: null, prev: created[1].cid }] })
  const newKey = TID.nextStr()
  const batch = await agent.com.atproto.repo.applyWrites({
    repo: did,
    writes: [
      { $type: 'com.atproto.repo.applyWrites#create', collection: POST, rkey: newKey, value: postRecord('batched') },
      { $type: 'com.atproto.repo.applyWrites#update', collection: POST, rkey: rkeyOf(created[2].uri), value: postRecord('batch-edited') },
      { $type: 'com.atproto.repo.applyWrites#delete', collection: POST, rkey: rkeyOf(created[0].uri) },
    ],
  })
  steps.push({
    what: 'applyWrites',
    commit: batch.data.commit,
    ops: [
      { action: 'create', path: `${POST}/${newKey}`, cid: batch.data.results[0].cid, prev: null },
      { action: 'update', path: `${POST}/${rkeyOf(created[2].uri)}`, cid: batch.data.results[1].cid, prev: created[2].cid },
      { action: 'delete', path: `${POST}/${rkeyOf(created[0].uri)}`, cid: null, prev: put.data.cid },
    ],
  })
  const prof = await agent.com.atproto.repo.putRecord({
    repo: did,
    collection: 'app.bsky.actor.profile',
    rkey: 'self',
    record: { $type: 'app.bsky.actor.profile', displayName: 'Firehose' },
  })
  steps.push({ what: 'profile create', commit: prof.data.commit, ops: [{ action: 'create', path: 'app.bsky.actor.profile/self', cid: prof.data.cid, prev: null }] })
  // Many records in one commit exercise MST splits/merges in the inversion.
  const many = await agent.com.atproto.repo.applyWrites({
    repo: did,
    writes: Array.from({ length: 40 }, (_, i) => ({
      $type: 'com.atproto.repo.applyWrites#create',
      collection: 'app.bsky.feed.like',
      value: { $type: 'app.bsky.feed.like', subject: { uri: created[2].uri, cid: created[2].cid }, createdAt: new Date(Date.now() + i).toISOString() },
    })),
  })
  steps.push({
    what: '40 creates',
    commit: many.data.commit,
    ops: many.data.results.map((r) => ({ action: 'create', path: r.uri.split('/').slice(3).join('/'), cid: r.cid, prev: null })),
  })
  return steps
}

test('a new account emits #identity, then #account, then #commit', async (t) => {
  const { did, handle } = await createAccount('fhnew')
  await live.waitFor((f) => f.type === '#commit' && f.body.repo === did, `first #commit of ${did}`)
  const mine = live.forDid(did)
  const types = mine.map((f) => f.type)
  const iIdentity = types.indexOf('#identity')
  const iAccount = types.indexOf('#account')
  const iCommit = types.indexOf('#commit')
  assert.ok(iIdentity >= 0, `no #identity for the new account (got ${types})`)
  assert.ok(iAccount >= 0, `no #account for the new account (got ${types})`)
  assert.ok(iIdentity < iAccount && iAccount < iCommit, `order must be #identity, #account, #commit; got ${types}`)
  const identity = mine[iIdentity].body
  if (identity.handle !== undefined) assert.equal(identity.handle, handle, '#identity handle')
  assert.equal(mine[iAccount].body.active, true, '#account active')
  t.diagnostic(`events for a new account: ${types.join(', ')}`)
  const first = mine[iCommit].body
  await verifyCommitFrame(first)
  assertSeqIncreasing(live.frames, 'live stream')
  live.assertNoProblems()
})

test('every #commit verifies: signature, CAR slice, ops, and inversion to prevData', async (t) => {
  const { agent, did } = await createAccount('fhops')
  const key = await signingKeyOf(did)
  const steps = await writeWorkload(agent, did)
  for (const step of steps) {
    const frame = await live.waitForCommit(step.commit.cid)
    const body = frame.body
    assert.equal(body.repo, did)
    assert.equal(body.rev, step.commit.rev, `${step.what}: rev`)
    assert.equal(body.tooBig, false, `${step.what}: tooBig`)
    assert.equal(body.rebase, false, `${step.what}: rebase`)
    assert.deepEqual(body.blobs, [], `${step.what}: blobs (deprecated, empty)`)
    assert.ok(body.ops.length <= 200, `${step.what}: at most 200 ops`)
    assert.ok(body.blocks.length <= 2_000_000, `${step.what}: blocks at most 2,000,000 bytes`)
    assert.deepEqual(body.ops.map(opKey).sort(), step.ops.map(opKey).sort(), `${step.what}: ops`)
    await verifyCommitFrame(body, { didKey: key })
  }
  // Every commit of the account, in stream order, chains to the previous one.
  const commits = live.forDid(did).filter((f) => f.type === '#commit')
  let prev
  for (const f of commits) {
    const { commit } = await verifyCommitFrame(f.body, { didKey: key })
    if (prev) {
      assert.equal(f.body.since, prev.rev, `#commit seq=${f.seq}: since = previous rev`)
      assert.ok(f.body.prevData, `#commit seq=${f.seq}: prevData present`)
      assert.equal(cidStr(f.body.prevData), cidStr(prev.data), `#commit seq=${f.seq}: prevData = previous commit's data`)
      assert.ok(f.body.rev > prev.rev, 'rev increases')
    }
    prev = commit
  }
  t.diagnostic(`verified ${commits.length} commits (${steps.length} from API writes)`)
  assertSeqIncreasing(live.frames, 'live stream')
  live.assertNoProblems()
})

// Self-check of the suite: the verifier must reject frames that are wrong in
// each way it claims to detect, or a passing run would prove nothing.
test('self-check: the commit verifier rejects tampered frames', async () => {
  const { agent, did } = await createAccount('fhself')
  const other = await createAccount('fhkey')
  const steps = await writeWorkload(agent, did)
  const body = (await live.waitForCommit(steps.find((s) => s.what === 'applyWrites').commit.cid)).body
  await verifyCommitFrame(body) // the genuine frame passes
  const car = await readCarWithRoot(body.blocks)
  const { commit } = await verifyCommitFrame(body)
  const withoutBlock = async (skip) => {
    const blocks = new BlockMap()
    car.blocks.forEach((bytes, cid) => {
      if (!skip(cid)) blocks.set(cid, bytes)
    })
    return blocksToCarFile(car.root, blocks)
  }
  const opCids = new Set(body.ops.filter((o) => o.cid).map((o) => cidStr(o.cid)))
  const mstNodes = car.blocks.cids().filter((c) => !c.equals(car.root) && !opCids.has(cidStr(c)))
  assert.ok(mstNodes.length > 0, 'the frame carries MST nodes')
  const cases = {
    'wrong signing key': [body, { didKey: await signingKeyOf(other.did) }],
    'prevData = current data root': [{ ...body, prevData: commit.data }, {}],
    'missing prevData after the first commit': [{ ...body, prevData: undefined }, {}],
    'an op left out': [{ ...body, ops: body.ops.slice(1) }, {}],
    'update op with a wrong prev': [
      { ...body, ops: body.ops.map((o) => (o.action === 'update' ? { ...o, prev: body.ops.find((x) => x.action === 'create').cid } : o)) },
      {},
    ],
    'record block missing': [{ ...body, blocks: await withoutBlock((c) => opCids.has(cidStr(c))) }, {}],
    'MST node missing': [{ ...body, blocks: await withoutBlock((c) => c.equals(mstNodes.at(-1))) }, {}],
  }
  for (const [name, [tampered, opts]] of Object.entries(cases)) {
    await assert.rejects(verifyCommitFrame(tampered, opts), `verifier accepted a frame with ${name}`)
  }
})

test('updateHandle emits #identity for the account', async () => {
  const { agent, did } = await createAccount('fhid')
  await live.waitFor((f) => f.type === '#commit' && f.body.repo === did, 'first commit')
  const seen = live.forDid(did).length
  const next = uniqueHandle('fhren')
  await agent.com.atproto.identity.updateHandle({ handle: next })
  const frame = await live.waitFor(
    (f) => f.type === '#identity' && f.body.did === did && live.forDid(did).indexOf(f) >= seen,
    `#identity after updateHandle`,
  )
  if (frame.body.handle !== undefined) assert.equal(frame.body.handle, next)
  live.assertNoProblems()
})

test('deactivate / activate: #account events, writes refused and no #commit while inactive', async (t) => {
  const { agent, did } = await createAccount('fhlife')
  const before = await createPost(agent, 'before deactivation')
  await live.waitForCommit(before.commit.cid)
  const start = live.forDid(did).length
  await agent.com.atproto.server.deactivateAccount({})
  const off = await live.waitFor(
    (f) => f.type === '#account' && f.body.did === did && f.body.active === false && live.forDid(did).indexOf(f) >= start,
    '#account active=false',
  )
  assert.equal(off.body.status, 'deactivated')
  const status = await agent.com.atproto.sync.getRepoStatus({ did })
  assert.equal(status.data.active, false)
  assert.equal(status.data.status, 'deactivated')
  const err = await expectXrpcError(
    agent.com.atproto.repo.createRecord({ repo: did, collection: POST, record: postRecord('while inactive') }),
  )
  t.diagnostic(`write while deactivated: HTTP ${err.status} ${err.error}`)
  await agent.com.atproto.server.activateAccount()
  const on = await live.waitFor(
    (f) => f.type === '#account' && f.body.did === did && f.body.active === true && live.forDid(did).indexOf(f) > live.forDid(did).indexOf(off),
    '#account active=true',
  )
  const after = await createPost(agent, 'after activation')
  await live.waitForCommit(after.commit.cid)
  const between = live.forDid(did).filter((f) => f.seq > off.seq && f.seq < on.seq)
  assert.deepEqual(between.filter((f) => f.type === '#commit'), [], 'no #commit while the account is inactive')
  t.diagnostic(`events: ${live.forDid(did).slice(start).map((f) => f.type).join(', ')}`)
  live.assertNoProblems()
})

test('cursor replay: an earlier cursor replays the events in order, then goes live', async () => {
  const { agent, did } = await createAccount('fhcur')
  const posts = []
  for (let i = 0; i < 3; i++) posts.push(await createPost(agent, `replay ${i}`))
  await live.waitForCommit(posts.at(-1).commit.cid)
  const mine = live.forDid(did)
  const firstSeq = mine[0].seq
  const lastSeq = mine.at(-1).seq
  const replay = await FirehoseClient.connect(firstSeq - 1)
  try {
    await replay.waitFor((f) => f.seq === lastSeq, `replayed seq ${lastSeq}`)
    const msgs = replay.messages()
    assert.ok(msgs.length > 0)
    assert.ok(msgs[0].seq > firstSeq - 1, 'replay starts after the cursor')
    assert.equal(msgs[0].seq, firstSeq, 'replay starts at the first event after the cursor')
    assertSeqIncreasing(replay.frames, 'replay')
    const summary = (frames) => frames.filter((f) => f.seq <= lastSeq).map((f) => `${f.seq} ${f.type}`)
    assert.deepEqual(summary(replay.forDid(did)), summary(mine), 'the same events for the account, in the same order')
    for (const f of replay.forDid(did).filter((f) => f.type === '#commit')) await verifyCommitFrame(f.body)
    // ... then live events follow on the same connection
    const more = await createPost(agent, 'after replay')
    const liveFrame = await replay.waitForCommit(more.commit.cid)
    assert.ok(liveFrame.seq > lastSeq)
    assertSeqIncreasing(replay.frames, 'replay then live')
    replay.assertNoProblems()
  } finally {
    replay.close()
  }
})

test('a cursor in the future gets an error frame FutureCursor, then the server closes', async () => {
  const { agent } = await createAccount('fhfut')
  const p = await createPost(agent, 'now')
  const frame = await live.waitForCommit(p.commit.cid)
  const future = await FirehoseClient.connect(frame.seq + 1_000_000)
  try {
    const err = await future.waitFor((f) => f.kind === 'error', 'an error frame')
    assert.equal(err.error, 'FutureCursor')
    await future.waitForClose()
    assert.equal(future.messages().length, 0, 'no events for a future cursor')
  } finally {
    future.close()
  }
})

// The event-stream spec: a request that is not a WebSocket upgrade gets HTTP 426
// Upgrade Required. The reference PDS (@atproto/pds 0.5.35) has no such answer:
// the GET falls through to its catch-all proxy, which answers 401 AuthMissing
// (or 400 "No service configured for com.atproto.sync.subscribeRepos" when no
// app view is configured).
test('a non-WebSocket GET to subscribeRepos answers 426', deviation('subscribe-426'), async (t) => {
  const url = subscribeUrl()
  url.protocol = url.protocol === 'wss:' ? 'https:' : 'http:'
  const res = await fetch(url)
  const text = await res.text()
  t.diagnostic(`plain GET: HTTP ${res.status} ${text.slice(0, 200)}`)
  assert.equal(res.status, 426)
})
