// graphRouteTemplate: the paths our tools call become route templates with no id, name, path or query value left.
import { describe, expect, it } from 'vitest';
import { graphRouteTemplate } from '../../shared/telemetry/routes/graphRoute.js';

const EVENT_ID = 'AAMkAGI2TG93AAA=';
const SITE_ID = 'contoso.sharepoint.com,2C712604-1370-44E7-A1F5-426573FDA80A,2D2244C3-251A-49EA-93A8-39E1C3A060FE';
const UPN = 'adele.vance@contoso.onmicrosoft.com';

describe('graphRouteTemplate', () => {
  it.each([
    ['/me', '/me'],
    ['/me/calendarView', '/me/calendarView'],
    [`/me/events/${encodeURIComponent(EVENT_ID)}`, '/me/events/{id}'],
    [`/me/events/${encodeURIComponent(EVENT_ID)}/cancel`, '/me/events/{id}/cancel'],
    ['/me/findMeetingTimes', '/me/findMeetingTimes'],
    ['/me/calendar/getSchedule', '/me/calendar/getSchedule'],
    ['/me/messages', '/me/messages'],
    [`/me/messages/${encodeURIComponent(EVENT_ID)}`, '/me/messages/{id}'],
    ['/me/mailFolders/inbox/messages', '/me/mailFolders/inbox/messages'],
    ['/me/mailFolders/AQMkADAwATMwMAItNzA5/messages', '/me/mailFolders/{id}/messages'],
    ['/me/mailFolders/', '/me/mailFolders'],
    ['/me/sendMail', '/me/sendMail'],
    ['/me/people', '/me/people'],
    ['/search/query', '/search/query'],
    ['/sites', '/sites'],
    ['/me/drive/root/children', '/me/drive/root/children'],
    ['/me/drive/items/01BYE5RZ6QN3ZWBTUFOFD3GSPGOHDJD36K/children', '/me/drive/items/{id}/children'],
    ['/me/drive/items/01BYE5RZ6QN3ZWBTUFOFD3GSPGOHDJD36K/content', '/me/drive/items/{id}/content'],
    [`/sites/${encodeURIComponent(SITE_ID)}/drive/items/01ABC/content`, '/sites/{id}/drive/items/{id}/content'],
    [`/me/drive/root:/${['Documents', 'Q3 plan #2 & budget'].map(encodeURIComponent).join('/')}:/children`, '/me/drive/root:{path}:/children'],
    ['/me/drive/root:/Documents/report.docx', '/me/drive/root:{path}'],
    [`/users/${UPN}/calendar/getSchedule`, '/users/{id}/calendar/getSchedule'],
    ["/users('8b081ef6-4792-4def-b2c9-c363a1bf41d5')/events", '/users(…)/events'],
    ['/me/calendarView/delta()', '/me/calendarView/delta()'],
    ['/me/events/microsoft.graph.delta(token=\'abc\')', '/me/events/delta(…)'],
  ])('%s → %s', (path, template) => {
    expect(graphRouteTemplate(path)).toBe(template);
  });

  it('drops the origin, the API version, the query and the fragment of a nextLink', () => {
    const nextLink = `https://graph.microsoft.com/v1.0/me/calendarView?startDateTime=2026-11-15T00%3A00%3A00Z&$top=10&$skiptoken=${EVENT_ID}#frag`;
    expect(graphRouteTemplate(nextLink)).toBe('/me/calendarView');
    expect(graphRouteTemplate('https://localhost:8443/beta/me/messages/AAMk?$search="quarterly results"')).toBe('/me/messages/{id}');
  });

  it('never lets through a segment it does not know, however it is spelled', () => {
    for (const secret of [UPN, 'Q3 plan.docx', 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.', 'me2', '..', '%2e%2e', 'search(q=\'salary\')', 'root:secret']) {
      const template = graphRouteTemplate(`/me/${encodeURIComponent(secret)}/children`);
      expect(template).not.toContain(secret);
      expect(template).not.toMatch(/[@.%' ]|eyJ|salary/);
    }
  });

  it('stays bounded on a very deep path', () => {
    expect(graphRouteTemplate(`/me${'/items/x'.repeat(50)}`).split('/').length).toBeLessThanOrEqual(13);
  });
});
