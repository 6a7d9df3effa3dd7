// The container app that owns the public hostname, with its custom domains. Binding a managed
// certificate is a three-step dance on Container Apps: add the hostname without a certificate,
// let Azure issue the certificate (it checks DNS), then bind it. Each step is a nested
// deployment because one template may not declare the same app twice.
param name string
param location string
param tags object
param environmentId string
param environmentName string
param image string
param registryServer string
param identityId string
param settings object
param secretSettings object
param keyVaultUri string
param minReplicas int
param maxReplicas int
param concurrentRequests int
param cpu string
param memory string
@description('Bind the hostname (and the wildcard, when a certificate is given): only once the DNS records exist.')
param bindCustomDomain bool
param hostname string
@description('true when the hostname is a zone apex (A record, HTTP validation) rather than a subdomain (CNAME).')
param hostnameIsApex bool
@description('Environment certificate id for *.<hostname>; empty = handles under the hostname are not served over HTTPS.')
param wildcardCertificateId string
@description('The managed certificate an earlier deployment issued: bound directly, so an upgrade never drops TLS. Empty on the first binding.')
param existingCertificateId string

var direct = !empty(existingCertificateId)
var hostBinding = direct ? { name: hostname, bindingType: 'SniEnabled', certificateId: existingCertificateId } : { name: hostname, bindingType: 'Disabled' }
var wildcard = empty(wildcardCertificateId) ? [] : [
  { name: '*.${hostname}', bindingType: 'SniEnabled', certificateId: wildcardCertificateId }
]

module unbound 'containerapp.bicep' = {
  name: '${name}-app'
  params: {
    name: name
    location: location
    tags: tags
    environmentId: environmentId
    image: image
    registryServer: registryServer
    identityId: identityId
    settings: settings
    secretSettings: secretSettings
    keyVaultUri: keyVaultUri
    ingress: 'external'
    targetPort: 8080
    minReplicas: minReplicas
    maxReplicas: maxReplicas
    concurrentRequests: concurrentRequests
    cpu: cpu
    memory: memory
    customDomains: bindCustomDomain ? concat([ hostBinding ], wildcard) : []
  }
}

module certificate 'managedcertificate.bicep' = if (bindCustomDomain && !direct) {
  name: '${name}-cert'
  dependsOn: [ unbound ]
  params: {
    environmentName: environmentName
    location: location
    hostname: hostname
    validation: hostnameIsApex ? 'HTTP' : 'CNAME'
  }
}

module bound 'containerapp.bicep' = if (bindCustomDomain && !direct) {
  name: '${name}-app-bound'
  params: {
    name: name
    location: location
    tags: tags
    environmentId: environmentId
    image: image
    registryServer: registryServer
    identityId: identityId
    settings: settings
    secretSettings: secretSettings
    keyVaultUri: keyVaultUri
    ingress: 'external'
    targetPort: 8080
    minReplicas: minReplicas
    maxReplicas: maxReplicas
    concurrentRequests: concurrentRequests
    cpu: cpu
    memory: memory
    customDomains: concat([ { name: hostname, bindingType: 'SniEnabled', certificateId: certificate.outputs.id } ], wildcard)
  }
}

output id string = unbound.outputs.id
output fqdn string = unbound.outputs.fqdn
output customDomainVerificationId string = unbound.outputs.customDomainVerificationId
