/** The part of tsne-js (no types of its own) that bench/tsne.ts uses. */
declare module 'tsne-js' {
  export default class TSNE {
    constructor(options: { dim: number; perplexity: number; earlyExaggeration: number; learningRate: number; nIter: number; metric: string });
    init(input: { data: number[][]; type: 'dense' }): void;
    run(): [number, number];
    getOutput(): number[][];
  }
}
