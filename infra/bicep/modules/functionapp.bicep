// Serverless topology, api + sequencer: a Flex Consumption Function App running the custom-handler
// package (host.json + functions/* + the self-contained `pds`), uploaded by scripts/deploy.sh with
// OneDeploy into the deployment container below.
param name string
param location string
param tags object
param workspaceId string
param blobEndpoint string
param deploymentContainerName string
@description('App settings: name -> value.')
param settings object
@description('App settings that are secrets: name -> Key Vault secret name (resolved by the platform as Key Vault references).')
param secretSettings object
param keyVaultUri string
@description('Upper bound on instances, HTTP and queue functions together (the cost ceiling).')
param maximumInstanceCount int
@allowed([ 512, 2048, 4096 ])
param instanceMemoryMB int
param insightsConnectionString string

resource plan 'Microsoft.Web/serverfarms@2025-05-01' = {
  name: '${name}-plan'
  location: location
  tags: tags
  kind: 'functionapp'
  sku: { name: 'FC1', tier: 'FlexConsumption' }
  properties: { reserved: true }
}

var platformSettings = empty(insightsConnectionString) ? {} : { APPLICATIONINSIGHTS_CONNECTION_STRING: insightsConnectionString }
// On Flex the runtime lives in functionAppConfig: FUNCTIONS_WORKER_RUNTIME, FUNCTIONS_EXTENSION_VERSION
// and WEBSITE_RUN_FROM_PACKAGE must not be set.
var plain = [for s in items(union(platformSettings, settings)): { name: s.key, value: s.value }]
var references = [for s in items(secretSettings): { name: s.key, value: '@Microsoft.KeyVault(SecretUri=${keyVaultUri}secrets/${s.value}/)' }]

resource site 'Microsoft.Web/sites@2025-05-01' = {
  name: name
  location: location
  tags: tags
  kind: 'functionapp,linux'
  identity: { type: 'SystemAssigned' }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    clientCertEnabled: false
    keyVaultReferenceIdentity: 'SystemAssigned'
    siteConfig: {
      minTlsVersion: '1.2'
      scmMinTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
      appSettings: concat(plain, references)
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${blobEndpoint}${deploymentContainerName}'
          authentication: { type: 'SystemAssignedIdentity' }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      runtime: { name: 'custom', version: '1.0' }
    }
  }
}

// No FTP or basic-auth publishing: OneDeploy authenticates with Entra ID.
resource ftp 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2025-05-01' = {
  parent: site
  name: 'ftp'
  properties: { allow: false }
}

resource scm 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2025-05-01' = {
  parent: site
  name: 'scm'
  properties: { allow: false }
}

resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  scope: site
  name: 'to-log-analytics'
  properties: {
    workspaceId: workspaceId
    logs: [
      { category: 'FunctionAppLogs', enabled: true }
    ]
  }
}

output name string = site.name
output id string = site.id
output principalId string = site.identity.principalId
output defaultHostName string = site.properties.defaultHostName
