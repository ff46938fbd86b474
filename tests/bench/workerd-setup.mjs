// What the bench's Workers in workerd directly share (tests/bench/workerd-edge.mjs,
// the edge; tests/bench/workerd-reference.mjs, the bare relay): the project's
// root, edge/wrangler.toml and edge/.dev.vars as read, the board's assets
// served the way the edge's are, and a Miniflare started on loopback that
// stops with the process.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Miniflare } from 'miniflare';

export const root = fileURLToPath(new URL('../../', import.meta.url));
export const wranglerToml = readFileSync(`${root}edge/wrangler.toml`, 'utf8');
export const compatibilityDate = wranglerToml.match(/^compatibility_date\s*=\s*"([^"]+)"/m)[1];

/// edge/.dev.vars: the sandbox's secrets.
export const devVars = {};
for (const line of readFileSync(`${root}edge/.dev.vars`, 'utf8').split('\n')) {
  const m = line.match(/^(\w+)=(.*)$/);
  if (m) devVars[m[1]] = m[2];
}

/// The board's assets (Trunk's dist/) with the Worker invoked first, as edge/wrangler.toml has them.
export const boardAssets = {
  directory: `${root}dist`,
  binding: 'ASSETS',
  routerConfig: { has_user_worker: true, invoke_user_worker_ahead_of_assets: true },
  assetConfig: { not_found_handling: 'single-page-application' },
};

/// Starts `options` on 127.0.0.1:`port`, says so under `name`, and disposes of it on SIGTERM or SIGINT.
export async function serve(name, port, options) {
  const mf = new Miniflare({ host: '127.0.0.1', port: Number(port), modules: true, compatibilityDate, assets: boardAssets, ...options });
  const url = await mf.ready;
  console.log(`${name} ready on ${url}`);
  const stop = async () => {
    await mf.dispose();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  return mf;
}
