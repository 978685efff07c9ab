/**
 * How a token's text is drawn wherever tokens are shown: whitespace stays visible (a token of spaces
 * must not vanish), a newline is shown as a mark followed by a real line break, and a token holding
 * part of a character shows its bytes as the tokenizer spells them (\xF0\x9F), never escaped again.
 */
export interface DisplayToken {
  text: string;
  /** start a new line after this token */
  breaksLine: boolean;
}

export function displayToken(token: string): DisplayToken {
  const breaksLine = token.includes('\n');
  let text = token.replace(/\r?\n/g, '↵').replace(/\t/g, '⇥');
  if (text.length > 0 && text.trim() === '' ) text = text.replace(/ /g, '·');
  if (text === '') text = '∅';
  return { text, breaksLine };
}

/** A token in quotes, as lists and tooltips name it ("on “ the”"): the strip's text, not a JSON escape. */
export function quotedToken(token: string): string {
  return `“${displayToken(token).text}”`;
}

/** What a reader is told of a special token: it is a marker the model reads, not text. */
export const SPECIAL_TOKEN_NOTE = 'special token, not text';
