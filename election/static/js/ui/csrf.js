// JSON requests that Flask-WTF's CSRF protection accepts: the token comes from the
// <meta name="csrf-token"> tag that templates/base.html writes for signed-in operators,
// and travels in the X-CSRFToken header.

/** The page's CSRF token, or "" when the page has none. */
export function csrfToken() {
  const meta = document.querySelector('meta[name="csrf-token"]');
  return meta ? meta.getAttribute("content") || "" : "";
}

/**
 * POST `body` as JSON to a same-origin `url`; resolve with the parsed JSON reply.
 * @param {string} url
 * @param {unknown} body
 */
export async function postJSON(url, body) {
  const response = await fetch(url, {
    method: "POST",
    credentials: "same-origin",
    cache: "no-store",
    headers: {
      "Content-Type": "application/json",
      Accept: "application/json",
      "X-CSRFToken": csrfToken(),
    },
    body: JSON.stringify(body),
  });
  if (!response.ok) {
    throw new Error(`${url}: HTTP ${response.status}`);
  }
  return response.json();
}
