/** Closing a CRD's openAPIV3Schema: objects with properties reject unknown fields; maps and preserved subtrees stay open. */
import { compileCrdSchema, strictCrdSchema, validateKubernetesObject } from '../../testing';

const widgetSchema = {
  type: 'object',
  properties: {
    apiVersion: { type: 'string' },
    kind: { type: 'string' },
    metadata: { type: 'object' },
    spec: {
      type: 'object',
      required: ['size'],
      properties: {
        size: { type: 'integer', format: 'int32' },
        port: { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] },
        labels: { type: 'object', additionalProperties: { type: 'string' } },
        raw: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, properties: { known: { type: 'string' } } },
      },
    },
  },
};

describe('strictCrdSchema', () => {
  test('closes objects with properties and keeps maps, free-form and preserved objects open', () => {
    const strict = strictCrdSchema(widgetSchema) as any;
    expect(strict.additionalProperties).toBe(false);
    expect(strict.properties.spec.additionalProperties).toBe(false);
    expect(strict.properties.metadata.additionalProperties).toBeUndefined();
    expect(strict.properties.spec.properties.labels.additionalProperties).toEqual({ type: 'string' });
    expect(strict.properties.spec.properties.raw.additionalProperties).toBeUndefined();
    expect((widgetSchema.properties.spec as any).additionalProperties).toBeUndefined();
  });

  test('compiles to a validator that names unknown and missing fields', () => {
    const check = compileCrdSchema(widgetSchema);
    const widget = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } };
    expect(check({ ...widget, spec: { size: 1, port: 'http', labels: { any: 'x' }, raw: { anything: [1] } } })).toEqual([]);
    expect(check({ ...widget, spec: { sise: 1 } })).toEqual([
      { path: ['spec', 'size'], message: 'required field is missing' },
      { path: ['spec', 'sise'], message: "unknown field 'sise' (not in the schema); remove it or correct its spelling" },
    ]);
  });

  test('validates a custom resource given its schema in the option crdSchemas', () => {
    const widget = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'team' }, spec: { size: 1, colour: 'red' } };
    expect(() => validateKubernetesObject(widget, { crdSchemas: { 'example.com/v1/Widget': widgetSchema } })).toThrow(
      "Widget/team/w: spec.colour: unknown field 'colour' (not in the schema); remove it or correct its spelling",
    );
  });
});
