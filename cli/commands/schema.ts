import { definitionsJsonSchema } from '../../config';
import type { Command } from '../main';

/** `deploykit schema`: the JSON Schema of the definitions, for editors and JSON/YAML files. */
export const schemaCommand: Command = {
  summary: 'print the JSON Schema of the environment definitions',
  usage: `Usage: deploykit schema

Prints the JSON Schema (draft 2020-12) of the definitions. Reference it from a YAML file with
'# yaml-language-server: $schema=deploykit.schema.json' or from JSON with "$schema".`,
  options: {},
  run() {
    process.stdout.write(`${JSON.stringify(definitionsJsonSchema(), null, 2)}\n`);
    return 0;
  },
};
