// Reads one XML part of an Office file as a stream of tags and text (htmlparser2 in XML mode), chunk by chunk as it
// inflates, so neither the part nor a string of it is ever whole in memory, and reading can stop once enough is read.
import type { OpenZip } from './openZip.js';

export interface XmlHandlers {
  /** A start tag, its name without namespace prefix (`w:t` → `t`), its attributes as written. */
  readonly open?: (name: string, attributes: Readonly<Record<string, string>>) => void;
  readonly close?: (name: string) => void;
  readonly text?: (text: string) => void;
}

/** `w:t` → `t`: the parts name elements with the prefixes their writer chose. */
export const localName = (name: string): string => name.slice(name.indexOf(':') + 1);

/**
 * Parses part `name` of `zip` with `handlers` until `done()` answers true after a chunk; false when there is no
 * such part. Throws what `OpenZip.stream` throws.
 */
export async function readXmlPart(zip: OpenZip, name: string, handlers: XmlHandlers, done: () => boolean = () => false): Promise<boolean> {
  const { Parser } = await import('htmlparser2');
  const parser = new Parser({
    ...(handlers.open !== undefined && { onopentag: (tag: string, attributes: Record<string, string>) => handlers.open?.(localName(tag), attributes) }),
    ...(handlers.close !== undefined && { onclosetag: (tag: string) => handlers.close?.(localName(tag)) }),
    ...(handlers.text !== undefined && { ontext: handlers.text }),
  }, { xmlMode: true, decodeEntities: true });
  const decoder = new TextDecoder('utf-8');
  const found = await zip.stream(name, (chunk) => {
    parser.write(decoder.decode(chunk, { stream: true }));
    return done();
  });
  if (found && !done()) parser.end(decoder.decode());
  return found;
}

/** The relationships of part `name` (its `_rels/<file>.rels`): id → { type, target as a part name }. */
export async function relationshipsOf(zip: OpenZip, name: string): Promise<Map<string, { readonly type: string; readonly target: string }>> {
  const slash = name.lastIndexOf('/');
  const folder = name.slice(0, slash + 1);
  const relations = new Map<string, { type: string; target: string }>();
  await readXmlPart(zip, `${folder}_rels/${name.slice(slash + 1)}.rels`, {
    open: (tag, attributes) => {
      if (tag !== 'Relationship' || attributes['TargetMode'] === 'External') return;
      const { Id: id, Type: type = '', Target: target } = attributes;
      if (id !== undefined && target !== undefined) relations.set(id, { type, target: resolvePart(folder, target) });
    },
  });
  return relations;
}

/** A relationship's target as a part name: relative to `folder`, or from the package root when it starts with `/`. */
function resolvePart(folder: string, target: string): string {
  const segments = (target.startsWith('/') ? target.slice(1) : folder + target).split('/');
  const resolved: string[] = [];
  for (const segment of segments) {
    if (segment === '..') resolved.pop();
    else if (segment !== '.' && segment !== '') resolved.push(segment);
  }
  return resolved.join('/');
}
