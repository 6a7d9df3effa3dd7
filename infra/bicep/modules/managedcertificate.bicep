// Free managed certificate for the PDS hostname. Azure validates the domain (CNAME for a
// subdomain, HTTP with an A record for an apex), so the DNS records printed by scripts/deploy.sh
// must exist and the hostname must already be bound to the app (bindingType Disabled) first.
// Managed certificates cannot cover *.<hostname>: that one is brought from Key Vault.
param environmentName string
param location string
param hostname string
@allowed([ 'CNAME', 'HTTP' ])
param validation string

resource environment 'Microsoft.App/managedEnvironments@2025-07-01' existing = {
  name: environmentName
}

resource certificate 'Microsoft.App/managedEnvironments/managedCertificates@2025-07-01' = {
  parent: environment
  name: 'pds-hostname'
  location: location
  properties: {
    subjectName: hostname
    domainControlValidation: validation
  }
}

output id string = certificate.id
