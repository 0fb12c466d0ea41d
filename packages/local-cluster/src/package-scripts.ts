import { fileURLToPath } from 'node:url';

/** A path under this package's scripts/ (the builds, their pins and the shell helpers). */
export function packageScript(path: string): string {
  return fileURLToPath(new URL(`../scripts/${path}`, import.meta.url));
}
