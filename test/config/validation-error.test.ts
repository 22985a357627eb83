import { Construct, RootConstruct } from 'constructs';
import { ConfigError, propIssue, throwIfInvalidProps, ValidationError } from '../../config';

class Widget extends Construct {}

describe('ValidationError', () => {
  it('lists every issue once, by path, under a heading that counts them', () => {
    const err = new ValidationError([
      { path: 'prod.services.web', message: "'replicas' (0) must be >= 1; raise it" },
      { path: 'prod.services.web', message: "'replicas' (0) must be >= 1; raise it" },
      { path: 'dev', message: "'region' (\"us-mars-1\") is not an AWS region; use one of …" },
    ]);
    expect(err.issues).toHaveLength(2);
    expect(err.message).toBe(
      'invalid environment definitions (2 problems):\n' +
        "  - prod.services.web: 'replicas' (0) must be >= 1; raise it\n" +
        '  - dev: \'region\' ("us-mars-1") is not an AWS region; use one of …',
    );
    expect(err.name).toBe('ValidationError');
  });

  it('is the class ConfigError names, so existing instanceof checks keep working', () => {
    expect(new ValidationError([{ path: 'a', message: 'b' }])).toBeInstanceOf(ConfigError);
    expect(ConfigError).toBe(ValidationError);
  });
});

describe('propIssue / throwIfInvalidProps', () => {
  const root = new RootConstruct('');
  const widget = new Widget(new Construct(root, 'prod'), 'company-web');

  it('names the construct path, the field, the value, the rule and the fix', () => {
    const issue = propIssue(widget, { field: 'autoscaling.maxReplicas', value: 0, rule: 'must be a whole number >= 1', fix: 'raise it' });
    expect(issue).toEqual({
      path: 'prod/company-web',
      constructPath: 'prod/company-web',
      field: 'autoscaling.maxReplicas',
      value: 0,
      fix: 'raise it',
      message: "'autoscaling.maxReplicas' (0) must be a whole number >= 1; raise it",
    });
  });

  it('throws every problem of a construct at once, and nothing when there is none', () => {
    expect(() => throwIfInvalidProps(widget, [])).not.toThrow();
    const issues = [
      propIssue(widget, { field: 'containerPort', value: 70000, rule: 'must be a port from 1 to 65535', fix: 'use the port the process listens on' }),
      propIssue(widget, { field: 'namespace', value: 'default', rule: 'is refused', fix: 'give the service its own namespace' }),
    ];
    let thrown: unknown;
    try {
      throwIfInvalidProps(widget, issues);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(ValidationError);
    const err = thrown as ValidationError;
    expect(err.issues.map((i) => i.field)).toEqual(['containerPort', 'namespace']);
    expect(err.message.split('\n')[0]).toBe('invalid props of Widget prod/company-web (2 problems):');
    expect(err.message).toContain(`prod/company-web: 'namespace' ("default") is refused; give the service its own namespace`);
  });
});
