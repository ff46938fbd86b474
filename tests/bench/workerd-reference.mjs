// A reference for the relay figures: the least a Worker can do to relay the
// board, written in plain JavaScript, in the same runtime and set up the way
// tests/bench/workerd-edge.mjs sets up the edge (Miniflare's API, the board's
// assets with the Worker invoked first), so that what the edge adds over it
// is what our Worker does: the sign-in check, the D1 read of the QA column,
// the digest and masking, the Rust–JavaScript glue.
//
//   GET /api/health        answers at once (the floor)
//   GET /api/board         the backend's board, passed on as it streams in
//   GET /api/board/whole   the same, read whole first (as the edge reads it)
//
// No sign-in, no masking: never a thing to deploy, only to measure against.
//
//   node tests/bench/workerd-reference.mjs PORT MEDIATION_PORT
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Miniflare } from 'miniflare';

const [port, mediationPort] = process.argv.slice(2);
if (!mediationPort) {
  console.error('usage: workerd-reference.mjs PORT MEDIATION_PORT');
  process.exit(2);
}
const root = fileURLToPath(new URL('../../', import.meta.url));
const token = readFileSync(`${root}edge/.dev.vars`, 'utf8').match(/^MEDIATION_API_TOKEN=(.*)$/m)[1];
const compatibilityDate = readFileSync(`${root}edge/wrangler.toml`, 'utf8').match(/^compatibility_date\s*=\s*"([^"]+)"/m)[1];

const script = `export default {
  async fetch(request, env) {
    const path = new URL(request.url).pathname;
    if (path === '/api/health') return Response.json({ ok: true });
    if (path !== '/api/board' && path !== '/api/board/whole') return new Response('not found', { status: 404 });
    const upstream = await fetch(env.BOARD_URL, { headers: { authorization: 'Bearer ' + env.TOKEN } });
    const body = path === '/api/board' ? upstream.body : await upstream.arrayBuffer();
    return new Response(body, { status: upstream.status, headers: { 'content-type': 'application/json', 'cache-control': 'private, no-cache' } });
  },
};`;

const mf = new Miniflare({
  host: '127.0.0.1',
  port: Number(port),
  modules: true,
  script,
  compatibilityDate,
  bindings: { BOARD_URL: `http://127.0.0.1:${mediationPort}/api/v1/mediation-timeline/v2/board`, TOKEN: token },
  assets: {
    directory: `${root}dist`,
    binding: 'ASSETS',
    routerConfig: { has_user_worker: true, invoke_user_worker_ahead_of_assets: true },
    assetConfig: { not_found_handling: 'single-page-application' },
  },
});
const url = await mf.ready;
console.log(`workerd-reference ready on ${url}`);
const stop = async () => { await mf.dispose(); process.exit(0); };
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
