#!/usr/bin/env node
// serve.mjs: a small dependency-free static file server for local development and tests.
//
//   node scripts/serve.mjs [--port N] [--host 127.0.0.1] [--root DIR] [--mount /url/=DIR ...]
//
// Serves DIR (default: www/ of the repo) at /, and each --mount folder at its URL prefix
// (scripts/serve.sh mounts pkg/ at /pkg/ so a page can `import init from "/pkg/web/bioxen.js"`,
// and the API reference target/api-docs/ at /docs/).
// GET/HEAD only, no caching, directory -> index.html, correct MIME types for .wasm (needed by
// WebAssembly.instantiateStreaming) and .mjs. Port 0 picks a free port. Prints the URL.
// Also importable: `import { startServer } from "./serve.mjs"` (used by the packaging tests).
import http from "node:http";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export const MIME = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".cjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".wasm": "application/wasm",
  ".ts": "text/plain; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".md": "text/plain; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
};

/**
 * Start serving. `mounts` maps URL prefixes ending in "/" to folders; "/" is the root folder.
 * Resolves to { server, url, port } once listening.
 */
export function startServer({ root, mounts = {}, port = 0, host = "127.0.0.1", log = false } = {}) {
  const table = Object.entries({ ...mounts, "/": root })
    .map(([prefix, dir]) => [prefix.endsWith("/") ? prefix : prefix + "/", path.resolve(dir)])
    .sort((a, b) => b[0].length - a[0].length); // longest prefix first

  const server = http.createServer((req, res) => {
    const send = (status, body, type = "text/plain; charset=utf-8") => {
      res.writeHead(status, { "Content-Type": type, "Cache-Control": "no-store" });
      res.end(req.method === "HEAD" ? undefined : body);
      if (log) console.log(`${status} ${req.method} ${req.url}`);
    };
    if (req.method !== "GET" && req.method !== "HEAD") return send(405, "method not allowed\n");
    let urlPath;
    try {
      urlPath = decodeURIComponent(new URL(req.url, "http://x").pathname);
    } catch {
      return send(400, "bad request\n");
    }
    if (urlPath.includes("\0")) return send(400, "bad request\n");
    const hit = table.find(([prefix]) => urlPath === prefix.slice(0, -1) || urlPath.startsWith(prefix));
    if (!hit) return send(404, "not found\n");
    const [prefix, dir] = hit;
    if (urlPath === prefix.slice(0, -1)) { // "/pkg" -> "/pkg/"
      res.writeHead(301, { Location: prefix });
      return res.end();
    }
    let file = path.join(dir, urlPath.slice(prefix.length));
    if (file !== dir && !file.startsWith(dir + path.sep)) return send(403, "forbidden\n");
    fs.stat(file, (err, st) => {
      if (!err && st.isDirectory()) {
        if (!urlPath.endsWith("/")) {
          res.writeHead(301, { Location: urlPath + "/" });
          return res.end();
        }
        file = path.join(file, "index.html");
        try { st = fs.statSync(file); } catch (e) { err = e; }
      }
      if (err || !st.isFile()) return send(404, "not found\n");
      res.writeHead(200, {
        "Content-Type": MIME[path.extname(file).toLowerCase()] || "application/octet-stream",
        "Content-Length": st.size,
        "Cache-Control": "no-store",
      });
      if (log) console.log(`200 ${req.method} ${req.url}`);
      if (req.method === "HEAD") return res.end();
      fs.createReadStream(file).on("error", () => res.destroy()).pipe(res);
    });
  });

  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      const actual = server.address().port;
      resolve({ server, port: actual, url: `http://${host}:${actual}/` });
    });
  });
}

function parseArgs(argv) {
  const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
  const opts = { root: path.join(repo, "www"), mounts: {}, port: 8080, host: "127.0.0.1", log: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === "--port") opts.port = Number(next());
    else if (a === "--host") opts.host = next();
    else if (a === "--root") opts.root = next();
    else if (a === "--mount") {
      const [prefix, dir] = next().split("=");
      if (!prefix?.startsWith("/") || !dir) throw new Error("--mount wants /prefix/=DIR");
      opts.mounts[prefix] = dir;
    } else if (a === "--log") opts.log = true;
    else throw new Error(`unknown argument ${a}`);
  }
  if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535) throw new Error("bad --port");
  return opts;
}

if (process.argv[1] && import.meta.url === pathToFileURL(fs.realpathSync(process.argv[1])).href) {
  let opts;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`serve: ${e.message}`);
    process.exit(2);
  }
  for (const dir of [opts.root, ...Object.values(opts.mounts)]) {
    if (!fs.existsSync(dir)) {
      console.error(`serve: ${dir} does not exist`);
      process.exit(1);
    }
  }
  startServer(opts).then(
    ({ url }) => {
      const extra = Object.entries(opts.mounts).map(([p, d]) => `, ${path.relative(process.cwd(), path.resolve(d)) || "."} at ${url}${p.slice(1)}`);
      console.log(`Serving ${path.relative(process.cwd(), path.resolve(opts.root)) || "."} at ${url}${extra.join("")} (Ctrl-C to stop)`);
    },
    (e) => {
      console.error(`serve: ${e.message}`);
      process.exit(1);
    },
  );
}
