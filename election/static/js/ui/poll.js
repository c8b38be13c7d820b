// Poll a JSON endpoint at a steady pace: the next request starts `interval` ms after the
// previous one finished, so a slow server never has requests piling up. Used by the hall
// screen (/api/hall) and the operator consoles. Errors are reported, never thrown, and
// polling goes on: a projector must recover by itself when the network comes back.

/**
 * @param {string} url same-origin JSON endpoint
 * @param {{interval: number, onData: (data: any) => void, onError?: (error: unknown) => void}} options
 * @returns {() => void} a function that stops polling
 */
export function poll(url, { interval, onData, onError = () => {} }) {
  let stopped = false;
  let timer = 0;

  async function tick() {
    try {
      const response = await fetch(url, {
        headers: { Accept: "application/json" },
        cache: "no-store",
        credentials: "same-origin",
      });
      if (!response.ok) {
        throw new Error(`${url}: HTTP ${response.status}`);
      }
      onData(await response.json());
    } catch (error) {
      onError(error);
    } finally {
      if (!stopped) {
        timer = setTimeout(tick, interval);
      }
    }
  }

  timer = setTimeout(tick, interval);
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
