// NODE_EXTRA_CA_CERTS for a dev-mode process: the user's own extra CAs (a corporate proxy's, say) plus this run's certificate.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface CaBundle {
  /** The file to set NODE_EXTRA_CA_CERTS to. */
  readonly path: string;
  /** Set when the user's own file could not be read (it is then left out, as Node itself would). */
  readonly warning?: string;
}

/**
 * Writes `dir/ca-bundle.pem`: the user's NODE_EXTRA_CA_CERTS file, if any, then our certificate. Node
 * reads one file only, so replacing the variable would drop the user's CAs (and with them, say, the
 * proxy that reaches Entra); adding to it keeps them.
 */
export function extraCaBundle(userPath: string | undefined, ourCertPath: string, dir: string): CaBundle {
  const ours = readFileSync(ourCertPath, 'utf8');
  let theirs = '';
  let warning: string | undefined;
  if (userPath !== undefined && userPath !== '') {
    try {
      theirs = readFileSync(userPath, 'utf8');
    } catch (error) {
      warning = `NODE_EXTRA_CA_CERTS=${userPath} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}); only the dev certificate is trusted in addition to Node's own`;
    }
  }
  const path = join(dir, 'ca-bundle.pem');
  const parts = [theirs, ours].filter((part) => part.trim() !== '').map((part) => (part.endsWith('\n') ? part : `${part}\n`));
  writeFileSync(path, parts.join(''));
  return { path, ...(warning !== undefined && { warning }) };
}
