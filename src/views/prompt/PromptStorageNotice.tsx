import { usePromptStorage, type PromptKeeping } from '../../state/promptStorage';

const count = (n: number) => n.toLocaleString('en-US');

function message(keeping: PromptKeeping): string {
  switch (keeping.kind) {
    case 'cut':
      return `This text has ${count(keeping.chars)} characters, more than this browser lets the page store. It is analysed, and kept whole while this page stays open, but only its first ${count(keeping.kept)} characters would come back after a reload: keep a copy elsewhere.`;
    case 'cut-earlier':
      return `Your last text had ${count(keeping.chars)} characters, more than this browser lets the page store: only its first ${count(keeping.kept)} characters were kept, shown here. The rest was lost when the page closed.`;
    case 'unsaved':
      return `This browser refused to store your text of ${count(keeping.chars)} characters (${keeping.reason}). It is analysed, and kept while this page stays open, but would be lost on a reload: keep a copy elsewhere.`;
  }
}

/** Says when the prompt could not be kept whole in this browser, and what a reload would bring back. */
export function PromptStorageNotice() {
  const keeping = usePromptStorage((s) => s.keeping);
  if (keeping === null) return null;
  return (
    <p className="notice" role="status" data-testid="prompt-storage-notice">
      <strong>{keeping.kind === 'cut-earlier' ? 'Text cut when it was kept.' : 'Text too long to keep.'}</strong> {message(keeping)}
    </p>
  );
}
