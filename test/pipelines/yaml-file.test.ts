import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { toYamlFile } from '../../pipelines/yaml-file';
import { tempDir } from '../support/synth';
import { readYaml11 } from '../support/yaml11';

describe('toYamlFile', () => {
  test('a YAML 1.1 reader (PyYAML) reads strings with characters it refuses raw or reads as line breaks identically', () => {
    const strings = ['a\u0085b', 'x\u2028---\u2028y', 'p\u2029q', 'd\u007fe', '\u0080\u009f', '\u0000\u001b', '\ufffe\uffff', '\ufeffbom', 'plain'];
    const value = { job: { script: strings, variables: { 'KEY\u0085': 'v', NOTE: 'n\u2028m' } } };
    const file = join(tempDir(), 'pipeline.yml');
    const text = toYamlFile(value);
    writeFileSync(file, text);
    expect(readYaml11([file])[file]).toEqual([value]);
    expect(parse(text)).toEqual(value);
    expect(text).toContain('- "a\\u0085b"');
    expect(text).toContain('- plain\n');
  });

  test('refuses a lone surrogate instead of writing a replacement character', () => {
    expect(() => toYamlFile({ job: { script: ['a\ud800'] } })).toThrow(
      'a pipeline value holds a lone UTF-16 surrogate, which cannot be written as UTF-8; remove it from the definitions',
    );
  });
});
