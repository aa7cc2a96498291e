// The text an Office converter writes, line by line, that says when it holds enough: converters stop reading there.
import { capText } from '../../capText.js';
import type { DocumentText } from '../../documentFormats.js';

export class TextOut {
  private readonly lines: string[] = [];
  private length = 0;
  private readonly maxChars: number;
  /** Set when something was left out before the character cap (a cell cap, a column cap). */
  cut = false;

  // No parameter properties: the worker runs these sources with Node's type stripping, which has none.
  constructor(maxChars: number) {
    this.maxChars = maxChars;
  }

  /** True once more than `maxChars` are written: whatever follows would be cut. */
  full(): boolean {
    return this.length > this.maxChars;
  }

  line(text: string): void {
    if (this.full()) return;
    this.lines.push(text);
    this.length += text.length + 1;
  }

  done(): DocumentText {
    const { text, truncated } = capText(this.lines.join('\n').trim(), this.maxChars);
    return { text, truncated: truncated || this.cut || this.full() };
  }
}
