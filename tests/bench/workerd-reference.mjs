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
import { devVars, serve } from './workerd-setup.mjs';

const [port, mediationPort] = process.argv.slice(2);
if (!mediationPort) {
  console.error('usage: workerd-reference.mjs PORT MEDIATION_PORT');
  process.exit(2);
}

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

await serve('workerd-reference', port, {
  script,
  bindings: { BOARD_URL: `http://127.0.0.1:${mediationPort}/api/v1/mediation-timeline/v2/board`, TOKEN: devVars.MEDIATION_API_TOKEN },
});
