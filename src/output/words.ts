/** "1 bot", "2 bots": a count with its noun, for messages a person reads. */
export function plural(n: number, noun: string, many = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : many}`;
}
