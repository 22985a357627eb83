"""Reads YAML files with PyYAML (a YAML 1.1 reader like kubectl's) and prints their documents as JSON.

Usage: python3 yaml11-read.py FILE...   prints {"FILE": [document, ...], ...}
A file PyYAML refuses exits 3 with the reader's message on stderr.
"""
import json
import sys

import yaml

result = {}
for path in sys.argv[1:]:
    with open(path, 'rb') as handle:
        data = handle.read()
    try:
        result[path] = [doc for doc in yaml.safe_load_all(data.decode('utf-8')) if doc is not None]
    except yaml.YAMLError as err:
        sys.stderr.write(f'{path}: {err}\n')
        sys.exit(3)
json.dump(result, sys.stdout)
