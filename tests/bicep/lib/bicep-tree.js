'use strict';
// Small readers over tree-sitter-bicep syntax trees.

/** Every node of a given type, depth first. */
function findAll(node, type, out = []) {
  if (node.type === type) out.push(node);
  for (const child of node.namedChildren) findAll(child, type, out);
  return out;
}

/** The text of a string literal with each ${...} replaced by `hole`; null for any other node. */
function stringValue(node, text, hole) {
  if (node.type !== 'string') return null;
  let value = '';
  for (const child of node.namedChildren) {
    if (child.type === 'string_content' || child.type === 'escape_sequence') value += text.slice(child.startIndex, child.endIndex);
    else if (child.type === 'interpolation') value += hole;
  }
  return value;
}

/** Property key of an object_property (identifier or string). */
function propertyKey(prop, text) {
  const key = prop.namedChildren[0];
  if (!key) return null;
  return key.type === 'string' ? stringValue(key, text, '') : text.slice(key.startIndex, key.endIndex);
}

/** An object literal as [{ key, valueNode, line }]. */
function objectProperties(objectNode, text) {
  return objectNode.namedChildren
    .filter(n => n.type === 'object_property')
    .map(p => ({ key: propertyKey(p, text), valueNode: p.namedChildren[p.namedChildren.length - 1], line: p.startPosition.row + 1 }));
}

module.exports = { findAll, stringValue, propertyKey, objectProperties };
