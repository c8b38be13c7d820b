// The desk's live counters: attendance, N and quorum, refreshed from the server every few
// seconds while the page is visible (other desks check people in too). The server sends
// the numbers already formatted; this only sets text.

const INTERVAL_MS = 5000;

export function startLiveCounters(root, url, getJson) {
  if (!url) return;
  const fields = root.querySelectorAll("[data-live]");
  const quorum = root.querySelector("[data-live-quorum]");
  async function refresh() {
    if (document.visibilityState !== "visible") return;
    let response;
    try {
      response = await getJson(url);
    } catch {
      return; // The hall network blinked; the next tick tries again.
    }
    if (!response.ok) return;
    const text = response.data.text ?? {};
    for (const field of fields) {
      const value = text[field.dataset.live];
      if (typeof value === "string") field.textContent = value;
    }
    if (quorum) {
      quorum.classList.toggle("quorum--met", response.data.quorum_met === true);
      quorum.classList.toggle("quorum--unmet", response.data.quorum_met !== true);
    }
  }
  setInterval(refresh, INTERVAL_MS);
}
