// SignalR Service, Free tier, Serverless mode: carries "new seq" announcements from the sequencer
// (REST, managed identity) to the relay (a hub client with an access key: it mints its own
// client tokens). Free allows 20k messages a day; past that the relay's polling still works.
param name string
param location string
param tags object
param workspaceId string
param keyVaultName string
@description('Key Vault secret that receives the AccessKey connection string for the relay.')
param connectionSecretName string

resource signalR 'Microsoft.SignalRService/signalR@2023-02-01' = {
  name: name
  location: location
  tags: tags
  kind: 'SignalR'
  sku: { name: 'Free_F1', tier: 'Free', capacity: 1 }
  properties: {
    features: [
      { flag: 'ServiceMode', value: 'Serverless' }
      { flag: 'EnableConnectivityLogs', value: 'False' }
      { flag: 'EnableMessagingLogs', value: 'False' }
    ]
    tls: { clientCertEnabled: false }
    publicNetworkAccess: 'Enabled'
    // The relay authenticates with the access key; the sequencer with Entra ID.
    disableLocalAuth: false
    disableAadAuth: false
  }
}

resource vault 'Microsoft.KeyVault/vaults@2026-02-01' existing = {
  name: keyVaultName
}

resource connection 'Microsoft.KeyVault/vaults/secrets@2026-02-01' = {
  parent: vault
  name: connectionSecretName
  properties: {
    value: signalR.listKeys().primaryConnectionString
    contentType: 'SignalR connection string (AccessKey) for the relay'
  }
}

resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  scope: signalR
  name: 'to-log-analytics'
  properties: {
    workspaceId: workspaceId
    metrics: [
      { category: 'AllMetrics', enabled: true }
    ]
  }
}

output name string = signalR.name
output hostName string = signalR.properties.hostName
