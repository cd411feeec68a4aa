#!/usr/bin/env node
import { main } from '../dist/cli/index.js';

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`hygiene: unexpected error: ${error && error.stack ? error.stack : error}\n`);
    process.exitCode = 2;
  },
);
