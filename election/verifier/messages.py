"""The verifier's words, in Vietnamese (the default) and English.

The verifier runs without Flask, so it carries its own small catalogue instead of the
app's gettext one. Every failure has a ``code``; its text takes named parameters. The
Vietnamese is the text of record (docs/i18n.md); English is the approximate side.
"""

from __future__ import annotations

from typing import Any, Literal

__all__ = ["LANGS", "Lang", "message", "status_text", "text", "title", "unit_text"]

Lang = Literal["vi", "en"]
LANGS: tuple[Lang, ...] = ("vi", "en")

TITLES: dict[str, tuple[str, str]] = {
    "V1": (
        "Bản kê khai đọc được và mã băm tính lại khớp (đúng giao thức và nhóm)",
        "Manifests parse and their hashes recompute (our protocol and group)",
    ),
    "V2": (
        "Lễ tạo khóa: chứng minh Schnorr, khóa chung K và các khóa thành phần K_j",
        "Key ceremony: Schnorr proofs, joint key K and every public share K_j",
    ),
    "V3": (
        "Danh sách khóa xác thực: hợp lệ, không trùng, mã băm và số lượng khớp",
        "Credential lists: valid distinct keys, hash and count match",
    ),
    "V4": (
        "Từng phiếu đã bỏ: giải mã chặt chẽ, chữ ký, chứng minh, gắn với vòng và khóa; "
        "mỗi khóa một phiếu; không trùng lặp",
        "Every cast ballot: strict decoding, signature, proofs, binding to the round and "
        "its credential; one ballot per credential; no duplicates",
    ),
    "V5": (
        "Chuỗi băm của bảng tin và chữ ký của mọi biên nhận",
        "Board chain and every receipt signature",
    ),
    "V6": (
        "Tổng bản mã bằng tổng các phiếu được đếm",
        "Summed ciphertexts equal the sum of the counted ballots",
    ),
    "V7": (
        "Giải mã: chứng minh của từng phần giải mã, đủ ngưỡng t thành viên, số đếm giải mã",
        "Decryption: every share proof, at least t guardians, the decrypted counts",
    ),
    "V8": (
        "Số học của kết quả: thu vào = hợp lệ + không hợp lệ, các giới hạn, tỷ lệ phần trăm",
        "Result arithmetic: cast = valid + invalid, limits, percentages",
    ),
    "V9": (
        "Áp dụng lại quy định bầu cử cho cùng người trúng cử, bằng phiếu và không trúng cử",
        "The rules applied again give the same elected, tied and not-elected sets",
    ),
    "V10": (
        "Phiếu kiểm tra (Benaloh) mã hóa lại khớp và không được đếm",
        "Audited (Benaloh) ballots re-encrypt to what was posted and are not counted",
    ),
    "V11": (
        "Biên bản khớp kết quả đã kiểm tra và có chữ ký hợp lệ của Ban kiểm phiếu",
        "The minutes match the verified result and carry valid counting-board signatures",
    ),
}

UNITS: dict[str, tuple[str, str]] = {
    "manifests": ("bản kê khai", "manifests"),
    "proofs": ("chứng minh", "proofs"),
    "credentials": ("khóa xác thực", "credentials"),
    "ballots": ("phiếu", "ballots"),
    "receipts": ("biên nhận", "receipts"),
    "counters": ("bộ đếm", "counters"),
    "share_proofs": ("chứng minh giải mã", "share proofs"),
    "rounds": ("vòng bầu", "rounds"),
    "audited": ("phiếu kiểm tra", "audited ballots"),
    "signatures": ("chữ ký", "signatures"),
}

STATUS: dict[str, tuple[str, str]] = {
    "passed": ("ĐẠT", "PASS"),
    "failed": ("KHÔNG ĐẠT", "FAIL"),
    "skipped": ("BỎ QUA", "SKIPPED"),
}

MESSAGES: dict[str, tuple[str, str]] = {
    # Reading the record and running the checks.
    "load": (
        "tệp không đọc được hoặc không giải mã chặt chẽ được",
        "the file cannot be read or does not decode strictly",
    ),
    "unexpected_file": ("tệp không thuộc hồ sơ", "a file that does not belong to the record"),
    "exception": (
        "lỗi ngoài dự kiến khi kiểm tra (đây cũng là một lần không đạt)",
        "unexpected error while checking (counted as a failure)",
    ),
    "input_unavailable": (
        "không kiểm tra được: tệp {file} không đọc được",
        "not checked: {file} could not be read",
    ),
    "ballots_unavailable": (
        "không kiểm tra được: có phiếu trên bảng tin không giải mã được (xem V4)",
        "not checked: some ballots on the board do not decode (see V4)",
    ),
    "result_mismatch": (
        "không so được số liệu biên bản: người ứng cử trong kết quả khác bản kê khai (xem V9)",
        "minutes data not compared: the result's candidates differ from the manifest (see V9)",
    ),
    "head_unavailable": (
        "không so được đầu chuỗi: có mã băm phiếu không tính được (xem V4, V5)",
        "board head not compared: some ballot hashes could not be computed (see V4, V5)",
    ),
    # V1
    "protocol": (
        "giao thức ghi là {found}, phải là {expected}",
        "protocol is {found}, expected {expected}",
    ),
    "group": (
        "nhóm ghi là {found}, phải là {expected} (T-13.a)",
        "group is {found}, expected {expected} (T-13.a)",
    ),
    "congress_id": (
        "mã đại hội {found} khác mã đại hội {expected}",
        "congress id {found} differs from {expected}",
    ),
    "congress_hash": (
        "mã băm đại hội ghi là {found}…, tính lại được {expected}…",
        "congress hash is stated as {found}…, recomputed {expected}…",
    ),
    "round_hash": (
        "mã băm vòng h_R ghi là {found}…, tính lại được {expected}…",
        "round hash h_R is stated as {found}…, recomputed {expected}…",
    ),
    "round_joint_key": (
        "khóa chung K của vòng khác khóa chung của đại hội",
        "the round's joint key K differs from the congress's",
    ),
    "duplicate_round": (
        "vòng {round} có cùng h_R với vòng {other}",
        "round {round} has the same h_R as round {other}",
    ),
    "profile": (
        "không nạp được bộ quy định {profile}",
        "the rules profile {profile} cannot be loaded",
    ),
    # V2
    "ceremony_proof": (
        "chứng minh Schnorr của thành viên {guardian}, hệ số {k} không hợp lệ",
        "the Schnorr proof of guardian {guardian}, coefficient {k} does not verify",
    ),
    "joint_key": (
        "khóa chung K tính lại từ các cam kết khác K trong bản kê khai đại hội",
        "the joint key K recomputed from the commitments differs from the congress manifest",
    ),
    "public_share": (
        "khóa thành phần K_{guardian} tính lại từ các cam kết khác khóa trong bản kê khai",
        "public share K_{guardian} recomputed from the commitments differs from the manifest",
    ),
    # V3
    "credential_invalid": (
        "khóa thứ {index} không phải khóa công khai hợp lệ",
        "key {index} is not a valid public key",
    ),
    "credential_order": (
        "khóa thứ {index} trùng hoặc không theo thứ tự tăng dần",
        "key {index} repeats or is out of ascending order",
    ),
    "credential_hash": (
        "mã băm danh sách khác mã băm trong bản kê khai vòng (T-4.c)",
        "the list's hash differs from the round manifest's (T-4.c)",
    ),
    "credential_count": (
        "danh sách có {found} khóa, bản kê khai ghi {expected}",
        "the list has {found} keys, the manifest states {expected}",
    ),
    "entitled": (
        "{found} khóa, vượt số người có quyền bầu {expected}",
        "{found} keys, more than the {expected} entitled to vote",
    ),
    "approved": (
        "số người có quyền bầu {found} khác số đại biểu được công nhận {expected}",
        "{found} entitled to vote differs from the {expected} approved delegates",
    ),
    # V4
    "ballot_decode": (
        "phiếu không giải mã chặt chẽ được",
        "the ballot does not decode strictly",
    ),
    "ballot_round": (
        "phiếu không thuộc vòng này (không gắn với h_R)",
        "the ballot is not bound to this round (h_R)",
    ),
    "ballot_credential": (
        "khóa xác thực của phiếu không hợp lệ",
        "the ballot's credential key is not valid",
    ),
    "ballot_signature": (
        "chữ ký của phiếu không hợp lệ (T-4.b)",
        "the ballot's signature does not verify (T-4.b)",
    ),
    "ballot_proof": (
        "chứng minh của phiếu không hợp lệ",
        "a proof of the ballot does not verify",
    ),
    "not_eligible": (
        "khóa của phiếu không có trong danh sách đủ điều kiện (T-4.a)",
        "the ballot's credential is not on the eligible list (T-4.a)",
    ),
    "duplicate_credential": (
        "khóa này đã bỏ phiếu ở vị trí {first}: mỗi khóa chỉ một phiếu",
        "this credential already voted at position {first}: one ballot per credential",
    ),
    "duplicate_nonce": (
        "số dùng một lần trùng với phiếu ở vị trí {first}",
        "the nonce repeats the ballot at position {first}",
    ),
    "duplicate_hash": (
        "mã băm phiếu trùng với phiếu ở vị trí {first} (T-3.b)",
        "the ballot hash repeats the ballot at position {first} (T-3.b)",
    ),
    "duplicate_component": (
        "thành phần A của bộ đếm {counter} trùng với phiếu ở vị trí {first} (T-2.c)",
        "component A of counter {counter} repeats the ballot at position {first} (T-2.c)",
    ),
    "audited_on_board": (
        "phiếu này trùng với phiếu kiểm tra số {audited} (T-8.a, T-10.b)",
        "this ballot repeats audited ballot {audited} (T-8.a, T-10.b)",
    ),
    "entry_shape": (
        "mục của bảng tin phải có đúng ballot, receipt, signature",
        "a board entry has exactly ballot, receipt and signature",
    ),
    # V5
    "receipt_decode": (
        "biên nhận không giải mã chặt chẽ được",
        "the receipt does not decode strictly",
    ),
    "receipt_signature": (
        "chữ ký của máy chủ trên biên nhận không hợp lệ (T-14.a)",
        "the server's receipt signature does not verify (T-14.a)",
    ),
    "receipt_round": ("biên nhận ghi vòng khác h_R", "the receipt names another round"),
    "receipt_position": (
        "biên nhận ghi vị trí {found}, phiếu nằm ở vị trí {expected} (T-14.a)",
        "the receipt states position {found}, the ballot is at {expected} (T-14.a)",
    ),
    "receipt_ballot": (
        "biên nhận ghi mã băm phiếu khác mã băm tính lại",
        "the receipt's ballot hash differs from the recomputed one",
    ),
    "chain": (
        "chuỗi băm đứt tại vị trí {at} (T-14.a)",
        "the board chain breaks at position {at} (T-14.a)",
    ),
    "receipt_time": (
        "thời điểm biên nhận {found} sớm hơn biên nhận trước {expected}",
        "receipt time {found} is before the previous receipt's {expected}",
    ),
    "head": (
        "đầu chuỗi ghi trên bảng tin khác đầu chuỗi tính lại (T-14.b)",
        "the board's stated head differs from the recomputed head (T-14.b)",
    ),
    # V6
    "tally_ballots": (
        "tổng ghi {found} phiếu, bảng tin có {expected} phiếu",
        "the tally counts {found} ballots, the board has {expected}",
    ),
    "tally_counter": (
        "bản mã tổng của bộ đếm {counter} khác tổng các phiếu trên bảng tin",
        "the summed ciphertext of counter {counter} differs from the sum of the board",
    ),
    # V7
    "share_guardian": (
        "phần giải mã của người không thuộc Ban kiểm phiếu (số {guardian})",
        "a decryption share from someone not on the counting board ({guardian})",
    ),
    "share_duplicate": (
        "thành viên {guardian} nộp hai phần giải mã",
        "guardian {guardian} gives two decryption shares",
    ),
    "share_proof": (
        "chứng minh giải mã của thành viên {guardian} không hợp lệ",
        "a decryption proof of guardian {guardian} does not verify",
    ),
    "too_few_shares": (
        "chỉ {found} thành viên giải mã hợp lệ, cần ít nhất t = {expected}",
        "only {found} guardians decrypted validly, at least t = {expected} needed",
    ),
    "count": (
        "số đếm {found} của bộ đếm {counter} không khớp giá trị giải mã M (T-15.c)",
        "count {found} of counter {counter} does not match the decrypted value M (T-15.c)",
    ),
    "count_range": (
        "số đếm {found} của bộ đếm {counter} vượt số phiếu {expected}",
        "count {found} of counter {counter} exceeds the {expected} ballots",
    ),
    # V8
    "tally_field": (
        "kết quả ghi {field} = {found}, tính từ số đếm giải mã được {expected}",
        "the result states {field} = {found}, the decrypted counts give {expected}",
    ),
    "cast_sum": (
        "phiếu thu vào {cast} ≠ hợp lệ {valid} + không hợp lệ {invalid}",
        "cast {cast} ≠ valid {valid} + invalid {invalid}",
    ),
    "cast_issued": (
        "số phiếu thu vào {found} vượt số phiếu phát ra {expected}",
        "{found} ballots cast, more than the {expected} issued",
    ),
    "issued_eligible": (
        "số phiếu phát ra {found} vượt số đại biểu đủ điều kiện đã điểm danh {expected}",
        "{found} ballots issued, more than the {expected} checked-in eligible delegates",
    ),
    "cast_credentials": (
        "số phiếu được đếm {found} vượt số khóa xác thực {expected} (T-3.b)",
        "{found} ballots tallied, more than the {expected} credentials (T-3.b)",
    ),
    "control_totals": (
        "tổng kiểm soát không đúng quy định ({rule})",
        "the control totals break the rules ({rule})",
    ),
    "candidate_field": (
        "người ứng cử {candidate}: {field} ghi là {found}, tính lại được {expected}",
        "candidate {candidate}: {field} is {found}, recomputed {expected}",
    ),
    # V9
    "round_mismatch": (
        "vòng bầu trong kết quả khác bản kê khai ở mục {field}",
        "the result's round differs from the manifest in {field}",
    ),
    "requires_majority": (
        "yêu cầu quá bán của vòng là {found}, bộ quy định đòi hỏi {expected}",
        "the round's majority requirement is {found}, the profile requires {expected}",
    ),
    "rules_error": (
        "quy định bầu cử từ chối kết quả ({rule})",
        "the election rules refuse the result ({rule})",
    ),
    "rules_field": (
        "{field}: kết quả ghi {found}, áp dụng lại quy định được {expected}",
        "{field}: the result states {found}, the rules give {expected}",
    ),
    # V10
    "audited_invalid": (
        "phiếu kiểm tra không mã hóa lại khớp với phiếu đã đăng",
        "the audited ballot does not re-encrypt to what was posted",
    ),
    "audited_counted": (
        "phiếu kiểm tra nằm trên bảng tin ở vị trí {board}, tức là bị đếm",
        "the audited ballot is on the board at position {board}, so it is counted",
    ),
    # V11
    "minutes_field": (
        "biên bản: mục {field} khác kết quả đã kiểm tra",
        "minutes: {field} differs from the verified result",
    ),
    "minutes_head": (
        "đầu chuỗi trong biên bản khác đầu chuỗi của bảng tin đã kiểm tra (T-3.d)",
        "the board head in the minutes differs from the verified board head (T-3.d)",
    ),
    "minutes_signer": (
        "người ký số {guardian} không thuộc Ban kiểm phiếu",
        "signer {guardian} is not on the counting board",
    ),
    "minutes_duplicate_signer": (
        "thành viên {guardian} ký hai lần",
        "guardian {guardian} signs twice",
    ),
    "minutes_signature": (
        "chữ ký của thành viên {guardian} không hợp lệ",
        "the signature of guardian {guardian} does not verify",
    ),
    "minutes_too_few": (
        "chỉ có {found} chữ ký hợp lệ, cần ít nhất {expected}",
        "only {found} valid signatures, at least {expected} needed",
    ),
}

WORDS: dict[str, tuple[str, str]] = {
    "heading": ("dhvote: kiểm tra hồ sơ bầu cử", "dhvote: verifying the election record"),
    "position": ("vị trí", "position"),
    "all_passed": ("KẾT LUẬN: ĐẠT cả {n} kiểm tra.", "RESULT: all {n} checks PASS."),
    "some_failed": (
        "KẾT LUẬN: KHÔNG ĐẠT. Không đạt: {failed}. Bỏ qua: {skipped}.",
        "RESULT: FAIL. Failed: {failed}. Skipped: {skipped}.",
    ),
    "more": ("… và {n} lỗi khác (xem --json)", "… and {n} more (see --json)"),
    "none": ("không có", "none"),
    "workers": ("số tiến trình: {n} ({kind})", "workers: {n} ({kind})"),
    "load": ("đọc tệp", "reading files"),
    "seconds": ("{s} giây", "{s} s"),
}


def _pick(table: dict[str, tuple[str, str]], key: str, lang: Lang) -> str:
    vi, en = table[key]
    return vi if lang == "vi" else en


def title(check_id: str, lang: Lang) -> str:
    return _pick(TITLES, check_id, lang)


def unit_text(unit: str, lang: Lang) -> str:
    return _pick(UNITS, unit, lang)


def status_text(status: str, lang: Lang) -> str:
    return _pick(STATUS, status, lang)


def text(key: str, lang: Lang, **params: Any) -> str:
    return _pick(WORDS, key, lang).format(**params)


class _Params(dict[str, Any]):
    """Format parameters; a missing one shows as ``?`` rather than hiding the failure."""

    def __missing__(self, key: str) -> str:
        return "?"


def message(code: str, lang: Lang, params: dict[str, Any]) -> str:
    """The failure text of ``code`` with ``params`` filled in."""
    return _pick(MESSAGES, code, lang).format_map(_Params(params))
