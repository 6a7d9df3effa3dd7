// The registry scripts/deploy.sh pushes the image to (dotnet publish container support, no
// Docker daemon). Basic tier, admin user off: pulls use the apps' identities (AcrPull).
param name string
param location string
param tags object

resource registry 'Microsoft.ContainerRegistry/registries@2025-11-01' = {
  name: name
  location: location
  tags: tags
  sku: { name: 'Basic' }
  properties: {
    adminUserEnabled: false
    anonymousPullEnabled: false
    publicNetworkAccess: 'Enabled'
  }
}

output name string = registry.name
output loginServer string = registry.properties.loginServer
