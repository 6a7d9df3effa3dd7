#!/usr/bin/env node
'use strict';
// Offline checks of the Bicep deployment (no Bicep compiler can be installed here):
//   syntax     every .bicep file parses with tree-sitter-bicep (no ERROR or MISSING node)
//   resources  every resource type@apiVersion is one Microsoft's generated ARM SDKs know
//   roles      roles.json holds the documented GUID of each role it names, no .bicep file
//              carries a GUID of its own, and every role a .bicep file asks for is in roles.json
//   settings   each process's app settings are ones the app reads (or the platform's), and hold
//              every setting the process needs; secrets only as Key Vault references
//   params     the parameter files name existing parameters and their own topology
// Usage: node check.js [--infra DIR] [--sample FILE] [--json]
// Exit 0 when every check passes, 1 otherwise; --json prints { problems, processes, sources }.
const fs = require('fs');
const path = require('path');
const { parse, problems: syntaxProblems } = require('./lib/syntax');
const armIndex = require('./lib/arm-index');
const { findAll, stringValue, objectProperties } = require('./lib/bicep-tree');
const builtinRoles = require('./lib/builtin-roles');
const { checkSettings } = require('./lib/settings');

function args(argv) {
  const repo = path.resolve(__dirname, '..', '..');
  const options = { infra: path.join(repo, 'infra', 'bicep'), sample: path.join(repo, 'local.settings.sample.json'), json: false };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--json') options.json = true;
    else if (argv[i] === '--infra') options.infra = path.resolve(argv[++i]);
    else if (argv[i] === '--sample') options.sample = path.resolve(argv[++i]);
    else throw new Error(`unknown argument ${argv[i]}`);
  }
  return options;
}

function bicepFiles(dir, out = []) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) bicepFiles(full, out);
    else if (entry.name.endsWith('.bicep')) out.push(full);
  }
  return out;
}

function checkResources(files, problems) {
  const { index, sources } = armIndex.build(path.join(__dirname, 'node_modules'));
  const used = [];
  for (const f of files) {
    for (const decl of findAll(f.tree.rootNode, 'resource_declaration')) {
      const typeNode = decl.namedChildren.find(n => n.type === 'string');
      const at = `${f.rel}:${decl.startPosition.row + 1}`;
      const spec = typeNode ? stringValue(typeNode, f.text, '${}') : null;
      const m = spec ? /^([A-Za-z0-9.]+\/[A-Za-z0-9/]+)@(\d{4}-\d{2}-\d{2}(?:-[a-z]+)?)$/.exec(spec) : null;
      if (!m) {
        problems.push({ check: 'resources', at, message: `resource type '${spec}' is not a full 'Namespace/type@yyyy-mm-dd' (nested relative types are not checkable; declare child resources with parent:)` });
        continue;
      }
      used.push(spec);
      const known = index.get(m[1].toLowerCase());
      if (!known) {
        problems.push({ check: 'resources', at, message: `resource type ${m[1]} is not in Azure's published REST API (per ${sources.length} ARM SDK packages)` });
      } else if (known.type !== m[1]) {
        problems.push({ check: 'resources', at, message: `resource type ${m[1]} is spelled ${known.type} by Azure` });
      } else if (!known.versions.has(m[2])) {
        problems.push({ check: 'resources', at, message: `${m[1]} has no API version ${m[2]}; published: ${[...known.versions].sort().join(', ')}` });
      }
    }
  }
  return { sources, used: [...new Set(used)].sort() };
}

const GUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

function checkRoles(infra, files, problems) {
  const rolesPath = path.join(infra, 'roles.json');
  let table = {};
  try {
    table = JSON.parse(fs.readFileSync(rolesPath, 'utf8'));
  } catch (e) {
    problems.push({ check: 'roles', at: 'roles.json', message: `cannot read: ${e.message}` });
  }
  for (const [name, id] of Object.entries(table)) {
    if (name.startsWith('$')) continue;
    if (!(name in builtinRoles)) {
      problems.push({ check: 'roles', at: 'roles.json', message: `'${name}' is not a documented built-in role this checker knows (add it to tests/bicep/lib/builtin-roles.js with its source)` });
    } else if (String(id).toLowerCase() !== builtinRoles[name]) {
      problems.push({ check: 'roles', at: 'roles.json', message: `'${name}' is ${builtinRoles[name]} in Microsoft's documentation, not ${id}` });
    }
  }
  const asked = [];
  for (const f of files) {
    f.text.split('\n').forEach((line, i) => {
      if (GUID.test(line)) problems.push({ check: 'roles', at: `${f.rel}:${i + 1}`, message: `GUID literal ${GUID.exec(line)[0]}: role ids belong in roles.json only` });
    });
    // roleNames: [ ... ] (including both branches of a ternary) and roles['X'] / roles.X.
    for (const prop of findAll(f.tree.rootNode, 'object_property')) {
      const key = prop.namedChildren[0];
      if (!key || f.text.slice(key.startIndex, key.endIndex) !== 'roleNames') continue;
      for (const s of findAll(prop.namedChildren[prop.namedChildren.length - 1], 'string')) asked.push({ name: stringValue(s, f.text, ''), at: `${f.rel}:${s.startPosition.row + 1}` });
    }
    for (const sub of findAll(f.tree.rootNode, 'subscript_expression')) {
      const object = sub.childForFieldName('object');
      const idx = sub.childForFieldName('index');
      if (object && f.text.slice(object.startIndex, object.endIndex) === 'roles' && idx && idx.type === 'string') {
        asked.push({ name: stringValue(idx, f.text, ''), at: `${f.rel}:${sub.startPosition.row + 1}` });
      }
    }
    for (const mem of findAll(f.tree.rootNode, 'member_expression')) {
      const object = mem.childForFieldName('object');
      const prop = mem.childForFieldName('property');
      if (object && prop && f.text.slice(object.startIndex, object.endIndex) === 'roles') {
        asked.push({ name: f.text.slice(prop.startIndex, prop.endIndex), at: `${f.rel}:${mem.startPosition.row + 1}` });
      }
    }
  }
  for (const a of asked) {
    if (!(a.name in table)) problems.push({ check: 'roles', at: a.at, message: `role '${a.name}' is not in roles.json` });
  }
  return { assigned: [...new Set(asked.map(a => a.name))].sort() };
}

function checkParameterFiles(infra, main, problems) {
  const declared = new Map();
  for (const p of findAll(main.tree.rootNode, 'parameter_declaration')) {
    const name = main.text.slice(p.namedChildren[0].startIndex, p.namedChildren[0].endIndex);
    // A default value follows the type: parameter_declaration (identifier) (type) (value)
    declared.set(name, { required: p.namedChildren.length < 3 });
  }
  for (const topology of ['serverless', 'container', 'community']) {
    const file = `${topology}.parameters.json`;
    let given;
    try {
      given = JSON.parse(fs.readFileSync(path.join(infra, file), 'utf8')).parameters ?? {};
    } catch (e) {
      problems.push({ check: 'params', at: file, message: `cannot read: ${e.message}` });
      continue;
    }
    for (const name of Object.keys(given)) {
      if (!declared.has(name)) problems.push({ check: 'params', at: file, message: `parameter '${name}' is not declared in main.bicep` });
    }
    for (const [name, d] of declared) {
      if (d.required && !(name in given)) problems.push({ check: 'params', at: file, message: `required parameter '${name}' is missing` });
    }
    if (given.topology?.value !== topology) problems.push({ check: 'params', at: file, message: `topology is '${given.topology?.value}', expected '${topology}'` });
  }
}

function main() {
  const options = args(process.argv.slice(2));
  const problems = [];
  const files = bicepFiles(options.infra).map(full => {
    const text = fs.readFileSync(full, 'utf8');
    return { full, rel: path.relative(options.infra, full), text, tree: parse(text) };
  });
  if (files.length === 0) problems.push({ check: 'syntax', at: options.infra, message: 'no .bicep files' });
  for (const f of files) {
    for (const p of syntaxProblems(f.text)) problems.push({ check: 'syntax', at: `${f.rel}:${p.line}:${p.column}`, message: `${p.kind}: ${p.text}` });
  }
  const resources = checkResources(files, problems);
  const roles = checkRoles(options.infra, files, problems);
  const mainFile = files.find(f => f.rel === 'main.bicep');
  let processes = [];
  if (!mainFile) {
    problems.push({ check: 'settings', at: 'main.bicep', message: 'missing' });
  } else {
    const sample = Object.keys(JSON.parse(fs.readFileSync(options.sample, 'utf8')).Values);
    processes = checkSettings(mainFile, sample, problems);
    checkParameterFiles(options.infra, mainFile, problems);
  }
  if (options.json) {
    process.stdout.write(JSON.stringify({ problems, processes, resources: resources.used, sources: resources.sources, roles: roles.assigned }, null, 2) + '\n');
  } else {
    for (const p of problems) console.log(`${p.check}: ${p.at}: ${p.message}`);
    console.log(`${files.length} bicep files, ${resources.used.length} resource types, ${roles.assigned.length} roles, ${processes.length} processes: ${problems.length} problem(s)`);
  }
  process.exitCode = problems.length === 0 ? 0 : 1;
}

main();
