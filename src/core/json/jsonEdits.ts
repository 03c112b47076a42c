import type { FormattingOptions } from 'jsonc-parser';

/** How jsonc-parser's edits should format what they insert into `text`: indented as the file's first indented key
 *  is (spaces, or tabs), with the file's own line ends — so an edit looks as if the user had typed it. */
export function formattingOf(text: string): FormattingOptions {
  const indent = /\n([ \t]+)"/.exec(text)?.[1] ?? '  ';
  return { insertSpaces: !indent.includes('\t'), tabSize: indent.includes('\t') ? 1 : indent.length, eol: text.includes('\r\n') ? '\r\n' : '\n' };
}
