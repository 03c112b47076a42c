import { access } from 'node:fs/promises';

/** Whether something is at `path` (asynchronously: never a synchronous call on the extension host's thread). */
export const pathExists = (path: string): Promise<boolean> => access(path).then(() => true, () => false);
