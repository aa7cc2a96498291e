// .docx files whose zip directory lies: small to download, far larger once inflated, written field by field.
import { constants, deflateRawSync } from 'node:zlib';
import JSZip from 'jszip';
import { buildDocx } from '../../../sandbox/graph/filesRoutes.js';

const MIB = 1024 * 1024;

/** A raw deflate stream of `mebibytes` MiB of zeros, about 1 KiB per MiB: one flushed block, repeated. */
export function deflatedZeros(mebibytes: number): Buffer {
  const block = deflateRawSync(Buffer.alloc(MIB), { level: 9, finishFlush: constants.Z_FULL_FLUSH });
  return Buffer.concat([...Array<Buffer>(mebibytes).fill(block), deflateRawSync(Buffer.alloc(0))]);
}

export interface ZipPart {
  readonly name: string;
  /** The bytes as stored: raw deflate for method 8, the content for method 0. */
  readonly data: Buffer;
  readonly method: 0 | 8;
  /** The uncompressed size both headers claim. */
  readonly declaredSize: number;
}

/** A zip of `parts` exactly as given: local headers, data, central directory, end record (CRCs left 0: no reader here checks them). */
export function zipOf(parts: readonly ZipPart[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const part of parts) {
    const name = Buffer.from(part.name, 'utf8');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(part.method, 8);
    local.writeUInt32LE(part.data.length, 18);
    local.writeUInt32LE(part.declaredSize, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(part.method, 10);
    central.writeUInt32LE(part.data.length, 20);
    central.writeUInt32LE(part.declaredSize, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, part.data);
    centrals.push(central, name);
    offset += local.length + name.length + part.data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** The parts of a real .docx, stored, with `replace` swapped in (by name) or added. */
export async function docxWith(replace: readonly ZipPart[]): Promise<Buffer> {
  const docx = await JSZip.loadAsync(await buildDocx(['A document with a bomb inside.']));
  const parts: ZipPart[] = [];
  for (const [name, file] of Object.entries(docx.files)) {
    if (file.dir || replace.some((part) => part.name === name)) continue;
    const data = await file.async('nodebuffer');
    parts.push({ name, data, method: 0, declaredSize: data.length });
  }
  return zipOf([...parts, ...replace]);
}
