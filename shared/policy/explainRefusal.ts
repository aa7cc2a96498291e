// What a caller is told when the policy refuses a tool: what it needs (a role, another client app), or that writes are off.
import type { PolicyRefusal } from './toolPolicy.js';

export interface RefusalText {
  readonly message: string;
  readonly hint: string;
}

const either = (names: readonly string[]) => names.length === 1 ? names[0] ?? '' : `${names.slice(0, -1).join(', ')} or ${names.at(-1) ?? ''}`;

/** The message and recovery hint of a `tool_not_allowed` result for `tool`, called through client app `appId`. */
export function explainRefusal(tool: string, refusal: PolicyRefusal, appId: string | undefined): RefusalText {
  switch (refusal.reason) {
    case 'read_only':
      return {
        message: `${tool} is turned off: this server is read-only for now (MCP_READ_ONLY).`,
        hint: 'Use a tool that only reads; tools that change something come back when your administrator turns read-only off.',
      };
    case 'client_app':
      return {
        message: `${tool} is not available through client app ${appId ?? '(none named)'}.`,
        hint: refusal.clientApps.length === 0
          ? 'No client app is granted it; ask your administrator.'
          : `It is granted through client app ${either(refusal.clientApps)}; use ${refusal.clientApps.length === 1 ? 'that app' : 'one of them'}, or ask your administrator.`,
      };
    case 'role':
      return refusal.roles.length === 0
        ? { message: `${tool} is not granted to any app role by this server's policy.`, hint: 'Ask your administrator.' }
        : {
            message: `${tool} needs the app role ${either(refusal.roles)}, which you do not hold.`,
            hint: `Ask your administrator to assign you ${refusal.roles.length === 1 ? 'that role' : 'one of these roles'} on the onbehalf app in Microsoft Entra ID, then sign in again: a new token carries it.`,
          };
  }
}
