// Log Analytics (every log lands here, with a daily cap so a log storm cannot run up the bill)
// and, where something sends to it, Application Insights (the Functions host does; the
// container roles log to stdout, which the Container Apps environment ships to this workspace).
param name string
param location string
@description('Hard cap on ingestion per day, in GB; ingestion stops until the next day once reached.')
param dailyCapGb string
@description('Application Insights: only the Function App (serverless topology) sends telemetry.')
param withApplicationInsights bool
@description('Percentage of telemetry kept by ingestion sampling (host.json also samples adaptively).')
param samplingPercentage int
@description('Where alerts are mailed; empty = alerts fire without notifying anyone.')
param alertEmail string
param tags object

resource workspace 'Microsoft.OperationalInsights/workspaces@2025-07-01' = {
  name: '${name}-law'
  location: location
  tags: tags
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: 30
    workspaceCapping: { dailyQuotaGb: json(dailyCapGb) }
    features: { enableLogAccessUsingOnlyResourcePermissions: true }
  }
}

resource insights 'Microsoft.Insights/components@2020-02-02' = if (withApplicationInsights) {
  name: '${name}-ai'
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
    IngestionMode: 'LogAnalytics'
    SamplingPercentage: samplingPercentage
    RetentionInDays: 30
  }
}

resource mail 'Microsoft.Insights/actionGroups@2021-09-01' = if (!empty(alertEmail)) {
  name: '${name}-alerts'
  location: 'global'
  tags: tags
  properties: {
    groupShortName: 'pdsalerts'
    enabled: true
    emailReceivers: [
      { name: 'operator', emailAddress: alertEmail, useCommonAlertSchema: true }
    ]
  }
}

output workspaceId string = workspace.id
output insightsConnectionString string = withApplicationInsights ? insights.properties.ConnectionString : ''
output actionGroupIds array = empty(alertEmail) ? [] : [ mail.id ]
