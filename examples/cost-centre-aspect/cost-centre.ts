/** The organisation's cost-centre key and the rule for its value, shared by the Terraform and Kubernetes sides. */

/** Tag key (Terraform) and label key (Kubernetes) carrying the cost centre. */
export const COST_CENTRE_KEY = 'cost-centre';

/** A value valid both as an AWS tag value and a Kubernetes label value. */
const COST_CENTRE_REGEX = /^(?=.{1,63}$)[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/** Fails unless `costCentre` is usable as a tag and a label value. */
export function checkCostCentre(costCentre: string): void {
  if (!COST_CENTRE_REGEX.test(costCentre)) {
    throw new Error(
      `'costCentre' (${JSON.stringify(costCentre)}) is not a valid label value; use at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit`,
    );
  }
}
