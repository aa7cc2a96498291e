// The Flex Consumption function app that serves /mcp, and every app setting the server reads in production.
@description('Name of the function app; its default host name becomes the public URL.')
param name string

@description('Region of the function app.')
param location string = resourceGroup().location

@description('Tags for the function app; azd-service-name is added so azd deploy finds it.')
param tags object = {}

@description('Resource id of the Flex Consumption (FC1) plan.')
param appServicePlanId string

@description('Name of the storage account for the Functions host, the deployment package and the app\'s tables.')
param storageAccountName string

@description('Blob container that holds the deployment package.')
param deploymentStorageContainerName string

@description('Resource id of the user-assigned managed identity the app runs as.')
param identityId string

@description('Client id of that managed identity.')
param identityClientId string

@description('Application Insights connection string (no key is used: local auth is off).')
param applicationInsightsConnectionString string

@description('ENTRA_TENANT_ID for the server: the tenant id, or organizations for a multi-tenant registration.')
param entraTenantId string

@description('Application (client) id of the server API registration.')
param serverAppId string

@description('ENTRA_ALLOWED_TENANTS; empty leaves it unset (only the app\'s tenant).')
param allowedTenants string = ''

@description('GRAPH_SCOPES_GRANTED; empty leaves it unset (every scope the tools use).')
param graphScopesGranted string = ''

@description('MCP_TOOLSETS; empty leaves it unset (every tool area).')
param toolsets string = ''

@description('MCP_TOOL_POLICY (JSON); empty leaves it unset (every caller may use every tool offered).')
param toolPolicy string = ''

@description('MCP_ALLOWED_CLIENT_APPS; empty leaves it unset (any client app).')
param allowedClientApps string = ''

@description('MCP_READ_ONLY: 1 or true turns writes off; always written, so an operator finds it among the app settings to flip.')
param readOnly string = '0'

@secure()
@description('MCP_REQUEST_STATE_KEY: seals the state a multi-round request carries through the client (or a Key Vault reference, @Microsoft.KeyVault(SecretUri=...)).')
param requestStateKey string

@description('RATE_LIMIT_TENANT_PER_MINUTE.')
param rateLimitTenantPerMinute int = 600

@description('RATE_LIMIT_USER_PER_MINUTE.')
param rateLimitUserPerMinute int = 120

@description('MCP_PUBLIC_URL when clients reach the app through another host name; empty uses the default host name.')
param publicUrlOverride string = ''

@description('Front Door ID (X-Azure-FDID) of the Front Door profile in front of the app; set, only that profile reaches the app and MCP_CLIENT_ADDRESS_SOURCE defaults to front-door. Empty: no access restriction.')
@maxLength(36)
param frontDoorId string = ''

@description('MCP_CLIENT_ADDRESS_SOURCE: functions, front-door, x-forwarded-for:<n> or none. Empty: front-door with a Front Door ID, otherwise unset (functions).')
param clientAddressSource string = ''

@description('Memory of each instance in MB.')
param instanceMemoryMB int = 2048

@description('Upper bound on instances the plan scales out to.')
param maximumInstanceCount int = 100

var storageSuffix = environment().suffixes.storage

// Only this Front Door profile reaches the app: Front Door's back-end addresses, which every Front Door profile
// shares, and this profile's id, which Front Door writes in X-Azure-FDID. Without both, anyone could reach the app
// directly and write the X-Forwarded-For entry the server trusts. The deployment endpoint (scm) keeps its own rules:
// azd deploys there with Entra ID, and basic publishing credentials are off.
var frontDoorOnly = {
  ipSecurityRestrictions: [
    {
      name: 'front-door-only'
      description: 'Requests from this Front Door profile only'
      action: 'Allow'
      priority: 100
      tag: 'ServiceTag'
      ipAddress: 'AzureFrontDoor.Backend'
      headers: {
        'x-azure-fdid': [
          frontDoorId
        ]
      }
    }
  ]
  ipSecurityRestrictionsDefaultAction: 'Deny'
  scmIpSecurityRestrictionsUseMain: false
}
var blobEndpoint = 'https://${storageAccountName}.blob.${storageSuffix}'

module site 'br/public:avm/res/web/site:0.21.0' = {
  name: '${name}-site'
  params: {
    kind: 'functionapp,linux'
    name: name
    location: location
    tags: union(tags, { 'azd-service-name': 'api' })
    serverFarmResourceId: appServicePlanId
    httpsOnly: true
    clientAffinityEnabled: false
    publicNetworkAccess: 'Enabled'
    managedIdentities: {
      userAssignedResourceIds: [
        identityId
      ]
    }
    siteConfig: union({
      alwaysOn: false
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
    }, empty(frontDoorId) ? {} : frontDoorOnly)
    basicPublishingCredentialsPolicies: [
      {
        name: 'ftp'
        allow: false
      }
      {
        name: 'scm'
        allow: false
      }
    ]
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${blobEndpoint}/${deploymentStorageContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
      }
      runtime: {
        name: 'node'
        version: nodeVersion
      }
    }
  }
}

var trimmedOverride = endsWith(publicUrlOverride, '/') ? substring(publicUrlOverride, 0, length(publicUrlOverride) - 1) : publicUrlOverride
var publicUrl = !empty(trimmedOverride) ? trimmedOverride : 'https://${site.outputs.defaultHostname}'

// The Node options of every instance (docs/deploy.md): node-options.txt for any Node, and on Node 22 what Node 24 does
// by default: AsyncLocalStorage on AsyncContextFrame instead of async hooks, which otherwise run on every promise once
// telemetry keeps its context. Node 24 refuses that flag in NODE_OPTIONS, so it is added for 22 alone.
var nodeVersion = '22'
var commonNodeOptions = trim(loadTextContent('node-options.txt'))
var nodeOptions = nodeVersion == '22' ? '${commonNodeOptions} ${trim(loadTextContent('node22-options.txt'))}' : commonNodeOptions

var hostSettings = {
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identityClientId
  AzureWebJobsStorage__blobServiceUri: blobEndpoint
  AzureWebJobsStorage__queueServiceUri: 'https://${storageAccountName}.queue.${storageSuffix}'
  AzureWebJobsStorage__tableServiceUri: 'https://${storageAccountName}.table.${storageSuffix}'
  APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsightsConnectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
  // V8's heap sized for the instance (docs/deploy.md): an old generation capped well inside instanceMemoryMB, beside the
  // host, the document workers and their own limits, and a young generation small enough that requests in flight
  // do not grow the heap before it is collected. The bench runs its servers with the same options.
  NODE_OPTIONS: nodeOptions
}

// Names are the contract in shared/config/settings.ts; test/infra checks them.
var serverSettings = {
  ENTRA_TENANT_ID: entraTenantId
  ENTRA_CLIENT_ID: serverAppId
  ENTRA_MANAGED_IDENTITY_CLIENT_ID: identityClientId
  ENTRA_AUTHORITY_HOST: environment().authentication.loginEndpoint
  MCP_PUBLIC_URL: publicUrl
  TABLES_ENDPOINT: 'https://${storageAccountName}.table.${storageSuffix}'
  MCP_READ_ONLY: readOnly
  MCP_REQUEST_STATE_KEY: requestStateKey
  RATE_LIMIT_TENANT_PER_MINUTE: string(rateLimitTenantPerMinute)
  RATE_LIMIT_USER_PER_MINUTE: string(rateLimitUserPerMinute)
}
// Behind Front Door the caller's address is the X-Forwarded-For entry Front Door appends, unless said otherwise.
var effectiveClientAddressSource = !empty(clientAddressSource) ? clientAddressSource : (empty(frontDoorId) ? '' : 'front-door')
var optionalSettings = union(
  empty(allowedTenants) ? {} : { ENTRA_ALLOWED_TENANTS: allowedTenants },
  empty(graphScopesGranted) ? {} : { GRAPH_SCOPES_GRANTED: graphScopesGranted },
  empty(toolsets) ? {} : { MCP_TOOLSETS: toolsets },
  empty(toolPolicy) ? {} : { MCP_TOOL_POLICY: toolPolicy },
  empty(allowedClientApps) ? {} : { MCP_ALLOWED_CLIENT_APPS: allowedClientApps },
  empty(effectiveClientAddressSource) ? {} : { MCP_CLIENT_ADDRESS_SOURCE: effectiveClientAddressSource }
)

resource siteResource 'Microsoft.Web/sites@2024-04-01' existing = {
  name: name
}

// Written after the site exists because MCP_PUBLIC_URL needs its host name; this replaces the whole collection.
resource appSettings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: siteResource
  name: 'appsettings'
  properties: union(hostSettings, serverSettings, optionalSettings)
  // Implied by the default host name, but not when MCP_PUBLIC_URL is overridden.
  dependsOn: [
    site
  ]
}

@description('Name of the function app.')
output name string = site.outputs.name

@description('The value of MCP_PUBLIC_URL: the override, or https://<default host name>.')
output publicUrl string = publicUrl
