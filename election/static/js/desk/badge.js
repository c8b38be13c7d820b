// Issuing a voting badge on the desk (PROTOCOL.md section 5).
//
// The badge code is generated here with crypto.getRandomValues (generateCode), the public
// credential Y is derived from it (CredentialKey), and ONLY Y is posted to the server. The
// code exists in this page only while its badge is on screen: it is written into the badge
// sheet's text and QR code, never into storage, cookies, URLs or request bodies, and the
// sheet is removed from the DOM (and every reference dropped) as soon as it is printed,
// closed, or the page is left.

import { bytesToHex } from "@noble/hashes/utils.js";

import { CredentialKey, formatCode, generateCode } from "../crypto/credential.js";
import { postJson } from "./http.js";
import { qrSvg } from "./qr.js";

/** The public credential Y (hex) of a badge code, for the server. */
export function publicKeyHex(congressId, code) {
  return bytesToHex(new CredentialKey(congressId, code).public);
}

/**
 * Generate a badge code, register its public key at `url` (with `extra` fields such as a
 * reissue's reason) and show the printable badge. Resolves to {ok, message}.
 */
export async function issueBadge({ url, congressId, extra, sheet }) {
  let code = generateCode();
  const response = await postJson(url, { ...extra, public_key: publicKeyHex(congressId, code) });
  if (!response.ok) {
    code = null;
    return { ok: false, message: response.data.message };
  }
  sheet.show(formatCode(code), response.data.member);
  code = null;
  return { ok: true };
}

/** The printable badge: filled from a <template>, shown while needed, then destroyed. */
export class BadgeSheet {
  #template;
  #node = null;
  #onForget;

  constructor(template, onForget) {
    this.#template = template;
    this.#onForget = onForget;
    // After the print dialog closes (printed or cancelled) the code must be gone.
    window.addEventListener("afterprint", () => this.forget());
    window.addEventListener("pagehide", () => this.forget(false));
  }

  get visible() {
    return this.#node !== null;
  }

  show(formatted, member) {
    this.forget(false);
    const node = this.#template.content.firstElementChild.cloneNode(true);
    node.querySelector("[data-badge-name]").textContent = member.full_name;
    node.querySelector("[data-badge-cell]").textContent = member.party_cell ?? "";
    node.querySelector("[data-badge-code]").textContent = formatted;
    const label = node.querySelector("[data-badge-qr]").dataset.label;
    node.querySelector("[data-badge-qr]").append(qrSvg(formatted, label));
    node.querySelector("[data-badge-print]").addEventListener("click", () => window.print());
    node.querySelector("[data-badge-done]").addEventListener("click", () => this.forget());
    document.body.append(node);
    document.body.classList.add("has-badge");
    this.#node = node;
    node.querySelector("[data-badge-print]").focus();
  }

  /** Remove the badge (and with it the only copy of the code) from the page. */
  forget(notify = true) {
    if (this.#node === null) return;
    this.#node.remove();
    this.#node = null;
    document.body.classList.remove("has-badge");
    if (notify && this.#onForget) this.#onForget();
  }
}
