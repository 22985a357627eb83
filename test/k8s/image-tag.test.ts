import { ValidationError } from '../../config';
import { resolveImageTag } from '../../k8s';
import { definitionsWith, environmentOf, serviceOf } from './helpers';

const WEB = 'company-web';

const defs = definitionsWith();

/**
 * Resolves company-web's tag in `envName`, its `image.tag` replaced by `definitionTag` when given
 * (the definitions refuse such tags at load, so the service is changed after loading).
 */
function resolve(envName: string, imageTag?: string, definitionTag: { tag?: string } = {}): string {
  const service = serviceOf(defs, envName, WEB);
  const changed = 'tag' in definitionTag ? { ...service, image: { ...service.image, tag: definitionTag.tag } } : service;
  return resolveImageTag({ environment: environmentOf(defs, envName), service: changed, imageTag });
}

const withoutTag = { tag: undefined };
const withLatest = { tag: 'latest' };

describe('resolveImageTag', () => {
  test("returns the service's image.tag by default", () => {
    expect(resolve('staging')).toBe(serviceOf(defs, 'staging', WEB).image.tag);
    expect(resolve('staging')).toBeTruthy();
  });

  test('prefers the image tag override over image.tag', () => {
    expect(resolve('prod', '3f2c9a1')).toBe('3f2c9a1');
  });

  test('accepts latest in a development environment', () => {
    expect(resolve('dev', 'latest')).toBe('latest');
    expect(resolve('dev', undefined, withLatest)).toBe('latest');
  });

  test('fails when neither image.tag nor an override is set', () => {
    expect(() => resolve('staging', undefined, withoutTag)).toThrow(
      new ValidationError([
        {
          path: 'staging.services.company-web.image',
          message: `'tag' is not set and no image tag was given; pass --image-tag <commit-sha> or pin image.tag`,
        },
      ]),
    );
  });

  test.each([
    ['staging', 'staging'],
    ['prod', 'production'],
  ])('fails when the tag is latest in %s (a %s environment)', (envName, tier) => {
    const expected = new ValidationError([
      {
        path: `${envName}.services.company-web.image`,
        message: `'tag' ("latest") is refused in a ${tier} environment; pin a release tag or pass --image-tag <commit-sha>`,
      },
    ]).message;
    expect(() => resolve(envName, 'latest')).toThrow(expected);
    expect(() => resolve(envName, undefined, withLatest)).toThrow(expected);
  });
});
