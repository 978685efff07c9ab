/**
 * Token background colours. We use ColorBrewer's PuOr diverging scale, which stays distinguishable
 * under the common colour-vision deficiencies: positive activations shade towards orange, negative
 * ones (signed SAEs such as abstopk) towards purple, and an exact zero leaves the token unshaded.
 * Darker means stronger, so the strip also reads in greyscale.
 */
import { interpolatePuOr, rgb } from 'd3';

export interface TokenColors {
  background: string;
  /** a text colour readable on `background` */
  text: string;
}

const DARK_TEXT = '#1d2330';
const LIGHT_TEXT = '#ffffff';
/** For mid-tone backgrounds where neither of the two above reaches AA; with white, it covers every background. */
const BLACK_TEXT = '#000000';
/** WCAG 2.2 AA's minimum contrast for normal-size text. */
export const AA_CONTRAST = 4.5;

/** Where `value` sits on the scale, 0.5 being zero; `scaleMax` (> 0) maps to the scale's ends. */
export function scalePosition(value: number, scaleMax: number): number {
  if (!(scaleMax > 0)) return 0.5;
  const r = Math.max(-1, Math.min(1, value / scaleMax));
  return 0.5 + 0.5 * r;
}

export function activationColor(value: number, scaleMax: number): TokenColors {
  // Unshaded, the token reads in the page's own text colour (light on the embeds' dark theme).
  if (value === 0 || !(scaleMax > 0)) return { background: 'transparent', text: 'var(--text)' };
  const background = interpolatePuOr(scalePosition(value, scaleMax));
  return { background, text: readableText(background) };
}

/**
 * The text colour for a background: the page's dark text where it reaches AA, else white, else black
 * (white or black always reaches 4.58:1 at least, whatever the background).
 */
export function readableText(background: string): string {
  for (const text of [DARK_TEXT, LIGHT_TEXT]) if (contrastRatio(text, background) >= AA_CONTRAST) return text;
  return BLACK_TEXT;
}

/** WCAG contrast ratio of two CSS colours, 1 to 21. */
export function contrastRatio(a: string, b: string): number {
  const [la, lb] = [relativeLuminance(a), relativeLuminance(b)];
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

/** WCAG relative luminance of a CSS colour, 0 (black) to 1 (white). */
export function relativeLuminance(color: string): number {
  const { r, g, b } = rgb(color);
  const lin = (c: number) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

/** CSS gradient stops for a legend running from -scaleMax (or 0) to +scaleMax. */
export function legendGradient(signed: boolean, steps = 11): string {
  const stops: string[] = [];
  for (let i = 0; i < steps; i++) {
    const f = i / (steps - 1);
    const position = signed ? f : 0.5 + 0.5 * f;
    stops.push(`${interpolatePuOr(position)} ${(f * 100).toFixed(1)}%`);
  }
  return `linear-gradient(to right, ${stops.join(', ')})`;
}
