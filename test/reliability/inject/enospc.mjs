// Loaded with `node --import` by os-errors.test.ts: makes every file write fail with ENOSPC
// after HYGIENE_TEST_ENOSPC_AFTER bytes, as a full disk does, without filling one.
import fs from 'node:fs';

let budget = Number(process.env.HYGIENE_TEST_ENOSPC_AFTER ?? '0');
const enospc = () => Object.assign(new Error('ENOSPC: no space left on device, write'), { errno: -28, code: 'ENOSPC', syscall: 'write' });
const spend = (fd, bytes) => {
  if (fd <= 2) return true;
  budget -= bytes;
  return budget >= 0;
};

const write = fs.write;
fs.write = function (fd, buffer, ...rest) {
  const callback = rest[rest.length - 1];
  if (!spend(fd, buffer.length ?? 0)) return process.nextTick(callback, enospc());
  return write.call(this, fd, buffer, ...rest);
};
const writev = fs.writev;
fs.writev = function (fd, buffers, ...rest) {
  const callback = rest[rest.length - 1];
  const bytes = buffers.reduce((sum, b) => sum + b.length, 0);
  if (!spend(fd, bytes)) return process.nextTick(callback, enospc());
  return writev.call(this, fd, buffers, ...rest);
};
