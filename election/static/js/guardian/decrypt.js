// The decryption page (templates/counting/round.html): open the member's key file with the
// passphrase, check that the round is the key file's (its manifest hashes to h_R and names the
// joint key the file keeps, T-3.c), compute the decryption share of the tally the server
// recorded (the only ciphertexts a share is accepted for, T-9.a), send it, and follow the
// t-of-n progress. The page reloads when the result is decrypted.

import { checkRound, decryptionShare, openMemberKeyfile, roundFingerprint } from "./device.js";
import { getJSON, postJSON } from "./http.js";
import { loadMessages } from "../common/messages.js";
import { describeError, PageError, readJsonFile, statusLine } from "./status.js";
import { poll } from "../ui/poll.js";

const POLL_MS = 2000;

export class DecryptPage {
  constructor(root) {
    this.root = root;
    this.status = statusLine(root);
    this.t = loadMessages(root);
    this.urls = {
      tally: root.dataset.tallyUrl,
      share: root.dataset.shareUrl,
      progress: root.dataset.progressUrl,
    };
  }

  start() {
    this.root.querySelector('[data-action="decrypt"]')?.addEventListener("click", () => this.run());
    poll(this.urls.progress, { interval: POLL_MS, onData: (progress) => this.show(progress) });
  }

  /** The members' progress, in the list the page rendered; reload once decrypted. */
  show(progress) {
    if (progress.state !== "tallied") {
      window.location.reload();
      return;
    }
    const summary = document.querySelector('[data-testid="progress"]');
    if (summary) {
      summary.textContent = this.t("progress_summary", {
        submitted: progress.submitted,
        threshold: progress.threshold,
        members: progress.guardians.length,
      });
    }
    for (const g of progress.guardians) {
      const item = document.querySelector(`[data-sharer="${g.index}"]`);
      const text = `${g.index}. ${g.name} — ${this.t(g.submitted ? "sharer_sent" : "sharer_pending")}`;
      if (item && item.textContent !== text) item.textContent = text;
    }
  }

  async run() {
    const button = this.root.querySelector('[data-action="decrypt"]');
    button.disabled = true;
    try {
      const info = await getJSON(this.urls.tally);
      if (info.me === null) throw new PageError("no_share");
      const keyfile = await readJsonFile(this.root.querySelector('[data-role="keyfile"]'));
      this.status(this.t("keyfile_opening"));
      const passphrase = this.root.querySelector('[data-role="passphrase"]').value;
      const keys = await openMemberKeyfile(keyfile, passphrase, {
        congress: info.congress,
        index: info.me,
      });
      // The fingerprint of the h_R this device checked, to compare with the public board's.
      const checked = this.root.querySelector('[data-role="round-fingerprint"]');
      if (checked) checked.textContent = roundFingerprint(checkRound(info, keys.jointKey));
      this.status(this.t("share_computing"));
      const progress = await postJSON(this.urls.share, decryptionShare(info, keys));
      this.status(this.t("share_sent"), "ok");
      this.show(progress);
    } catch (error) {
      this.status(describeError(this.t, error), "error");
      button.disabled = false;
    }
  }
}
