/**
 * How the generated CI jobs reach deploykit: from a checkout of deploykit's own repository (its built
 * bin and its step scripts in the checkout), or as an npm package installed in a team's repository.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';

/**
 * `repository`: the jobs run in a checkout of deploykit itself (`npm ci && npm run build`,
 * `node bin/deploykit.js`, scripts in `pipelines/scripts`). `package`: deploykit is a dependency of the
 * repository (`npm ci`, `npx --no-install deploykit`, scripts in `node_modules/deploykit/pipelines/scripts`).
 */
export type DeploykitSource = 'repository' | 'package';

/** Where the step scripts are, relative to the repository root, for each source. */
export const STEP_SCRIPTS_DIR: Record<DeploykitSource, string> = {
  repository: 'pipelines/scripts',
  package: 'node_modules/deploykit/pipelines/scripts',
};

/** deploykit's name on npm, and in its own package.json. */
const PACKAGE_NAME = 'deploykit';

/**
 * How the pipelines of the repository at `projectRoot` reach deploykit: `package` when this deploykit
 * runs from a `node_modules` directory, or when `projectRoot` has a package.json naming another
 * package (deploykit linked into a team's repository); otherwise `repository`.
 */
export function detectDeploykitSource(projectRoot: string, deploykitRoot: string | undefined = ownPackageRoot()): DeploykitSource {
  if (deploykitRoot !== undefined && resolve(deploykitRoot).split(sep).includes('node_modules')) return 'package';
  const name = packageName(projectRoot);
  return name !== undefined && name !== PACKAGE_NAME ? 'package' : 'repository';
}

/** The directory of the package.json of the deploykit this code belongs to, or undefined when not found. */
export function ownPackageRoot(): string | undefined {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    if (packageName(dir) === PACKAGE_NAME) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

/** The `name` of `dir/package.json`, or undefined when there is none (or it has no string name). @throws Error when the file is not JSON */
function packageName(dir: string): string | undefined {
  const file = join(dir, 'package.json');
  if (!existsSync(file)) return undefined;
  let manifest: { name?: unknown };
  try {
    manifest = JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown };
  } catch (err) {
    throw new Error(`${file}: not valid JSON (${(err as Error).message}); fix the file, or set the pipeline option deploykit`);
  }
  return typeof manifest.name === 'string' ? manifest.name : undefined;
}
