/**
 * Turns on the engine's model session, first come first served. A session must not run two graphs
 * at once (ORT's WebGPU backend refuses), and a corpus pass that needs the model for minutes gives
 * its turn back between batches, so that the prompt's analyses waiting meanwhile still get through.
 */
export class EngineTurns {
  private held = false;
  private readonly waiting: (() => void)[] = [];

  /** Resolves once it is this caller's turn, with the function that ends it (call it once). */
  take(): Promise<() => void> {
    return new Promise((resolve) => {
      const grant = () => {
        let ended = false;
        resolve(() => {
          if (ended) return;
          ended = true;
          this.next();
        });
      };
      if (this.held) {
        this.waiting.push(grant);
      } else {
        this.held = true;
        grant();
      }
    });
  }

  /** Runs `work` in a turn of its own. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    const end = await this.take();
    try {
      return await work();
    } finally {
      end();
    }
  }

  private next(): void {
    const grant = this.waiting.shift();
    if (grant) grant();
    else this.held = false;
  }
}
