// Blobs: uploadBlob, reference from a post's image embed, sync.getBlob, sync.listBlobs.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { cidForRawBytes } from '@atproto/lex-data'
import { createAccount, postRecord, rkeyOf } from '../lib/client.mjs'
import { makePng } from '../lib/png.mjs'

test('uploadBlob, embed in a post, getBlob returns the same bytes, listBlobs lists it', async () => {
  const { agent, did } = await createAccount('blob')
  const png = makePng(40, 30, 7)
  const expectedCid = (await cidForRawBytes(png)).toString()

  const { data: up } = await agent.uploadBlob(png, { encoding: 'image/png' })
  const blob = up.blob
  const ref = blob.ref?.toString?.() ?? blob.ref?.$link
  assert.equal(ref, expectedCid, 'blob CID = raw codec, sha2-256 of the bytes')
  assert.equal(blob.mimeType, 'image/png')
  assert.equal(blob.size, png.length)

  const { data: post } = await agent.com.atproto.repo.createRecord({
    repo: did,
    collection: 'app.bsky.feed.post',
    record: postRecord('with an image', {
      embed: { $type: 'app.bsky.embed.images', images: [{ image: blob, alt: 'e2e test image', aspectRatio: { width: 40, height: 30 } }] },
    }),
  })
  const { data: got } = await agent.com.atproto.repo.getRecord({ repo: did, collection: 'app.bsky.feed.post', rkey: rkeyOf(post.uri) })
  const stored = got.value.embed.images[0].image
  assert.equal(stored.ref?.toString?.() ?? stored.ref?.$link, expectedCid, 'the record keeps the blob ref')
  assert.equal(stored.mimeType, 'image/png')
  assert.equal(stored.size, png.length)

  const res = await agent.com.atproto.sync.getBlob({ did, cid: expectedCid })
  assert.deepEqual(new Uint8Array(res.data), png, 'getBlob returns the uploaded bytes')

  const { data: list } = await agent.com.atproto.sync.listBlobs({ did })
  assert.ok(list.cids.includes(expectedCid), `listBlobs ${JSON.stringify(list.cids)} includes ${expectedCid}`)
})

test('getBlob for an unknown blob is an XRPC error', async () => {
  const { agent, did } = await createAccount('noblob')
  const missing = (await cidForRawBytes(makePng(8, 8, 99))).toString()
  const res = await fetch(new URL(`/xrpc/com.atproto.sync.getBlob?did=${did}&cid=${missing}`, agent.serviceUrl))
  assert.ok(res.status >= 400 && res.status < 500, `HTTP ${res.status}`)
  const body = await res.json()
  assert.equal(typeof body.error, 'string')
  // The Lexicon names BlobNotFound; older servers answer InvalidRequest.
  assert.ok(['BlobNotFound', 'InvalidRequest'].includes(body.error), `error ${body.error}`)
})
