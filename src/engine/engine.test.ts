import { beforeAll, describe, expect, it } from 'vitest';
import { loadFixtures, type Fixtures } from '../../tools/testing/bundleFixtures';
import { testBundleDir } from '../../tools/testing/testBundleDir';
import { Engine } from './engine';
import { saeKindOfHook } from './model/hookShapes';
import { checkFixtureParity, describeFailures } from '../../tools/parity/fixtureParity';
import { EngineError, type LoadProgress } from './types';

/** Loading a bundle can be slow on two busy cores (a training run shares them). */
const LOAD_TIMEOUT_MS = 300_000;

describe('Engine on the bundle (Node, wasm)', () => {
  let engine: Engine;
  let fixtures: Fixtures;
  const events: LoadProgress[] = [];

  beforeAll(async () => {
    engine = await Engine.load(testBundleDir(), { backend: 'wasm', onProgress: (p) => events.push(p) });
    fixtures = await loadFixtures(engine.bundle);
  }, LOAD_TIMEOUT_MS);

  it('loads the manifest, tokenizer and model up front, reporting each file, and no SAE yet', () => {
    const { manifest } = engine;
    const done = events.filter((e) => e.status === 'done').map((e) => e.file);
    expect(done).toEqual(expect.arrayContaining(['manifest.json', manifest.tokenizer, manifest.model.onnx]));
    expect(done.some((f) => f.startsWith('saes/'))).toBe(false);
    expect(engine.backend.name).toBe('wasm');
  });

  it('lists the bundle SAEs with their hook, layer and kind', () => {
    const saes = engine.listSaes();
    expect(saes.map((s) => s.id)).toEqual(engine.manifest.saes.map((s) => s.id));
    for (const s of saes) {
      expect(s.source).toBe('bundle');
      expect(s.hookName).toMatch(new RegExp(`^blocks\\.${s.layer}\\.`));
      expect(s.kind).toBe(saeKindOfHook(s.hookName));
    }
  });

  it('tokenizes with BOS first, as the reference run did', () => {
    for (const prompt of fixtures.prompts) {
      const t = engine.tokenize(prompt.text);
      expect(t.ids).toEqual(prompt.tokens);
      expect(t.tokens).toHaveLength(t.ids.length);
      expect(t.truncated).toBe(false);
    }
    expect(engine.tokenize('Hello').tokens[0]).toBe(engine.tokenizer.tokenText(engine.manifest.model.bos_token_id));
  });

  it('cuts text longer than the context to n_ctx tokens and says so', () => {
    const { n_ctx } = engine.manifest.model;
    const t = engine.tokenize('the whale '.repeat(n_ctx));
    expect(t.ids).toHaveLength(n_ctx);
    expect(t.truncated).toBe(true);
    expect(t.nCtx).toBe(n_ctx);
    // exactly full is not truncated
    const exact = engine.tokenizer.decode(t.ids.slice(1));
    expect(engine.tokenize(exact).truncated).toBe(false);
  });

  it('matches every fixture hook, the logits and every SAE activation', async () => {
    const rows = await checkFixtureParity(engine, fixtures);
    expect(rows.length).toBe(fixtures.prompts.length * (fixtures.hooks.length + fixtures.saes.length));
    expect(describeFailures(rows)).toEqual([]);
  }, LOAD_TIMEOUT_MS);

  it('downloads an SAE on first use, with progress events', async () => {
    const id = engine.manifest.saes[0]!.id;
    const files = events.filter((e) => e.file.startsWith(`${engine.manifest.saes[0]!.path}/`)).map((e) => e.file);
    expect(new Set(files)).toEqual(new Set([`saes/${id}/cfg.json`, `saes/${id}/sae_weights.safetensors`]));
  });

  it("reports an SAE's downloads to the caller that first uses it, and downloads it once", async () => {
    const fresh = await Engine.load(testBundleDir(), { backend: 'wasm' });
    const info = fresh.manifest.saes.at(-1)!;
    const heard: LoadProgress[] = [];
    await fresh.featureActs([0, 1], info.id, (p) => heard.push(p));
    expect(new Set(heard.filter((p) => p.status === 'done').map((p) => p.file))).toEqual(
      new Set([`${info.path}/cfg.json`, `${info.path}/sae_weights.safetensors`]),
    );
    const again: LoadProgress[] = [];
    await fresh.featureActs([0, 1, 2], info.id, (p) => again.push(p));
    expect(again).toEqual([]);
  }, LOAD_TIMEOUT_MS);

  it('answers an unknown SAE id with the ids it knows', async () => {
    await expect(engine.featureActs([0, 1], 'nope')).rejects.toThrow(/There is no SAE "nope"\. Known SAEs: .*L0-resid-topk/);
  });

  it('encodes several SAEs from one model run, as each would alone', async () => {
    const ids = fixtures.prompts[0]!.tokens;
    const saeIds = engine.manifest.saes.map((s) => s.id);
    const all = await engine.featureActsAll(ids, saeIds);
    expect([...all.keys()]).toEqual(saeIds);
    for (const id of saeIds) {
      const alone = await engine.featureActs(ids, id);
      expect(all.get(id)!.dSae).toBe(alone.dSae);
      expect(Array.from(all.get(id)!.acts)).toEqual(Array.from(alone.acts));
    }
  });

  it("adds the reader's SAE after checking it fits, and removes it again", async () => {
    const bundled = await engine.sae(engine.manifest.saes[0]!.id);
    const mine = { ...bundled, id: 'mine', title: 'My SAE' };
    await engine.addSae(mine);
    expect(engine.listSaes().at(-1)).toMatchObject({ id: 'mine', source: 'user', hookName: bundled.hookName, dSae: bundled.dSae });
    const ids = fixtures.prompts[0]!.tokens;
    const [a, b] = await Promise.all([engine.featureActs(ids, 'mine'), engine.featureActs(ids, bundled.id)]);
    expect(Array.from(a.acts)).toEqual(Array.from(b.acts));
    engine.removeSae('mine');
    expect(engine.listSaes().some((s) => s.id === 'mine')).toBe(false);
  });

  it("refuses an SAE that does not fit the model's hooks", async () => {
    const bundled = await engine.sae(engine.manifest.saes[0]!.id);
    const wrongWidth = { ...bundled, id: 'wide', dIn: bundled.dIn * 2 };
    await expect(engine.addSae(wrongWidth)).rejects.toThrow(/has d_in \d+, but hook "[^"]+" of this model holds \d+ floats per token/);
    const wrongHook = { ...bundled, id: 'far', hookName: 'blocks.40.hook_resid_post' };
    const err = await engine.addSae(wrongHook).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EngineError);
    expect((err as Error).message).toMatch(/reads hook "blocks\.40\.hook_resid_post", which this model does not expose/);
    await expect(engine.addSae({ ...bundled })).rejects.toThrow(/already has an SAE/);
  });

  it('loads W_U and friends only when asked', async () => {
    const before = events.filter((e) => e.file === engine.manifest.model.weights).length;
    expect(before).toBe(0);
    const w = await engine.modelWeights();
    expect(w.W_U.length).toBe(engine.manifest.model.d_model * engine.manifest.model.d_vocab);
    expect(await engine.modelWeights()).toBe(w);
  });
});
