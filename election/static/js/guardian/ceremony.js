// The key ceremony page (templates/counting/ceremony.html): this member's steps, in this
// browser. The page polls the run's public state and moves on when the others have done
// their part: publish → seal boxes → check received shares (confirm or complain) → save the
// key file. The secrets live only in this page's memory until the key file is saved, so a
// reload before that loses them (the page says so, and the board restarts the run).

import { CeremonyDevice } from "./device.js";
import { getJSON, postJSON, sleep } from "./http.js";
import { statusLine } from "./status.js";

const POLL_MS = 1500;
const MIN_PASSPHRASE = 12;

const TEXT = {
  keys: "Đang tạo khóa và đa thức bí mật trên máy này…",
  published: "Đã công bố khóa. Đang chờ các thành viên khác công bố…",
  sealing: "Đang niêm phong phần khóa gửi từng thành viên…",
  waitingBoxes: "Đã gửi phần khóa. Đang chờ phần khóa của các thành viên khác…",
  checking: "Đang mở và kiểm tra các phần khóa nhận được…",
  confirmed: "Các phần khóa nhận được đều hợp lệ. Hãy lưu tệp khóa.",
  lost:
    "Trang đã được tải lại sau khi công bố khóa: phần bí mật trên máy này đã mất. " +
    "Đề nghị Ban Kiểm phiếu dừng và tiến hành lại lễ tạo khóa.",
  failed: "Lễ tạo khóa đã dừng. Xem khiếu nại trên trang và tiến hành lại.",
  complained: "Có phần khóa không hợp lệ: đã gửi khiếu nại, lễ tạo khóa dừng lại.",
  shortPass: `Mật khẩu cần ít nhất ${MIN_PASSPHRASE} ký tự.`,
  differentPass: "Hai lần nhập mật khẩu không giống nhau.",
  sealingFile: "Đang mã hóa tệp khóa (mất vài giây)…",
  saved: "Đã tạo tệp khóa. Tải về và cất giữ an toàn; cần mang theo khi kiểm phiếu.",
};

/** The words of templates/counting/_labels.html guardian_status, for the live table. */
const MEMBER_STATUS = {
  invited: "Chưa công bố khóa",
  committed: "Đã công bố khóa",
  verified: "Đã kiểm tra, không khiếu nại",
  complained: "Đã khiếu nại",
  excluded: "Không tham gia",
};

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
      this.status(TEXT.lost, "error");
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
      const text = MEMBER_STATUS[member.status];
      if (cell && text && cell.textContent !== text) cell.textContent = text;
    }
  }

  async waitFor(predicate) {
    for (;;) {
      const state = await getJSON(this.urls.state);
      this.showMembers(state);
      if (state.status === "failed") throw new Error(TEXT.failed);
      if (predicate(state)) return state;
      await sleep(POLL_MS);
    }
  }

  async run() {
    if (this.begin) this.begin.disabled = true;
    try {
      let state = await getJSON(this.urls.state);
      this.mark("keys");
      this.status(TEXT.keys);
      this.device = new CeremonyDevice(state.congress, state.me, state.threshold);
      state = await postJSON(this.urls.keys, this.device.publication());
      this.showMembers(state);
      this.done("keys");
      this.begin.hidden = true;

      this.mark("boxes");
      this.status(TEXT.published);
      state = await this.waitFor((s) => s.members.every((m) => m.commitments));
      this.status(TEXT.sealing);
      state = await postJSON(this.urls.boxes, { boxes: await this.device.boxes(state) });
      this.done("boxes");

      this.mark("checks");
      this.status(TEXT.waitingBoxes);
      state = await this.waitFor((s) => s.received.length === s.guardians - 1);
      this.status(TEXT.checking);
      const complaint = await this.device.check(state);
      if (complaint) {
        await postJSON(this.urls.complaints, complaint);
        this.status(TEXT.complained, "error");
        return;
      }
      await postJSON(this.urls.confirm, {});
      this.done("checks");

      this.mark("save");
      this.status(TEXT.confirmed, "ok");
      this.save.hidden = false;
      state = await this.waitFor((s) => s.status === "completed");
      this.root.querySelector('[data-role="fingerprint"]').textContent =
        this.device.confirmResult(state);
      this.root.querySelector('[data-role="fingerprint-line"]').hidden = false;
    } catch (error) {
      this.status(error.message, "error");
    }
  }

  async saveKeyfile() {
    const pass = this.root.querySelector('[data-role="passphrase"]').value;
    const again = this.root.querySelector('[data-role="passphrase2"]').value;
    if (pass.length < MIN_PASSPHRASE) return this.status(TEXT.shortPass, "error");
    if (pass !== again) return this.status(TEXT.differentPass, "error");
    try {
      this.status(TEXT.sealingFile);
      const keyfile = await this.device.keyfile(pass);
      const blob = new Blob([`${JSON.stringify(keyfile, null, 2)}\n`], { type: "application/json" });
      const link = this.root.querySelector('[data-role="download"]');
      link.href = URL.createObjectURL(blob);
      link.download = `tep-khoa-${keyfile.congress}-thanh-vien-${keyfile.guardian}.json`;
      link.hidden = false;
      this.done("save");
      this.status(TEXT.saved, "ok");
    } catch (error) {
      this.status(error.message, "error");
    }
    return undefined;
  }
}
