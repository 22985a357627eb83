/**
 * GitHub Actions the workflow uses, pinned to full commit SHAs (a tag can be moved; a commit cannot).
 * The version each SHA was released as is written next to it as a comment in the workflow.
 */

/** A GitHub Action pinned to a commit. */
export interface ActionPin {
  /** `owner/repo` of the action, or `owner/repo/path` of an action in a subdirectory. */
  readonly action: string;
  /** Full 40-character commit SHA. */
  readonly sha: string;
  /** The release tag the SHA belongs to, for readers and update tools. */
  readonly version: string;
}

/** Every action the generated workflow uses. Update SHA and version together. */
export const ACTION_PINS = {
  checkout: { action: 'actions/checkout', sha: '11bd71901bbe5b1630ceea73d27597364c9af683', version: 'v4.2.2' },
  setupNode: { action: 'actions/setup-node', sha: '49933ea5288caeca8642d1e84afbd3f7d6820020', version: 'v4.4.0' },
  cache: { action: 'actions/cache', sha: '5a3ec84eff668545956fd18022155c47e93e2684', version: 'v4.2.3' },
  uploadArtifact: { action: 'actions/upload-artifact', sha: 'ea165f8d65b6e75b540449e92b4886f43607fa02', version: 'v4.6.2' },
  downloadArtifact: { action: 'actions/download-artifact', sha: 'd3f86a106a0bac45b974a628896c90dbdf5c8093', version: 'v4.3.0' },
  configureAwsCredentials: {
    action: 'aws-actions/configure-aws-credentials',
    sha: 'b47578312673ae6fa5b5096b330d9fbac3d116df',
    version: 'v4.2.1',
  },
  setupTerraform: { action: 'hashicorp/setup-terraform', sha: 'b9cd54a3c349d3f38e8881555d616ced269862dd', version: 'v3.1.2' },
  uploadSarif: { action: 'github/codeql-action/upload-sarif', sha: '8aad20d150bbac5944a9f9d289da16a4b0d87c1e', version: 'v4.36.2' },
} as const satisfies Record<string, ActionPin>;

/** The `uses:` value of a pinned action: `owner/repo@<sha>`. */
export function uses(pin: ActionPin): string {
  return `${pin.action}@${pin.sha}`;
}

/** The version comment of a `uses:` value, when it is one of {@link ACTION_PINS}. */
export function pinVersion(usesValue: string): string | undefined {
  return Object.values(ACTION_PINS).find((pin) => uses(pin) === usesValue)?.version;
}
