'use strict';
// Bicep syntax through tree-sitter-bicep: no compiler is installable here, so this is the
// strongest offline check of the grammar. ERROR nodes are unparseable text, MISSING nodes are
// tokens the parser had to invent (an unclosed brace, a missing colon).
const Parser = require('tree-sitter');
const Bicep = require('tree-sitter-bicep');

const parser = new Parser();
parser.setLanguage(Bicep);

function parse(text) {
  // The default buffer is too small for a long file: tree-sitter then throws "Invalid argument".
  return parser.parse(text, undefined, { bufferSize: Math.max(64 * 1024, text.length * 2) });
}

/** Syntax problems of one file: [{ line, column, kind, text }], 1-based positions. */
function problems(text) {
  const found = [];
  const walk = node => {
    if (node.type === 'ERROR' || node.isMissing) {
      found.push({
        line: node.startPosition.row + 1,
        column: node.startPosition.column + 1,
        kind: node.isMissing ? `missing ${node.type}` : 'unparseable',
        text: text.slice(node.startIndex, node.endIndex).split('\n')[0].slice(0, 60),
      });
      if (node.type === 'ERROR') return;
    }
    for (const child of node.children) walk(child);
  };
  walk(parse(text).rootNode);
  return found;
}

module.exports = { parse, problems };
