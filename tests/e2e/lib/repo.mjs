// Repository verification with @atproto/repo: full repo CARs, record proofs, and
// firehose commit slices (signature, blocks, ops, and sync-1.1 inversion).
import assert from 'node:assert/strict'
import {
  MST,
  MemoryBlockstore,
  cborToLexRecord,
  def,
  readCarWithRoot,
  verifyCommitSig,
  verifyProofs,
  verifyRecords,
  verifyRepoCar,
} from '@atproto/repo'
import { parseCid } from '@atproto/lex-data'
import { signingKeyOf } from './identity.mjs'

export const cidStr = (c) => (c == null ? null : c.toString())

// Parses and verifies a whole-repo CAR (as from com.atproto.sync.getRepo):
// CAR root = signed commit for `did`, signature valid for the key in the DID
// document, every MST node and record block present (verifyRepoCar walks the
// whole tree). Returns { commitCid, commit, records: Map(path -> {cid, value}) }.
export async function verifyFullRepoCar(carBytes, did) {
  const key = await signingKeyOf(did)
  const car = await readCarWithRoot(carBytes)
  const verified = await verifyRepoCar(carBytes, did, key)
  const commit = await new MemoryBlockstore(car.blocks).readObj(car.root, def.commit)
  assert.equal(commit.version, 3, 'commit version must be 3')
  assert.equal(commit.did, did)
  const records = new Map()
  for (const c of verified.creates) {
    const bytes = car.blocks.get(c.cid)
    assert.ok(bytes, `record block ${cidStr(c.cid)} for ${c.collection}/${c.rkey} missing from the CAR`)
    records.set(`${c.collection}/${c.rkey}`, { cid: cidStr(c.cid), value: cborToLexRecord(bytes) })
  }
  return { commitCid: cidStr(car.root), commit, records }
}

// Verifies a record proof CAR (com.atproto.sync.getRecord): signed commit and
// the MST path proving `collection/rkey` -> `expectedCid` (null = proof of absence).
export async function verifyRecordProof(carBytes, did, collection, rkey, expectedCid) {
  const key = await signingKeyOf(did)
  const claim = { collection, rkey, cid: expectedCid }
  const claimForLib = { ...claim, cid: expectedCid == null ? null : await toCid(expectedCid) }
  const { verified, unverified } = await verifyProofs(carBytes, [claimForLib], did, key)
  assert.equal(unverified.length, 0, `record proof does not prove ${collection}/${rkey} -> ${expectedCid}`)
  assert.equal(verified.length, 1)
  if (expectedCid != null) {
    const recs = await verifyRecords(carBytes, did, key)
    const rec = recs.find((r) => r.collection === collection && r.rkey === rkey)
    assert.ok(rec, 'record block missing from the proof CAR')
    return rec.record
  }
  return null
}

async function toCid(s) {
  return typeof s === 'string' ? parseCid(s) : s
}

// Checks one #commit frame body (already lexicon-validated) against the DID
// document's signing key, using only the blocks in the frame:
//  - `blocks` is a CAR whose root is `commit`, a v3 commit for `repo` with `rev`,
//    signed by the current #atproto key;
//  - every create/update op has its record block in the CAR with the op's CID,
//    and the MST in the slice proves each op's path (verifyProofs);
//  - `prevData` is present whenever `since` is (i.e. after the first commit), and
//    applying the inverse of every op to the MST (MST.add/update/delete of
//    @atproto/repo over a blockstore holding only the frame's blocks) yields
//    exactly `prevData` (sync 1.1 inductive verification).
// Returns { commit, blocks } for further checks.
export async function verifyCommitFrame(body, { didKey } = {}) {
  const did = body.repo
  const key = didKey ?? (await signingKeyOf(did))
  const car = await readCarWithRoot(body.blocks)
  assert.equal(cidStr(car.root), cidStr(body.commit), '#commit: CAR root must be the commit CID')
  const store = new MemoryBlockstore(car.blocks)
  const commit = await store.readObj(car.root, def.commit)
  assert.equal(commit.version, 3, '#commit: commit version must be 3')
  assert.equal(commit.did, did, '#commit: commit.did must equal repo')
  assert.equal(commit.rev, body.rev, '#commit: commit.rev must equal the frame rev')
  assert.ok(await verifyCommitSig(commit, key), `#commit ${cidStr(body.commit)}: bad signature for ${key}`)

  for (const op of body.ops) {
    assert.ok(['create', 'update', 'delete'].includes(op.action), `unknown op action ${op.action}`)
    if (op.action === 'delete') {
      assert.equal(op.cid, null, `delete op ${op.path}: cid must be null`)
    } else {
      assert.ok(op.cid, `${op.action} op ${op.path}: cid required`)
      const bytes = car.blocks.get(op.cid)
      assert.ok(bytes, `${op.action} op ${op.path}: record block ${cidStr(op.cid)} missing from the frame`)
      cborToLexRecord(bytes) // must decode as a record
    }
    if (op.action === 'create') {
      assert.ok(op.prev == null, `create op ${op.path}: prev must be absent or null`)
    } else {
      assert.ok(op.prev, `${op.action} op ${op.path}: prev (the previous record CID) is required`)
    }
  }

  const claims = body.ops.map((op) => {
    const i = op.path.indexOf('/')
    return { collection: op.path.slice(0, i), rkey: op.path.slice(i + 1), cid: op.action === 'delete' ? null : op.cid }
  })
  const proof = await verifyProofs(body.blocks, claims, did, key)
  assert.equal(
    proof.unverified.length,
    0,
    `#commit: MST in the frame does not prove ops ${JSON.stringify(proof.unverified.map((c) => `${c.collection}/${c.rkey}`))}`,
  )

  if (body.since != null) {
    assert.ok(body.prevData, '#commit: prevData is required after the first commit (sync 1.1)')
  }
  if (body.prevData) {
    let mst = MST.load(store, commit.data)
    for (const op of [...body.ops].reverse()) {
      try {
        if (op.action === 'create') mst = await mst.delete(op.path)
        else if (op.action === 'update') mst = await mst.update(op.path, op.prev)
        else mst = await mst.add(op.path, op.prev)
      } catch (err) {
        assert.fail(`#commit ${cidStr(body.commit)}: inverting ${op.action} ${op.path} needs blocks the frame lacks: ${err.message}`)
      }
    }
    let root
    try {
      root = await mst.getPointer()
    } catch (err) {
      assert.fail(`#commit ${cidStr(body.commit)}: inverted MST needs blocks the frame lacks: ${err.message}`)
    }
    assert.equal(cidStr(root), cidStr(body.prevData), '#commit: inverted ops must yield prevData')
  }
  return { commit, blocks: car.blocks }
}
