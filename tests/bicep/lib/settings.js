'use strict';
// App settings per process, read from main.bicep's variables named
// <topology><Process>Settings (name -> value) and <topology><Process>Secrets (name -> Key Vault
// secret name), e.g. serverlessRelaySettings. "Function" processes run under the Functions host
// (Flex Consumption); every other process is a container.
const { findAll, stringValue, objectProperties } = require('./bicep-tree');

const TOPOLOGIES = ['serverless', 'container', 'community'];
const VARIABLE = /^(serverless|container|community)([A-Z][A-Za-z]*)(Settings|Secrets)$/;
// Read by the platform, not by the app: allowed where noted, never required.
const PLATFORM = { APPLICATIONINSIGHTS_CONNECTION_STRING: 'function', AzureWebJobsDisableHomepage: 'function' };
// Never in a deployment: an account key, a port the host chooses, or settings Flex rejects.
const FORBIDDEN = {
  AzureWebJobsStorage: 'a storage connection string carries the account key; use AzureWebJobsStorage__accountName',
  FUNCTIONS_CUSTOMHANDLER_PORT: 'the Functions host chooses the port',
  FUNCTIONS_WORKER_RUNTIME: 'Flex Consumption takes the runtime from functionAppConfig; containers do not read it',
  FUNCTIONS_EXTENSION_VERSION: 'not used on Flex Consumption',
  WEBSITE_RUN_FROM_PACKAGE: 'not used on Flex Consumption (OneDeploy to the deployment container)',
};
// Secrets: only as Key Vault references, never as plain values in the template.
const SECRETS = ['PDS_ADMIN_PASSWORD', 'PDS_JWT_SECRET', 'PDS_FORWARD_SECRET', 'PDS_PLC_ROTATION_KEY_K256_PRIVATE_KEY_HEX', 'PDS_KEY_ENCRYPTION_KEY_HEX'];

/** Top-level `var name = 'literal'`: settings often name such a constant (wrapKeyName). */
function stringConstants(main) {
  const constants = new Map();
  for (const decl of main.tree.rootNode.namedChildren.filter(n => n.type === 'variable_declaration')) {
    const value = decl.namedChildren[decl.namedChildren.length - 1];
    if (value.type === 'string' && !value.namedChildren.some(c => c.type === 'interpolation')) {
      constants.set(main.text.slice(decl.namedChildren[0].startIndex, decl.namedChildren[0].endIndex), stringValue(value, main.text, ''));
    }
  }
  return constants;
}

function literal(node, main, constants) {
  if (node.type === 'string') return stringValue(node, main.text, 'x');
  if (node.type === 'identifier') return constants.get(main.text.slice(node.startIndex, node.endIndex)) ?? null;
  return null;
}

function readProcesses(main, problems) {
  const processes = new Map();
  const constants = stringConstants(main);
  for (const decl of findAll(main.tree.rootNode, 'variable_declaration')) {
    const name = main.text.slice(decl.namedChildren[0].startIndex, decl.namedChildren[0].endIndex);
    const m = VARIABLE.exec(name);
    if (!m) continue;
    const value = decl.namedChildren[decl.namedChildren.length - 1];
    const at = `main.bicep:${decl.startPosition.row + 1}`;
    if (value.type !== 'object') {
      problems.push({ check: 'settings', at, message: `${name} must be an object literal (the checker reads it as written)` });
      continue;
    }
    // A variable nobody passes to an app would pass every check and configure nothing.
    const uses = findAll(main.tree.rootNode, 'identifier').filter(n => main.text.slice(n.startIndex, n.endIndex) === name).length;
    if (uses < 2) problems.push({ check: 'settings', at, message: `${name} is declared but never passed to an app` });
    const key = `${m[1]}/${m[2]}`;
    if (!processes.has(key)) {
      processes.set(key, { topology: m[1], process: m[2].toLowerCase(), kind: m[2] === 'Function' ? 'function' : 'container', settings: {}, secrets: {}, at });
    }
    const target = processes.get(key)[m[3] === 'Settings' ? 'settings' : 'secrets'];
    for (const p of objectProperties(value, main.text)) {
      // Literal strings (and constants) are kept, with ${...} as "x"; anything computed is null.
      target[p.key] = literal(p.valueNode, main, constants);
    }
  }
  return [...processes.values()];
}

function rolesOf(p) {
  return (p.settings.PDS_ROLES ?? (p.kind === 'function' ? 'api,sequencer' : 'api,sequencer,relay')).split(',').map(s => s.trim());
}

/** What a process needs, from what it runs; mirrors PdsConfig.Load and PdsSecrets.Resolve. */
function required(p, all) {
  const roles = rolesOf(p);
  const needs = ['PDS_STORAGE_BACKEND', 'PDS_ROLES', 'PDS_HOSTNAME', 'AzureWebJobsStorage__accountName', 'PDS_ADMIN_PASSWORD', 'PDS_JWT_SECRET', 'PDS_KEY_VAULT_URL', 'PDS_KEY_VAULT_MODE'];
  if (p.settings.PDS_KEY_VAULT_MODE === 'wrap') needs.push('PDS_KEY_VAULT_WRAP_KEY', 'PDS_PLC_ROTATION_KEY_K256_PRIVATE_KEY_HEX');
  if (p.kind === 'container') {
    needs.push('AZURE_CLIENT_ID');
    if (roles.includes('api') || roles.includes('relay')) needs.push('PDS_BIND_ADDRESS', 'PDS_PORT');
  }
  const separateRelay = all.some(o => o.topology === p.topology && o !== p && rolesOf(o).includes('relay') && !rolesOf(o).includes('api'));
  if (roles.includes('relay') && !roles.includes('api')) needs.push('PDS_FORWARD_TO', 'PDS_FORWARD_SECRET');
  if (roles.includes('api') && separateRelay) needs.push('PDS_FORWARD_SECRET');
  if (roles.includes('sequencer')) needs.push('PDS_CRAWLERS');
  // Where one process announces through SignalR, the others of that topology must listen there too.
  const signalR = all.some(o => o.topology === p.topology && ('PDS_SIGNALR_CONNECTION_STRING' in o.settings || 'PDS_SIGNALR_CONNECTION_STRING' in o.secrets));
  if (signalR && (roles.includes('sequencer') || roles.includes('relay'))) needs.push('PDS_SIGNALR_CONNECTION_STRING');
  return needs;
}

function checkSettings(main, sampleNames, problems) {
  const processes = readProcesses(main, problems);
  const appReads = new Set(sampleNames.filter(n => !(n in FORBIDDEN)));
  for (const topology of TOPOLOGIES) {
    if (!processes.some(p => p.topology === topology)) problems.push({ check: 'settings', at: 'main.bicep', message: `no <${topology}Process>Settings variable: the ${topology} topology configures no app` });
  }
  for (const p of processes) {
    const where = `${p.topology} ${p.process}`;
    const names = [...Object.keys(p.settings), ...Object.keys(p.secrets)];
    for (const n of Object.keys(p.settings).filter(n => n in p.secrets)) {
      problems.push({ check: 'settings', at: p.at, message: `${where}: ${n} is both a setting and a secret` });
    }
    for (const n of names) {
      if (n in FORBIDDEN) problems.push({ check: 'settings', at: p.at, message: `${where}: ${n} must not be set (${FORBIDDEN[n]})` });
      else if (n in PLATFORM) {
        if (PLATFORM[n] !== p.kind) problems.push({ check: 'settings', at: p.at, message: `${where}: ${n} is a ${PLATFORM[n]} platform setting; nothing reads it in a ${p.kind}` });
      } else if (!appReads.has(n)) {
        problems.push({ check: 'settings', at: p.at, message: `${where}: ${n} is not a setting the app reads (local.settings.sample.json lists them)` });
      }
    }
    for (const n of SECRETS) {
      if (n in p.settings) problems.push({ check: 'settings', at: p.at, message: `${where}: ${n} is a secret: reference it from Key Vault (${p.topology}${p.process[0].toUpperCase()}${p.process.slice(1)}Secrets)` });
    }
    const signalR = p.settings.PDS_SIGNALR_CONNECTION_STRING;
    if (signalR !== undefined && (signalR === null || !/AuthType=/i.test(signalR) || /AccessKey=/i.test(signalR))) {
      problems.push({ check: 'settings', at: p.at, message: `${where}: PDS_SIGNALR_CONNECTION_STRING with an access key is a secret; only AuthType= strings may be plain` });
    }
    for (const n of required(p, processes)) {
      if (!names.includes(n)) problems.push({ check: 'settings', at: p.at, message: `${where}: needs ${n}` });
    }
  }
  return processes.map(({ at, ...rest }) => ({ ...rest, secrets: Object.keys(rest.secrets) }));
}

module.exports = { checkSettings, readProcesses };
