// Provisions onbehalf: Entra app registrations, a Flex Consumption function app with its storage and monitoring, and the Foundry connection values.
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('Name of the azd environment; it seeds the unique names of every resource.')
param environmentName string

// The regions of Microsoft's own Flex Consumption azd templates (2026); `az functionapp list-flexconsumption-locations` gives today's.
@minLength(1)
@description('Region for every resource: one that offers the Flex Consumption plan, so a wrong choice is refused before anything is created.')
@allowed([
  'australiaeast'
  'australiasoutheast'
  'brazilsouth'
  'canadacentral'
  'centralindia'
  'centralus'
  'eastasia'
  'eastus'
  'eastus2'
  'eastus2euap'
  'francecentral'
  'germanywestcentral'
  'italynorth'
  'japaneast'
  'koreacentral'
  'northcentralus'
  'northeurope'
  'norwayeast'
  'southafricanorth'
  'southcentralus'
  'southeastasia'
  'southindia'
  'spaincentral'
  'swedencentral'
  'uaenorth'
  'uksouth'
  'ukwest'
  'westcentralus'
  'westeurope'
  'westus'
  'westus2'
  'westus3'
])
@metadata({
  azd: {
    type: 'location'
  }
})
param location string

@description('Object id of the person or service principal running the deployment. It becomes an owner of the app registrations and may read the audit table. Empty: the deploying identity.')
param principalId string = ''

@description('Redirect URL(s) Foundry shows after you save an OAuth identity passthrough connection, comma separated. Empty until you have one; set it and provision again.')
param foundryRedirectUri string = ''

@description('Who may sign in: AzureADMyOrg (this tenant) or AzureADMultipleOrgs (any Entra tenant, narrowed by allowedTenants).')
@allowed([
  'AzureADMyOrg'
  'AzureADMultipleOrgs'
])
param signInAudience string = 'AzureADMyOrg'

@description('Comma list of tenant ids allowed to call the server, or *. Empty: only this tenant.')
param allowedTenants string = ''

@description('Comma list of the delegated Microsoft Graph scopes this deployment grants, taken from graphPermissions.json, e.g. User.Read,Mail.Read. Empty: every scope the chosen areas\' tools use.')
param graphScopesGranted string = ''

@description('Comma list of the tool areas to offer: profile, calendar, mail, files, teams, tasks, notes, meetings, search. Only their Microsoft Graph permissions are registered. Empty: every area.')
param toolsets string = ''

@description('Comma list of extra client application ids pre-authorized on the server scope, e.g. an editor that signs users in with its own app id.')
param preAuthorizedClientIds string = ''

@description('Pre-authorize Visual Studio Code on the server scope: its built-in Microsoft sign-in, which MCP servers whose authorization server is Entra ID get, uses its own first-party application id, so VS Code users are then not asked to consent to onbehalf. Off: each user (or an administrator) consents once.')
param preAuthorizeVsCode bool = false

@description('Grant tenant-wide admin consent for the Microsoft Graph scopes in this deployment. Needs a deploying identity that may grant consent; otherwise leave false and use the admin consent URL output.')
param grantAdminConsent bool = false

@description('Also register a public client app (no secret, http://localhost redirect on any port, device code flow) that code-first agents such as examples/code-first sign users in with, and MCP Inspector 2.x (its /oauth/callback on localhost and 127.0.0.1), pre-authorized on the server scope.')
param registerPublicClient bool = false

@description('Comma list of the app roles the server app defines (Entra app role values), e.g. Tools.Read,Tools.Write; MCP_TOOL_POLICY says which tools each grants. Empty: none.')
param appRoles string = 'Tools.Read,Tools.Write'

@description('MCP_TOOL_POLICY: the policy granting tool sets or tools to everyone, to app roles and to client apps (README, Policy), as an object; azd reads it from the environment value as JSON. Empty: every caller may use every tool offered.')
param toolPolicy object = {}

@description('MCP_ALLOWED_CLIENT_APPS: comma list of the client application ids allowed to call, e.g. the Foundry client app (output CLIENT_APP_ID). Empty: any client app.')
param allowedClientApps string = ''

@description('MCP_READ_ONLY: 1 turns every tool that changes something off, for every caller. The app setting can be flipped later without a provision.')
@allowed([
  '0'
  '1'
  'true'
  'false'
])
param readOnly string = '0'

@secure()
@description('MCP_REQUEST_STATE_KEY: the key that seals the confirmation and consent rounds a request carries through the client. azd generates it on the first provision and keeps it in the environment (.azure/<env>/config.json); README, "Rotate the requestState key", says how to change it.')
@metadata({
  azd: {
    type: 'generate'
    config: {
      length: 48
    }
  }
})
param requestStateKey string

@minValue(0)
@description('Requests allowed per tenant per minute; 0 turns the tenant bucket off.')
param rateLimitTenantPerMinute int = 600

@minValue(0)
@description('Requests allowed per user per minute; 0 turns the user bucket off.')
param rateLimitUserPerMinute int = 120

@description('Public base URL clients use, when it is not the function app\'s default host name (a custom domain or a gateway in front). Empty: https://<default host name>.')
param publicUrl string = ''

@description('Front Door ID of the Front Door profile that fronts the app (the X-Azure-FDID it sends; Overview page of the profile). Set: only that profile reaches the app, through the AzureFrontDoor.Backend service tag and the header, and callers\' addresses are read where Front Door writes them. Empty: the app is reached directly.')
@maxLength(36)
param frontDoorId string = ''

@description('MCP_CLIENT_ADDRESS_SOURCE: functions, front-door, x-forwarded-for:<n> or none, for a chain of proxies in front of the app; only as trustworthy as the access restrictions that keep everyone else out. Empty: front-door when frontDoorId is set, otherwise functions.')
param clientAddressSource string = ''

@description('Service Management Reference some tenants require on app registrations. Empty: none.')
param serviceManagementReference string = ''

@description('Redundancy of the storage account (Functions host, deployment package, rate limits, audit).')
@allowed([
  'Standard_LRS'
  'Standard_ZRS'
  'Standard_GRS'
  'Standard_GZRS'
])
param storageSku string = 'Standard_LRS'

var abbrs = loadJsonContent('./abbreviations.json')
var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = { 'azd-env-name': environmentName }
var functionAppName = '${abbrs.webSitesFunctions}api-${resourceToken}'
var deploymentStorageContainerName = 'app-package-${take(functionAppName, 32)}-${take(toLower(uniqueString(functionAppName, resourceToken)), 7)}'
var ownerObjectId = !empty(principalId) ? principalId : deployer().objectId

// The Graph scopes and area of each tool (test/infra keeps the file equal to shared/tools). A tool is offered when its
// area is chosen (MCP_TOOLSETS, or all when empty) and every scope it needs is granted (GRAPH_SCOPES_GRANTED, or all
// when empty), as the server decides; the registration then
// requests exactly the scopes of the offered tools, and nothing no tool uses.
var graphPermissions = loadJsonContent('./graphPermissions.json')
var grantedScopeNames = filter(map(split(graphScopesGranted, ','), name => trim(name)), name => !empty(name))
var requestedToolScopes = map(grantedScopeNames, name => toLower(name))
var requestedToolsets = filter(map(split(toolsets, ','), name => toLower(trim(name))), name => !empty(name))
var offeredTools = filter(graphPermissions.tools, tool => (empty(requestedToolsets) || contains(requestedToolsets, tool.toolset)) && (empty(requestedToolScopes) || empty(filter(tool.scopes, scope => !contains(requestedToolScopes, toLower(scope))))))
var registeredGraphScopes = union(flatten(map(offeredTools, tool => tool.scopes)), [])

// The public URL the server answers at, known before the function app exists because the server app registration
// needs it: the override, or the default host name (`autoGeneratedDomainNameLabelScope` is left unset, so it is
// <app name>.azurewebsites.net in the public cloud, the only one the Microsoft Graph Bicep extension deploys to).
var trimmedPublicUrl = endsWith(publicUrl, '/') ? substring(publicUrl, 0, length(publicUrl) - 1) : publicUrl
var expectedPublicUrl = !empty(trimmedPublicUrl) ? trimmedPublicUrl : 'https://${functionAppName}.azurewebsites.net'
// Where Entra returns an administrator after admin consent: the server's /healthz (shared/auth/adminConsentUrl.ts).
var consentRedirectUri = '${expectedPublicUrl}/healthz'

// The application id of Visual Studio Code's Microsoft sign-in (DEFAULT_CLIENT_ID in VS Code's
// extensions/microsoft-authentication/src/common/scopeData.ts), the same in every tenant.
var vsCodeClientId = 'aebc6443-996d-45c2-90f0-388ff96faa56'

var multiTenant = signInAudience == 'AzureADMultipleOrgs'
// A multi-tenant app signs users in through `organizations`; the allow list then decides who may call.
var authorityTenant = multiTenant ? 'organizations' : tenant().tenantId
var effectiveAllowedTenants = !empty(allowedTenants) ? allowedTenants : (multiTenant ? tenant().tenantId : '')
var loginEndpoint = environment().authentication.loginEndpoint

resource rg 'Microsoft.Resources/resourceGroups@2021-04-01' = {
  name: '${abbrs.resourcesResourceGroups}${environmentName}'
  location: location
  tags: tags
}

// The function app's identity: storage, monitoring, and the federated credential that replaces an OBO client secret.
module apiIdentity 'br/public:avm/res/managed-identity/user-assigned-identity:0.4.1' = {
  name: 'apiIdentity'
  scope: rg
  params: {
    name: '${abbrs.managedIdentityUserAssignedIdentities}api-${resourceToken}'
    location: location
    tags: tags
  }
}

module entra './app/entra.bicep' = {
  name: 'entra'
  scope: rg
  params: {
    uniqueNamePrefix: 'onbehalf-${resourceToken}'
    displayNameSuffix: environmentName
    signInAudience: signInAudience
    managedIdentityPrincipalId: apiIdentity.outputs.principalId
    foundryRedirectUris: filter(map(split(foundryRedirectUri, ','), uri => trim(uri)), uri => !empty(uri))
    graphScopes: registeredGraphScopes
    consentRedirectUri: consentRedirectUri
    preAuthorizedClientIds: union(filter(map(split(preAuthorizedClientIds, ','), appId => trim(appId)), appId => !empty(appId)), preAuthorizeVsCode ? [vsCodeClientId] : [])
    ownerObjectId: ownerObjectId
    grantAdminConsent: grantAdminConsent
    serviceManagementReference: serviceManagementReference
    registerPublicClient: registerPublicClient
    appRoles: filter(map(split(appRoles, ','), role => trim(role)), role => !empty(role))
  }
}

module appServicePlan 'br/public:avm/res/web/serverfarm:0.1.1' = {
  name: 'appServicePlan'
  scope: rg
  params: {
    name: '${abbrs.webServerFarms}${resourceToken}'
    sku: {
      name: 'FC1'
      tier: 'FlexConsumption'
    }
    reserved: true
    location: location
    tags: tags
  }
}

module storage 'br/public:avm/res/storage/storage-account:0.8.3' = {
  name: 'storage'
  scope: rg
  params: {
    name: '${abbrs.storageStorageAccounts}${resourceToken}'
    location: location
    tags: tags
    skuName: storageSku
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false
    allowCrossTenantReplication: false
    defaultToOAuthAuthentication: true
    minimumTlsVersion: 'TLS1_2'
    dnsEndpointType: 'Standard'
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      defaultAction: 'Allow'
      bypass: 'AzureServices'
    }
    blobServices: {
      containers: [
        {
          name: deploymentStorageContainerName
        }
      ]
    }
  }
}

module logAnalytics 'br/public:avm/res/operational-insights/workspace:0.11.1' = {
  name: 'logAnalytics'
  scope: rg
  params: {
    name: '${abbrs.operationalInsightsWorkspaces}${resourceToken}'
    location: location
    tags: tags
    dataRetention: 30
    features: {
      // Queries and ingestion with Entra ID only, no workspace keys.
      disableLocalAuth: true
    }
  }
}

module monitoring 'br/public:avm/res/insights/component:0.6.0' = {
  name: 'monitoring'
  scope: rg
  params: {
    name: '${abbrs.insightsComponents}${resourceToken}'
    location: location
    tags: tags
    workspaceResourceId: logAnalytics.outputs.resourceId
    disableLocalAuth: true
    // Keep client IP addresses out of telemetry (the module's default would store them).
    disableIpMasking: false
  }
}

module rbac './app/rbac.bicep' = {
  name: 'rbac'
  scope: rg
  params: {
    storageAccountName: storage.outputs.name
    applicationInsightsName: monitoring.outputs.name
    managedIdentityPrincipalId: apiIdentity.outputs.principalId
    operatorPrincipalId: ownerObjectId
  }
}

// The operator's workbook: what shared/telemetry sends to the component, per tool, tenant and failure.
module workbook './app/workbook.bicep' = {
  name: 'workbook'
  scope: rg
  params: {
    applicationInsightsName: monitoring.outputs.name
    location: location
    tags: tags
  }
}

module api './app/api.bicep' = {
  name: 'api'
  scope: rg
  params: {
    name: functionAppName
    location: location
    tags: tags
    appServicePlanId: appServicePlan.outputs.resourceId
    storageAccountName: storage.outputs.name
    deploymentStorageContainerName: deploymentStorageContainerName
    identityId: apiIdentity.outputs.resourceId
    identityClientId: apiIdentity.outputs.clientId
    applicationInsightsConnectionString: monitoring.outputs.connectionString
    entraTenantId: authorityTenant
    serverAppId: entra.outputs.serverAppId
    allowedTenants: effectiveAllowedTenants
    graphScopesGranted: join(grantedScopeNames, ',')
    toolsets: join(requestedToolsets, ',')
    toolPolicy: empty(toolPolicy) ? '' : string(toolPolicy)
    allowedClientApps: allowedClientApps
    readOnly: readOnly
    requestStateKey: requestStateKey
    rateLimitTenantPerMinute: rateLimitTenantPerMinute
    rateLimitUserPerMinute: rateLimitUserPerMinute
    publicUrlOverride: publicUrl
    frontDoorId: frontDoorId
    clientAddressSource: clientAddressSource
  }
}

var tokenUrl = '${loginEndpoint}${authorityTenant}/oauth2/v2.0/token'

output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_NAME string = api.outputs.name
output SERVICE_API_NAME string = api.outputs.name
output MANAGED_IDENTITY_CLIENT_ID string = apiIdentity.outputs.clientId
// Not named MCP_PUBLIC_URL: azd would feed an output of that name back in as the publicUrl parameter.
output MCP_BASE_URL string = api.outputs.publicUrl
output MCP_URL string = '${api.outputs.publicUrl}/mcp'
output SERVER_APP_ID string = entra.outputs.serverAppId
output SERVER_SCOPE string = entra.outputs.serverScope
output CLIENT_APP_ID string = entra.outputs.clientAppId
// Empty unless registerPublicClient: the client id `npm run foundry:config` passes on to examples/code-first.
output PUBLIC_CLIENT_APP_ID string = entra.outputs.publicClientAppId
// The reply address is registered on the server app; without one Entra ends admin consent with AADSTS900971.
output ADMIN_CONSENT_URL string = '${loginEndpoint}${tenant().tenantId}/adminconsent?client_id=${entra.outputs.serverAppId}&redirect_uri=${uriComponent(consentRedirectUri)}'
output CONSENT_REDIRECT_URI string = consentRedirectUri
// Space separated, for `az ad app permission grant --scope` (docs/foundry.md).
output SERVER_GRAPH_SCOPES string = join(union(registeredGraphScopes, graphPermissions.signInScopes), ' ')
// When the function app's identity got its blob role; the postprovision hook waits for it to take effect.
output DEPLOYMENT_STORAGE_ROLE_ASSIGNED_AT string = rbac.outputs.blobRoleCreatedOn
output FOUNDRY_AUTH_URL string = '${loginEndpoint}${authorityTenant}/oauth2/v2.0/authorize'
output FOUNDRY_TOKEN_URL string = tokenUrl
output FOUNDRY_REFRESH_URL string = tokenUrl
// GUID form on purpose: see docs/foundry.md (AADSTS90009).
output FOUNDRY_SCOPES string = '${entra.outputs.serverScope} offline_access'
