/**
 * How a token's text is drawn in the strip: whitespace stays visible (a token of spaces must not
 * vanish), and a newline is shown as a mark followed by a real line break.
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
