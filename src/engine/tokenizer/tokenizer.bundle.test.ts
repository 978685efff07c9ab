import { beforeAll, describe, expect, it } from 'vitest';
import { Bundle } from '../bundle/bundle';
import { loadFixtures, loadTokenizerLines, type Fixtures, type TokenizerLine } from '../../../tools/testing/bundleFixtures';
import { testBundleDir } from '../../../tools/testing/testBundleDir';
import { Tokenizer } from './tokenizer';

/** Loading a bundle can be slow on two busy cores (a training run shares them). */
const LOAD_TIMEOUT_MS = 300_000;

describe("the bundle's tokenizer.json against the Python tokenizer that trained the model", () => {
  let tokenizer: Tokenizer;
  let lines: TokenizerLine[];
  let fixtures: Fixtures;
  let bundle: Bundle;

  beforeAll(async () => {
    bundle = await Bundle.open(testBundleDir());
    tokenizer = Tokenizer.fromJson(await bundle.json(bundle.manifest.tokenizer), bundle.manifest.tokenizer);
    fixtures = await loadFixtures(bundle);
    lines = await loadTokenizerLines(bundle, fixtures);
  }, LOAD_TIMEOUT_MS);

  it('gives exactly the same ids on every held-out line', () => {
    expect(lines.length).toBeGreaterThan(0);
    const mismatches = lines.filter((line) => {
      const ids = tokenizer.encode(line.text);
      return ids.length !== line.ids.length || ids.some((id, i) => id !== line.ids[i]);
    });
    expect(mismatches.map((l) => l.text.slice(0, 80)), `${mismatches.length} of ${lines.length} lines differ`).toEqual([]);
  });

  it('decodes every held-out line back to its text', () => {
    for (const line of lines) expect(tokenizer.decode(line.ids)).toBe(line.text);
  });

  it("tokenizes the fixture prompts as the model's reference run did (BOS first)", () => {
    const bos = bundle.manifest.model.bos_token_id;
    for (const prompt of fixtures.prompts) expect([bos, ...tokenizer.encode(prompt.text)]).toEqual(prompt.tokens);
  });
});
