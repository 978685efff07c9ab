/**
 * The Hugging Face model in what the reader dropped or picked: the folder holding config.json (a
 * folder dropped whole, a parent of it, or the loose files), and of it only the files the engine
 * reads — a Hub folder also holds pytorch_model.bin, tf_model.h5 and the like, never read nor kept.
 */
import { EngineError } from '../errors/engineError';
import type { UserSaeFile } from '../worker/protocol';

const CONFIG = 'config.json';
/** What the engine reads of a GPT-2 folder; which of them are missing, it says. */
const MODEL_FILES = [CONFIG, 'model.safetensors', 'tokenizer.json'];
/** The name of loose files, given without their folder. */
const LOOSE_NAME = 'dropped-model';

export interface GivenModel {
  /** the folder's name, as the address and the header show it */
  name: string;
  /** the files the engine reads, by their name inside the folder */
  files: UserSaeFile[];
}

const nameOf = (path: string) => path.split('/').pop()!;
const folderOf = (path: string) => path.split('/').slice(0, -1).join('/');

/** Whether a drop holds a model rather than an SAE (whose configuration is a cfg.json). */
export function holdsModel(files: readonly UserSaeFile[]): boolean {
  return files.some((f) => nameOf(f.path) === CONFIG);
}

export function givenModel(files: readonly UserSaeFile[]): GivenModel {
  const configs = files.filter((f) => nameOf(f.path) === CONFIG);
  if (configs.length === 0) {
    const names = files.map((f) => nameOf(f.path));
    throw new EngineError(
      `None of the files you gave is a ${CONFIG} (${names.length > 3 ? `${names.slice(0, 3).join(', ')} and ${names.length - 3} more` : names.join(', ') || 'no file'}): ` +
        `a Hugging Face GPT-2 model is a folder holding ${MODEL_FILES.join(', ')}. Give that folder, or those three files.`,
      CONFIG,
      'not-found',
    );
  }
  if (configs.length > 1) {
    throw new EngineError(
      `Several folders you gave hold a ${CONFIG} (${configs.map((c) => folderOf(c.path) || 'the top').join(', ')}): give one model’s folder at a time.`,
      CONFIG,
    );
  }
  const folder = folderOf(configs[0]!.path);
  const inFolder = files.filter((f) => folderOf(f.path) === folder && MODEL_FILES.includes(nameOf(f.path)));
  // The name goes in the address and names a folder URL: letters, digits, '.', '_' and '-' only.
  const name = (folder.split('/').pop() || LOOSE_NAME).replace(/[^\w.-]+/g, '-');
  return { name, files: inFolder.map((f) => ({ path: nameOf(f.path), file: f.file })) };
}
