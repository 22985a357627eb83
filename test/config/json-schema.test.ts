import Ajv2020 from 'ajv/dist/2020';
import { definitionsJsonSchema, exampleDefinitions } from '../../config';
import { exampleInput } from '../support/synth';

describe('definitionsJsonSchema', () => {
  const validate = new Ajv2020({ strict: false, allErrors: true }).compile(definitionsJsonSchema());

  test('accepts the shipped example', () => {
    expect(validate(structuredClone(exampleDefinitions))).toBe(true);
  });

  test('rejects a broken definition: wrong types, bad formats and unknown fields', () => {
    const input = exampleInput();
    input.environments[0].account = 42;
    input.services['company-web'].resources.requests.cpu = '500 m';
    input.environments[2].services['company-web'].replica = 3;
    expect(validate(input)).toBe(false);
    const paths = validate.errors!.map((e) => `${e.instancePath} ${e.keyword}`);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/environments/0/account type',
        '/services/company-web/resources/requests/cpu pattern',
        '/environments/2/services/company-web additionalProperties',
      ]),
    );
  });

  test('documents fields and defaults for editors', () => {
    const text = JSON.stringify(definitionsJsonSchema());
    expect(text).toContain('@default 50');
    expect(text).toContain('"default":"ap-east-1"');
  });
});
