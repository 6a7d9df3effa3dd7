#!/usr/bin/env node
// cbor.mjs [--strict]
//
// Streaming line protocol for differential tests of DAG-CBOR encoding.
// One JSON object per input line on stdin, one JSON object per output line
// on stdout, in the same order. Conversion uses the same packages as
// @atproto/repo: @atproto/lex-json (jsonToLex: {"$link"} -> CID,
// {"$bytes"} -> bytes) and @atproto/lex-cbor (encode/decode, DRISL rules),
// with @atproto/lex-data for CIDs (CIDv1, dag-cbor codec, sha2-256).
//
//   in:  {"json": <atproto JSON value>}
//   out: {"cbor_base64": "<standard base64, padded>", "cid": "bafyrei..."}
//
//   in:  {"cbor_base64": "..."}          (decode direction)
//   out: {"json": <atproto JSON value>, "cid": "<cid of the input bytes>"}
//
// Any failure for a line (invalid JSON, value outside the data model such as
// a float, non-canonical or invalid CBOR when decoding) gives
//   out: {"error": "..."}
// and processing continues with the next line.
//
// --strict passes {strict: true} to jsonToLex (rejects malformed $link,
// $bytes, blob objects and non-integer numbers at conversion time instead of
// leaving them as plain maps / failing in the encoder).
//
// Caveat: JSON.parse turns every number into a double, so integers beyond
// +-(2^53-1) lose precision and 1.0 is indistinguishable from 1.

import { createInterface } from 'node:readline'

import { decode, encode } from '@atproto/lex-cbor'
import { cidForCbor } from '@atproto/lex-data'
import { jsonToLex, lexToJson } from '@atproto/lex-json'

const strict = process.argv.includes('--strict')

const errText = (err) => (err instanceof Error ? err.message : String(err))

async function handle(line) {
  let msg
  try {
    msg = JSON.parse(line)
  } catch (err) {
    return { error: `bad input line: ${errText(err)}` }
  }
  try {
    if (msg !== null && typeof msg === 'object' && 'json' in msg) {
      const bytes = encode(jsonToLex(msg.json, { strict }))
      const cid = await cidForCbor(bytes)
      return { cbor_base64: Buffer.from(bytes).toString('base64'), cid: cid.toString() }
    }
    if (msg !== null && typeof msg === 'object' && typeof msg.cbor_base64 === 'string') {
      const bytes = new Uint8Array(Buffer.from(msg.cbor_base64, 'base64'))
      const value = decode(bytes)
      const cid = await cidForCbor(bytes)
      return { json: lexToJson(value), cid: cid.toString() }
    }
    return { error: 'expected {"json": ...} or {"cbor_base64": "..."}' }
  } catch (err) {
    return { error: errText(err) }
  }
}

const rl = createInterface({ input: process.stdin, crlfDelay: Infinity })
for await (const line of rl) {
  if (line.trim() === '') continue
  const out = JSON.stringify(await handle(line)) + '\n'
  if (!process.stdout.write(out)) {
    await new Promise((resolve) => process.stdout.once('drain', resolve))
  }
}
