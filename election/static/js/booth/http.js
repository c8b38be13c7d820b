// The booth's only network calls: JSON POSTs to the ballot box API. Each carries the CSRF
// token from the page's <meta name="csrf-token"> (Flask-WTF reads X-CSRFToken), is
// same-origin, never cached and never follows a redirect (a redirect means the terminal is
// not enrolled, not a page to follow).

/** The page's CSRF token. */
export function csrfToken(doc = document) {
  const meta = doc.querySelector('meta[name="csrf-token"]');
  return meta ? meta.content : "";
}

/**
 * POST `body` as JSON; resolves to `{ok, status, data}` and never rejects: a network failure
 * is status 0, and an answer that is not JSON gives `data = {}`.
 */
export async function postJson(url, body) {
  let response;
  try {
    response = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      cache: "no-store",
      redirect: "error",
      referrerPolicy: "no-referrer",
      headers: {
        "Content-Type": "application/json",
        Accept: "application/json",
        "X-CSRFToken": csrfToken(),
      },
      body: JSON.stringify(body),
    });
  } catch {
    return { ok: false, status: 0, data: {} };
  }
  let data = null;
  try {
    data = await response.json();
  } catch {
    data = null;
  }
  const isObject = data !== null && typeof data === "object" && !Array.isArray(data);
  return { ok: response.ok, status: response.status, data: isObject ? data : {} };
}
