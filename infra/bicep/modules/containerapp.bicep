// One role process as a container app: the same `pds` image everywhere, told what to be by
// PDS_ROLES. A user-assigned identity (made and granted its roles before the app exists) pulls
// the image and resolves the Key Vault secrets: a system-assigned one would only exist once the
// app does, too late for its first revision.
param name string
param location string
param tags object
param environmentId string
param image string
@description('Registry login server pulled with the identity; empty for a public image.')
param registryServer string
param identityId string
@description('Settings: name -> value.')
param settings object
@description('Secret settings: name -> Key Vault secret name.')
param secretSettings object
param keyVaultUri string
@description('Ingress: none (a worker), internal (inside the environment) or external (the public front).')
@allowed([ 'none', 'internal', 'external' ])
param ingress string
param targetPort int
param minReplicas int
param maxReplicas int
@description('Concurrent requests per replica before another starts (used when maxReplicas > minReplicas).')
param concurrentRequests int
param cpu string
param memory string
@description('Custom domains: [{ name, bindingType, certificateId }].')
param customDomains array

var secretList = [for s in items(secretSettings): {
  name: toLower(replace(s.key, '_', '-'))
  keyVaultUrl: '${keyVaultUri}secrets/${s.value}'
  identity: identityId
}]
var env = concat(
  [for s in items(settings): { name: s.key, value: s.value }],
  [for s in items(secretSettings): { name: s.key, secretRef: toLower(replace(s.key, '_', '-')) }]
)

resource app 'Microsoft.App/containerApps@2025-07-01' = {
  name: name
  location: location
  tags: tags
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identityId}': {} }
  }
  properties: {
    environmentId: environmentId
    workloadProfileName: 'Consumption'
    configuration: {
      activeRevisionsMode: 'Single'
      secrets: secretList
      registries: empty(registryServer) ? [] : [
        { server: registryServer, identity: identityId }
      ]
      ingress: ingress == 'none' ? null : {
        external: ingress == 'external'
        targetPort: targetPort
        // auto = HTTP/1.1 with upgrade, so subscribeRepos WebSockets pass through.
        transport: 'auto'
        allowInsecure: false
        traffic: [
          { latestRevision: true, weight: 100 }
        ]
        customDomains: customDomains
      }
    }
    template: {
      containers: [
        {
          name: 'pds'
          image: image
          args: [ 'serve' ]
          env: env
          resources: { cpu: json(cpu), memory: memory }
        }
      ]
      scale: {
        minReplicas: minReplicas
        maxReplicas: maxReplicas
        rules: maxReplicas > minReplicas && ingress != 'none' ? [
          { name: 'http', http: { metadata: { concurrentRequests: string(concurrentRequests) } } }
        ] : []
      }
    }
  }
}

output id string = app.id
output name string = app.name
output fqdn string = ingress == 'none' ? '' : app.properties.configuration.ingress.fqdn
output customDomainVerificationId string = app.properties.customDomainVerificationId
