import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ErrorCodes, TagwatchError } from '../errors/index.ts';

export interface Asset {
  body: Buffer;
  contentType: string;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/** UI file names: flat, lower-case, one of the known extensions. Nothing else is ever served. */
const ASSET_NAME = /^[a-z0-9][a-z0-9-]*\.(html|js|css|svg)$/;

/**
 * The browser UI: the files of `src/web/ui` plus uPlot from node_modules, read once at start and
 * served from memory by URL path. There is no path from a URL to the file system, so nothing
 * outside this list can be requested.
 */
export class UiAssets {
  readonly #assets = new Map<string, Asset>();

  constructor(uiDir = locateUiDir()) {
    for (const name of readdirSync(uiDir)) {
      const ext = name.slice(name.lastIndexOf('.'));
      const contentType = CONTENT_TYPES[ext];
      if (!ASSET_NAME.test(name) || contentType === undefined) continue;
      const asset = { body: readFileSync(join(uiDir, name)), contentType };
      this.#assets.set(name === 'index.html' ? '/' : `/ui/${name}`, asset);
    }
    const require = createRequire(import.meta.url);
    this.#assets.set('/vendor/uplot.js', {
      body: readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js')),
      contentType: CONTENT_TYPES['.js'] as string,
    });
    this.#assets.set('/vendor/uplot.css', {
      body: readFileSync(require.resolve('uplot/dist/uPlot.min.css')),
      contentType: CONTENT_TYPES['.css'] as string,
    });
  }

  get(path: string): Asset | undefined {
    return this.#assets.get(path);
  }

  paths(): string[] {
    return [...this.#assets.keys()];
  }
}

/** `src/web/ui` next to this module; from a compiled `dist/web` it is found in the source tree. */
function locateUiDir(): string {
  const beside = fileURLToPath(new URL('./ui/', import.meta.url));
  if (existsSync(join(beside, 'index.html'))) return beside;
  const source = fileURLToPath(new URL('../../src/web/ui/', import.meta.url));
  if (existsSync(join(source, 'index.html'))) return source;
  throw new TagwatchError(ErrorCodes.FILE_READ, `web UI files not found (looked in ${beside} and ${source})`);
}
