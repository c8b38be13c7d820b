// JSON requests of the guardian pages: same origin, no cache, the CSRF token in X-CSRFToken
// (templates/base.html writes it for signed-in operators). A refusal carries the server's
// sentence ({"error", "message"}), which the page shows as it is.

import { csrfToken } from "../ui/csrf.js";

export class RequestRefused extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

async function answer(response) {
  let body = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  if (!response.ok) {
    const message = body && typeof body.message === "string" ? body.message : `HTTP ${response.status}`;
    throw new RequestRefused(response.status, message);
  }
  return body;
}

export async function getJSON(url) {
  const response = await fetch(url, {
    headers: { Accept: "application/json" },
    cache: "no-store",
    credentials: "same-origin",
  });
  return answer(response);
}

export async function postJSON(url, body = {}) {
  const response = await fetch(url, {
    method: "POST",
    cache: "no-store",
    credentials: "same-origin",
    headers: {
      "Content-Type": "application/json",
      Accept: "application/json",
      "X-CSRFToken": csrfToken(),
    },
    body: JSON.stringify(body),
  });
  return answer(response);
}

/** Resolve after `ms` milliseconds. */
export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
