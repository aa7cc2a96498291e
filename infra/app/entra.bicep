// Entra app registrations: the server API (OBO with a managed-identity federated credential), the client app Foundry signs users in with, and optionally a public client for code-first agents.
extension microsoftGraphV1

@description('Prefix of the registrations\' uniqueName; unique per environment so redeployments update the same apps.')
param uniqueNamePrefix string

@description('Appended to the display names so environments can be told apart in the portal.')
param displayNameSuffix string

@description('Who may sign in: AzureADMyOrg or AzureADMultipleOrgs.')
param signInAudience string

@description('Principal (object) id of the function app\'s user-assigned managed identity; the federated credential trusts it.')
param managedIdentityPrincipalId string

@description('Redirect URLs Foundry shows for its connections; the client app\'s web redirect URIs are exactly these.')
param foundryRedirectUris array = []

@description('Delegated Microsoft Graph scopes the server requests for the tools it offers, by name (keys of graphPermissions.json\'s delegatedPermissionIds).')
param graphScopes array

@description('Where Entra sends an administrator after admin consent for the server app: a page of the server that answers without sign-in.')
param consentRedirectUri string

@description('Extra client application ids pre-authorized on the server scope.')
param preAuthorizedClientIds array = []

@description('Object id added as owner of both registrations.')
param ownerObjectId string

@description('Grant tenant-wide admin consent for the Graph scopes in this deployment.')
param grantAdminConsent bool = false

@description('Service Management Reference some tenants require on app registrations; empty for none.')
param serviceManagementReference string = ''

@description('App roles of the server app, by value (up to 120 letters, digits and punctuation, no spaces). An administrator assigns them to users, or with Entra ID P1/P2 to groups; the token\'s roles claim carries them and MCP_TOOL_POLICY says which tools each grants. Entra deletes a role only once it is disabled: disable it in the portal before provisioning without it.')
param appRoles array = [
  'Tools.Read'
  'Tools.Write'
]

@description('Also register a public client (no secret, loopback redirect, device code flow) for code-first agents such as examples/code-first, pre-authorized on the server scope.')
param registerPublicClient bool = false

var graphAppId = '00000003-0000-0000-c000-000000000000'
var graphPermissions = loadJsonContent('../graphPermissions.json')
var graphDelegatedScopeIds = graphPermissions.delegatedPermissionIds
var signInScopes = graphPermissions.signInScopes
// The audience of the managed identity token used as the client assertion. The Microsoft Graph Bicep extension
// deploys to the public cloud only, so this is the public cloud's value.
var tokenExchangeAudience = 'api://AzureADTokenExchange'
var serverGraphScopes = union(graphScopes, signInScopes)

var serverUniqueName = '${uniqueNamePrefix}-server'
var serverDisplayName = 'onbehalf MCP server (${displayNameSuffix})'
var scopeValue = 'access_as_user'
// Deterministic, so the second declaration and the client app refer to the same scope.
var scopeId = guid(serverUniqueName, scopeValue)
var accessAsUser = {
  id: scopeId
  value: scopeValue
  type: 'User'
  isEnabled: true
  adminConsentDisplayName: 'Use onbehalf as the signed-in user'
  adminConsentDescription: 'Lets the app call the onbehalf MCP server, which reads and changes the user\'s Microsoft 365 data with the user\'s own permissions.'
  userConsentDisplayName: 'Use onbehalf as you'
  userConsentDescription: 'Lets the app call the onbehalf MCP server, which reads and changes your Microsoft 365 data with your own permissions.'
}
// Ids derived from the value, so each provision declares the same roles and assignments survive it.
var serverAppRoles = map(appRoles, role => {
  id: guid(serverUniqueName, 'appRole', role)
  value: role
  displayName: role
  description: 'onbehalf app role ${role}: MCP_TOOL_POLICY decides which tools it grants'
  allowedMemberTypes: [
    'User'
  ]
  isEnabled: true
})
var serverRequiredResourceAccess = [
  {
    resourceAppId: graphAppId
    resourceAccess: map(serverGraphScopes, name => {
      id: graphDelegatedScopeIds[name]
      type: 'Scope'
    })
  }
]
var serviceManagement = !empty(serviceManagementReference) ? serviceManagementReference : null
// Entra's admin consent endpoint needs a reply address on the app (AADSTS900971 without one). No token is ever
// sent there: implicit grant stays off, and the server app has no secret to redeem an authorization code with.
var serverWeb = {
  redirectUris: [
    consentRedirectUri
  ]
  implicitGrantSettings: {
    enableAccessTokenIssuance: false
    enableIdTokenIssuance: false
  }
}

resource serverApp 'Microsoft.Graph/applications@v1.0' = {
  uniqueName: serverUniqueName
  displayName: serverDisplayName
  signInAudience: signInAudience
  serviceManagementReference: serviceManagement
  owners: {
    relationships: [
      ownerObjectId
    ]
  }
  api: {
    requestedAccessTokenVersion: 2
    oauth2PermissionScopes: [
      accessAsUser
    ]
  }
  appRoles: serverAppRoles
  web: serverWeb
  requiredResourceAccess: serverRequiredResourceAccess
}

// What the apps that sign users in for onbehalf ask for: the server scope, and the sign-in scopes of Microsoft Graph.
var signInClientAccess = [
  {
    resourceAppId: serverApp.appId
    resourceAccess: [
      {
        id: scopeId
        type: 'Scope'
      }
    ]
  }
  {
    resourceAppId: graphAppId
    resourceAccess: map(signInScopes, name => {
      id: graphDelegatedScopeIds[name]
      type: 'Scope'
    })
  }
]

resource clientApp 'Microsoft.Graph/applications@v1.0' = {
  uniqueName: '${uniqueNamePrefix}-foundry-client'
  displayName: 'onbehalf Foundry client (${displayNameSuffix})'
  signInAudience: signInAudience
  serviceManagementReference: serviceManagement
  owners: {
    relationships: [
      ownerObjectId
    ]
  }
  web: {
    redirectUris: foundryRedirectUris
    implicitGrantSettings: {
      enableAccessTokenIssuance: false
      enableIdTokenIssuance: false
    }
  }
  requiredResourceAccess: signInClientAccess
}

// A public client holds no secret: it signs users in with authorization code and PKCE on a loopback redirect (Entra
// accepts any port for http://localhost on this platform) or, with public client flows on, the device code flow.
// MCP Inspector 2.x can use it too: it redeems the code from its backend, at /oauth/callback on the loopback name
// it was opened at, so these are mobile and desktop URIs, not single-page ones (docs/clients.md).
resource publicClientApp 'Microsoft.Graph/applications@v1.0' = if (registerPublicClient) {
  uniqueName: '${uniqueNamePrefix}-public-client'
  displayName: 'onbehalf public client (${displayNameSuffix})'
  signInAudience: signInAudience
  serviceManagementReference: serviceManagement
  owners: {
    relationships: [
      ownerObjectId
    ]
  }
  isFallbackPublicClient: true
  publicClient: {
    redirectUris: [
      'http://localhost'
      'http://localhost/oauth/callback'
      'http://127.0.0.1/oauth/callback'
    ]
  }
  requiredResourceAccess: signInClientAccess
}

// Empty when no public client is registered: safe-dereferencing a resource whose condition is false gives null.
var publicClientAppIds = registerPublicClient ? [publicClientApp.?appId ?? ''] : []

// The app id exists only after creation, so identifierUris (api://<appId>) and the pre-authorization of the
// client apps are set by a second declaration of the same uniqueName.
resource serverAppUpdate 'Microsoft.Graph/applications@v1.0' = {
  uniqueName: serverUniqueName
  displayName: serverDisplayName
  signInAudience: signInAudience
  serviceManagementReference: serviceManagement
  identifierUris: [
    'api://${serverApp.appId}'
  ]
  api: {
    requestedAccessTokenVersion: 2
    oauth2PermissionScopes: [
      accessAsUser
    ]
    preAuthorizedApplications: map(union([clientApp.appId], publicClientAppIds, preAuthorizedClientIds), appId => {
      appId: appId
      delegatedPermissionIds: [
        scopeId
      ]
    })
  }
  appRoles: serverAppRoles
  web: serverWeb
  requiredResourceAccess: serverRequiredResourceAccess
}

resource serverServicePrincipal 'Microsoft.Graph/servicePrincipals@v1.0' = {
  appId: serverApp.appId
}

resource clientServicePrincipal 'Microsoft.Graph/servicePrincipals@v1.0' = {
  appId: clientApp.appId
}

resource publicClientServicePrincipal 'Microsoft.Graph/servicePrincipals@v1.0' = if (registerPublicClient) {
  appId: publicClientApp.?appId ?? ''
}

// Secretless OBO: the server proves itself with a token of the function app's managed identity.
resource serverFederatedCredential 'Microsoft.Graph/applications/federatedIdentityCredentials@v1.0' = {
  name: '${serverAppUpdate.uniqueName}/function-app-identity'
  description: 'The onbehalf function app\'s managed identity, used as the On-Behalf-Of client credential'
  issuer: '${environment().authentication.loginEndpoint}${tenant().tenantId}/v2.0'
  subject: managedIdentityPrincipalId
  audiences: [
    tokenExchangeAudience
  ]
}

resource graphServicePrincipal 'Microsoft.Graph/servicePrincipals@v1.0' existing = {
  appId: graphAppId
}

resource serverGraphConsent 'Microsoft.Graph/oauth2PermissionGrants@v1.0' = if (grantAdminConsent) {
  clientId: serverServicePrincipal.id
  resourceId: graphServicePrincipal.id
  consentType: 'AllPrincipals'
  scope: join(serverGraphScopes, ' ')
}

resource clientGraphConsent 'Microsoft.Graph/oauth2PermissionGrants@v1.0' = if (grantAdminConsent) {
  clientId: clientServicePrincipal.id
  resourceId: graphServicePrincipal.id
  consentType: 'AllPrincipals'
  scope: join(signInScopes, ' ')
}

resource publicClientGraphConsent 'Microsoft.Graph/oauth2PermissionGrants@v1.0' = if (registerPublicClient && grantAdminConsent) {
  clientId: publicClientServicePrincipal.?id ?? ''
  resourceId: graphServicePrincipal.id
  consentType: 'AllPrincipals'
  scope: join(signInScopes, ' ')
}

@description('Application (client) id of the server API; the GUID form of its audience.')
output serverAppId string = serverApp.appId

@description('Application (client) id of the client app Foundry uses.')
output clientAppId string = clientApp.appId

@description('Application (client) id of the public client for code-first agents; empty when it is not registered.')
output publicClientAppId string = publicClientApp.?appId ?? ''

@description('The server scope in GUID form, which Entra resolves for any client.')
output serverScope string = '${serverApp.appId}/${scopeValue}'

@description('Application ID URI of the server API.')
output identifierUri string = 'api://${serverApp.appId}'
