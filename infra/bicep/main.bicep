// The PDS on Azure, one binary in three topologies (see infra/bicep/README.md):
//   serverless  Flex Consumption Function App (api + queue-triggered sequencer) behind a small
//               always-on Container App running the relay, which owns the hostname, serves the
//               firehose and forwards everything else; SignalR (Free) carries announcements.
//   container   one always-on Container App running every role; Key Vault wrap mode.
//   community   Container Apps: a relay front (1..n), the api scaled out on HTTP load (1..n), one
//               sequencer; Key Vault wrap mode.
// Why community is Container Apps and not App Service Premium v3 + autoscale: the relay needs
// WebSockets and must always run, which Container Apps does per second of use with no plan fee
// (a P0v3 plan is a fixed monthly cost before the first request); all three roles then ship as
// the same image the container topology uses; HTTP-concurrency scaling is built in; and the
// relay-fronted forwarding the serverless topology already uses (and the tests exercise) routes
// the API, so no environment path-routing rules are needed.
//
// scripts/deploy.sh runs this twice: deployApps=false creates storage, Key Vault, SignalR and the
// registry; it then writes the secrets and pushes the image; deployApps=true adds the compute.
targetScope = 'resourceGroup'

@allowed([ 'serverless', 'container', 'community' ])
param topology string

@description('The PDS hostname (pds.example.com). Handles are <name>.<hostname>.')
@minLength(4)
param hostname string

param location string = resourceGroup().location

@description('Relays told about this PDS (PDS_CRAWLERS, and scripts/deploy.sh request-crawl).')
param relays array = [ 'bsky.network' ]

@description('Require an invite code to create an account (a personal PDS should).')
param inviteRequired bool = true

@description('Where alerts are mailed; empty = alerts fire without a notification.')
param alertEmail string = ''

@description('false: only storage, Key Vault, SignalR, registry and monitoring (first pass of scripts/deploy.sh).')
param deployApps bool = true

@description('Bind the hostname with a managed certificate: only once the DNS records scripts/deploy.sh prints exist.')
param bindCustomDomain bool = false

@description('The hostname is a zone apex (A record) rather than a subdomain (CNAME).')
param hostnameIsApex bool = false

@description('Managed certificate id from an earlier binding (scripts/deploy.sh finds it); bound directly on upgrades.')
param existingCertificateId string = ''

@description('Key Vault secret URI of a certificate for *.<hostname>, imported by the operator (managed certificates cannot be wildcards). Empty = none.')
param wildcardCertificateSecretUri string = ''

@description('A container image to run instead of building into this deployment\'s registry (then no registry is created).')
param containerImage string = ''

@description('Tag of the image scripts/deploy.sh pushed to the registry.')
param imageTag string = 'latest'

@description('Object id of whoever runs scripts/deploy.sh: may write the Key Vault secrets. Empty = nobody.')
param deployerPrincipalId string = ''

@allowed([ 'User', 'ServicePrincipal', 'Group' ])
param deployerPrincipalType string = 'User'

@description('Log Analytics ingestion cap per day in GB (a string: Bicep has no decimals). 0.15 GB x 31 days stays inside the free 5 GB a month.')
param logDailyCapGb string = '0.15'

@minValue(1)
@maxValue(100)
param samplingPercentage int = 50

@description('Flex Consumption: instance ceiling for the app (the cost ceiling).')
param functionMaximumInstances int = 10

@allowed([ 512, 2048, 4096 ])
param functionMemoryMB int = 512

param communityApiMaxReplicas int = 10
param communityRelayMaxReplicas int = 3

@allowed([ 'Standard_LRS', 'Standard_ZRS', 'Standard_GRS', 'Standard_GZRS' ])
param storageSku string = 'Standard_LRS'

@description('Key Vault purge protection: deleted account keys cannot be destroyed before the retention ends (cannot be turned off again).')
param purgeProtection bool = true

var tags = { app: 'pds', topology: topology }
// Globally unique, stable per resource group, valid for every resource kind used here.
var base = toLower(take('pds${uniqueString(resourceGroup().id)}', 16))
var serverless = topology == 'serverless'
var container = topology == 'container'
var community = topology == 'community'
// Every topology runs at least one container; the registry exists from the first pass so the image can be pushed before the apps.
var useRegistry = empty(containerImage)

// Names the app derives (PDS_STORAGE_PREFIX empty): AzureBackend and SimpleStoreTables.
var tableNames = [ 'repos', 'events', 'keys', 'accounts', 'sessions', 'invites', 'preferences', 'blobindex' ]
var blobContainerName = 'blobs'
var queueName = 'pds-seq'
var deploymentContainerName = 'app-package'

// Key Vault secrets, written once by scripts/deploy.sh (the SignalR one by signalr.bicep).
var secretNames = {
  adminPassword: 'pds-admin-password'
  jwtSecret: 'pds-jwt-secret'
  forwardSecret: 'pds-forward-secret'
  plcRotationKey: 'pds-plc-rotation-key'
  signalRConnection: 'pds-signalr-connection'
}
var wrapKeyName = 'pds-wrap'

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    name: base
    location: location
    tags: tags
    dailyCapGb: logDailyCapGb
    withApplicationInsights: serverless
    samplingPercentage: samplingPercentage
    alertEmail: alertEmail
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    name: base
    location: location
    tags: tags
    workspaceId: monitoring.outputs.workspaceId
    tableNames: tableNames
    blobContainerName: blobContainerName
    queueName: queueName
    extraContainers: serverless ? [ deploymentContainerName ] : []
    sku: storageSku
    softDeleteDays: 14
  }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  params: {
    name: '${base}-kv'
    location: location
    tags: tags
    workspaceId: monitoring.outputs.workspaceId
    mode: serverless ? 'sign' : 'wrap'
    wrapKeyName: wrapKeyName
    deployerPrincipalId: deployerPrincipalId
    deployerPrincipalType: deployerPrincipalType
    purgeProtection: purgeProtection
  }
}

module signalR 'modules/signalr.bicep' = if (serverless) {
  name: 'signalr'
  params: {
    name: '${base}-sig'
    location: location
    tags: tags
    workspaceId: monitoring.outputs.workspaceId
    keyVaultName: keyVault.outputs.name
    connectionSecretName: secretNames.signalRConnection
  }
}

module registry 'modules/registry.bicep' = if (useRegistry) {
  name: 'registry'
  params: {
    name: '${base}acr'
    location: location
    tags: tags
  }
}

var image = empty(containerImage) ? '${registry.outputs.loginServer}/pds:${imageTag}' : containerImage
var registryServer = empty(containerImage) ? registry.outputs.loginServer : ''
var keyVaultUri = keyVault.outputs.uri
var crawlers = join(relays, ',')

// ---- App settings, one object per process. tests/bicep/check.js reads these literally: every
// name must be one the app reads (local.settings.sample.json) or a platform setting, and every
// setting the process needs must be here. Secrets are name -> Key Vault secret name.

var serverlessFunctionSettings = {
  PDS_STORAGE_BACKEND: 'azure'
  PDS_ROLES: 'api,sequencer'
  PDS_HOSTNAME: hostname
  AzureWebJobsStorage__accountName: storage.outputs.name
  PDS_KEY_VAULT_URL: keyVaultUri
  PDS_KEY_VAULT_MODE: 'sign'
  PDS_SIGNALR_CONNECTION_STRING: 'Endpoint=https://${signalR.outputs.hostName};AuthType=azure.msi;Version=1.0;'
  PDS_CRAWLERS: crawlers
  PDS_INVITE_REQUIRED: string(inviteRequired)
  PDS_RATE_LIMITS_ENABLED: 'true'
  AzureWebJobsDisableHomepage: 'true'
}
var serverlessFunctionSecrets = {
  PDS_ADMIN_PASSWORD: secretNames.adminPassword
  PDS_JWT_SECRET: secretNames.jwtSecret
  PDS_FORWARD_SECRET: secretNames.forwardSecret
}
var serverlessRelaySettings = {
  PDS_STORAGE_BACKEND: 'azure'
  PDS_ROLES: 'relay'
  PDS_HOSTNAME: hostname
  PDS_BIND_ADDRESS: '0.0.0.0'
  PDS_PORT: '8080'
  AzureWebJobsStorage__accountName: storage.outputs.name
  AZURE_CLIENT_ID: relayIdentity.outputs.clientId
  PDS_KEY_VAULT_URL: keyVaultUri
  PDS_KEY_VAULT_MODE: 'sign'
  PDS_FORWARD_TO: 'https://${functionApp.outputs.defaultHostName}'
}
var serverlessRelaySecrets = {
  PDS_ADMIN_PASSWORD: secretNames.adminPassword
  PDS_JWT_SECRET: secretNames.jwtSecret
  PDS_FORWARD_SECRET: secretNames.forwardSecret
  PDS_SIGNALR_CONNECTION_STRING: secretNames.signalRConnection
}

var containerAllSettings = {
  PDS_STORAGE_BACKEND: 'azure'
  PDS_ROLES: 'api,sequencer,relay'
  PDS_HOSTNAME: hostname
  PDS_BIND_ADDRESS: '0.0.0.0'
  PDS_PORT: '8080'
  AzureWebJobsStorage__accountName: storage.outputs.name
  AZURE_CLIENT_ID: relayIdentity.outputs.clientId
  PDS_KEY_VAULT_URL: keyVaultUri
  PDS_KEY_VAULT_MODE: 'wrap'
  PDS_KEY_VAULT_WRAP_KEY: wrapKeyName
  PDS_CRAWLERS: crawlers
  PDS_INVITE_REQUIRED: string(inviteRequired)
  PDS_RATE_LIMITS_ENABLED: 'true'
}
var containerAllSecrets = {
  PDS_ADMIN_PASSWORD: secretNames.adminPassword
  PDS_JWT_SECRET: secretNames.jwtSecret
  PDS_PLC_ROTATION_KEY_K256_PRIVATE_KEY_HEX: secretNames.plcRotationKey
}

var communityApiSettings = {
  PDS_STORAGE_BACKEND: 'azure'
  PDS_ROLES: 'api'
  PDS_HOSTNAME: hostname
  PDS_BIND_ADDRESS: '0.0.0.0'
  PDS_PORT: '8080'
  AzureWebJobsStorage__accountName: storage.outputs.name
  AZURE_CLIENT_ID: apiIdentity.outputs.clientId
  PDS_KEY_VAULT_URL: keyVaultUri
  PDS_KEY_VAULT_MODE: 'wrap'
  PDS_KEY_VAULT_WRAP_KEY: wrapKeyName
  PDS_INVITE_REQUIRED: string(inviteRequired)
  PDS_RATE_LIMITS_ENABLED: 'true'
}
var communityApiSecrets = {
  PDS_ADMIN_PASSWORD: secretNames.adminPassword
  PDS_JWT_SECRET: secretNames.jwtSecret
  PDS_PLC_ROTATION_KEY_K256_PRIVATE_KEY_HEX: secretNames.plcRotationKey
  PDS_FORWARD_SECRET: secretNames.forwardSecret
}
// No SignalR here: hundreds of users would exceed the Free tier's daily messages, and polling the
// event log every half second costs each relay replica about 5 million table reads a month (cents).
var communityRelaySettings = {
  PDS_STORAGE_BACKEND: 'azure'
  PDS_ROLES: 'relay'
  PDS_HOSTNAME: hostname
  PDS_BIND_ADDRESS: '0.0.0.0'
  PDS_PORT: '8080'
  AzureWebJobsStorage__accountName: storage.outputs.name
  AZURE_CLIENT_ID: relayIdentity.outputs.clientId
  PDS_KEY_VAULT_URL: keyVaultUri
  PDS_KEY_VAULT_MODE: 'wrap'
  PDS_KEY_VAULT_WRAP_KEY: wrapKeyName
  PDS_FORWARD_TO: 'https://${communityApi.outputs.fqdn}'
  PDS_RELAY_POLL_MS: '500'
}
var communityRelaySecrets = {
  PDS_ADMIN_PASSWORD: secretNames.adminPassword
  PDS_JWT_SECRET: secretNames.jwtSecret
  PDS_PLC_ROTATION_KEY_K256_PRIVATE_KEY_HEX: secretNames.plcRotationKey
  PDS_FORWARD_SECRET: secretNames.forwardSecret
}
var communitySequencerSettings = {
  PDS_STORAGE_BACKEND: 'azure'
  PDS_ROLES: 'sequencer'
  PDS_HOSTNAME: hostname
  AzureWebJobsStorage__accountName: storage.outputs.name
  AZURE_CLIENT_ID: sequencerIdentity.outputs.clientId
  PDS_KEY_VAULT_URL: keyVaultUri
  PDS_KEY_VAULT_MODE: 'wrap'
  PDS_KEY_VAULT_WRAP_KEY: wrapKeyName
  PDS_CRAWLERS: crawlers
}
var communitySequencerSecrets = {
  PDS_ADMIN_PASSWORD: secretNames.adminPassword
  PDS_JWT_SECRET: secretNames.jwtSecret
  PDS_PLC_ROTATION_KEY_K256_PRIVATE_KEY_HEX: secretNames.plcRotationKey
}

// ---- Identities and their roles (least privilege per process).
// The public container app's identity ("relay": the relay, or the all-roles app of the container
// topology) is made in every topology that has one; the community api and sequencer get their own.

module relayIdentity 'modules/identity.bicep' = if (deployApps) {
  name: 'identity-relay'
  params: { name: '${base}-relay-id', location: location, tags: tags }
}

module apiIdentity 'modules/identity.bicep' = if (deployApps && community) {
  name: 'identity-api'
  params: { name: '${base}-api-id', location: location, tags: tags }
}

module sequencerIdentity 'modules/identity.bicep' = if (deployApps && community) {
  name: 'identity-sequencer'
  params: { name: '${base}-seq-id', location: location, tags: tags }
}

// The relay only reads the event log, pins the PLC rotation key once (a table insert) and, like
// every role, sweeps expired temporary blobs; in sign mode it reads the rotation key's public half.
// In wrap mode every process checks the wrapping key at startup, hence Crypto User.
module relayStorageRoles 'modules/roles-storage.bicep' = if (deployApps) {
  name: 'roles-relay-storage'
  params: {
    storageAccountName: storage.outputs.name
    principalId: relayIdentity.outputs.principalId
    roleNames: container
      ? [ 'Storage Blob Data Contributor', 'Storage Queue Data Contributor', 'Storage Table Data Contributor' ]
      : [ 'Storage Blob Data Contributor', 'Storage Table Data Contributor' ]
  }
}

module relayVaultRoles 'modules/roles-keyvault.bicep' = if (deployApps) {
  name: 'roles-relay-vault'
  params: {
    keyVaultName: keyVault.outputs.name
    principalId: relayIdentity.outputs.principalId
    roleNames: serverless ? [ 'Key Vault Reader', 'Key Vault Secrets User' ] : [ 'Key Vault Crypto User', 'Key Vault Secrets User' ]
  }
}

module relayRegistryRole 'modules/roles-registry.bicep' = if (deployApps && useRegistry) {
  name: 'roles-relay-registry'
  params: { registryName: registry.outputs.name, principalId: relayIdentity.outputs.principalId }
}

module apiStorageRoles 'modules/roles-storage.bicep' = if (deployApps && community) {
  name: 'roles-api-storage'
  params: {
    storageAccountName: storage.outputs.name
    principalId: apiIdentity.outputs.principalId
    roleNames: [ 'Storage Blob Data Contributor', 'Storage Queue Data Contributor', 'Storage Table Data Contributor' ]
  }
}

module apiVaultRoles 'modules/roles-keyvault.bicep' = if (deployApps && community) {
  name: 'roles-api-vault'
  params: {
    keyVaultName: keyVault.outputs.name
    principalId: apiIdentity.outputs.principalId
    roleNames: [ 'Key Vault Crypto User', 'Key Vault Secrets User' ]
  }
}

module apiRegistryRole 'modules/roles-registry.bicep' = if (deployApps && community && useRegistry) {
  name: 'roles-api-registry'
  params: { registryName: registry.outputs.name, principalId: apiIdentity.outputs.principalId }
}

module sequencerStorageRoles 'modules/roles-storage.bicep' = if (deployApps && community) {
  name: 'roles-sequencer-storage'
  params: {
    storageAccountName: storage.outputs.name
    principalId: sequencerIdentity.outputs.principalId
    roleNames: [ 'Storage Blob Data Contributor', 'Storage Queue Data Contributor', 'Storage Table Data Contributor' ]
  }
}

module sequencerVaultRoles 'modules/roles-keyvault.bicep' = if (deployApps && community) {
  name: 'roles-sequencer-vault'
  params: {
    keyVaultName: keyVault.outputs.name
    principalId: sequencerIdentity.outputs.principalId
    roleNames: [ 'Key Vault Crypto User', 'Key Vault Secrets User' ]
  }
}

module sequencerRegistryRole 'modules/roles-registry.bicep' = if (deployApps && community && useRegistry) {
  name: 'roles-sequencer-registry'
  params: { registryName: registry.outputs.name, principalId: sequencerIdentity.outputs.principalId }
}

// ---- Serverless: the Function App (system-assigned identity) and its roles.

module functionApp 'modules/functionapp.bicep' = if (deployApps && serverless) {
  name: 'functionapp'
  params: {
    name: '${base}-func'
    location: location
    tags: tags
    workspaceId: monitoring.outputs.workspaceId
    blobEndpoint: storage.outputs.blobEndpoint
    deploymentContainerName: deploymentContainerName
    settings: serverlessFunctionSettings
    secretSettings: serverlessFunctionSecrets
    keyVaultUri: keyVaultUri
    maximumInstanceCount: functionMaximumInstances
    instanceMemoryMB: functionMemoryMB
    insightsConnectionString: monitoring.outputs.insightsConnectionString
  }
}

// Blob Data Owner: the Functions host keeps its leases and keys in blobs and reads the package.
module functionStorageRoles 'modules/roles-storage.bicep' = if (deployApps && serverless) {
  name: 'roles-function-storage'
  params: {
    storageAccountName: storage.outputs.name
    principalId: functionApp.outputs.principalId
    roleNames: [ 'Storage Blob Data Owner', 'Storage Queue Data Contributor', 'Storage Table Data Contributor' ]
  }
}

// Sign mode: account keys are created, used and deleted in the vault.
module functionVaultRoles 'modules/roles-keyvault.bicep' = if (deployApps && serverless) {
  name: 'roles-function-vault'
  params: {
    keyVaultName: keyVault.outputs.name
    principalId: functionApp.outputs.principalId
    roleNames: [ 'Key Vault Crypto Officer', 'Key Vault Secrets User' ]
  }
}

module functionSignalRRole 'modules/roles-signalr.bicep' = if (deployApps && serverless) {
  name: 'roles-function-signalr'
  params: { signalRName: signalR.outputs.name, principalId: functionApp.outputs.principalId }
}

// ---- Container Apps (every topology has the public one).

module environment 'modules/environment.bicep' = if (deployApps) {
  name: 'environment'
  params: {
    name: '${base}-env'
    location: location
    tags: tags
    workspaceId: monitoring.outputs.workspaceId
    wildcardCertificateSecretUri: wildcardCertificateSecretUri
    certificateIdentityId: relayIdentity.outputs.id
  }
  dependsOn: [ relayVaultRoles ]
}

module communityApi 'modules/containerapp.bicep' = if (deployApps && community) {
  name: 'app-api'
  params: {
    name: '${base}-api'
    location: location
    tags: tags
    environmentId: environment.outputs.id
    image: image
    registryServer: registryServer
    identityId: apiIdentity.outputs.id
    settings: communityApiSettings
    secretSettings: communityApiSecrets
    keyVaultUri: keyVaultUri
    ingress: 'internal'
    targetPort: 8080
    minReplicas: 1
    maxReplicas: communityApiMaxReplicas
    concurrentRequests: 50
    cpu: '0.5'
    memory: '1Gi'
    customDomains: []
  }
  dependsOn: [ apiStorageRoles, apiVaultRoles, apiRegistryRole ]
}

module communitySequencer 'modules/containerapp.bicep' = if (deployApps && community) {
  name: 'app-sequencer'
  params: {
    name: '${base}-seq'
    location: location
    tags: tags
    environmentId: environment.outputs.id
    image: image
    registryServer: registryServer
    identityId: sequencerIdentity.outputs.id
    settings: communitySequencerSettings
    secretSettings: communitySequencerSecrets
    keyVaultUri: keyVaultUri
    ingress: 'none'
    targetPort: 8080
    minReplicas: 1
    maxReplicas: 1
    concurrentRequests: 50
    cpu: '0.25'
    memory: '0.5Gi'
    customDomains: []
  }
  dependsOn: [ sequencerStorageRoles, sequencerVaultRoles, sequencerRegistryRole ]
}

// The public front: the relay (serverless, community) or the all-roles app (container).
module publicApp 'modules/publicapp.bicep' = if (deployApps) {
  name: 'app-public'
  params: {
    name: container ? '${base}-app' : '${base}-relay'
    location: location
    tags: tags
    environmentId: environment.outputs.id
    environmentName: environment.outputs.name
    image: image
    registryServer: registryServer
    identityId: relayIdentity.outputs.id
    settings: serverless ? serverlessRelaySettings : container ? containerAllSettings : communityRelaySettings
    secretSettings: serverless ? serverlessRelaySecrets : container ? containerAllSecrets : communityRelaySecrets
    keyVaultUri: keyVaultUri
    // One replica keeps the one SignalR link and the firehose simple; community relays scale out.
    minReplicas: 1
    maxReplicas: community ? communityRelayMaxReplicas : 1
    concurrentRequests: 200
    cpu: '0.25'
    memory: '0.5Gi'
    bindCustomDomain: bindCustomDomain
    hostname: hostname
    hostnameIsApex: hostnameIsApex
    wildcardCertificateId: environment.outputs.wildcardCertificateId
    existingCertificateId: existingCertificateId
  }
  dependsOn: [ relayStorageRoles, relayVaultRoles, relayRegistryRole ]
}

module alerts 'modules/alerts.bicep' = if (deployApps) {
  name: 'alerts'
  params: {
    name: base
    tags: tags
    workspaceId: monitoring.outputs.workspaceId
    actionGroupIds: monitoring.outputs.actionGroupIds
    relayAppId: publicApp.outputs.id
    apiResourceId: serverless ? functionApp.outputs.id : community ? communityApi.outputs.id : publicApp.outputs.id
    apiIsFunctionApp: serverless
    storageAccountId: storage.outputs.id
    queueBacklogThreshold: community ? 1000 : 100
  }
}

output storageAccountName string = storage.outputs.name
output keyVaultName string = keyVault.outputs.name
output keyVaultUri string = keyVaultUri
output registryName string = useRegistry ? registry.outputs.name : ''
output registryServer string = useRegistry ? registry.outputs.loginServer : ''
output functionAppName string = deployApps && serverless ? functionApp.outputs.name : ''
output functionAppHostName string = deployApps && serverless ? functionApp.outputs.defaultHostName : ''
output publicFqdn string = deployApps ? publicApp.outputs.fqdn : ''
output customDomainVerificationId string = deployApps ? publicApp.outputs.customDomainVerificationId : ''
output environmentName string = deployApps ? environment.outputs.name : ''
output environmentStaticIp string = deployApps ? environment.outputs.staticIp : ''
output secretNames object = secretNames
output needsPlcRotationSecret bool = !serverless
