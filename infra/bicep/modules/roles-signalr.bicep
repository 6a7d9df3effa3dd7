// SignalR REST API Owner: lets the sequencer publish announcements with its managed identity
// (App Server alone is not enough for REST sends).
param signalRName string
param principalId string

var roles = loadJsonContent('../roles.json')

resource signalR 'Microsoft.SignalRService/signalR@2023-02-01' existing = {
  name: signalRName
}

resource owner 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: signalR
  name: guid(signalR.id, principalId, roles['SignalR REST API Owner'])
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles['SignalR REST API Owner'])
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}
