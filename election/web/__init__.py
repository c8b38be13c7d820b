"""The web layer: one blueprint package per area (`web/<area>/views.py`), plus the
app-wide pieces every page relies on: security headers (`security`), asset tags with
Subresource Integrity (`assets`), language selection (`i18n`) and error pages (`errors`).

Views parse the request, call one service and render; they never call `crypto`.
"""
