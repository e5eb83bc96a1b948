/**
 * A stand-in for api.github.com on 127.0.0.1: answers the few endpoints the Action calls and
 * records every request, so tests can assert exactly what was asked.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedRequest {
  method: string;
  path: string;
  authorization?: string;
  body?: unknown;
}

export interface FakeGitHub {
  url: string;
  requests: RecordedRequest[];
  comments: { id: number; body: string }[];
  /** Review comments on the pull request's diff, as reviews created them (and not deleted). */
  reviewComments: { id: number; path: string; line: number; side: string; body: string }[];
  reviews: { id: number; body: string; event: string; commit_id: string }[];
  /** The Git data API: blobs by sha (their text), trees, commits, branches, and pull requests opened. */
  git: {
    blobs: Map<string, string>;
    trees: Map<string, { base_tree: string; tree: { path: string; mode: string; sha: string }[] }>;
    commits: Map<string, { message: string; tree: string; parents: string[] }>;
    refs: Map<string, string>;
    pulls: { number: number; head: string; base: string; title: string; body: string; html_url: string }[];
  };
  close(): Promise<void>;
}

export interface FakeGitHubOptions {
  /** File names the pull request changes (paginated 100 per page, as GitHub does). */
  changedFiles: string[];
  /** Files at the base commit, by path. */
  baseFiles: Record<string, string>;
  /** Answer comment writes with this status instead (403: a read-only token). */
  commentWriteStatus?: number;
  /** Files of other repositories, by `owner/repo/path@ref` (an organisation's central policy). */
  otherFiles?: Record<string, string>;
  /** The pull request's diff of a changed file, as the files API gives it (`patch`). */
  patches?: Record<string, string>;
  /** The repositories of organisation `acme` (paginated with Link headers, as GitHub does). */
  orgRepositories?: Record<string, unknown>[];
  /** A Link header pointing off this host on the first page (a token must not follow it). */
  foreignNextPage?: boolean;
}

async function bodyOf(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  return text ? JSON.parse(text) : undefined;
}

export async function startFakeGitHub(options: FakeGitHubOptions): Promise<FakeGitHub> {
  const requests: RecordedRequest[] = [];
  const comments: { id: number; body: string }[] = [];
  const reviewComments: FakeGitHub["reviewComments"] = [];
  const reviews: FakeGitHub["reviews"] = [];
  const gitData: FakeGitHub["git"] = {
    blobs: new Map(),
    trees: new Map(),
    commits: new Map(),
    refs: new Map(),
    pulls: [],
  };
  let nextSha = 1;
  const sha = () => (nextSha++).toString(16).padStart(40, "a");
  let nextId = 100;
  let url = "";
  const server: Server = createServer(async (request, response) => {
    const parsed = new URL(request.url ?? "/", "http://127.0.0.1");
    const body = await bodyOf(request);
    requests.push({
      method: request.method ?? "",
      path: `${parsed.pathname}${parsed.search}`,
      ...(request.headers.authorization && { authorization: request.headers.authorization }),
      ...(body !== undefined && { body }),
    });
    const json = (status: number, data: unknown, headers: Record<string, string> = {}) => {
      response.writeHead(status, { "content-type": "application/json", ...headers });
      response.end(JSON.stringify(data));
    };
    const path = parsed.pathname;
    const contents = /^\/repos\/acme\/shop\/contents\/(.+)$/.exec(path);
    const elsewhere = /^\/repos\/([^/]+)\/([^/]+)\/contents\/(.+)$/.exec(path);
    const commentById = /^\/repos\/acme\/shop\/issues\/comments\/(\d+)$/.exec(path);
    if (path === "/orgs/acme/repos" && options.orgRepositories) {
      const page = Number(parsed.searchParams.get("page") ?? "1");
      const perPage = Math.min(100, Number(parsed.searchParams.get("per_page") ?? "30"));
      const all = options.orgRepositories;
      const last = Math.ceil(all.length / perPage);
      const link: Record<string, string> = {};
      if (options.foreignNextPage)
        link.link = `<http://elsewhere.invalid/orgs/acme/repos?page=2>; rel="next"`;
      else if (page < last)
        link.link = `<${url}/orgs/acme/repos?type=all&per_page=${perPage}&page=${page + 1}>; rel="next", <${url}/orgs/acme/repos?type=all&per_page=${perPage}&page=${last}>; rel="last"`;
      return json(200, all.slice((page - 1) * perPage, page * perPage), link);
    }
    if (path === "/repos/acme/shop/pulls/7/files") {
      const page = Number(parsed.searchParams.get("page") ?? "1");
      const perPage = Number(parsed.searchParams.get("per_page") ?? "30");
      const slice = options.changedFiles.slice((page - 1) * perPage, page * perPage);
      const last = Math.ceil(options.changedFiles.length / perPage);
      const link: Record<string, string> = {};
      if (page < last)
        link.link = `<${url}/repos/acme/shop/pulls/7/files?per_page=${perPage}&page=${page + 1}>; rel="next"`;
      return json(
        200,
        slice.map((filename) => ({
          filename,
          status: "modified",
          ...(options.patches?.[filename] !== undefined && { patch: options.patches[filename] }),
        })),
        link,
      );
    }
    if (contents) {
      const file = decodeURIComponent(contents[1] as string);
      const text = options.baseFiles[file];
      if (
        parsed.searchParams.get("ref") !== "1111111111111111111111111111111111111111" ||
        text === undefined
      ) {
        return json(404, { message: "Not Found" });
      }
      if (String(request.headers.accept ?? "").includes("raw")) {
        response.writeHead(200, { "content-type": "text/plain" });
        return response.end(text);
      }
      // The object format: a file's content base64-encoded, as the contents API answers.
      return json(200, {
        type: "file",
        encoding: "base64",
        content: Buffer.from(text).toString("base64"),
        path: file,
      });
    }
    if (elsewhere) {
      const [, owner, repo, file] = elsewhere;
      const key = `${owner}/${repo}/${decodeURIComponent(file as string)}@${parsed.searchParams.get("ref")}`;
      const text = options.otherFiles?.[key];
      if (text === undefined) return json(404, { message: "Not Found" });
      response.writeHead(200, { "content-type": "text/plain" });
      return response.end(text);
    }
    if (path === "/repos/acme/shop/issues/7/comments") {
      if (request.method === "GET") return json(200, comments);
      if (options.commentWriteStatus)
        return json(options.commentWriteStatus, { message: "Resource not accessible by integration" });
      const comment = { id: nextId++, body: (body as { body: string }).body };
      comments.push(comment);
      return json(201, comment);
    }
    if (commentById && request.method === "PATCH") {
      const comment = comments.find((c) => c.id === Number(commentById[1]));
      if (!comment) return json(404, { message: "Not Found" });
      comment.body = (body as { body: string }).body;
      return json(200, comment);
    }
    if (path === "/repos/acme/shop/pulls/7/comments" && request.method === "GET")
      return json(200, reviewComments);
    const reviewComment = /^\/repos\/acme\/shop\/pulls\/comments\/(\d+)$/.exec(path);
    if (reviewComment && request.method === "DELETE") {
      const at = reviewComments.findIndex((c) => c.id === Number(reviewComment[1]));
      if (at < 0) return json(404, { message: "Not Found" });
      reviewComments.splice(at, 1);
      response.writeHead(204);
      return response.end();
    }
    if (path === "/repos/acme/shop/pulls/7/reviews" && request.method === "POST") {
      const review = body as {
        body: string;
        event: string;
        commit_id: string;
        comments?: Omit<FakeGitHub["reviewComments"][number], "id">[];
      };
      const created = { id: nextId++, body: review.body, event: review.event, commit_id: review.commit_id };
      reviews.push(created);
      for (const comment of review.comments ?? []) reviewComments.push({ id: nextId++, ...comment });
      return json(200, created);
    }
    const gitPath = /^\/repos\/acme\/shop\/git\/(.+)$/.exec(path)?.[1];
    if (gitPath !== undefined) {
      const posted = body as Record<string, unknown>;
      const commit = /^commits\/([0-9a-f]{40})$/.exec(gitPath);
      if (commit && request.method === "GET")
        return json(200, { sha: commit[1], tree: { sha: `${"t".repeat(39)}0` } });
      if (gitPath === "blobs" && request.method === "POST") {
        const id = sha();
        gitData.blobs.set(id, Buffer.from(String(posted.content), "base64").toString("utf8"));
        return json(201, { sha: id });
      }
      if (gitPath === "trees" && request.method === "POST") {
        const id = sha();
        gitData.trees.set(id, posted as never);
        return json(201, { sha: id });
      }
      if (gitPath === "commits" && request.method === "POST") {
        const id = sha();
        gitData.commits.set(id, posted as never);
        return json(201, { sha: id });
      }
      const ref = /^refs\/(heads\/.+)$/.exec(gitPath)?.[1];
      if (ref && request.method === "PATCH") {
        if (!gitData.refs.has(ref)) return json(422, { message: "Reference does not exist" });
        gitData.refs.set(ref, String(posted.sha));
        return json(200, { ref: `refs/${ref}` });
      }
      if (gitPath === "refs" && request.method === "POST") {
        gitData.refs.set(String(posted.ref).replace(/^refs\//, ""), String(posted.sha));
        return json(201, { ref: posted.ref });
      }
    }
    if (path === "/repos/acme/shop/pulls" && request.method === "GET") {
      const head = parsed.searchParams.get("head");
      return json(
        200,
        gitData.pulls.filter((p) => `acme:${p.head}` === head && p.base === parsed.searchParams.get("base")),
      );
    }
    if (path === "/repos/acme/shop/pulls" && request.method === "POST") {
      const posted = body as { head: string; base: string; title: string; body: string };
      const number = 40 + gitData.pulls.length;
      const pull = { number, ...posted, html_url: `https://github.com/acme/shop/pull/${number}` };
      gitData.pulls.push(pull);
      return json(201, pull);
    }
    const pullNumber = /^\/repos\/acme\/shop\/pulls\/(\d+)$/.exec(path);
    if (pullNumber && request.method === "PATCH") {
      const pull = gitData.pulls.find((p) => p.number === Number(pullNumber[1]));
      if (!pull) return json(404, { message: "Not Found" });
      Object.assign(pull, body);
      return json(200, pull);
    }
    json(404, { message: `no fake for ${request.method} ${path}` });
  });
  await new Promise<void>((ready) => server.listen(0, "127.0.0.1", ready));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    requests,
    comments,
    reviewComments,
    reviews,
    git: gitData,
    close: () => new Promise((done) => server.close(() => done())),
  };
}
