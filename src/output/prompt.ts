import { createInterface } from 'node:readline';
import { Writable, type Readable } from 'node:stream';

/** Asks for a secret on a terminal without echoing it. */
export function promptHidden(question: string, input: Readable, output: Writable): Promise<string> {
  return new Promise((resolve, reject) => {
    let muted = false;
    const sink = new Writable({
      write(chunk, _encoding, done) {
        if (!muted) output.write(chunk);
        done();
      },
    });
    const rl = createInterface({ input, output: sink, terminal: true });
    rl.question(question, (answer) => {
      rl.close();
      output.write('\n');
      resolve(answer.trim());
    });
    muted = true;
    rl.on('SIGINT', () => {
      rl.close();
      reject(new Error('cancelled'));
    });
  });
}

export async function readAll(input: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of input) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}
