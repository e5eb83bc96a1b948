/**
 * A stand-in for the Actions results service and its blob storage on 127.0.0.1: enough of the
 * artifact protocol for @actions/artifact to upload (CreateArtifact, the blob's blocks and block
 * list, FinalizeArtifact), keeping what was uploaded so tests can open it.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeArtifacts {
  url: string;
  /** An ACTIONS_RUNTIME_TOKEN whose scope names a run and a job, as the runner's does. */
  token: string;
  /** Uploaded artifacts by name: their bytes (a zip). */
  uploads: Map<string, Buffer>;
  close(): Promise<void>;
}

export async function startFakeArtifacts(): Promise<FakeArtifacts> {
  const uploads = new Map<string, Buffer>();
  const blocks = new Map<string, Buffer>();
  let url = "";
  let nextId = 4100;
  const server: Server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const parsed = new URL(request.url ?? "/", "http://127.0.0.1");
    const json = (data: unknown) => {
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify(data));
    };
    if (parsed.pathname.endsWith(".ArtifactService/CreateArtifact")) {
      const { name } = JSON.parse(body.toString("utf8")) as { name: string };
      return json({ ok: true, signedUploadUrl: `${url}/blob/${encodeURIComponent(name)}?sig=fake` });
    }
    if (parsed.pathname.endsWith(".ArtifactService/FinalizeArtifact")) {
      return json({ ok: true, artifactId: String(nextId++) });
    }
    const blob = /^\/blob\/(.+)$/.exec(parsed.pathname);
    if (blob && request.method === "PUT") {
      const name = decodeURIComponent(blob[1] as string);
      const comp = parsed.searchParams.get("comp");
      if (comp === "block") blocks.set(`${name}/${parsed.searchParams.get("blockid")}`, body);
      if (comp === "blocklist") {
        const ids = [...body.toString("utf8").matchAll(/<(?:Latest|Uncommitted|Committed)>([^<]+)</g)].map(
          (m) => m[1],
        );
        uploads.set(name, Buffer.concat(ids.map((id) => blocks.get(`${name}/${id}`) ?? Buffer.alloc(0))));
      }
      if (comp === null) uploads.set(name, body);
      response.writeHead(201, {
        etag: '"0x8D0000000000000"',
        "last-modified": new Date().toUTCString(),
        "x-ms-request-id": "fake",
        "x-ms-version": "2025-01-05",
        "x-ms-request-server-encrypted": "true",
      });
      return response.end();
    }
    response.writeHead(404, { "content-type": "application/json" });
    response.end(JSON.stringify({ msg: `no fake for ${request.method} ${parsed.pathname}` }));
  });
  await new Promise<void>((ready) => server.listen(0, "127.0.0.1", ready));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const token = `${base64url({ alg: "none", typ: "JWT" })}.${base64url({ scp: "Actions.GenericRead Actions.Results:run-backend-1:job-backend-1" })}.sig`;
  return { url, token, uploads, close: () => new Promise((done) => server.close(() => done())) };
}
