// Bundle the widgets test app with esbuild into two static sites:
// dist/ (the app) and dist-drift/ (the same app built with __DRIFT__ = true:
// a renamed role option, a renamed button inside Shoelace's shadow DOM,
// "Invite user" moved into a menu, a relabelled field in the cross-origin
// frame). Run by build.sh.
import { build } from 'esbuild';
import { cpSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const src = join(here, 'src');
const STATIC = /\.(html|css|svg|png)$/;

for (const [out, drift] of [
  ['dist', false],
  ['dist-drift', true],
]) {
  const outdir = join(here, out);
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  await build({
    entryPoints: ['team.jsx', 'workspace.js', 'billing.js', 'frames.js'].map((f) => join(src, f)),
    outdir,
    bundle: true,
    minify: true,
    format: 'iife',
    target: ['chrome120'],
    jsx: 'automatic',
    loader: { '.js': 'jsx' },
    define: { __DRIFT__: String(drift), 'process.env.NODE_ENV': '"production"' },
    logLevel: 'warning',
    legalComments: 'none',
  });
  for (const f of readdirSync(src)) {
    if (STATIC.test(f)) cpSync(join(src, f), join(outdir, f));
  }
  console.log(`widgets app: built ${out}/ (drift: ${drift})`);
}
