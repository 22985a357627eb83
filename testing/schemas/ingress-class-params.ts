/**
 * The schema of IngressClassParams (`eks.amazonaws.com/v1`), closed: every object rejects unknown fields.
 *
 * IngressClassParams of EKS Auto Mode (apiVersion eks.amazonaws.com/v1, cluster-scoped). No upstream CRD
 * repository publishes this schema; it is written from the fields the Amazon EKS User Guide documents:
 * https://docs.aws.amazon.com/eks/latest/userguide/auto-configure-alb.html (sections 'IngressClassParams
 * Reference' and 'IngressClassParams' comparison table; source awsdocs/amazon-eks-user-guide
 * latest/ug/automode/auto-configure-alb.adoc). Shapes the page does not spell out (subnets.matchTags, listeners)
 * are left out, so they are rejected like every unknown field.
 */
export const INGRESS_CLASS_PARAMS_V1_SCHEMA = {
  "type": "object",
  "additionalProperties": false,
  "required": [
    "apiVersion",
    "kind",
    "metadata",
    "spec"
  ],
  "properties": {
    "apiVersion": {
      "const": "eks.amazonaws.com/v1"
    },
    "kind": {
      "const": "IngressClassParams"
    },
    "metadata": {
      "type": "object",
      "additionalProperties": false,
      "required": [
        "name"
      ],
      "properties": {
        "name": {
          "type": "string",
          "pattern": "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$",
          "maxLength": 253
        },
        "labels": {
          "type": "object",
          "additionalProperties": {
            "type": "string"
          }
        },
        "annotations": {
          "type": "object",
          "additionalProperties": {
            "type": "string"
          }
        }
      }
    },
    "spec": {
      "type": "object",
      "additionalProperties": false,
      "properties": {
        "scheme": {
          "enum": [
            "internal",
            "internet-facing"
          ]
        },
        "ipAddressType": {
          "enum": [
            "ipv4",
            "dualstack"
          ]
        },
        "namespaceSelector": {
          "type": "object",
          "additionalProperties": false,
          "properties": {
            "matchLabels": {
              "type": "object",
              "additionalProperties": {
                "type": "string"
              }
            },
            "matchExpressions": {
              "type": "array",
              "items": {
                "type": "object",
                "additionalProperties": false,
                "required": [
                  "key",
                  "operator"
                ],
                "properties": {
                  "key": {
                    "type": "string"
                  },
                  "operator": {
                    "enum": [
                      "In",
                      "NotIn",
                      "Exists",
                      "DoesNotExist"
                    ]
                  },
                  "values": {
                    "type": "array",
                    "items": {
                      "type": "string"
                    }
                  }
                }
              }
            }
          }
        },
        "group": {
          "type": "object",
          "additionalProperties": false,
          "required": [
            "name"
          ],
          "properties": {
            "name": {
              "type": "string",
              "pattern": "^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$",
              "maxLength": 63
            }
          }
        },
        "subnets": {
          "type": "object",
          "additionalProperties": false,
          "properties": {
            "ids": {
              "type": "array",
              "minItems": 1,
              "items": {
                "type": "string",
                "pattern": "^subnet-[0-9a-f]+$"
              }
            }
          }
        },
        "certificateARNs": {
          "type": "array",
          "items": {
            "type": "string",
            "pattern": "^arn:aws[a-z-]*:acm:"
          }
        },
        "tags": {
          "type": "array",
          "items": {
            "type": "object",
            "additionalProperties": false,
            "required": [
              "key",
              "value"
            ],
            "properties": {
              "key": {
                "type": "string"
              },
              "value": {
                "type": "string"
              }
            }
          }
        },
        "loadBalancerAttributes": {
          "type": "array",
          "items": {
            "type": "object",
            "additionalProperties": false,
            "required": [
              "key",
              "value"
            ],
            "properties": {
              "key": {
                "type": "string"
              },
              "value": {
                "type": "string"
              }
            }
          }
        }
      }
    }
  }
} as const;
