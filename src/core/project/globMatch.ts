/**
 * VS Code's glob dialect (`**`, `*`, `?`, `{a,b}`, `[abc]`) as a matcher for workspace-relative paths with `/`, so the
 * handler index can apply `files.exclude` and its own excludes to a file the watcher reports without asking the
 * search service again.
 */
export function globToRegExp(glob: string): RegExp {
  return new RegExp(`^${translate(glob.replace(/\\/g, '/').replace(/^\.\//, ''))}$`);
}

function translate(glob: string): string {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      const slashAfter = glob[i + 2] === '/';
      const atSegmentStart = i === 0 || glob[i - 1] === '/';
      if (atSegmentStart && slashAfter) { out += '(?:[^/]*/)*'; i += 2; } // `**/`: any number of folders
      else { out += '.*'; i += 1; }
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else if (c === '{') {
      const end = closing(glob, i);
      if (end < 0) { out += '\\{'; continue; }
      out += `(?:${splitTopLevel(glob.slice(i + 1, end)).map(translate).join('|')})`;
      i = end;
    } else if (c === '[') {
      const end = glob.indexOf(']', i + 1);
      if (end < 0) { out += '\\['; continue; }
      out += `[${glob.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\')}]`;
      i = end;
    } else out += c.replace(/[.+^$()|\\]/g, '\\$&');
  }
  return out;
}

function closing(glob: string, open: number): number {
  let depth = 0;
  for (let i = open; i < glob.length; i++) {
    if (glob[i] === '{') depth++;
    else if (glob[i] === '}' && --depth === 0) return i;
  }
  return -1;
}

function splitTopLevel(body: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < body.length; i++) {
    if (body[i] === '{') depth++;
    else if (body[i] === '}') depth--;
    else if (body[i] === ',' && depth === 0) { parts.push(body.slice(start, i)); start = i + 1; }
  }
  parts.push(body.slice(start));
  return parts;
}

/** Whether a relative path, or any folder above it, matches one of the globs (an excluded folder excludes its files). */
export class ExcludeMatcher {
  private readonly pattern: RegExp;
  /** Folder verdicts: thousands of files share a few hundred folders, so each folder is matched once. */
  private readonly folders = new Map<string, boolean>();

  constructor(globs: readonly string[]) {
    this.pattern = globs.length ? new RegExp(globs.map((g) => globToRegExp(g).source).join('|')) : /$^/;
  }

  excludes(relativePath: string): boolean {
    const path = relativePath.replace(/\\/g, '/');
    const slash = path.lastIndexOf('/');
    return (slash > 0 && this.excludesFolder(path.slice(0, slash))) || this.pattern.test(path);
  }

  private excludesFolder(folder: string): boolean {
    let verdict = this.folders.get(folder);
    if (verdict === undefined) {
      const slash = folder.lastIndexOf('/');
      verdict = (slash > 0 && this.excludesFolder(folder.slice(0, slash))) || this.pattern.test(folder);
      this.folders.set(folder, verdict);
    }
    return verdict;
  }
}
