// Turns a Microsoft Graph path or URL into its route template (`/me/events/{id}`): never an id, a name or a query value.

// Segments that are Graph's own words (entity sets, navigation properties, actions, well-known folder names).
// Everything else (ids, user principal names, site paths, file names) becomes a placeholder: an allow list,
// so a segment we did not foresee can only ever show as `{id}`.
const GRAPH_WORDS = [
  'me', 'users', 'groups', 'sites', 'drives', 'drive', 'items', 'root', 'children', 'content', 'special', 'lists', 'list',
  'versions', 'thumbnails', 'permissions', 'delta', 'search', 'query', 'sharedWithMe', 'recent', 'followedSites',
  'events', 'calendarView', 'calendar', 'calendars', 'calendarGroups', 'instances', 'getSchedule', 'findMeetingTimes',
  'cancel', 'accept', 'decline', 'tentativelyAccept', 'forward', 'dismissReminder', 'snoozeReminder',
  'messages', 'mailFolders', 'childFolders', 'attachments', 'sendMail', 'send', 'reply', 'replyAll', 'createReply',
  'createReplyAll', 'createForward', 'move', 'copy', 'people', 'contacts', 'contactFolders', 'photo', 'manager',
  'directReports', 'memberOf', 'mailboxSettings', 'organization', 'todo', 'tasks', '$value', '$count', '$batch',
  'inbox', 'drafts', 'sentitems', 'deleteditems', 'archive', 'junkemail', 'outbox',
  'approot', 'documents', 'photos', 'cameraroll', 'music',
];
const KNOWN = new Map(GRAPH_WORDS.map((word) => [word.toLowerCase(), word]));

/** Longer routes are cut: a template is for grouping, and no Graph route we call is this deep. */
const MAX_SEGMENTS = 12;

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function word(segment: string): string | undefined {
  const call = /^([\w.$]+)\((.*)\)$/.exec(segment);
  if (call !== null) {
    const name = KNOWN.get((call[1] ?? '').replace(/^microsoft\.graph\./i, '').toLowerCase());
    return name === undefined ? undefined : `${name}(${call[2] === '' ? '' : '…'})`;
  }
  return KNOWN.get(segment.toLowerCase());
}

/**
 * The route template of a Graph request: relative paths (`/me/events/AAMk…`) and absolute URLs
 * (`https://graph.microsoft.com/v1.0/…?$skiptoken=…`, as in nextLinks) alike; the API version,
 * the query and the fragment are dropped, ids become `{id}`, and path addressing
 * (`root:/Documents/Reports:/children`) becomes `root:{path}:/children`.
 */
export function graphRouteTemplate(pathOrUrl: string): string {
  let path = pathOrUrl.split(/[?#]/, 1)[0] ?? '';
  const scheme = /^[a-z][a-z0-9+.-]*:\/\/[^/]*/i.exec(path);
  if (scheme !== null) path = path.slice(scheme[0].length);
  const segments = path.split('/').filter((segment) => segment !== '').map(decode);
  if (/^(v1\.0|beta)$/i.test(segments[0] ?? '')) segments.shift();

  const template: string[] = [];
  for (let index = 0; index < segments.length && template.length < MAX_SEGMENTS; index++) {
    const segment = segments[index] ?? '';
    const addressing = /^([^:]+):(.*)$/.exec(segment);
    if (addressing !== null) {
      // `root:` (or `{id}:`) opens a path that runs to the next segment ending in ':', or to the end.
      const base = word(addressing[1] ?? '') ?? '{id}';
      let closed = segment.length > 1 && segment.endsWith(':') && (addressing[2] ?? '') !== '';
      while (!closed && index + 1 < segments.length) {
        index++;
        closed = (segments[index] ?? '').endsWith(':');
      }
      template.push(closed ? `${base}:{path}:` : `${base}:{path}`);
      continue;
    }
    template.push(word(segment) ?? '{id}');
  }
  return `/${template.join('/')}`;
}
