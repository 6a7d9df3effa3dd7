#!/usr/bin/env node
// verify-car.mjs FILE [DIDKEY]
//
// Verifies a full-repo CAR with the official @atproto/repo code path used
// when a repo is imported/synced:
//   readCarWithRoot  - parses the CAR, requires exactly one root and checks
//                      every block's bytes against its CID;
//   verifyRepo       - loads the root commit, checks the commit signature
//                      against DIDKEY (when given), walks the whole MST and
//                      requires every record (leaf) block to be present.
// Prints exactly one JSON line on stdout and exits 0 (ok) or 1 (rejected).
// Without DIDKEY the signature is NOT checked ("sigChecked": false).

import { readFileSync } from 'node:fs'

import { cborToLex, readCarWithRoot, verifyRepo } from '@atproto/repo'

const [file, didKey] = process.argv.slice(2)
if (!file) {
  console.error('usage: node verify-car.mjs FILE [DIDKEY]')
  process.exit(2)
}

try {
  const bytes = readFileSync(file)
  const car = await readCarWithRoot(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength))
  const verified = await verifyRepo(car.blocks, car.root, undefined, didKey || undefined)
  // verifyRepo has already parsed the root as a commit; decode it again only
  // to report its fields.
  const commit = cborToLex(car.blocks.get(car.root))
  const records = verified.creates
    .map((c) => ({ path: `${c.collection}/${c.rkey}`, cid: c.cid.toString() }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
  process.stdout.write(
    JSON.stringify({
      ok: true,
      did: commit.did,
      rev: verified.commit.rev,
      commit: verified.commit.cid.toString(),
      data: commit.data.toString(),
      version: commit.version,
      sigChecked: Boolean(didKey),
      records,
    }) + '\n',
  )
  process.exit(0)
} catch (err) {
  const error = err instanceof Error ? `${err.name}: ${err.message}` : String(err)
  process.stdout.write(JSON.stringify({ ok: false, error }) + '\n')
  process.exit(1)
}
