// The yardstick of `acksim audit` in npm run bench: read a JSON Lines file in chunks with fs, split the lines
// on \n by hand, JSON.parse each one and touch its fields, nothing more. Run as its own process on the same
// file (node bench/bare-audit.js FILE); prints the lines read and a checksum of the fields as JSON.
import { closeSync, openSync, readSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';

const fd = openSync(process.argv[2], 'r');
const buffer = Buffer.allocUnsafe(1 << 18);
const decoder = new StringDecoder('utf8');
let carry = '';
let lines = 0;
let sum = 0;
const parse = (line) => {
  if (line === '') return;
  const record = JSON.parse(line);
  lines++;
  // Each field read, so the parse cannot be skipped.
  sum += record.ts + record.id.length + record.type.charCodeAt(0);
};
for (;;) {
  const bytesRead = readSync(fd, buffer, 0, buffer.length, null);
  if (bytesRead === 0) break;
  const text = carry + decoder.write(buffer.subarray(0, bytesRead));
  let start = 0;
  for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', start)) {
    parse(text.slice(start, end));
    start = end + 1;
  }
  carry = text.slice(start);
}
parse(carry + decoder.end());
closeSync(fd);
console.log(JSON.stringify({ lines, sum }));
