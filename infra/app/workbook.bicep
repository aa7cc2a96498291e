// The operator's workbook on the Application Insights component: calls, errors and latency per tool, OBO failures, throttling, active users.
@description('Name of the Application Insights component the workbook queries.')
param applicationInsightsName string

@description('Region of the workbook.')
param location string = resourceGroup().location

@description('Tags for the workbook; hidden-title is added so the portal lists it by its name.')
param tags object = {}

@description('Name the workbook has in the portal.')
param displayName string = 'onbehalf: operations'

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

// The queries read what shared/telemetry emits (metric, attribute and record names); workbook.json holds them.
resource workbook 'Microsoft.Insights/workbooks@2023-06-01' = {
  name: guid(applicationInsights.id, 'onbehalf-operations-workbook')
  location: location
  tags: union(tags, { 'hidden-title': displayName })
  kind: 'shared'
  properties: {
    displayName: displayName
    category: 'workbook'
    sourceId: applicationInsights.id
    serializedData: replace(loadTextContent('workbook.json'), '__APPLICATION_INSIGHTS_ID__', applicationInsights.id)
  }
}

@description('Resource id of the workbook.')
output id string = workbook.id
