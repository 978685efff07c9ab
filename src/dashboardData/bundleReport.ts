/**
 * What a bundle's report.json says of each SAE's quality (scripts/evaluate-bundle.ts measured it on
 * the held-out text with the engine itself): L0, FVU, dead and dense latents, and the cross-entropy
 * loss recovered when the SAE's reconstruction replaces its hook. Only the figures the views show are
 * read, each checked.
 */
import { EngineError } from '../errors/engineError';

export interface Figure {
  value: number;
  /** 95 % bootstrap interval over sequences */
  lo: number;
  hi: number;
}

export interface SaeQuality {
  id: string;
  /** held-out tokens measured */
  tokens: number;
  l0: Figure;
  fvu: Figure;
  deadPct: number;
  densePct: number;
  ceClean: Figure;
  ceSpliced: Figure;
  ceRecoveredPct: Figure;
}

export interface BundleReport {
  /** held-out sequences the figures cover */
  sequences: number;
  saes: SaeQuality[];
}

type Json = Record<string, unknown>;

export function parseBundleReport(json: unknown, source: string): BundleReport {
  const fail = (what: string): never => {
    throw new EngineError(`${source}: ${what} Evaluate the bundle again (npm run evaluate -- <bundle>).`, source);
  };
  const object = (v: unknown, at: string): Json => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : fail(`${at} must be an object.`));
  const number = (v: unknown, at: string): number => (typeof v === 'number' && Number.isFinite(v) ? v : fail(`${at} must be a number.`));
  const figure = (v: unknown, at: string): Figure => {
    const o = object(v, at);
    return { value: number(o.value, `${at}.value`), lo: number(o.lo, `${at}.lo`), hi: number(o.hi, `${at}.hi`) };
  };
  const root = object(json, 'the file');
  if (root.evaluation === undefined) throw new EngineError(`${source} has no evaluation: the bundle's SAEs were never measured on its held-out text.`, source, 'not-found');
  const evaluation = object(root.evaluation, 'evaluation');
  const saes = Array.isArray(evaluation.saes) ? evaluation.saes : fail('evaluation.saes must be a list.');
  return {
    sequences: number(evaluation.sequences, 'evaluation.sequences'),
    saes: saes.map((s, i) => {
      const at = `evaluation.saes[${i}]`;
      const o = object(s, at);
      const overall = object(o.overall, `${at}.overall`);
      return {
        id: typeof o.id === 'string' ? o.id : fail(`${at}.id must be a string.`),
        tokens: number(overall.tokens, `${at}.overall.tokens`),
        l0: figure(overall.l0, `${at}.overall.l0`),
        fvu: figure(overall.fvu, `${at}.overall.fvu`),
        deadPct: number(overall.deadPct, `${at}.overall.deadPct`),
        densePct: number(overall.densePct, `${at}.overall.densePct`),
        ceClean: figure(overall.ceClean, `${at}.overall.ceClean`),
        ceSpliced: figure(overall.ceSpliced, `${at}.overall.ceSpliced`),
        ceRecoveredPct: figure(overall.ceRecoveredPct, `${at}.overall.ceRecoveredPct`),
      };
    }),
  };
}
