// Finding a person by scanning their badge. A keyboard-wedge scanner types the badge code
// into the focused scan field and presses Enter. The code is parsed and turned into the
// public credential Y here; only Y is sent to the server, which answers with the person.

import { InvalidCredential } from "../crypto/errors.js";
import { publicKeyHex } from "./badge.js";
import { postJson } from "./http.js";

/**
 * Look up the badge whose code is `text`. Resolves to {ok, url} (the desk page of the
 * person) or {ok: false, message}; `messages.badCode` is shown for an unreadable code.
 */
export async function lookupBadge(text, { congressId, url, session, messages }) {
  let publicKey;
  try {
    publicKey = publicKeyHex(congressId, text);
  } catch (e) {
    if (e instanceof InvalidCredential) return { ok: false, message: messages.badCode };
    throw e;
  }
  const body = { public_key: publicKey };
  if (Number.isInteger(session)) body.session = session;
  const response = await postJson(url, body);
  if (!response.ok) return { ok: false, message: response.data.message ?? messages.failed };
  return { ok: true, url: response.data.url };
}
