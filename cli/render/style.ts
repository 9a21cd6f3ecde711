/** Colours for text output; the command decides whether they are on. */

export interface Style {
  bold(s: string): string;
  dim(s: string): string;
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  cyan(s: string): string;
}

const sgr = (open: number, close: number) => (s: string) => (s === '' ? s : `\u001b[${open}m${s}\u001b[${close}m`);
const plainText = (s: string) => s;

export const plain: Style = { bold: plainText, dim: plainText, red: plainText, green: plainText, yellow: plainText, cyan: plainText };

const colored: Style = {
  bold: sgr(1, 22),
  dim: sgr(2, 22),
  red: sgr(31, 39),
  green: sgr(32, 39),
  yellow: sgr(33, 39),
  cyan: sgr(36, 39),
};

export function createStyle(color: boolean): Style {
  return color ? colored : plain;
}
