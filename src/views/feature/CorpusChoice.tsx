import type { CorpusInfo } from '../../engine/analysis/heldoutCorpus';
import { formatCount } from '../../format/numbers';
import { useCorpusStore } from '../../state/corpusStore';
import { useDropZone } from '../byo/useDropZone';

/** "the held-out corpus of explorer-4l", "the held-out text of …, re-tokenised for this model", "your text (notes.txt)". */
export function corpusName(info: CorpusInfo): string {
  if (info.origin === 'reader') return `your text (${info.name})`;
  if (info.origin === 'text') return `the held-out text of ${info.name}, re-tokenised for this model`;
  return `the held-out corpus of ${info.name}`;
}

/**
 * Which corpus the panels run over, and the way to run them over the reader's own plain text
 * instead: pick .txt files, or drop them on this box (each file one document). A refused file is
 * said here and the corpus stays as it was.
 */
export function CorpusChoice() {
  const { info, status, error } = useCorpusStore();
  const take = (files: File[]) => files.length > 0 && void useCorpusStore.getState().use(files);
  // A drop here is a corpus (a dropped folder's files each a document), not SAE files for the page.
  const drop = useDropZone((dropped) => take(dropped.map((d) => d.file)));
  const reading = status === 'reading';

  return (
    <div className={`corpus-choice${drop.dragging ? ' corpus-choice--dragging' : ''}`} data-testid="corpus-choice" {...drop.handlers}>
      <p className="corpus-choice__what" data-testid="corpus-in-use" aria-live="polite">
        {reading
          ? 'Reading the corpus…'
          : info
            ? `Corpus: ${corpusName(info)} · ${formatCount(info.nSeqs)} sequences of ${info.seqLen} tokens.`
            : 'No held-out corpus yet.'}
      </p>
      {error && (
        <p className="inline-error" role="alert" data-testid="corpus-choice-error">
          {error.title}: {error.message}
        </p>
      )}
      <div className="corpus-control__row">
        <label className="button button--small button--ghost button--file">
          Use your own text…
          <input
            type="file"
            multiple
            accept=".txt,text/plain"
            className="visually-hidden"
            data-testid="corpus-file-input"
            disabled={reading}
            onChange={(e) => {
              take([...(e.target.files ?? [])]);
              e.target.value = '';
            }}
          />
        </label>
        {info?.origin === 'reader' && (
          <button type="button" className="button button--small button--ghost" disabled={reading} onClick={() => void useCorpusStore.getState().use(null)} data-testid="corpus-reset">
            Back to the held-out corpus
          </button>
        )}
        <span className="muted">or drop plain-text files here; each is a document</span>
      </div>
    </div>
  );
}
