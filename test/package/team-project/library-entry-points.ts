/**
 * The team's code on deploykit's library entry points, outside the CLI: the synth engine (deploykit/synth), the
 * check engine with the team's rule (deploykit/policy) and strict validation of the team chart's objects
 * (deploykit/testing). Run with `node --require tsx/cjs library-entry-points.ts <out>`; prints what it saw as
 * JSON for the package test to judge.
 */
import { App } from 'cdk8s';
import { loadDefinitions, stackName } from 'deploykit/config';
import { builtInRules, formatSarif, runCheck } from 'deploykit/policy';
import { loadExtensions, readOutputManifest, synthesize } from 'deploykit/synth';
import { findKubernetesObject, kubernetesObjectProblems, validateKubernetesObject, validateKubernetesObjects, type KubernetesObject } from 'deploykit/testing';
import { catalogue, checkRules } from './deploykit.config';
import { TeamChart } from './team-service';

// The scratch project installs no @types/node: only what this script uses of Node.js.
declare const process: { readonly argv: readonly string[]; readonly stdout: { write(text: string): void } };

const CONFIG = 'deploykit.config.ts';
const outDir = process.argv[2];
const definitions = loadDefinitions(CONFIG);

// deploykit/synth: the team's stack and chart, as `deploykit synth --config` builds them.
const written: string[] = [];
const summaries = synthesize(definitions, { ...loadExtensions(CONFIG), outDir, onEnvironment: ({ name }) => written.push(name) });
const manifest = readOutputManifest(outDir);

// deploykit/policy: the built-in rules and the team's, over the team's output and over deploykit's own chart.
const team = runCheck(definitions, { configFile: CONFIG, environments: ['dev'] });
const withoutTeamChart = runCheck(definitions, { rules: [...builtInRules(), ...checkRules] });
const sarif = JSON.parse(formatSarif(withoutTeamChart)) as { runs: { results: { ruleId: string }[] }[] };

// deploykit/testing: every object of the team's chart validates strictly; a misspelled field does not.
const environment = definitions.environments.find((e) => e.name === 'dev')!;
const chart = new TeamChart(new App(), stackName(definitions.system, environment), { definitions, environment, catalogue });
const objects = chart.toJson() as KubernetesObject[];
validateKubernetesObjects(objects);
const deployment = findKubernetesObject(objects, { kind: 'Deployment', name: Object.keys(catalogue)[0] });
const misspelled = { ...deployment, spec: { ...(deployment.spec as object), replica: 2 } };
let rejection: { readonly name: string; readonly message: string } | undefined;
try {
  validateKubernetesObject(misspelled);
} catch (err) {
  rejection = { name: (err as Error).name, message: (err as Error).message };
}

const findingsOf = (report: typeof team, ruleId: string) => report.findings.filter((f) => f.ruleId === ruleId).map((f) => `${f.environment}/${f.target}`);
process.stdout.write(
  `${JSON.stringify({
    synth: { summaries: summaries.map((s) => ({ name: s.name, files: s.files })), written, manifest },
    policy: {
      teamRuleRan: team.rules.some((r) => r.id === checkRules[0].id),
      teamFindings: findingsOf(team, checkRules[0].id),
      teamErrors: team.findings.filter((f) => f.severity === 'error').map((f) => f.ruleId),
      withoutTeamChartFindings: findingsOf(withoutTeamChart, checkRules[0].id),
      sarifRuleIds: [...new Set(sarif.runs[0].results.map((r) => r.ruleId))],
    },
    testing: {
      validated: objects.length,
      deployment: `${deployment.metadata?.namespace}/${deployment.metadata?.name}`,
      problems: kubernetesObjectProblems(misspelled),
      rejection,
    },
  })}\n`,
);
