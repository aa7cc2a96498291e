// Role assignments: what the function app's identity (and, read-only, the operator) may do on storage and monitoring.
@description('Name of the storage account behind the Functions host and the app\'s tables.')
param storageAccountName string

@description('Name of the Application Insights component the app reports to.')
param applicationInsightsName string

@description('Principal (object) id of the function app\'s user-assigned managed identity.')
param managedIdentityPrincipalId string

@description('Object id of the operator who may read the tables (rate limits, audit); empty for none.')
param operatorPrincipalId string = ''

var roles = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  storageTableDataReader: '76199698-9eea-4c19-bc75-cec21354c6b6'
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
}

// Blob: host locks and the deployment package; queue: host internals; table: rate limits and audit.
var storageRolesForApp = [
  roles.storageBlobDataOwner
  roles.storageQueueDataContributor
  roles.storageTableDataContributor
]

resource storageAccount 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource appStorageRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for roleId in storageRolesForApp: {
    name: guid(storageAccount.id, managedIdentityPrincipalId, roleId)
    scope: storageAccount
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleId)
      principalId: managedIdentityPrincipalId
      principalType: 'ServicePrincipal'
    }
  }
]

// Telemetry is sent with the identity because the component has local (key) auth turned off.
resource appMonitoringRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(applicationInsights.id, managedIdentityPrincipalId, roles.monitoringMetricsPublisher)
  scope: applicationInsights
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.monitoringMetricsPublisher)
    principalId: managedIdentityPrincipalId
    principalType: 'ServicePrincipal'
  }
}

resource operatorTableReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(operatorPrincipalId)) {
  name: guid(storageAccount.id, operatorPrincipalId, roles.storageTableDataReader)
  scope: storageAccount
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageTableDataReader)
    principalId: operatorPrincipalId
  }
}

@description('When the app identity\'s Storage Blob Data Owner assignment (first of storageRolesForApp) was created; it stays the same on later deployments.')
output blobRoleCreatedOn string = appStorageRoles[0].properties.createdOn
