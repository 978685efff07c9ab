/**
 * Runs one job at a time and keeps at most one waiting: a job submitted while another runs replaces
 * the waiting one, which is dropped unrun. Typing produces a request per pause; only the newest
 * text matters, so stale requests must not queue up behind the running one.
 */
export class LatestOnly<Job> {
  private running = false;
  /** the newest waiting job of each lane, in the order the lanes started waiting */
  private readonly waiting = new Map<string, Job>();

  constructor(
    private readonly run: (job: Job) => Promise<void>,
    private readonly drop: (job: Job) => void,
    /** called when `run` throws; the next job still runs */
    private readonly fail: (job: Job, err: unknown) => void,
    /** jobs of different lanes never replace each other (one view's typing must not drop another's job) */
    private readonly laneOf: (job: Job) => string = () => '',
  ) {}

  submit(job: Job): void {
    if (!this.running) {
      void this.start(job);
      return;
    }
    const lane = this.laneOf(job);
    const older = this.waiting.get(lane);
    if (older !== undefined) {
      this.drop(older);
      this.waiting.delete(lane);
    }
    this.waiting.set(lane, job);
  }

  /** Drops the waiting jobs, if any (the running one finishes). */
  clear(): void {
    for (const job of this.waiting.values()) this.drop(job);
    this.waiting.clear();
  }

  private async start(job: Job): Promise<void> {
    this.running = true;
    try {
      await this.run(job);
    } catch (err) {
      this.fail(job, err);
    } finally {
      this.running = false;
      const next = this.waiting.entries().next();
      if (!next.done) {
        this.waiting.delete(next.value[0]);
        void this.start(next.value[1]);
      }
    }
  }
}
