// DID documents and signing keys, resolved through the PLC directory (did:plc)
// or HTTPS (did:web) with @atproto/identity. Caching is off: the tests look
// for fresh changes (handle updates).
import { IdResolver, getHandle } from '@atproto/identity'
import { config } from './config.mjs'

// The default fetch of @atproto/identity refuses loopback addresses (SSRF
// protection); a test run resolves against its own local PLC, so use plain fetch.
const resolver = new IdResolver({ plcUrl: config.plc, fetch: globalThis.fetch, timeout: 10000 })

export async function resolveDidDoc(did) {
  const doc = await resolver.did.resolve(did, true)
  if (!doc) throw new Error(`DID ${did} does not resolve via ${config.plc}`)
  return doc
}

// did:key of the account's repo signing key (#atproto verification method).
export async function signingKeyOf(did) {
  return resolver.did.resolveAtprotoKey(did, true)
}

export function handleInDoc(doc) {
  return getHandle(doc)
}
