/**
 * A static file server for the book (`npm start` uses it when Jupyter is missing): files
 * under one folder, on the loopback address only, nothing else.
 */
import { createReadStream, existsSync, statSync } from "node:fs";
import { createServer } from "node:http";
import * as path from "node:path";

const TYPES = {
  ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
  ".json": "application/json", ".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg",
  ".woff2": "font/woff2", ".woff": "font/woff", ".ttf": "font/ttf", ".ico": "image/x-icon",
};

/**
 * Serves `dir` on 127.0.0.1:`port` (0: any free port); resolves to { server, url } once
 * it listens. A busy port is an error that names it.
 */
export function serveFolder(dir, { port = 0, host = "127.0.0.1" } = {}) {
  const base = path.resolve(dir);
  const server = createServer((req, res) => {
    let file;
    try {
      const url = new URL(req.url ?? "/", "http://localhost");
      file = path.resolve(base, "." + decodeURIComponent(url.pathname));
    } catch {
      res.writeHead(400).end("Bad request");
      return;
    }
    if (file !== base && !file.startsWith(base + path.sep)) { res.writeHead(403).end("Forbidden"); return; }
    if (existsSync(file) && statSync(file).isDirectory()) file = path.join(file, "index.html");
    if (req.method !== "GET" && req.method !== "HEAD") { res.writeHead(405).end(); return; }
    if (!existsSync(file) || !statSync(file).isFile()) { res.writeHead(404, { "content-type": "text/plain" }).end("Not found"); return; }
    res.writeHead(200, { "content-type": TYPES[path.extname(file).toLowerCase()] ?? "application/octet-stream" });
    if (req.method === "HEAD") res.end();
    else createReadStream(file).pipe(res);
  });
  return new Promise((resolve, reject) => {
    server.once("error", (e) => reject(e.code === "EADDRINUSE" ? new Error(`port ${port} is in use: choose another with --port`) : e));
    server.listen(port, host, () => {
      const { port: p } = server.address();
      resolve({ server, url: `http://${host}:${p}/` });
    });
  });
}
