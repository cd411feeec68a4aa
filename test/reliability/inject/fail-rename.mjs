// Loaded with `node --import` by os-errors.test.ts: the rename onto a file whose name ends with
// HYGIENE_TEST_FAIL_RENAME fails with EIO, to show that the output set is rolled back.
import fs from 'node:fs';

const target = process.env.HYGIENE_TEST_FAIL_RENAME ?? '';
const rename = fs.promises.rename;
fs.promises.rename = async function (from, to) {
  if (target && String(to).endsWith(target) && !String(from).endsWith('.old')) {
    throw Object.assign(new Error(`EIO: i/o error, rename '${from}' -> '${to}'`), {
      errno: -5,
      code: 'EIO',
      syscall: 'rename',
      path: String(from),
      dest: String(to),
    });
  }
  return rename.call(this, from, to);
};
