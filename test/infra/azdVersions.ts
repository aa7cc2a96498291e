// Which Bicep each azd release compiles with, and the azd floor azure.yaml declares, for the version drift tests.
import { parse } from 'yaml';
import { readRepoText } from './infraFiles.js';

/**
 * From each of these azd releases on, the Bicep it downloads for itself and never goes below (the `Version` of azd's
 * cli/azd/pkg/tools/bicep/bicep.go; the changelog says "Update Bicep CLI to ..."). Read from azd's source up to
 * `AZD_KNOWN_THROUGH`; a later azd may bring a newer Bicep than the last row says.
 */
export const AZD_BICEP: readonly (readonly [azd: string, bicep: string])[] = [
  ['1.17.0', '0.36.1'],
  ['1.18.0', '0.36.177'],
  ['1.18.1', '0.37.4'],
  ['1.20.0', '0.38.33'],
  ['1.22.0', '0.39.26'],
  ['1.23.8', '0.41.2'],
  ['1.23.15', '0.42.1'],
  ['1.25.1', '0.43.8'],
  ['1.25.6', '0.44.1'],
  ['1.28.1', '0.45.15'],
];
export const AZD_KNOWN_THROUGH = '1.31.2';

/** Compares dotted versions numerically: negative when `a` is older. */
export function compareVersions(a: string, b: string): number {
  const left = a.split('.').map(Number);
  const right = b.split('.').map(Number);
  for (let index = 0; index < Math.max(left.length, right.length); index++) {
    const difference = (left[index] ?? 0) - (right[index] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}

/** The Bicep `azd` compiles with, or undefined when the table cannot say (before 1.17.0 or after AZD_KNOWN_THROUGH). */
export function bicepOfAzd(azd: string): string | undefined {
  if (compareVersions(azd, AZD_KNOWN_THROUGH) > 0) return undefined;
  return AZD_BICEP.filter(([release]) => compareVersions(release, azd) <= 0).at(-1)?.[1];
}

/** The x.y.z of azure.yaml's `requiredVersions.azd: '>= x.y.z'`, or undefined when it has another form. */
export function azdFloor(): string | undefined {
  const azureYaml = parse(readRepoText('azure.yaml') ?? '') as { requiredVersions?: Record<string, unknown> };
  return /^>=\s*(\d+\.\d+\.\d+)$/.exec(String(azureYaml.requiredVersions?.['azd']))?.[1];
}
