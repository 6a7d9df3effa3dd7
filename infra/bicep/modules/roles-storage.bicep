// Data-plane roles on the storage account for one principal. Scoped to the account (not to
// single tables) because the app reaches every table, the blob container and the queue.
param storageAccountName string
param principalId string
@description('Names from ../roles.json, e.g. Storage Table Data Contributor.')
param roleNames array
@allowed([ 'ServicePrincipal', 'User', 'Group' ])
param principalType string = 'ServicePrincipal'

var roles = loadJsonContent('../roles.json')

resource account 'Microsoft.Storage/storageAccounts@2025-08-01' existing = {
  name: storageAccountName
}

resource assignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for role in roleNames: {
  scope: account
  name: guid(account.id, principalId, roles[role])
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles[role])
    principalId: principalId
    principalType: principalType
  }
}]
