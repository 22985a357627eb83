/**
 * The same definitions, stack and rules without the team's chart: deploykit's own chart renders the catalogue
 * services, so their objects lack the owner label and the team's rule reports them.
 */
export { default, stack, checkRules } from './deploykit.config';
