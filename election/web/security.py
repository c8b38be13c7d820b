"""Security headers, set on every response in one `after_request` hook.

The Content Security Policy allows scripts, styles and images from this origin only:
no inline script or style and no `'unsafe-inline'` anywhere, so templates load every
script through `asset()` and carry no `style=` attributes. Pages must not be framed
(clickjacking a ballot) and send no Referer (a receipt URL must not leak).
"""

from __future__ import annotations

from flask import Flask, Response, current_app, request

from election.config import is_production

__all__ = ["CONTENT_SECURITY_POLICY", "PERMISSIONS_POLICY", "init_app"]

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ]
)

# Only features Chromium knows: an unknown name makes it log a console error.
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": PERMISSIONS_POLICY,
}


def _set_security_headers(response: Response) -> Response:
    for name, value in _HEADERS.items():
        response.headers[name] = value
    config = current_app.config
    if is_production(config) and config["HSTS_SECONDS"] > 0:
        response.headers["Strict-Transport-Security"] = f"max-age={config['HSTS_SECONDS']}"
    # Pages can show who voted and ballots in progress: keep them out of every cache.
    # Static files keep Flask's conditional caching.
    if request.endpoint != "static" and "Cache-Control" not in response.headers:
        response.headers["Cache-Control"] = "no-store"
    return response


def init_app(app: Flask) -> None:
    app.after_request(_set_security_headers)
