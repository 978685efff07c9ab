/**
 * Feature explanations (labels written by people or by auto-interpretation), read from JSON in the
 * shape Neuronpedia exports them — a list of objects naming a feature by "index" (or "feature",
 * number or numeric string) with its text in "description" (or "explanation") — or as a plain
 * object mapping index → text. Other fields (modelId, layer, typeName, scores…) are ignored.
 *
 *   [{ "modelId": "explorer-4l", "layer": "L2-resid-topk", "index": "17", "description": "years" }]
 *   { "17": "years", "18": "the word 'Lord'" }
 *
 * When a feature has several explanations the first is kept.
 */
import { EngineError } from '../errors/engineError';

export type Explanations = Map<number, string>;

export function parseExplanations(json: unknown, source: string, dSae?: number): Explanations {
  const fail = (what: string): never => {
    throw new EngineError(
      `${source}: ${what} Expected a list of {"index": 12, "description": "…"} objects (Neuronpedia's export) or {"12": "…"}.`,
      source,
    );
  };
  const out: Explanations = new Map();
  const add = (rawIndex: unknown, rawText: unknown, at: string) => {
    const index = typeof rawIndex === 'string' && /^\d+$/.test(rawIndex.trim()) ? Number(rawIndex) : rawIndex;
    if (typeof index !== 'number' || !Number.isInteger(index) || index < 0) fail(`${at} names no feature index (found ${JSON.stringify(rawIndex)}).`);
    if (dSae !== undefined && (index as number) >= dSae) fail(`${at} names feature ${index as number}, but the SAE has features 0–${dSae - 1}.`);
    if (typeof rawText !== 'string' || rawText.trim() === '') fail(`${at} has no text ("description" or "explanation").`);
    if (!out.has(index as number)) out.set(index as number, (rawText as string).trim());
  };
  const list = Array.isArray(json)
    ? json
    : typeof json === 'object' && json !== null && Array.isArray((json as { explanations?: unknown }).explanations)
      ? ((json as { explanations: unknown[] }).explanations)
      : null;
  if (list) {
    list.forEach((item, i) => {
      if (typeof item !== 'object' || item === null) fail(`entry ${i} is not an object.`);
      const o = item as Record<string, unknown>;
      add(o.index ?? o.feature, o.description ?? o.explanation, `entry ${i}`);
    });
  } else if (typeof json === 'object' && json !== null) {
    for (const [key, text] of Object.entries(json)) add(key, text, `key "${key}"`);
  } else {
    fail('it is neither a list nor an object.');
  }
  return out;
}
