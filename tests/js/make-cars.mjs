#!/usr/bin/env node
// make-cars.mjs OUTDIR
//
// Writes reference repo CAR files built with the official @atproto/repo and
// @atproto/crypto packages into OUTDIR, plus OUTDIR/manifest.json describing
// each file (see README.md for the format). The manifest is the source of
// truth: consumers must read expected values from it, not hard-code them.
//
// Determinism:
//  * private keys are derived from fixed labels (sha256 of the label);
//  * record content, rkeys and createdAt values come from fixed data and a
//    seeded PRNG; ECDSA signing in @atproto/crypto is RFC 6979 (deterministic);
//  * NOT deterministic: the revs of intermediate commits (the library takes
//    them from the wall clock plus a random clock id). To still get a stable
//    output, each repo's last step is Repo.resignCommit(FIXED_REV), which
//    re-signs the final data root with a fixed rev. Intermediate commits never
//    appear in the exported CARs, so the files are byte-for-byte reproducible
//    as long as the library versions stay the same.
//
// Every case is checked against the library before it is written: valid CARs
// must pass verifyRepoCar with their didKey, invalid ones must be rejected.

import { createHash } from 'node:crypto'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

import { TID } from '@atproto/common-web'
import { P256Keypair, Secp256k1Keypair, verifySignature } from '@atproto/crypto'
import { cidForLex, decode, encode } from '@atproto/lex-cbor'
import { cidForCbor, cidForRawBytes } from '@atproto/lex-data'
import {
  MemoryBlockstore,
  Repo,
  WriteOpAction,
  concatBytesAsync,
  getFullRepo,
  readCarWithRoot,
  verifyRepoCar,
  writeCarStream,
} from '@atproto/repo'

import { countBlocks, scanCar } from './lib/car-sections.mjs'

const outDir = process.argv[2]
if (!outDir) {
  console.error('usage: node make-cars.mjs OUTDIR')
  process.exit(2)
}
mkdirSync(outDir, { recursive: true })

// ---------------------------------------------------------------- helpers

const sha256Hex = (s) => createHash('sha256').update(s).digest('hex')

// mulberry32: tiny seeded PRNG, good enough for picking test content.
function prng(seed) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const BASE_MS = Date.UTC(2024, 2, 1, 12, 0, 0) // 2024-03-01T12:00:00Z
const CLOCK_ID = 7

// Fixed TID for the i-th record of a repo (one second apart).
const tidAt = (i, offsetSec = 0) =>
  TID.fromTime((BASE_MS + (i + offsetSec) * 1000) * 1000, CLOCK_ID).toString()
const isoAt = (i) => new Date(BASE_MS + i * 60_000).toISOString()

// Fixed revs: the initial commit and the final re-signed commit.
const INIT_REV = TID.fromTime(Date.UTC(2024, 0, 1) * 1000, CLOCK_ID).toString()
const FINAL_REV = TID.fromTime(Date.UTC(2025, 0, 1) * 1000, CLOCK_ID).toString()

const create = (collection, rkey, record) => ({
  action: WriteOpAction.Create,
  collection,
  rkey,
  record,
})
const update = (collection, rkey, record) => ({
  action: WriteOpAction.Update,
  collection,
  rkey,
  record,
})
const del = (collection, rkey) => ({
  action: WriteOpAction.Delete,
  collection,
  rkey,
})

// Tracks what the repo should contain, independently of the MST.
class Expected {
  constructor() {
    this.map = new Map()
  }
  async apply(writes) {
    for (const w of writes) {
      const path = `${w.collection}/${w.rkey}`
      if (w.action === WriteOpAction.Delete) this.map.delete(path)
      else this.map.set(path, (await cidForLex(w.record)).toString())
    }
  }
  sorted() {
    return [...this.map.entries()]
      .map(([path, cid]) => ({ path, cid }))
      .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
  }
}

// Builds a repo from a list of commits (arrays of writes); the first must be
// creates only. Ends with a re-sign at FINAL_REV (see header comment).
async function buildRepo(did, keypair, commits) {
  const storage = new MemoryBlockstore()
  const expected = new Expected()
  const [first, ...rest] = commits
  const init = await Repo.formatInitCommit(storage, did, keypair, first, INIT_REV)
  let repo = await Repo.createFromCommit(storage, init)
  await expected.apply(first)
  for (const writes of rest) {
    repo = await repo.applyWrites(writes, keypair)
    await expected.apply(writes)
  }
  repo = await repo.resignCommit(FINAL_REV, keypair)
  const car = await concatBytesAsync(getFullRepo(storage, repo.cid))
  return { repo, car, expected: expected.sorted(), commitCount: commits.length + 1 }
}

async function blobRef(label, mimeType, size) {
  const cid = await cidForRawBytes(new TextEncoder().encode(`blob:${label}`))
  return { $type: 'blob', ref: cid, mimeType, size }
}

const manifest = []

function writeCase(file, bytes, entry) {
  writeFileSync(join(outDir, file), bytes)
  manifest.push({ file, ...entry })
}

async function addValid(file, built, didKey, extra = {}) {
  const { repo, car, expected } = built
  // Self-check with the official verifier; also gives us the record list.
  const verified = await verifyRepoCar(car, repo.did, didKey)
  const records = verified.creates
    .map((c) => ({ path: `${c.collection}/${c.rkey}`, cid: c.cid.toString() }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
  if (JSON.stringify(records) !== JSON.stringify(expected)) {
    throw new Error(`${file}: MST contents differ from the writes applied`)
  }
  const layer = await repo.data.getLayer()
  writeCase(file, car, {
    valid: true,
    didKey,
    expect: {
      did: repo.did,
      rev: repo.commit.rev,
      commit: repo.cid.toString(),
      data: repo.commit.data.toString(),
      version: repo.commit.version,
      blocks: countBlocks(car),
      mstLayer: layer,
      records,
    },
    ...extra,
  })
  return { records, layer }
}

async function addInvalid(file, bytes, didKey, reason) {
  let rejected = false
  try {
    await verifyRepoCar(bytes, undefined, didKey)
  } catch {
    rejected = true
  }
  if (!rejected) throw new Error(`${file}: official library accepted it`)
  writeCase(file, bytes, { valid: false, didKey, reason })
}

const carWith = async (root, blocks) =>
  concatBytesAsync(writeCarStream(root, (async function* () { yield* blocks })()))

// Sections of a CAR as { cid, bytes, obj } in file order (obj: decoded CBOR).
async function sectionsOf(car) {
  const { root, blocks } = await readCarWithRoot(car)
  const { sections } = scanCar(car)
  const cids = [...blocks.keys()]
  const byCid = new Map(cids.map((c) => [c.toString(), c]))
  return {
    root,
    list: sections.map((s) => {
      const cidBytes = car.subarray(s.cidStart, s.cidEnd)
      const cid = [...byCid.values()].find((c) =>
        Buffer.from(c.bytes).equals(Buffer.from(cidBytes)),
      )
      const bytes = car.subarray(s.dataStart, s.end)
      return { ...s, cid, bytes, obj: decode(bytes) }
    }),
  }
}

const isMstNode = (obj) =>
  obj && typeof obj === 'object' && Array.isArray(obj.e) && 'l' in obj

// ---------------------------------------------------------------- keys

const k256Main = await Secp256k1Keypair.import(sha256Hex('pds-tests/k256/main'))
const k256Other = await Secp256k1Keypair.import(sha256Hex('pds-tests/k256/other'))
const p256Main = await P256Keypair.import(sha256Hex('pds-tests/p256/main'))
const k256Large = await Secp256k1Keypair.import(sha256Hex('pds-tests/k256/large'))

const DID_MAIN = 'did:plc:k256mainrepo2testaaaaaaa'
const DID_P256 = 'did:plc:p256repotest2aaaaaaaaaaa'
const DID_EMPTY = 'did:plc:emptyrepotest2aaaaaaaaaa'
const DID_LARGE = 'did:plc:largerepotest2aaaaaaaaaa'

// ---------------------------------------------------------------- content

const TEXTS = [
  'hello world',
  'Grüße aus Köln — naïve café',
  '🦋 hello 👋🏽 from the atmosphere',
  '👨‍👩‍👧‍👦 family ZWJ sequence',
  '日本語のテキストです。',
  'مرحبا بالعالم',
  'e\u0301 combining accent vs \u00e9 precomposed',
  '',
  'line one\nline two\ttabbed "quoted" \\ backslash',
  '𝕳𝖊𝖑𝖑𝖔 astral plane 𐍈',
  'a'.repeat(300),
  'control \u0001 chars \u001f and nul-free',
]
const LANGS = [['en'], ['ja', 'en'], ['de'], [], ['ar'], ['en-US', 'pt-BR']]

async function mainRepoCommits() {
  const rnd = prng(0xc0ffee)
  const pick = (arr) => arr[Math.floor(rnd() * arr.length)]
  const POST = 'app.bsky.feed.post'
  const LIKE = 'app.bsky.feed.like'
  const FOLLOW = 'app.bsky.graph.follow'
  const PROFILE = 'app.bsky.actor.profile'
  const TEST = 'com.example.pds.test'

  const posts = []
  for (let i = 0; i < 130; i++) {
    const text = `${pick(TEXTS)} #${i}`
    const rec = { $type: POST, text, createdAt: isoAt(i), langs: pick(LANGS) }
    if (i % 7 === 3) {
      const end = Buffer.byteLength(text, 'utf8')
      rec.facets = [
        {
          index: { byteStart: 0, byteEnd: Math.min(5, end) },
          features: [
            { $type: 'app.bsky.richtext.facet#link', uri: `https://example.com/p/${i}` },
            { $type: 'app.bsky.richtext.facet#tag', tag: `tag${i}` },
          ],
        },
      ]
    }
    if (i % 11 === 5) {
      rec.embed = {
        $type: 'app.bsky.embed.images',
        images: [
          {
            alt: `picture ${i} 🖼️`,
            image: await blobRef(`post-${i}-a`, 'image/jpeg', 50_000 + i),
            aspectRatio: { width: 1200, height: 800 },
          },
          { alt: '', image: await blobRef(`post-${i}-b`, 'image/png', 1234) },
        ],
      }
    }
    if (i % 13 === 8 && posts.length > 0) {
      const parent = posts[posts.length - 1]
      const ref = {
        uri: `at://${DID_MAIN}/${POST}/${parent.rkey}`,
        cid: (await cidForLex(parent.record)).toString(),
      }
      rec.reply = { root: ref, parent: ref }
    }
    posts.push({ rkey: tidAt(i), record: rec })
  }

  const likes = []
  for (let i = 0; i < 55; i++) {
    const target = posts[(i * 17) % posts.length]
    likes.push({
      rkey: tidAt(1000 + i),
      record: {
        $type: LIKE,
        subject: {
          uri: `at://${DID_MAIN}/${POST}/${target.rkey}`,
          cid: (await cidForLex(target.record)).toString(),
        },
        createdAt: isoAt(1000 + i),
      },
    })
  }

  const follows = []
  for (let i = 0; i < 20; i++) {
    follows.push({
      rkey: tidAt(2000 + i),
      record: {
        $type: FOLLOW,
        subject: `did:plc:${sha256Hex(`follow-${i}`).slice(0, 24).replace(/[0189]/g, 'z')}`,
        createdAt: isoAt(2000 + i),
      },
    })
  }

  const profile = {
    $type: PROFILE,
    displayName: 'Tëst Üser 🧪',
    description: 'Reference repo for the PDS tests.\nSecond line: ✓',
    avatar: { $type: 'blob', ref: await cidForRawBytes(new TextEncoder().encode('avatar')), mimeType: 'image/png', size: 1234 },
    banner: await blobRef('banner', 'image/jpeg', 987_654),
  }

  const linkTarget = await cidForLex(posts[0].record)
  const testRecords = [
    [
      'bytes-1',
      {
        $type: TEST,
        bytes: new Uint8Array([0, 1, 2, 3, 254, 255]),
        empty: new Uint8Array(0),
        big: new Uint8Array(Array.from({ length: 300 }, (_, i) => (i * 37) & 0xff)),
      },
    ],
    [
      'nested.arrays',
      {
        $type: TEST,
        nested: [[1, [2, [3, [4, []]]]], [], {}, [{ a: [{ b: [] }] }]],
        matrix: [
          [1, 2, 3],
          [4, 5, 6],
        ],
      },
    ],
    [
      'ints_and~scalars',
      {
        $type: TEST,
        ints: [0, 1, 23, 24, 255, 256, 65535, 65536, 4294967295, 4294967296,
          Number.MAX_SAFE_INTEGER, -1, -24, -25, -256, -257, Number.MIN_SAFE_INTEGER],
        flags: [true, false, null],
        nothing: null,
      },
    ],
    [
      'key:ordering',
      {
        $type: TEST,
        // DAG-CBOR sorts map keys by encoded length first, then bytewise.
        ccc: 1, a: 2, bb: 3, b: 4, aa: 5, B: 6, 'ключ': 7, ['z'.repeat(30)]: 8, é: 9,
      },
    ],
    [
      'unicode-text',
      {
        $type: TEST,
        emoji: '🏳️‍🌈🏴‍☠️🧑🏿‍🚀',
        mixed: TEXTS.join(' | '),
        long: '∑'.repeat(3000),
      },
    ],
    ['with-link', { $type: TEST, link: linkTarget, links: [linkTarget, linkTarget] }],
    // Identical content under two keys: one block, two MST entries.
    ['dup-a', { $type: TEST, same: 'content' }],
    ['dup-b', { $type: TEST, same: 'content' }],
  ]

  // Commit 1 (init): most records.
  const c1 = [
    ...posts.slice(0, 90).map((p) => create(POST, p.rkey, p.record)),
    ...likes.slice(0, 40).map((l) => create(LIKE, l.rkey, l.record)),
    ...follows.slice(0, 15).map((f) => create(FOLLOW, f.rkey, f.record)),
    create(PROFILE, 'self', profile),
    ...testRecords.slice(0, 4).map(([k, r]) => create(TEST, k, r)),
  ]
  // Commit 2: the rest.
  const c2 = [
    ...posts.slice(90).map((p) => create(POST, p.rkey, p.record)),
    ...likes.slice(40).map((l) => create(LIKE, l.rkey, l.record)),
    ...follows.slice(15).map((f) => create(FOLLOW, f.rkey, f.record)),
    ...testRecords.slice(4).map(([k, r]) => create(TEST, k, r)),
  ]
  // Commit 3: updates and deletes.
  const c3 = [
    ...posts.slice(10, 20).map((p) =>
      update(POST, p.rkey, { ...p.record, text: `${p.record.text} (edited ✏️)` }),
    ),
    update(PROFILE, 'self', { ...profile, displayName: 'Tëst Üser 🧪 v2' }),
    ...likes.slice(0, 10).map((l) => del(LIKE, l.rkey)),
    ...follows.slice(0, 3).map((f) => del(FOLLOW, f.rkey)),
  ]
  // Commit 4: more deletes, creates, and an update of a test record.
  const c4 = [
    del(POST, posts[30].rkey),
    del(POST, posts[31].rkey),
    create(POST, tidAt(5000), { $type: POST, text: 'posted after deletes 🚀', createdAt: isoAt(5000), langs: ['en'] }),
    create(POST, tidAt(5001), { $type: POST, text: 'and one more', createdAt: isoAt(5001) }),
    update(TEST, 'nested.arrays', { $type: TEST, nested: [[[[[[['deep']]]]]]], updated: true }),
  ]
  return [c1, c2, c3, c4]
}

// ---------------------------------------------------------------- valid cases

const mainBuilt = await buildRepo(DID_MAIN, k256Main, await mainRepoCommits())
let p256Car // kept for the P-256 high-S case below
const main = await addValid('k256-repo.car', mainBuilt, k256Main.did(), {
  note: 'secp256k1; 4 commits (init, creates, updates+deletes, mixed) then a re-sign at a fixed rev',
})

{
  const posts = Array.from({ length: 30 }, (_, i) =>
    create('app.bsky.feed.post', tidAt(i), {
      $type: 'app.bsky.feed.post',
      text: `p256 post ${i} ${TEXTS[i % TEXTS.length]}`,
      createdAt: isoAt(i),
    }),
  )
  const built = await buildRepo(DID_P256, p256Main, [
    posts.slice(0, 20),
    [
      ...posts.slice(20),
      create('app.bsky.actor.profile', 'self', {
        $type: 'app.bsky.actor.profile',
        displayName: 'P-256 user',
        avatar: await blobRef('p256-avatar', 'image/png', 1234),
      }),
      del('app.bsky.feed.post', posts[0].rkey),
    ],
  ])
  await addValid('p256-repo.car', built, p256Main.did(), {
    note: 'P-256 signing key; 2 commits then a re-sign at a fixed rev',
  })
  p256Car = built.car
}

{
  // Empty repo: a single init commit over an empty MST (no re-sign needed).
  const storage = new MemoryBlockstore()
  const init = await Repo.formatInitCommit(storage, DID_EMPTY, k256Main, [], INIT_REV)
  const repo = await Repo.createFromCommit(storage, init)
  const car = await concatBytesAsync(getFullRepo(storage, repo.cid))
  await addValid('empty-repo.car', { repo, car, expected: [] }, k256Main.did(), {
    note: 'commit over an empty MST; CAR has the commit and the empty MST node',
  })
}

{
  const N = 3000
  const rec = (i) => ({
    $type: 'app.bsky.feed.post',
    text: `large repo post number ${i} ${i % 50 === 0 ? '🌍' : ''}`,
    createdAt: isoAt(i),
  })
  const all = Array.from({ length: N }, (_, i) => create('app.bsky.feed.post', tidAt(i), rec(i)))
  const extra = Array.from({ length: 20 }, (_, i) =>
    create('app.bsky.feed.post', tidAt(N + i), rec(N + i)),
  )
  const built = await buildRepo(DID_LARGE, k256Large, [
    all,
    [...extra, ...all.slice(100, 120).map((w) => del(w.collection, w.rkey))],
  ])
  const { layer } = await addValid('large-repo.car', built, k256Large.did(), {
    note: `${N} records; 2 commits then a re-sign; MST layer > 1`,
  })
  if (layer <= 1) throw new Error(`large repo MST layer is only ${layer}`)
}

// ---------------------------------------------------------------- invalid cases

const mainCar = mainBuilt.car
const mainKey = k256Main.did()
const mainSecs = await sectionsOf(mainCar)
const mainCommit = mainBuilt.repo.commit

// 1. Tampered record block: change one ASCII letter inside a post's text,
//    keep the CID. The CBOR still decodes; only the hash check catches it.
{
  const target = mainSecs.list.find(
    (s) => s.obj?.$type === 'app.bsky.feed.post' && /hello world/.test(s.obj.text),
  )
  const needle = Buffer.from('hello world')
  const at = Buffer.from(target.bytes).indexOf(needle)
  const bytes = Uint8Array.from(mainCar)
  bytes[target.dataStart + at] = 'j'.charCodeAt(0) // "hello" -> "jello"
  await addInvalid('invalid-tampered-block.car', bytes, mainKey,
    `record block ${target.cid} has one byte changed (text "hello"->"jello") but keeps its CID`)
}

// 2. Wrong key: an untouched valid CAR, verified against a different k256 key.
await addInvalid('invalid-wrong-key.car', mainCar, k256Other.did(),
  'valid CAR signed by another key; the commit signature does not verify with this didKey')

// 3. High-S signature: replace s by n - s, re-encode the commit, new root CID.
const N_K256 = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n
const N_P256 = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n

async function highS(car, n, didKey, file, curve) {
  const secs = await sectionsOf(car)
  const commitSec = secs.list.find((s) => s.cid.equals(secs.root))
  const commit = commitSec.obj
  const sig = commit.sig
  const r = sig.subarray(0, 32)
  const s = BigInt('0x' + Buffer.from(sig.subarray(32)).toString('hex'))
  const s2 = Buffer.from((n - s).toString(16).padStart(64, '0'), 'hex')
  const newSig = new Uint8Array(64)
  newSig.set(r, 0)
  newSig.set(s2, 32)
  const { sig: _old, ...unsigned } = commit
  // Sanity: the flipped signature is mathematically valid (malleable form)...
  if (!(await verifySignature(didKey, encode(unsigned), newSig, { allowMalleableSig: true }))) {
    throw new Error(`${file}: high-S signature does not verify even when malleable sigs are allowed`)
  }
  const newCommit = { ...commit, sig: newSig }
  const bytes = encode(newCommit)
  const cid = await cidForCbor(bytes)
  const blocks = [
    { cid, bytes },
    ...secs.list.filter((x) => x !== commitSec).map((x) => ({ cid: x.cid, bytes: x.bytes })),
  ]
  const out = await carWith(cid, blocks)
  // ...and everything but the signature rule passes.
  await verifyRepoCar(out)
  await addInvalid(file, out, didKey,
    `${curve} commit signature replaced by its high-S twin (s -> n - s), commit re-encoded with new CID ${cid}; only the low-S rule rejects it`)
}
await highS(mainCar, N_K256, mainKey, 'invalid-high-s-k256.car', 'secp256k1')
await highS(p256Car, N_P256, p256Main.did(), 'invalid-high-s-p256.car', 'P-256')

// 4. Missing blocks.
{
  const dataRoot = mainCommit.data.toString()
  const mstNode = mainSecs.list.find((s) => isMstNode(s.obj) && s.cid.toString() !== dataRoot)
  const without = (victim) =>
    carWith(
      mainSecs.root,
      mainSecs.list.filter((s) => s !== victim).map((s) => ({ cid: s.cid, bytes: s.bytes })),
    )
  await addInvalid('invalid-missing-mst-node.car', await without(mstNode), mainKey,
    `non-root MST node ${mstNode.cid} removed from the CAR`)
  const record = mainSecs.list.find((s) => s.obj?.$type === 'app.bsky.feed.like')
  await addInvalid('invalid-missing-record-block.car', await without(record), mainKey,
    `record block ${record.cid} (a like) removed from the CAR while the MST still points to it`)
}

// 5. Truncated: cut in the middle of a block halfway through the file.
{
  const s = mainSecs.list[Math.floor(mainSecs.list.length / 2)]
  const cut = s.dataStart + Math.floor((s.end - s.dataStart) / 2)
  await addInvalid('invalid-truncated.car', mainCar.slice(0, cut), mainKey,
    `file cut at byte ${cut} of ${mainCar.length}, inside block ${s.cid}`)
}

// 6. Random bytes from a seeded PRNG.
{
  const rnd = prng(20240301)
  const bytes = Uint8Array.from({ length: 4096 }, () => Math.floor(rnd() * 256))
  await addInvalid('invalid-random-bytes.car', bytes, mainKey,
    '4096 bytes from a seeded PRNG (mulberry32, seed 20240301); not a CAR')
}

writeFileSync(join(outDir, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n')
console.error(
  `wrote ${manifest.length} cases to ${outDir} (main repo: ${main.records.length} records, MST layer ${main.layer})`,
)
