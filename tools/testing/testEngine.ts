/** Node tests: the engine on the test bundle (wasm), with the bundle's reference fixtures. */
import { Engine } from '../../src/engine/engine';
import { loadFixtures, type Fixtures } from './bundleFixtures';
import { testBundleDir } from './testBundleDir';

export async function loadTestEngine(): Promise<{ engine: Engine; fixtures: Fixtures }> {
  const engine = await Engine.load(testBundleDir(), { backend: 'wasm' });
  return { engine, fixtures: await loadFixtures(engine.bundle) };
}
