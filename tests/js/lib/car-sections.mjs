// Minimal CARv1 section scanner used only to *build the negative fixtures*
// (find a block's byte range so it can be altered, dropped or cut) and to
// count the sections of a CAR. Decoding/verification of CARs always goes
// through @atproto/repo; this file never judges validity.

function readVarint(bytes, pos) {
  let value = 0
  let shift = 0
  for (;;) {
    if (pos >= bytes.length) throw new Error('varint runs past end of input')
    const b = bytes[pos++]
    value += (b & 0x7f) * 2 ** shift
    if ((b & 0x80) === 0) return { value, pos }
    shift += 7
    if (shift > 49) throw new Error('varint too long')
  }
}

// Length in bytes of a binary CIDv1 (or CIDv0 multihash) starting at pos.
function cidLength(bytes, pos) {
  const start = pos
  if (bytes[pos] === 0x12 && bytes[pos + 1] === 0x20) return 34 // CIDv0
  let r = readVarint(bytes, pos) // version
  r = readVarint(bytes, r.pos) // codec
  r = readVarint(bytes, r.pos) // multihash code
  r = readVarint(bytes, r.pos) // digest length
  return r.pos + r.value - start
}

/**
 * Split a CAR into its header and sections.
 * Returns { headerEnd, sections: [{ start, end, cidStart, cidEnd, dataStart }] }
 * where [start, end) covers the varint prefix, CID and block bytes.
 */
export function scanCar(bytes) {
  const h = readVarint(bytes, 0)
  const headerEnd = h.pos + h.value
  const sections = []
  let pos = headerEnd
  while (pos < bytes.length) {
    const start = pos
    const len = readVarint(bytes, pos)
    const cidStart = len.pos
    const cidEnd = cidStart + cidLength(bytes, cidStart)
    const end = len.pos + len.value
    if (end > bytes.length) throw new Error('section runs past end of input')
    sections.push({ start, end, cidStart, cidEnd, dataStart: cidEnd })
    pos = end
  }
  return { headerEnd, sections }
}

export function countBlocks(bytes) {
  return scanCar(bytes).sections.length
}
