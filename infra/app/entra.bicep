// Entra app registrations: the server API (OBO with a managed-identity federated credential) and the client app Foundry signs users in with.
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

@description('Delegated Microsoft Graph scopes the server requests for the tools, by name.')
param graphScopes array

@description('Extra client application ids pre-authorized on the server scope.')
param preAuthorizedClientIds array = []

@description('Object id added as owner of both registrations.')
param ownerObjectId string

@description('Grant tenant-wide admin consent for the Graph scopes in this deployment.')
param grantAdminConsent bool = false

@description('Service Management Reference some tenants require on app registrations; empty for none.')
param serviceManagementReference string = ''

@description('Audience of the managed identity token used as the client assertion; differs in national clouds.')
param tokenExchangeAudience string = 'api://AzureADTokenExchange'

var graphAppId = '00000003-0000-0000-c000-000000000000'
// Delegated permission ids of Microsoft Graph, which are the same in every tenant.
var graphDelegatedScopeIds = {
  'Calendars.Read': '465a38f9-76ea-45b9-9f34-9e8b0d4b0b42'
  'Calendars.ReadWrite': '1ec239c2-d7c9-4623-a91a-a9775856bb36'
  'Files.Read.All': 'df85f4d6-205c-4ac5-a5ea-6bf408dba283'
  'Mail.Read': '570282fd-fa5c-430d-a7fd-fc8dc98a9dca'
  'Mail.ReadWrite': '024d486e-b451-40bb-833d-3e66d98c5c73'
  'Mail.Send': 'e383f46e-2787-4529-855e-0e479a3ffac0'
  'People.Read': 'ba47897c-39ec-4d83-8086-ee8256fa737d'
  'Sites.Read.All': '205e70e5-aba6-4c52-a976-6d2d46c48043'
  'User.Read': 'e1fe6dd8-ba31-4d61-89e7-88639da4683d'
  'User.ReadBasic.All': 'b340eb25-3456-403f-be2f-af7a0d370277'
  offline_access: '7427e0e9-2fba-42fe-b0c0-848c9e6a8182'
  openid: '37f7f235-527c-4136-accd-4a02d197296e'
  profile: '14dad69e-099b-42c9-810b-d002981feec1'
}
var signInScopes = [
  'openid'
  'profile'
  'offline_access'
]
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
  requiredResourceAccess: serverRequiredResourceAccess
}

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
  requiredResourceAccess: [
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
}

// The app id exists only after creation, so identifierUris (api://<appId>) and the pre-authorization of the
// client app are set by a second declaration of the same uniqueName.
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
    preAuthorizedApplications: map(union([clientApp.appId], preAuthorizedClientIds), appId => {
      appId: appId
      delegatedPermissionIds: [
        scopeId
      ]
    })
  }
  requiredResourceAccess: serverRequiredResourceAccess
}

resource serverServicePrincipal 'Microsoft.Graph/servicePrincipals@v1.0' = {
  appId: serverApp.appId
}

resource clientServicePrincipal 'Microsoft.Graph/servicePrincipals@v1.0' = {
  appId: clientApp.appId
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

@description('Application (client) id of the server API; the GUID form of its audience.')
output serverAppId string = serverApp.appId

@description('Application (client) id of the client app Foundry uses.')
output clientAppId string = clientApp.appId

@description('The server scope in GUID form, which Entra resolves for any client.')
output serverScope string = '${serverApp.appId}/${scopeValue}'

@description('Application ID URI of the server API.')
output identifierUri string = 'api://${serverApp.appId}'
