// JSON requests of the credentials desk. Every POST carries the CSRF token from the page's
// <meta name="csrf-token"> in the X-CSRFToken header (Flask-WTF reads it there), and
// same-origin credentials only.

/** The page's CSRF token. */
export function csrfToken() {
  const meta = document.querySelector('meta[name="csrf-token"]');
  return meta ? meta.content : "";
}

async function parse(response) {
  let data = null;
  try {
    data = await response.json();
  } catch {
    data = null;
  }
  return { ok: response.ok, status: response.status, data: data ?? {} };
}

/** POST `body` as JSON to `url`; resolves to {ok, status, data}, never rejects on HTTP errors. */
export async function postJson(url, body) {
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
  return parse(response);
}

/** GET JSON from `url`; resolves to {ok, status, data}. */
export async function getJson(url) {
  const response = await fetch(url, {
    credentials: "same-origin",
    cache: "no-store",
    headers: { Accept: "application/json" },
  });
  return parse(response);
}
