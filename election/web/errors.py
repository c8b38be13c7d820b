"""Turn errors into HTTP responses, in one place.

Pages get a Vietnamese (or English, per the chosen locale) HTML error page; requests under
`/api/` get JSON `{"error": <status>, "message": <text>}`. Neither ever shows an exception's
text, a traceback or werkzeug's own description: only the fixed message for the status.

Domain errors (`election.errors`) will be mapped to statuses here when services land.
"""

from __future__ import annotations

from flask import Flask, Response, current_app, jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException, InternalServerError

__all__ = ["init_app"]

# Source strings are Vietnamese (docs/i18n.md); `lazy_gettext` translates at render time.
_MESSAGES = {
    400: (_l("Yêu cầu không hợp lệ"), _l("Máy chủ không hiểu yêu cầu này. Vui lòng thử lại.")),
    403: (_l("Không có quyền truy cập"), _l("Bạn không có quyền thực hiện thao tác này.")),
    404: (_l("Không tìm thấy trang"), _l("Trang bạn yêu cầu không tồn tại hoặc đã được chuyển.")),
    405: (_l("Phương thức không được phép"), _l("Trang này không hỗ trợ thao tác vừa thực hiện.")),
    413: (
        _l("Dữ liệu gửi lên quá lớn"),
        _l("Tệp hoặc dữ liệu gửi lên vượt quá giới hạn cho phép."),
    ),
    429: (
        _l("Quá nhiều yêu cầu"),
        _l("Bạn đã gửi quá nhiều yêu cầu. Vui lòng chờ một lát rồi thử lại."),
    ),
    500: (_l("Lỗi hệ thống"), _l("Đã xảy ra lỗi trong hệ thống. Vui lòng báo cho ban tổ chức.")),
}
_GENERIC = (_l("Đã xảy ra lỗi"), _l("Không thể xử lý yêu cầu này."))


def _wants_json() -> bool:
    return request.path == "/api" or request.path.startswith("/api/")


def _render(status: int, headers: dict[str, str] | None = None) -> Response:
    title, message = _MESSAGES.get(status, _GENERIC)
    if _wants_json():
        response = jsonify(error=status, message=str(message))
    else:
        response = current_app.make_response(
            render_template("errors/error.html", status=status, title=title, message=message)
        )
    response.status_code = status
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def _handle_http_exception(error: HTTPException) -> Response | HTTPException:
    if error.code is None or error.code < 400:
        return error
    # Keep only the headers the status relies on (Allow for 405, Retry-After for 429/503).
    keep = {"Allow", "Retry-After"}
    headers = {name: value for name, value in error.get_headers() if name in keep}
    return _render(error.code, headers)


def _handle_internal_error(error: InternalServerError) -> Response:
    # When the database lands, roll back the request's session here so a failed
    # transaction does not leak into the next request (as microblog does):
    #     db.session.rollback()
    # Flask has already logged the original exception; the response says nothing about it.
    return _render(500)


def init_app(app: Flask) -> None:
    # Registering for 500 (not Exception) keeps Flask's behaviour in tests: with
    # TESTING on, unhandled exceptions propagate to the test client instead of being hidden.
    app.register_error_handler(HTTPException, _handle_http_exception)
    app.register_error_handler(InternalServerError, _handle_internal_error)
