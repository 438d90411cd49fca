#!/usr/bin/env node
import { main } from '../dist/cli/main.js';

// Output piped into a command that stops reading early (`lasttouch query ... | head`) is not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

const code = await main(process.argv);
process.exitCode = code;
// The command is done once its output is flushed: a timer a library left behind (nodemailer's greeting
// timeout on a connection the server had already closed) must not keep it alive for another 20 s.
await Promise.all([process.stdout, process.stderr].map((stream) => new Promise((done) => stream.write('', done))));
process.exit(code);
