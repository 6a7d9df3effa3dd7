// Key Vault in RBAC mode: the account keys (sign mode: one vault key per account; wrap mode: one
// RSA key wrapping locally made keys) and the PDS's secrets, which scripts/deploy.sh writes once
// (the deployment only references them, so their values never pass through a template).
param name string
param location string
param tags object
param workspaceId string
@allowed([ 'sign', 'wrap' ])
param mode string
@description('Wrap mode: the RSA key named by PDS_KEY_VAULT_WRAP_KEY.')
param wrapKeyName string
@description('Whoever runs scripts/deploy.sh: gets Key Vault Secrets Officer to write the secrets. Empty = none.')
param deployerPrincipalId string
@allowed([ 'ServicePrincipal', 'User', 'Group' ])
param deployerPrincipalType string
param purgeProtection bool

resource vault 'Microsoft.KeyVault/vaults@2026-02-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    // Once on it cannot be turned off; it stops anyone (or a bug) from destroying account keys for good.
    enablePurgeProtection: purgeProtection ? true : null
    publicNetworkAccess: 'Enabled'
    networkAcls: { defaultAction: 'Allow', bypass: 'AzureServices' }
  }
}

// A keys PUT through ARM creates the first version only; redeploying never rotates the key.
resource wrapKey 'Microsoft.KeyVault/vaults/keys@2026-02-01' = if (mode == 'wrap') {
  parent: vault
  name: wrapKeyName
  properties: {
    kty: 'RSA'
    keySize: 3072
    keyOps: [ 'wrapKey', 'unwrapKey' ]
    attributes: { enabled: true }
  }
}

// Sign mode: the PLC rotation key the app pins on first start. Made here rather than by the app so
// that the relay, which only reads it, never needs the right to create keys.
resource plcRotationKey 'Microsoft.KeyVault/vaults/keys@2026-02-01' = if (mode == 'sign') {
  parent: vault
  name: 'plc-rotation'
  properties: {
    kty: 'EC'
    curveName: 'P-256K'
    keyOps: [ 'sign', 'verify' ]
    attributes: { enabled: true }
  }
}

module deployerRole 'roles-keyvault.bicep' = if (!empty(deployerPrincipalId)) {
  name: 'kv-deployer-role'
  params: {
    keyVaultName: vault.name
    principalId: deployerPrincipalId
    principalType: deployerPrincipalType
    roleNames: [ 'Key Vault Secrets Officer' ]
  }
}

resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  scope: vault
  name: 'to-log-analytics'
  properties: {
    workspaceId: workspaceId
    logs: [
      { category: 'AuditEvent', enabled: true }
    ]
  }
}

output name string = vault.name
output uri string = vault.properties.vaultUri
