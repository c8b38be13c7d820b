// The decryption page (templates/counting/round.html): open the member's key file with the
// passphrase, compute the decryption share of the tally the server recorded (the only
// ciphertexts a share is accepted for, T-9.a), send it, and follow the t-of-n progress. The
// page reloads when the result is decrypted.

import { decryptionShare, openMemberKeyfile } from "./device.js";
import { getJSON, postJSON } from "./http.js";
import { readJsonFile, statusLine } from "./status.js";
import { poll } from "../ui/poll.js";

const POLL_MS = 2000;

export class DecryptPage {
  constructor(root) {
    this.root = root;
    this.status = statusLine(root);
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
      summary.textContent =
        `Đã nhận ${progress.submitted} / cần ${progress.threshold} phần giải mã ` +
        `(trong ${progress.guardians.length} thành viên).`;
    }
    for (const g of progress.guardians) {
      const item = document.querySelector(`[data-sharer="${g.index}"]`);
      const text = `${g.index}. ${g.name} — ${g.submitted ? "đã gửi" : "chưa gửi"}`;
      if (item && item.textContent !== text) item.textContent = text;
    }
  }

  async run() {
    const button = this.root.querySelector('[data-action="decrypt"]');
    button.disabled = true;
    try {
      const info = await getJSON(this.urls.tally);
      if (info.me === null) throw new Error("Tài khoản này không giữ phần khóa nào.");
      const keyfile = await readJsonFile(this.root.querySelector('[data-role="keyfile"]'));
      this.status("Đang mở tệp khóa (mất vài giây)…");
      const passphrase = this.root.querySelector('[data-role="passphrase"]').value;
      const { secretShare } = await openMemberKeyfile(keyfile, passphrase, {
        congress: info.congress,
        index: info.me,
      });
      this.status("Đang tính phần giải mã…");
      const progress = await postJSON(this.urls.share, decryptionShare(info, secretShare));
      this.status(`Đã gửi phần giải mã của đồng chí.`, "ok");
      this.show(progress);
    } catch (error) {
      this.status(error.message, "error");
      button.disabled = false;
    }
  }
}
