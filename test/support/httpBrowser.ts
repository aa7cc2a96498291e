// Walks the local identity provider's pages over plain HTTP, as a browser without JavaScript would: cookies, redirects, forms.

export interface Visit {
  readonly url: URL;
  readonly status: number;
  readonly location?: URL;
  readonly html: string;
}

export interface SignInChoices {
  /** The account to pick on the sign-in page (a sample user's key). */
  readonly user?: string;
  /** What to press on the consent page. */
  readonly consent?: 'accept' | 'cancel';
  /** The code to type on the device code page. */
  readonly deviceCode?: string;
  /** Stop before following a redirect to such a URL (a client's redirect URI nobody serves, say). */
  readonly stopAt?: (url: URL) => boolean;
}

export interface SignInResult {
  /** The redirect that `stopAt` stopped at. */
  readonly redirect?: URL;
  /** The last page: an error page, or what the client's redirect URI answered. */
  readonly last: Visit;
  /** Which pages were shown, in order: `device-code`, `sign-in`, `consent`, `form-post`. */
  readonly pages: readonly string[];
  /** The HTML of each page shown, by its form id. */
  readonly html: Readonly<Record<string, string>>;
}

interface Form {
  readonly id: string;
  readonly action: string;
  readonly fields: Record<string, string>;
}

function unescapeHtml(value: string): string {
  return value.replace(/&(amp|lt|gt|quot|#39);/g, (_, entity: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[entity] ?? '');
}

/** The forms of one of our pages: id, action and hidden fields. */
export function formsOf(html: string): Form[] {
  return [...html.matchAll(/<form id="([\w-]+)" method="post" action="([^"]*)">([\s\S]*?)<\/form>/g)].map((match) => ({
    id: match[1] ?? '',
    action: unescapeHtml(match[2] ?? ''),
    fields: Object.fromEntries([...(match[3] ?? '').matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)].map((input) => [unescapeHtml(input[1] ?? ''), unescapeHtml(input[2] ?? '')])),
  }));
}

/** Values of the submit buttons named `name` on a page (the accounts of the sign-in page, say). */
export function buttonValues(html: string, name: string): string[] {
  return [...html.matchAll(new RegExp(`<button[^>]* name="${name}" value="([^"]*)"`, 'g'))].map((match) => unescapeHtml(match[1] ?? ''));
}

export class HttpBrowser {
  private readonly cookies = new Map<string, Map<string, string>>();

  private cookieHeader(url: URL): string | undefined {
    const jar = this.cookies.get(url.host);
    return jar === undefined || jar.size === 0 ? undefined : [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  private keepCookies(url: URL, response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      if (eq < 0) continue;
      const jar = this.cookies.get(url.host) ?? new Map<string, string>();
      jar.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
      this.cookies.set(url.host, jar);
    }
  }

  /** One request, no redirect followed. */
  async visit(url: URL | string, form?: Record<string, string>): Promise<Visit> {
    const target = new URL(url);
    const headers: Record<string, string> = { accept: 'text/html' };
    const cookie = this.cookieHeader(target);
    if (cookie !== undefined) headers['cookie'] = cookie;
    if (form !== undefined) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      // What a browser sends with a form post from a page whose Referrer-Policy is no-referrer.
      headers['origin'] = 'null';
    }
    const response = await fetch(target, {
      method: form === undefined ? 'GET' : 'POST',
      headers,
      redirect: 'manual',
      ...(form !== undefined && { body: new URLSearchParams(form).toString() }),
    });
    this.keepCookies(target, response);
    const location = response.headers.get('location');
    return { url: target, status: response.status, html: await response.text(), ...(location !== null && { location: new URL(location, target) }) };
  }

  /** Follows redirects and fills in the sign-in and consent pages until `stopAt`, or a page it does not know. */
  async signIn(start: URL | string, choices: SignInChoices = {}): Promise<SignInResult> {
    const pages: string[] = [];
    const html: Record<string, string> = {};
    let visit = await this.visit(start);
    for (let step = 0; step < 20; step++) {
      if (visit.location !== undefined) {
        if (choices.stopAt?.(visit.location) === true) return { redirect: visit.location, last: visit, pages, html };
        visit = await this.visit(visit.location);
        continue;
      }
      const [form] = formsOf(visit.html);
      if (form === undefined) return { last: visit, pages, html };
      pages.push(form.id);
      html[form.id] = visit.html;
      const action = new URL(form.action, visit.url);
      if (form.id === 'sign-in') {
        if (choices.user === undefined) return { last: visit, pages, html };
        visit = await this.visit(action, { ...form.fields, user: choices.user });
      } else if (form.id === 'device-code') {
        // Shown again: the code was refused; typing it twice would not help.
        if (choices.deviceCode === undefined || pages.indexOf('device-code') !== pages.length - 1) return { last: visit, pages, html };
        visit = await this.visit(action, { ...form.fields, code: choices.deviceCode });
      } else if (form.id === 'consent') {
        if (choices.consent === undefined) return { last: visit, pages, html };
        visit = await this.visit(action, { ...form.fields, action: choices.consent });
      } else if (form.id === 'form-post') {
        if (choices.stopAt?.(action) === true) return { redirect: action, last: visit, pages, html };
        visit = await this.visit(action, form.fields);
      } else {
        return { last: visit, pages, html };
      }
    }
    throw new Error('more than 20 steps without reaching the end of the sign-in');
  }
}
