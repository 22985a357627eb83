/**
 * Jest matchers for both layers: `toContainKubernetesObject`, `toBeValidKubernetesObject` (strict) and
 * `toHaveTerraformResource`. Register them with `setupMatchers(expect)`, or `import 'deploykit/testing/jest'`.
 */
import type { TerraformStack } from '../infra/vendor/terraform';
import { describeQuery, findKubernetesObjects, kubernetesObjectId, type KubernetesObject, type KubernetesObjectQuery } from './kubernetes-object';
import { kubernetesObjectProblems, type KubernetesValidationOptions } from './kubernetes-validation';
import { resourcesAt, resourcesOf, terraformJsonOf, type TfJson } from './terraform-json';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- the shape @types/jest declares
  namespace jest {
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-unused-vars -- must repeat @types/jest's type parameters
    interface Matchers<R, T = {}> {
      /** The array of objects holds exactly one object matching `query` (kind, and name/namespace/apiVersion when given). */
      toContainKubernetesObject(query: KubernetesObjectQuery): R;
      /** The object validates strictly against its Kubernetes schema: types, required fields, no unknown field. */
      toBeValidKubernetesObject(options?: KubernetesValidationOptions): R;
      /**
       * The stack (or its Terraform JSON) has a resource of `type`, at construct path `path` (without `Resource`
       * parts) when given, with at least `properties` (snake_case, compared recursively) when given.
       */
      toHaveTerraformResource(type: string, path?: string, properties?: Record<string, unknown>): R;
    }
  }
}

/** The part of jest's `expect` the matchers need. */
export interface ExpectWithExtend {
  /** Adds the matchers to `expect` (jest's `expect.extend`). */
  extend(matchers: Record<string, (this: MatcherContext, received: unknown, ...args: never[]) => MatcherResult>): void;
  /** An asymmetric matcher of an object with at least `properties` (jest's `expect.objectContaining`). */
  objectContaining(properties: Record<string, unknown>): unknown;
}

/** The part of jest's matcher context the matchers use. */
export interface MatcherContext {
  readonly isNot: boolean;
  /** Deep equality as jest's `toEqual` compares, asymmetric matchers included. */
  equals(a: unknown, b: unknown): boolean;
  /** Printing of values for failure messages. */
  readonly utils: {
    /** `value` formatted as the expected side of a failure message. */
    printExpected(value: unknown): string;
    /** `value` formatted as the received side of a failure message. */
    printReceived(value: unknown): string;
  };
}

/** What a matcher returns. */
export interface MatcherResult {
  readonly pass: boolean;
  /** The failure message, built only when jest prints it. */
  message(): string;
}

/** Registers deploykit's matchers on `expect`. */
export function setupMatchers(expect: ExpectWithExtend): void {
  expect.extend({
    toContainKubernetesObject(this: MatcherContext, received: unknown, query: KubernetesObjectQuery): MatcherResult {
      if (!Array.isArray(received)) return { pass: false, message: () => `expected an array of Kubernetes objects, received ${this.utils.printReceived(received)}` };
      const found = findKubernetesObjects(received as KubernetesObject[], query);
      const among = (received as KubernetesObject[]).map(kubernetesObjectId).join(', ');
      return {
        pass: found.length === 1,
        message: () =>
          this.isNot
            ? `expected no ${describeQuery(query)}, found ${found.map(kubernetesObjectId).join(', ')}`
            : `expected one ${describeQuery(query)}, found ${found.length} among ${among || '(no objects)'}`,
      };
    },

    toBeValidKubernetesObject(this: MatcherContext, received: unknown, options?: KubernetesValidationOptions): MatcherResult {
      const problems = kubernetesObjectProblems(received, options);
      return {
        pass: problems.length === 0,
        message: () =>
          problems.length === 0
            ? `expected ${kubernetesObjectId(received as KubernetesObject)} to break its schema, it is valid`
            : `expected a valid Kubernetes object:\n${problems.map((p) => `${p.object}: ${p.path || '(object)'}: ${p.message}`).join('\n')}`,
      };
    },

    toHaveTerraformResource(this: MatcherContext, received: unknown, type: string, path?: string, properties?: Record<string, unknown>): MatcherResult {
      const json = terraformJsonOf(received as TerraformStack | TfJson | string);
      const candidates = path === undefined ? resourcesOf(json, type) : resourcesAt(json, type, path);
      const where = path === undefined ? type : `${type} at ${path}`;
      const names = Object.keys(candidates);
      const matching = properties === undefined ? names : names.filter((n) => this.equals(candidates[n], expect.objectContaining(properties)));
      return {
        pass: matching.length > 0,
        message: () => {
          if (this.isNot) return `expected no ${where}${properties ? ` with ${this.utils.printExpected(properties)}` : ''}, found ${matching.map((n) => `${type}.${n}`).join(', ')}`;
          if (names.length === 0) return `expected a ${where}, found none; ${type} resources: ${Object.keys(resourcesOf(json, type)).join(', ') || '(none)'}`;
          return `expected a ${where} with ${this.utils.printExpected(properties)}, found ${names
            .map((n) => `${type}.${n}: ${this.utils.printReceived(candidates[n])}`)
            .join('\n')}`;
        },
      };
    },
  });
}
