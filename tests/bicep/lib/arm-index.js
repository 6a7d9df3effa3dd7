'use strict';
// Builds { 'Microsoft.X/a/b': Set(api-versions) } from Microsoft's generated ARM SDKs for
// JavaScript (@azure/arm-*), installed from npm by this folder's package.json: each SDK holds
// the REST paths of its resource provider and the api-version each operation sends. The SDKs
// are generated from the same REST specifications ARM publishes, so a type@version found here
// is one Azure serves. Offline by construction: only files under node_modules are read.
const fs = require('fs');
const path = require('path');

const VERSION = String.raw`\d{4}-\d{2}-\d{2}(?:-preview|-beta|-alpha|-privatepreview)?`;

/** Every .js file of a package, minified bundles and source maps excluded. */
function jsFiles(dir, out = []) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules' && entry.name !== 'browser' && entry.name !== 'esm' && entry.name !== 'react-native') jsFiles(full, out);
    } else if (entry.name.endsWith('.js') && !entry.name.endsWith('.min.js')) {
      out.push(full);
    }
  }
  return out;
}

/**
 * The ARM resource type a REST path addresses, or null when the path does not end at a resource
 * (a collection or an action). '/{scope}/providers/Microsoft.Storage/storageAccounts/{a}/tableServices/default'
 * -> 'Microsoft.Storage/storageAccounts/tableServices'.
 */
function typeOfPath(p) {
  const at = p.lastIndexOf('/providers/');
  if (at < 0) return null;
  const segments = p.slice(at + '/providers/'.length).replace(/\{\?[^}]*\}$/, '').split('/').filter(s => s.length > 0);
  // Namespace, then (type, name) pairs: an even count of pairs' segments means the path ends at a name.
  if (segments.length < 3 || (segments.length - 1) % 2 !== 0) return null;
  const types = [];
  for (let i = 1; i < segments.length; i += 2) {
    if (segments[i].startsWith('{')) return null;
    types.push(segments[i]);
  }
  return `${segments[0]}/${types.join('/')}`;
}

/** api-version parameter objects: `const apiVersion3 = { parameterPath: "apiVersion", mapper: { ..., defaultValue: "V" } }`. */
function apiVersionParams(text, into = new Map()) {
  const re = /(?:(?:const|var|let)\s+|exports\.)([\w$]+)\s*=\s*\{\s*parameterPath:\s*["']apiVersion["'],\s*mapper:\s*\{([^{}]*)/g;
  for (const m of text.matchAll(re)) {
    const v = new RegExp(String.raw`defaultValue:\s*["'](${VERSION})["']`).exec(m[2]);
    if (v) into.set(m[1], v[1]);
  }
  return into;
}

/** A TypeSpec client's default: `options.apiVersion ?? "V"`. */
function contextDefault(text) {
  const m = new RegExp(String.raw`options\.apiVersion\s*\?\?\s*"(${VERSION})"`).exec(text);
  return m ? m[1] : null;
}

/**
 * (path, api-version) pairs of one file. Autorest style: operation specs `{ path: "...", ...,
 * queryParameters: [Parameters.apiVersionN] }`; TypeSpec style: `expandUrlTemplate("path{?api%2Dversion}",
 * { ..., "api%2Dversion": context.apiVersion ?? "V" })` or a literal
 * `"api%2Dversion": "V"`; the client's default when no literal follows.
 */
function pairsOf(text, packageParams, packageDefault) {
  const local = apiVersionParams(text);
  const pairs = [];
  const chunks = text.split(/\bpath:\s*/).slice(1);
  for (const chunk of chunks) {
    const p = /^["']([^"']+)["']/.exec(chunk);
    const q = /queryParameters:\s*\[([^\]]*)\]/.exec(chunk);
    if (!p || !q) continue;
    for (const ref of q[1].split(',').map(s => s.trim().replace(/^[\w$]+\./, ''))) {
      const v = local.get(ref) ?? packageParams.get(ref);
      if (v) pairs.push([p[1], v]);
    }
  }
  const re = new RegExp(String.raw`expandUrlTemplate\)?\(\s*"([^"]+)",\s*\{[^}]*?"api%2Dversion":\s*(?:context\.apiVersion(?:\s*\?\?\s*"(${VERSION})")?|"(${VERSION})")`, 'g');
  for (const m of text.matchAll(re)) {
    const v = m[2] ?? m[3] ?? packageDefault;
    if (v) pairs.push([m[1], v]);
  }
  return pairs;
}

function build(nodeModules) {
  const index = new Map();
  const scope = path.join(nodeModules, '@azure');
  const sources = [];
  for (const name of fs.readdirSync(scope).filter(n => n.startsWith('arm-')).sort()) {
    const dir = path.join(scope, name);
    const version = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).version;
    sources.push(`@azure/${name}@${version}`);
    const texts = jsFiles(path.join(dir, 'dist')).map(f => fs.readFileSync(f, 'utf8'));
    const packageParams = new Map();
    let packageDefault = null;
    for (const text of texts) {
      apiVersionParams(text, packageParams);
      packageDefault = packageDefault ?? contextDefault(text);
    }
    for (const text of texts) {
      for (const [p, v] of pairsOf(text, packageParams, packageDefault)) {
        const type = typeOfPath(p);
        if (!type) continue;
        const key = type.toLowerCase();
        if (!index.has(key)) index.set(key, { type, versions: new Set() });
        index.get(key).versions.add(v);
      }
    }
  }
  return { index, sources };
}

module.exports = { build, typeOfPath };
