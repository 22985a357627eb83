/**
 * The openAPIV3Schema of the SecretProviderClass kind (`secrets-store.csi.x-k8s.io/v1`), restated from
 * the CRD the Secrets Store CSI Driver publishes (kubernetes-sigs/secrets-store-csi-driver,
 * config/crd/bases/secrets-store.csi.x-k8s.io_secretproviderclasses.yaml, chart and driver 1.6.0,
 * commit 0aad886f70e94a6037325f4eaba4660338dde448): the same fields and types, descriptions left out.
 * The CRD leaves `metadata` open and the API server prunes unknown fields silently, so the tests
 * validate stricter than the server: every object closed (`additionalProperties: false`) and
 * `metadata` limited to what deploykit writes.
 */
export const SECRET_PROVIDER_CLASS_V1_SCHEMA = {
  type: 'object',
  required: ['apiVersion', 'kind', 'metadata', 'spec'],
  additionalProperties: false,
  properties: {
    apiVersion: { const: 'secrets-store.csi.x-k8s.io/v1' },
    kind: { const: 'SecretProviderClass' },
    metadata: {
      type: 'object',
      required: ['name', 'namespace'],
      additionalProperties: false,
      properties: {
        name: { type: 'string', pattern: '^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$', maxLength: 253 },
        namespace: { type: 'string', pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$', maxLength: 63 },
        labels: { type: 'object', additionalProperties: { type: 'string' } },
        annotations: { type: 'object', additionalProperties: { type: 'string' } },
      },
    },
    spec: {
      type: 'object',
      additionalProperties: false,
      properties: {
        parameters: { type: 'object', additionalProperties: { type: 'string' } },
        provider: { type: 'string' },
        secretObjects: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            properties: {
              annotations: { type: 'object', additionalProperties: { type: 'string' } },
              data: {
                type: 'array',
                items: {
                  type: 'object',
                  additionalProperties: false,
                  properties: { key: { type: 'string' }, objectName: { type: 'string' } },
                },
              },
              labels: { type: 'object', additionalProperties: { type: 'string' } },
              secretName: { type: 'string' },
              type: { type: 'string' },
            },
          },
        },
      },
    },
    status: { type: 'object' },
  },
} as const;
