// The four alerts the operator's guide explains: the firehose relay is down, the sequencer lags,
// the API answers 5xx, storage throttles. Metric alerts cost about $0.10 a month each; the one
// log alert (sequencer failures, every 15 minutes) about $0.50.
param name string
param tags object
param workspaceId string
param actionGroupIds array
@description('The container app serving subscribeRepos (the relay, or the one all-roles app).')
param relayAppId string
@description('The Function App (serverless) or the container app answering the API.')
param apiResourceId string
param apiIsFunctionApp bool
param storageAccountId string
@description('Queue messages waiting (hourly capacity metric) above which the sequencer is considered behind.')
param queueBacklogThreshold int

var actions = [for id in actionGroupIds: { actionGroupId: id }]

resource relayDown 'Microsoft.Insights/metricAlerts@2018-03-01' = {
  name: '${name}-relay-down'
  location: 'global'
  tags: tags
  properties: {
    description: 'The firehose relay has no running replica: relays cannot subscribe to this PDS.'
    severity: 1
    enabled: true
    scopes: [ relayAppId ]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT5M'
    criteria: {
      'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria'
      allOf: [
        {
          criterionType: 'StaticThresholdCriterion'
          name: 'replicas'
          metricNamespace: 'Microsoft.App/containerApps'
          metricName: 'Replicas'
          operator: 'LessThan'
          threshold: 1
          timeAggregation: 'Maximum'
        }
      ]
    }
    actions: actions
  }
}

resource sequencerBacklog 'Microsoft.Insights/metricAlerts@2018-03-01' = {
  name: '${name}-sequencer-backlog'
  location: 'global'
  tags: tags
  properties: {
    description: 'Sequencer wake-ups are piling up in the queue: new commits reach the firehose late.'
    severity: 2
    enabled: true
    scopes: [ '${storageAccountId}/queueServices/default' ]
    evaluationFrequency: 'PT1H'
    windowSize: 'PT6H'
    criteria: {
      'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria'
      allOf: [
        {
          criterionType: 'StaticThresholdCriterion'
          name: 'backlog'
          metricNamespace: 'Microsoft.Storage/storageAccounts/queueServices'
          metricName: 'QueueMessageCount'
          operator: 'GreaterThan'
          threshold: queueBacklogThreshold
          timeAggregation: 'Average'
        }
      ]
    }
    actions: actions
  }
}

// The sequencer reports failed passes (container roles) or failed queue invocations (Functions).
resource sequencerFailing 'Microsoft.Insights/scheduledQueryRules@2018-04-16' = {
  name: '${name}-sequencer-failing'
  location: resourceGroup().location
  tags: tags
  properties: {
    description: 'Sequencer passes are failing: events wait in the outbox and the firehose falls behind.'
    enabled: 'true'
    source: {
      query: 'union isfuzzy=true (ContainerAppConsoleLogs | where Log has "sequencer pass failed"), (AppRequests | where Name == "sequencer" and Success == false)'
      dataSourceId: workspaceId
      queryType: 'ResultCount'
    }
    schedule: { frequencyInMinutes: 15, timeWindowInMinutes: 15 }
    action: {
      'odata.type': 'Microsoft.WindowsAzure.Management.Monitoring.Alerts.Models.Microsoft.AppInsights.Nexus.DataContracts.Resources.ScheduledQueryRules.AlertingAction'
      severity: '2'
      aznsAction: { actionGroup: actionGroupIds }
      trigger: { thresholdOperator: 'GreaterThan', threshold: 2 }
    }
  }
}

resource serverErrors 'Microsoft.Insights/metricAlerts@2018-03-01' = {
  name: '${name}-5xx'
  location: 'global'
  tags: tags
  properties: {
    description: 'The PDS answered more than 10 server errors (5xx) in 15 minutes.'
    severity: 2
    enabled: true
    scopes: [ apiResourceId ]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    criteria: {
      'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria'
      allOf: [
        apiIsFunctionApp ? {
          criterionType: 'StaticThresholdCriterion'
          name: 'http5xx'
          metricNamespace: 'Microsoft.Web/sites'
          metricName: 'Http5xx'
          operator: 'GreaterThan'
          threshold: 10
          timeAggregation: 'Total'
        } : {
          criterionType: 'StaticThresholdCriterion'
          name: 'http5xx'
          metricNamespace: 'Microsoft.App/containerApps'
          metricName: 'Requests'
          dimensions: [
            { name: 'StatusCodeCategory', operator: 'Include', values: [ '5xx' ] }
          ]
          operator: 'GreaterThan'
          threshold: 10
          timeAggregation: 'Total'
        }
      ]
    }
    actions: actions
  }
}

resource throttling 'Microsoft.Insights/metricAlerts@2018-03-01' = {
  name: '${name}-storage-throttling'
  location: 'global'
  tags: tags
  properties: {
    description: 'Azure Storage is throttling the PDS (server busy or account limits).'
    severity: 2
    enabled: true
    scopes: [ storageAccountId ]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    criteria: {
      'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria'
      allOf: [
        {
          criterionType: 'StaticThresholdCriterion'
          name: 'throttled'
          metricNamespace: 'Microsoft.Storage/storageAccounts'
          metricName: 'Transactions'
          dimensions: [
            {
              name: 'ResponseType'
              operator: 'Include'
              values: [ 'ServerBusyError', 'ClientThrottlingError', 'ClientAccountRequestThrottlingError', 'ClientAccountBandwidthThrottlingError' ]
            }
          ]
          operator: 'GreaterThan'
          threshold: 0
          timeAggregation: 'Total'
        }
      ]
    }
    actions: actions
  }
}
