/**
 * Runs the pipeline step scripts as CI would: in a temporary working directory, with the real `kubectl`,
 * `terraform` and `curl` of this machine. `aws`, `docker` and `gh` are recording stand-ins: the AWS APIs
 * (STS, EKS, ECR) and a docker daemon or GitHub cannot run here. The stand-ins keep a small ECR model
 * (repositories → tag → digest) in a JSON file so the image scripts can be tested end to end, and
 * `aws eks update-kubeconfig` writes a kubeconfig pointing at the test's loopback Kubernetes API server,
 * authenticating with the assumed role's name as bearer token (so access can differ per role).
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { tempDir } from '../support/synth';

export const SCRIPTS_DIR = join(__dirname, '../../pipelines/scripts');

/** Tools replaced by recording stand-ins, and why. */
export const STAND_IN_TOOLS = ['aws', 'docker', 'gh'] as const;

/**
 * One stand-in for the three tools (node, so it can keep JSON state). Each call appends
 * `<tool> <argv>` to $STANDIN_LOG. `STANDIN_FAIL` holds `<tool> <substring>`: a matching call exits 1.
 */
const STAND_IN = `#!/usr/bin/env node
const fs = require('node:fs');
const path = require('node:path');
const tool = path.basename(process.argv[1]);
const args = process.argv.slice(2);
fs.appendFileSync(process.env.STANDIN_LOG, tool + ' ' + args.join(' ') + '\\n');
const fail = process.env.STANDIN_FAIL;
if (fail && fail.startsWith(tool + ' ') && (' ' + args.join(' ') + ' ').includes(fail.slice(tool.length + 1))) process.exit(1);
const option = (name) => { const i = args.indexOf(name); return i < 0 ? undefined : args[i + 1]; };
const ecrFile = process.env.STANDIN_ECR;
const ecr = () => (fs.existsSync(ecrFile) ? JSON.parse(fs.readFileSync(ecrFile, 'utf8')) : {});
const saveEcr = (state) => fs.writeFileSync(ecrFile, JSON.stringify(state, null, 2));
const command = tool + ' ' + args.slice(0, 2).join(' ');
if (command === 'aws sts assume-role-with-web-identity') {
  console.log(option('--role-arn').split('/').pop() + ' fakeSecretKey fakeSessionToken');
} else if (command === 'aws ecr get-login-password') {
  console.log('fakeRegistryPassword');
} else if (command === 'aws eks update-kubeconfig') {
  const server = process.env.STANDIN_KUBE_SERVER || 'https://127.0.0.1:1';
  const tls = process.env.STANDIN_KUBE_CA ? 'certificate-authority-data: ' + process.env.STANDIN_KUBE_CA : 'insecure-skip-tls-verify: true';
  const token = process.env.AWS_ACCESS_KEY_ID || 'anonymous';
  fs.writeFileSync(option('--kubeconfig'), [
    'apiVersion: v1', 'kind: Config',
    'clusters: [{ name: ' + option('--name') + ', cluster: { server: "' + server + '", ' + tls + ' } }]',
    'users: [{ name: ci, user: { token: "' + token + '" } }]',
    'contexts: [{ name: ci, context: { cluster: ' + option('--name') + ', user: ci } }]',
    'current-context: ci', ''].join('\\n'));
} else if (command === 'aws ecr describe-images' || command === 'aws ecr batch-get-image') {
  // --registry-id <account> --repository-name <repo> --image-ids imageTag=<tag>
  const repo = ecr()[option('--registry-id') + '/' + option('--repository-name')] || {};
  const tag = option('--image-ids').replace('imageTag=', '');
  if (!repo[tag]) {
    console.error('An error occurred (ImageNotFoundException): The image with imageId {imageTag:\\'' + tag + '\\'} does not exist');
    process.exit(254);
  }
  if (command === 'aws ecr describe-images') console.log(repo[tag]);
  else console.log(JSON.stringify({ digest: repo[tag] }));
} else if (command === 'aws ecr put-image') {
  const state = ecr();
  const key = option('--registry-id') + '/' + option('--repository-name');
  const tag = option('--image-tag');
  const digest = JSON.parse(option('--image-manifest')).digest;
  state[key] = state[key] || {};
  if (state[key][tag] && state[key][tag] !== digest) {
    console.error('An error occurred (ImageTagAlreadyExistsException): tag ' + tag + ' is immutable and already points at ' + state[key][tag]);
    process.exit(254);
  }
  state[key][tag] = digest;
  saveEcr(state);
} else if (command === 'docker buildx imagetools') {
  // imagetools create --tag <host>/<repo>:<tag> <host>/<repo>@<digest> | imagetools inspect <ref> --format ...
  const ref = (r) => { const m = /^(\\d+)\\.dkr\\.ecr\\.[^/]+\\/([^:@]+)[:@](.+)$/.exec(r); return { key: m[1] + '/' + m[2], ref: m[3] }; };
  const state = ecr();
  if (args[2] === 'create') {
    const target = ref(option('--tag'));
    const source = ref(args[args.length - 1]);
    if (!Object.values(state[source.key] || {}).includes(source.ref)) { console.error('ERROR: ' + args[args.length - 1] + ': not found'); process.exit(1); }
    state[target.key] = state[target.key] || {};
    state[target.key][target.ref] = source.ref;
    saveEcr(state);
  } else if (args[2] === 'inspect') {
    const target = ref(args[3]);
    const digest = (state[target.key] || {})[target.ref];
    if (!digest) { console.error('ERROR: ' + args[3] + ': not found'); process.exit(1); }
    console.log(digest);
  }
}
if (args.includes('--password-stdin')) fs.readFileSync(0);
`;

/** Result of one script run. */
export interface ScriptRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** The stand-in calls, one `<tool> <argv>` per line, in order. */
  readonly calls: string[];
}

/** The kubectl the tests run: DEPLOYKIT_TEST_KUBECTL (e.g. a kubectl 1.20 binary) or the one on PATH. */
export function kubectlBinary(): string {
  const chosen = process.env.DEPLOYKIT_TEST_KUBECTL;
  if (chosen) return chosen;
  const found = spawnSync('sh', ['-c', 'command -v kubectl'], { encoding: 'utf8' }).stdout.trim();
  if (!found) {
    throw new Error(
      'kubectl is not on PATH: the pipeline script tests run the real kubectl against a loopback API server. ' +
        'Install it (Debian: apt-get install kubernetes-client; .ci/run does this) or set DEPLOYKIT_TEST_KUBECTL.',
    );
  }
  return found;
}

/** A temporary working directory with the stand-ins first on PATH, then the machine's tools. */
export class ScriptWorkspace {
  readonly dir = tempDir('deploykit-scripts-');
  readonly ecrFile = join(this.dir, 'ecr.json');
  private readonly bin = join(this.dir, 'bin');
  private readonly log = join(this.dir, 'calls.log');

  /** Environment variables for every run, with `STANDIN_KUBE_SERVER`/`STANDIN_KUBE_CA` of `cluster` when given. */
  constructor(
    private readonly env: Record<string, string> = {},
    cluster?: { readonly url: string; readonly certificate: string },
  ) {
    if (cluster) {
      this.env = { ...env, STANDIN_KUBE_SERVER: cluster.url, STANDIN_KUBE_CA: Buffer.from(cluster.certificate).toString('base64') };
    }
    mkdirSync(this.bin);
    for (const tool of STAND_IN_TOOLS) {
      writeFileSync(join(this.bin, tool), STAND_IN);
      chmodSync(join(this.bin, tool), 0o755);
    }
    if (process.env.DEPLOYKIT_TEST_KUBECTL) symlinkSync(process.env.DEPLOYKIT_TEST_KUBECTL, join(this.bin, 'kubectl'));
  }

  /** Creates a file (and its directories) inside the working directory. */
  file(path: string, content = ''): string {
    mkdirSync(dirname(join(this.dir, path)), { recursive: true });
    writeFileSync(join(this.dir, path), content);
    return join(this.dir, path);
  }

  /** Adds a tool to the front of PATH, for a test that replaces one more command (say why there). */
  tool(name: string, script: string): void {
    writeFileSync(join(this.bin, name), script);
    chmodSync(join(this.bin, name), 0o755);
  }

  /** The ECR model of the stand-ins: `<account>/<repository>` → tag → digest. */
  get ecr(): Record<string, Record<string, string>> {
    return existsSync(this.ecrFile) ? JSON.parse(readFileSync(this.ecrFile, 'utf8')) : {};
  }

  set ecr(state: Record<string, Record<string, string>>) {
    writeFileSync(this.ecrFile, JSON.stringify(state));
  }

  /** Runs a script of `pipelines/scripts/` (or any command line with `{ command }`) asynchronously. */
  run(script: string | { command: string }, args: readonly string[] = [], env: Record<string, string> = {}): Promise<ScriptRun> {
    writeFileSync(this.log, '');
    const [file, argv] =
      typeof script === 'string' ? [join(SCRIPTS_DIR, script), args] : ['bash', ['-c', script.command, 'bash', ...args]];
    const child = spawn(file, argv, {
      cwd: this.dir,
      env: {
        PATH: `${this.bin}:${process.env.PATH}`,
        HOME: this.dir,
        STANDIN_LOG: this.log,
        STANDIN_ECR: this.ecrFile,
        DEPLOYKIT_POLL_SECONDS: '0.1',
        ...this.env,
        ...env,
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    return new Promise((resolve) => {
      child.on('close', (code) => {
        const calls = readFileSync(this.log, 'utf8').split('\n').filter(Boolean);
        resolve({ code: code ?? -1, stdout, stderr, calls });
      });
    });
  }
}
