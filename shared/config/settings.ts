// Every app setting the server reads, in one list: infra, docs and the drift tests check against it.

export interface SettingInfo {
  /** Must be set in production (Azure); the dev defaults cover it locally. */
  readonly requiredInProduction: boolean;
  readonly description: string;
}

export const SETTINGS = {
  ENTRA_TENANT_ID: { requiredInProduction: true, description: "tenant of the server's app registration, whose authority `/mcp`'s metadata names; `organizations` for multi-tenant (strict clients then use `/tenants/<id>/mcp`)" },
  ENTRA_CLIENT_ID: { requiredInProduction: true, description: "the server's app registration (GUID)" },
  ENTRA_CLIENT_SECRET: { requiredInProduction: false, description: 'OBO client credential: a client secret' },
  ENTRA_CLIENT_CERTIFICATE_PATH: { requiredInProduction: false, description: 'OBO client credential: PEM file with the private key and certificate' },
  ENTRA_MANAGED_IDENTITY_CLIENT_ID: { requiredInProduction: true, description: 'OBO client credential: user-assigned managed identity used as a federated credential (secretless; what infra/ deploys)' },
  ENTRA_AUTHORITY_HOST: { requiredInProduction: false, description: 'Entra authority host (other clouds, or a local stand-in)' },
  ENTRA_ALLOWED_TENANTS: { requiredInProduction: false, description: 'comma list of tenant ids allowed to call, or `*`' },
  MCP_AUDIENCES: { requiredInProduction: false, description: 'extra accepted token audiences besides `<clientId>` and `api://<clientId>`' },
  MCP_REQUIRED_SCOPE: { requiredInProduction: false, description: 'delegated scope a caller must hold' },
  MCP_PUBLIC_URL: { requiredInProduction: true, description: 'public base URL (resource metadata, allowed `Host`): https, no credentials, query or fragment' },
  MCP_ALLOWED_ORIGINS: { requiredInProduction: false, description: 'extra browser origins allowed (DNS-rebinding guard)' },
  GRAPH_BASE_URL: { requiredInProduction: false, description: 'Microsoft Graph base URL (national cloud, or a local stand-in)' },
  GRAPH_SCOPES_GRANTED: { requiredInProduction: false, description: 'delegated Graph scopes the deployment granted, separated by commas or spaces; tools needing others are not listed; a name no tool uses stops the start' },
  MCP_TOOLSETS: { requiredInProduction: false, description: 'comma list of the tool areas offered: profile, calendar, mail, files, teams, tasks, notes' },
  MCP_TOOL_POLICY: { requiredInProduction: false, description: 'JSON: the tool sets or tools granted to everyone, to each Entra app role (token `roles`) and to each client app (`azp`); present, a caller gets only what it grants' },
  MCP_ALLOWED_CLIENT_APPS: { requiredInProduction: false, description: 'comma list of the client application ids (`azp`) allowed to call; any other gets 403 `client_app_not_allowed`' },
  MCP_READ_ONLY: { requiredInProduction: false, description: '`1`: every tool that changes something is hidden and refused' },
  MCP_REQUEST_TIMEOUT_SECONDS: { requiredInProduction: false, description: 'overall deadline of one HTTP request (1-220): past it, each JSON-RPC request still pending is answered with an error and its work is aborted; a write already sent is answered outcome_unknown' },
  RATE_LIMIT_TENANT_PER_MINUTE: { requiredInProduction: false, description: 'requests per tenant per minute; 0 turns the bucket off' },
  RATE_LIMIT_USER_PER_MINUTE: { requiredInProduction: false, description: 'requests per user per minute; 0 turns the bucket off' },
  MCP_CLIENT_ADDRESS_SOURCE: { requiredInProduction: false, description: 'where a caller\'s address is read, the key of the refused-request budget: `functions` (Azure Functions alone, the default), `front-door`, `x-forwarded-for:<n>` (the n-th entry from the right), or `none` (nothing in front appends: one budget for every refused caller); trustworthy only when access restrictions let the proxy alone reach the app' },
  TABLES_CONNECTION_STRING: { requiredInProduction: false, description: 'Table Storage connection string (local development)' },
  TABLES_ENDPOINT: { requiredInProduction: true, description: 'Table Storage endpoint, reached with managed identity' },
  TABLES_PREFIX: { requiredInProduction: false, description: 'prefix of the table names (`<prefix>RateLimits`, `<prefix>Audit`)' },
  MCP_DEV_MODE: { requiredInProduction: false, description: '`1`: local identity provider and sandbox Graph; refused when hosted in Azure' },
  APPLICATIONINSIGHTS_CONNECTION_STRING: { requiredInProduction: false, description: 'Application Insights to send traces, metrics and logs to (OpenTelemetry, Azure Monitor distro); unset with no OTLP endpoint: telemetry off' },
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: { requiredInProduction: false, description: '`Authorization=AAD;ClientId=<managed identity client id>`: send telemetry with Entra ID instead of the connection string\'s key' },
  OTEL_EXPORTER_OTLP_ENDPOINT: { requiredInProduction: false, description: 'OTLP/HTTP collector (Aspire dashboard, Jaeger, an OpenTelemetry Collector) to send traces, metrics and logs to' },
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: { requiredInProduction: false, description: 'OTLP/HTTP URL for traces alone, used as given (instead of the general endpoint + `/v1/traces`)' },
  OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: { requiredInProduction: false, description: 'OTLP/HTTP URL for metrics alone, used as given' },
  OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: { requiredInProduction: false, description: 'OTLP/HTTP URL for logs alone, used as given' },
  OTEL_EXPORTER_OTLP_PROTOCOL: { requiredInProduction: false, description: '`http/protobuf` or `http/json`' },
  OTEL_TRACES_SAMPLER: { requiredInProduction: false, description: 'which traces to keep: a standard OpenTelemetry sampler, or `microsoft.rate_limited` / `microsoft.fixed_percentage` with Application Insights; unset: every trace, whatever a caller\'s traceparent says' },
  OTEL_TRACES_SAMPLER_ARG: { requiredInProduction: false, description: 'the sampler\'s argument: a ratio from 0 to 1, or traces per second for `microsoft.rate_limited`' },
  OTEL_SDK_DISABLED: { requiredInProduction: false, description: '`true` turns telemetry off whatever else is set' },
  OTEL_SERVICE_NAME: { requiredInProduction: false, description: 'the `service.name` telemetry is reported under (Application Insights: the cloud role name); wins over one in OTEL_RESOURCE_ATTRIBUTES' },
  OTEL_RESOURCE_ATTRIBUTES: { requiredInProduction: false, description: 'resource attributes as `key=value,key2=value2`, percent-encoded (`,` as `%2C`, `=` as `%3D`), e.g. `deployment.environment.name=prod`' },
  OTEL_PROPAGATORS: { requiredInProduction: false, description: '`tracecontext`, `baggage` (comma list) or `none`: how a request\'s trace context is read' },
  OTEL_LOG_LEVEL: { requiredInProduction: false, description: 'the OpenTelemetry SDK\'s own diagnostics on the console: `none`, `error`, `warn`, `info`, `debug`, `verbose`, `all`' },
  OTEL_METRIC_EXPORT_INTERVAL: { requiredInProduction: false, description: 'milliseconds from the start of one metric export to the next' },
  OTEL_METRIC_EXPORT_TIMEOUT: { requiredInProduction: false, description: 'milliseconds a metric export may take; at most the interval' },
  OTEL_BSP_SCHEDULE_DELAY: { requiredInProduction: false, description: 'milliseconds between two span exports' },
  OTEL_BSP_EXPORT_TIMEOUT: { requiredInProduction: false, description: 'milliseconds a span export may take' },
  OTEL_BSP_MAX_QUEUE_SIZE: { requiredInProduction: false, description: 'spans held for export; past it, new spans are dropped' },
  OTEL_BSP_MAX_EXPORT_BATCH_SIZE: { requiredInProduction: false, description: 'spans per export; at most the queue size' },
  OTEL_BLRP_SCHEDULE_DELAY: { requiredInProduction: false, description: 'milliseconds between two log record exports (OTLP)' },
  OTEL_BLRP_EXPORT_TIMEOUT: { requiredInProduction: false, description: 'milliseconds a log record export may take (OTLP)' },
  OTEL_BLRP_MAX_QUEUE_SIZE: { requiredInProduction: false, description: 'log records held for export (OTLP); past it, new records are dropped' },
  OTEL_BLRP_MAX_EXPORT_BATCH_SIZE: { requiredInProduction: false, description: 'log records per export (OTLP); at most the queue size' },
  PORT: { requiredInProduction: false, description: 'port of the local host (`npm start`); the Functions host ignores it' },
} as const satisfies Record<string, SettingInfo>;

export type SettingName = keyof typeof SETTINGS;
