// The key ceremony page (templates/counting/ceremony.html): this member's steps, in this
// browser. The page polls the run's public state and moves on when the others have done
// their part: publish → seal boxes → check received shares (confirm or complain) → save the
// key file. The secrets live only in this page's memory until the key file is saved, so a
// reload before that loses them (the page says so, and the board restarts the run).

import { CeremonyDevice } from "./device.js";
import { getJSON, postJSON, sleep } from "./http.js";
import { loadMessages } from "../common/messages.js";
import { describeError, PageError, statusLine } from "./status.js";

const POLL_MS = 1500;
const MIN_PASSPHRASE = 12;

function me(state) {
  return state.members.find((m) => m.index === state.me);
}

export class CeremonyPage {
  /** @param {HTMLElement} root the section with data-guardian-page="ceremony" */
  constructor(root) {
    this.root = root;
    this.urls = {
      state: root.dataset.stateUrl,
      keys: root.dataset.keysUrl,
      boxes: root.dataset.boxesUrl,
      confirm: root.dataset.confirmUrl,
      complaints: root.dataset.complaintsUrl,
    };
    this.status = statusLine(root);
    this.t = loadMessages(root);
    this.device = null;
    this.begin = root.querySelector('[data-action="begin"]');
    this.save = root.querySelector('[data-role="save"]');
  }

  async start() {
    this.begin?.addEventListener("click", () => this.run());
    this.root.querySelector('[data-action="save"]')?.addEventListener("click", () => this.saveKeyfile());
    const state = await getJSON(this.urls.state);
    const mine = me(state);
    if (mine && mine.status !== "invited" && state.status === "pending") {
      this.status(this.t("ceremony_lost"), "error");
    }
  }

  mark(step) {
    for (const li of this.root.querySelectorAll("[data-step]")) {
      li.dataset.current = String(li.dataset.step === step);
    }
  }

  done(step) {
    const li = this.root.querySelector(`[data-step="${step}"]`);
    if (li) li.dataset.done = "true";
  }

  /** Show each member's progress in the page's table (rendered when the page loaded). */
  showMembers(state) {
    for (const member of state.members) {
      const cell = document.querySelector(`[data-member-status="${member.index}"]`);
      const key = `member_${member.status}`;
      const text = this.t.has(key) ? this.t(key) : null;
      if (cell && text && cell.textContent !== text) cell.textContent = text;
    }
  }

  async waitFor(predicate) {
    for (;;) {
      const state = await getJSON(this.urls.state);
      this.showMembers(state);
      if (state.status === "failed") throw new PageError("ceremony_failed");
      if (predicate(state)) return state;
      await sleep(POLL_MS);
    }
  }

  async run() {
    if (this.begin) this.begin.disabled = true;
    try {
      let state = await getJSON(this.urls.state);
      this.mark("keys");
      this.status(this.t("ceremony_keys"));
      this.device = new CeremonyDevice(state.congress, state.me, state.threshold);
      state = await postJSON(this.urls.keys, this.device.publication());
      this.showMembers(state);
      this.done("keys");
      this.begin.hidden = true;

      this.mark("boxes");
      this.status(this.t("ceremony_published"));
      state = await this.waitFor((s) => s.members.every((m) => m.commitments));
      this.status(this.t("ceremony_sealing"));
      state = await postJSON(this.urls.boxes, { boxes: await this.device.boxes(state) });
      this.done("boxes");

      this.mark("checks");
      this.status(this.t("ceremony_waiting_boxes"));
      state = await this.waitFor((s) => s.received.length === s.guardians - 1);
      this.status(this.t("ceremony_checking"));
      const complaint = await this.device.check(state);
      if (complaint) {
        await postJSON(this.urls.complaints, complaint);
        this.status(this.t("ceremony_complained"), "error");
        return;
      }
      await postJSON(this.urls.confirm, {});
      this.done("checks");

      this.mark("save");
      this.status(this.t("ceremony_confirmed"), "ok");
      this.save.hidden = false;
      state = await this.waitFor((s) => s.status === "completed");
      this.root.querySelector('[data-role="fingerprint"]').textContent =
        this.device.confirmResult(state);
      this.root.querySelector('[data-role="fingerprint-line"]').hidden = false;
    } catch (error) {
      this.status(describeError(this.t, error), "error");
    }
  }

  async saveKeyfile() {
    const pass = this.root.querySelector('[data-role="passphrase"]').value;
    const again = this.root.querySelector('[data-role="passphrase2"]').value;
    if (pass.length < MIN_PASSPHRASE) return this.status(this.t("pass_short", { min: MIN_PASSPHRASE }), "error");
    if (pass !== again) return this.status(this.t("pass_different"), "error");
    try {
      this.status(this.t("keyfile_sealing"));
      const keyfile = await this.device.keyfile(pass);
      const blob = new Blob([`${JSON.stringify(keyfile, null, 2)}\n`], { type: "application/json" });
      const link = this.root.querySelector('[data-role="download"]');
      link.href = URL.createObjectURL(blob);
      link.download = `tep-khoa-${keyfile.congress}-thanh-vien-${keyfile.guardian}.json`;
      link.hidden = false;
      this.done("save");
      this.status(this.t("keyfile_saved"), "ok");
    } catch (error) {
      this.status(describeError(this.t, error), "error");
    }
    return undefined;
  }
}
