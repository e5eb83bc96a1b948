/**
 * `fetch` for the GitHub API, for the Action and the CLI alike (SPEC §6): every request has a
 * deadline for its whole answer — headers and body, so an API that trickles a byte every few
 * seconds ends in a clear error, never a hung step — and a redirect is followed only to the host
 * that was asked. No Actions import: the CLI's `inventory plan` uses it as it is.
 */

const DEFAULT_DEADLINE_SECONDS = 30;
const MAX_REDIRECTS = 3;

/** Seconds a request may take, whole answer included: `BASE_IMAGE_GUARD_API_DEADLINE` or 30. */
export function apiDeadlineSeconds(env: NodeJS.ProcessEnv = process.env): number {
  const given = Number(env.BASE_IMAGE_GUARD_API_DEADLINE);
  return Number.isFinite(given) && given > 0 ? given : DEFAULT_DEADLINE_SECONDS;
}

/** `fetch` with a deadline on the whole answer and redirects kept to the same host. */
export function guardedFetch(seconds: number, base: typeof fetch = fetch): typeof fetch {
  return async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const controller = new AbortController();
    const expired = new Error(
      `the GitHub API gave no complete answer to ${url.origin}${url.pathname} within ${seconds} s`,
    );
    let timer: NodeJS.Timeout | undefined;
    // Rejects when the deadline passes; every await below races it, the body's last byte included.
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        controller.abort(expired);
        reject(expired);
      }, seconds * 1000);
    });
    const signal = init?.signal ? AbortSignal.any([init.signal, controller.signal]) : controller.signal;
    try {
      let target = url;
      for (let hop = 0; ; hop++) {
        const response = await Promise.race([
          base(target, { ...init, signal, redirect: "manual" }),
          deadline,
        ]);
        const location = response.headers.get("location");
        if (response.status >= 300 && response.status < 400 && location) {
          const next = new URL(location, target);
          if (next.host !== url.host || hop >= MAX_REDIRECTS) {
            throw new Error(
              `the GitHub API redirected ${url.origin}${url.pathname} to ${next.origin}: not followed (only redirects to the host asked are)`,
            );
          }
          target = next;
          continue;
        }
        // The whole body within the deadline: answers the Action asks for are small.
        const body = await Promise.race([response.arrayBuffer(), deadline]);
        return new Response(body.byteLength === 0 && response.status === 204 ? null : body, {
          status: response.status,
          statusText: response.statusText,
          headers: response.headers,
        });
      }
    } catch (error) {
      throw controller.signal.aborted && controller.signal.reason === expired ? expired : error;
    } finally {
      clearTimeout(timer);
    }
  };
}
