// Data-plane roles on the Key Vault (RBAC mode) for one principal.
param keyVaultName string
param principalId string
@description('Names from ../roles.json, e.g. Key Vault Crypto User.')
param roleNames array
@allowed([ 'ServicePrincipal', 'User', 'Group' ])
param principalType string = 'ServicePrincipal'

var roles = loadJsonContent('../roles.json')

resource vault 'Microsoft.KeyVault/vaults@2026-02-01' existing = {
  name: keyVaultName
}

resource assignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for role in roleNames: {
  scope: vault
  name: guid(vault.id, principalId, roles[role])
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles[role])
    principalId: principalId
    principalType: principalType
  }
}]
