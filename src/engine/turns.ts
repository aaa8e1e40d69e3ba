/**
 * At most `max` tasks at a time; the others wait their turn, first come first served. A set of
 * jobs reads their new events this way: each read holds its pages until they are in order, and
 * fifty jobs catching up on a thousand events each, all at once, would hold them all together.
 */
export class Turns {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly max: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.max) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.running++;
    try {
      return await task();
    } finally {
      // The turn passes straight to the next in line, or is given back.
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}
