// The Container Apps environment (Consumption profile: billed per second of use, no base fee).
// Console and system logs go to Log Analytics through a diagnostic setting, so no workspace key
// is handed to the platform. Optionally holds the wildcard certificate for handle subdomains.
param name string
param location string
param tags object
param workspaceId string
@description('Key Vault secret URI of a certificate for *.<hostname> (managed certificates do not cover wildcards). Empty = none.')
param wildcardCertificateSecretUri string
@description('User-assigned identity that may read that certificate from Key Vault.')
param certificateIdentityId string

resource environment 'Microsoft.App/managedEnvironments@2025-07-01' = {
  name: name
  location: location
  tags: tags
  identity: empty(wildcardCertificateSecretUri) ? { type: 'None' } : {
    type: 'UserAssigned'
    userAssignedIdentities: { '${certificateIdentityId}': {} }
  }
  properties: {
    appLogsConfiguration: { destination: 'azure-monitor' }
    workloadProfiles: [
      { name: 'Consumption', workloadProfileType: 'Consumption' }
    ]
    zoneRedundant: false
  }
}

resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  scope: environment
  name: 'to-log-analytics'
  properties: {
    workspaceId: workspaceId
    logAnalyticsDestinationType: 'Dedicated'
    logs: [
      { category: 'ContainerAppConsoleLogs', enabled: true }
      { category: 'ContainerAppSystemLogs', enabled: true }
    ]
  }
}

resource wildcard 'Microsoft.App/managedEnvironments/certificates@2025-07-01' = if (!empty(wildcardCertificateSecretUri)) {
  parent: environment
  name: 'wildcard'
  location: location
  properties: {
    certificateKeyVaultProperties: {
      identity: certificateIdentityId
      keyVaultUrl: wildcardCertificateSecretUri
    }
  }
}

output id string = environment.id
output name string = environment.name
output defaultDomain string = environment.properties.defaultDomain
output staticIp string = environment.properties.staticIp
output wildcardCertificateId string = empty(wildcardCertificateSecretUri) ? '' : wildcard.id
