// The built edge Worker in workerd directly, for benchmarks: Miniflare's API
// (the library wrangler dev itself drives) with the inspector off and no
// development proxy or request logging in front, the same bindings as
// edge/wrangler.toml (local D1, the BoardHub Durable Object, the board's
// assets), the sandbox's settings from edge/.dev.vars, and the upstreams on
// loopback. `wrangler dev` stays the development server; scripts/bench.sh
// runs its figures against both, side by side.
//
//   node tests/bench/workerd-edge.mjs PORT PERSIST_DIR MEDIATION_PORT CLINK_PORT CONTROL_PORT [INSPECTOR_PORT]
//
// PERSIST_DIR is a `wrangler d1 migrations apply --local --persist-to` directory.
// With INSPECTOR_PORT the Worker's V8 inspector listens there (for
// tests/bench/worker-profile.mjs; it costs a little, so figures are taken without).
import { devVars, root, serve, wranglerToml } from './workerd-setup.mjs';

const [port, persist, mediationPort, clinkPort, controlPort, inspectorPort] = process.argv.slice(2);
if (!controlPort) {
  console.error('usage: workerd-edge.mjs PORT PERSIST_DIR MEDIATION_PORT CLINK_PORT CONTROL_PORT');
  process.exit(2);
}
// The top-level [vars] (the sandbox settings), then the loopback ports, then the secrets.
const topLevel = wranglerToml.split(/^\[env\./m)[0];
const vars = {};
for (const m of topLevel.split(/^\[vars\]$/m)[1].split(/^\[/m)[0].matchAll(/^(\w+)\s*=\s*"([^"]*)"/gm)) vars[m[1]] = m[2];
Object.assign(vars, {
  MEDIATION_API_BASE: `http://127.0.0.1:${mediationPort}`,
  CLINK_BASE_URL: `http://127.0.0.1:${clinkPort}`,
  EMBED_ORIGINS: `http://127.0.0.1:${controlPort}`,
  RECORDING_ORIGINS: `http://127.0.0.1:${mediationPort}`,
}, devVars);
const databaseId = topLevel.match(/database_id\s*=\s*"([^"]+)"/)[1];

await serve('workerd-edge', port, {
  ...(inspectorPort ? { inspectorPort: Number(inspectorPort), unsafeInspectorProxy: true } : {}),
  scriptPath: `${root}edge/build/index.js`,
  modulesRoot: `${root}edge/build`,
  modulesRules: [{ type: 'CompiledWasm', include: ['**/*.wasm'] }],
  bindings: vars,
  d1Databases: { DB: databaseId },
  d1Persist: `${persist}/v3/d1`,
  durableObjects: { HUB: { className: 'BoardHub', useSQLite: true } },
  durableObjectsPersist: `${persist}/v3/do`,
});
