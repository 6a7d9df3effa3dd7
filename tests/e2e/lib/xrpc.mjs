// Thin helpers over plain fetch for the requests the client library would hide
// (raw status codes, missing parameters, hand-made auth headers), and assertion
// helpers for XRPC error shapes.
import assert from 'node:assert/strict'
import { config } from './config.mjs'

export function xrpcUrl(nsid, params) {
  const url = new URL(`/xrpc/${nsid}`, config.pds)
  for (const [k, v] of Object.entries(params ?? {})) {
    if (v === undefined) continue
    for (const item of Array.isArray(v) ? v : [v]) url.searchParams.append(k, String(item))
  }
  return url
}

// Returns { status, headers, bytes, json } (json is undefined when the body is not JSON).
export async function rawXrpc(nsid, { method = 'GET', params, body, token, headers = {} } = {}) {
  const h = { ...headers }
  if (token) h.authorization = `Bearer ${token}`
  let payload
  if (body !== undefined) {
    if (body instanceof Uint8Array) {
      payload = body
    } else {
      payload = JSON.stringify(body)
      h['content-type'] ??= 'application/json'
    }
  }
  const res = await fetch(xrpcUrl(nsid, params), { method, headers: h, body: payload })
  const bytes = new Uint8Array(await res.arrayBuffer())
  let json
  if ((res.headers.get('content-type') ?? '').includes('json')) {
    try {
      json = JSON.parse(new TextDecoder().decode(bytes))
    } catch {
      json = undefined
    }
  }
  return { status: res.status, headers: res.headers, bytes, json }
}

const clip = (s, n = 300) => (s.length > n ? `${s.slice(0, n)}...` : s)
const describe = (res) =>
  `HTTP ${res.status} ${res.json ? clip(JSON.stringify(res.json)) : `(${res.bytes.length} non-JSON bytes)`}`

// An XRPC error response: JSON body with a string `error` (and optional string `message`).
export function assertXrpcErrorBody(res, { status, error } = {}) {
  assert.ok(res.status >= 400, `expected an error status, got ${describe(res)}`)
  assert.ok(res.json && typeof res.json === 'object', `error body must be JSON: ${describe(res)}`)
  assert.equal(typeof res.json.error, 'string', `error body needs a string "error": ${describe(res)}`)
  if (res.json.message !== undefined) assert.equal(typeof res.json.message, 'string', 'error "message" must be a string')
  if (status !== undefined) {
    const ok = Array.isArray(status) ? status.includes(res.status) : res.status === status
    assert.ok(ok, `expected HTTP ${status}, got ${describe(res)}`)
  }
  if (error !== undefined) {
    const ok = Array.isArray(error) ? error.includes(res.json.error) : res.json.error === error
    assert.ok(ok, `expected error ${JSON.stringify(error)}, got ${describe(res)}`)
  }
}

// Awaits a promise from the @atproto/api client that must fail with an XRPC error.
export async function expectXrpcError(promise, { status, error } = {}) {
  let err
  try {
    const res = await promise
    assert.fail(`expected an XRPC error (${JSON.stringify({ status, error })}), got success: ${clip(JSON.stringify(res?.data ?? res) ?? '')}`)
  } catch (e) {
    if (e instanceof assert.AssertionError) throw e
    err = e
  }
  assert.equal(typeof err.status, 'number', `expected an XRPCError, got ${err?.stack ?? err}`)
  const got = `HTTP ${err.status} ${err.error}: ${err.message}`
  if (status !== undefined) {
    const ok = Array.isArray(status) ? status.includes(err.status) : err.status === status
    assert.ok(ok, `expected HTTP ${status}, got ${got}`)
  }
  if (error !== undefined) {
    const ok = Array.isArray(error) ? error.includes(err.error) : err.error === error
    assert.ok(ok, `expected error ${JSON.stringify(error)}, got ${got}`)
  }
  return err
}

// The 401 names the specs and the official libraries use for "log in first / bad login".
export const AUTH_ERRORS = ['AuthenticationRequired', 'AuthRequired']
