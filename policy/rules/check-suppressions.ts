/** The check's own rule: a suppression must match a finding, or it hides nothing and should go. */
import type { ProjectRule } from '../types';

/** DK-CHK-001, reported by the engine for suppressions that matched nothing. */
export const unusedSuppressionRule: ProjectRule = {
  id: 'DK-CHK-001',
  name: 'UnusedSuppression',
  scope: 'project',
  severity: 'warning',
  layer: 'check',
  title: 'Every suppression matches a finding',
  fix: "remove the suppression, or correct its 'rule' or 'target' (targets are shown by `deploykit check`)",
  upstream: [],
  helpUri: 'https://github.com/company/deploykit/blob/main/docs/check.md#suppressions',
  check: () => [],
};
